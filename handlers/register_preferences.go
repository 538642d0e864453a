package handlers

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// Signing up by preference (issue #19): while the window is open, the register form and the
// booking page ask per slot for up to Ranks() sessions, best first, in plain drop-downs
// (keyboard-only works, no drag and drop); after it closes they say when the seats are
// allocated; after the venue's allocation both are first come, first served again.

// preferencePhase is where a venue stands in an event that signs people up by preference.
type preferencePhase int

const (
	prefFCFS    preferencePhase = iota // first come, first served: the event's mode, or after the venue's allocation
	prefBefore                         // the window has not opened yet
	prefOpen                           // attendees rank sessions and may change their ranking
	prefWaiting                        // the window closed; the allocation follows
)

// preferencePhaseOf tells where the venue stands now, by the store's clock.
func (h *Handler) preferencePhaseOf(ctx context.Context, e models.Event, venueID uint) (preferencePhase, error) {
	if !e.PreferenceMode() {
		return prefFCFS, nil
	}
	if _, err := h.store.Allocation(ctx, venueID); err == nil {
		return prefFCFS, nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return prefFCFS, err
	}
	now := h.store.Now()
	switch {
	case e.PreferencesOpen(now):
		return prefOpen, nil
	case e.PreferencesOpenAt == nil || now.Before(*e.PreferencesOpenAt):
		return prefBefore, nil
	}
	return prefWaiting, nil
}

// preferenceForm is what a page shows of preference mode before the venue's allocation.
type preferenceForm struct {
	Phase                           preferencePhase
	OpensAt, ClosesAt, AllocationAt *time.Time
	Seed                            string
	Error                           string // what is wrong with the rankings as a whole, translated
	Slots                           []preferenceSlot
}

func (f *preferenceForm) Before() bool  { return f.Phase == prefBefore }
func (f *preferenceForm) Open() bool    { return f.Phase == prefOpen }
func (f *preferenceForm) Waiting() bool { return f.Phase == prefWaiting }

// Ranked reports whether any slot has a session ranked.
func (f *preferenceForm) Ranked() bool {
	for _, s := range f.Slots {
		for _, r := range s.Ranks {
			if r.Chosen != nil {
				return true
			}
		}
	}
	return false
}

// preferenceSlot is one slot: the sessions that start in it and one drop-down per rank.
type preferenceSlot struct {
	Slot       models.Slot
	Error      string // what is wrong with the ranking in this slot, translated
	Sessions   []*models.Session
	Continuing []*models.Session // two-slot sessions from the slot before
	Ranks      []preferenceRank
}

// FieldName is the name problems with the slot's ranking are recorded under, as the store
// does: "preferences.<slot id>"; the page gives the slot's fieldset the id "veld-" + it.
func (s preferenceSlot) FieldName() string { return preferenceField(s.Slot.ID) }

// Chosen lists the sessions ranked in the slot, best first.
func (s preferenceSlot) Chosen() []*models.Session {
	var out []*models.Session
	for _, r := range s.Ranks {
		if r.Chosen != nil {
			out = append(out, r.Chosen)
		}
	}
	return out
}

// preferenceRank is one drop-down: the n-th choice in a slot.
type preferenceRank struct {
	Name, Label string
	Error       bool            // the drop-down's value could not be read
	ChosenID    uint            // 0: none
	Chosen      *models.Session // the chosen session, nil for none (or one not in this slot)
}

func preferenceField(slot uint) string { return "preferences." + strconv.Itoa(int(slot)) }

// rankField is the form field of the rank-th choice (1-based) in a slot.
func rankField(slot uint, rank int) string {
	return "voorkeur-" + strconv.Itoa(int(slot)) + "-" + strconv.Itoa(rank)
}

// rankingFields lists the fields of the ranking in page order, for the error summary.
func rankingFields(venue models.Venue, ranks int) []string {
	fields := []string{"preferences"}
	for _, sl := range venue.Slots {
		fields = append(fields, preferenceField(sl.ID))
		for r := 1; r <= ranks; r++ {
			fields = append(fields, rankField(sl.ID, r))
		}
	}
	return fields
}

// preferenceFormFields lists a form's fields in page order: first, the ranking, then rest.
func preferenceFormFields(venue models.Venue, ranks int, first string, rest ...string) []string {
	return slices.Concat([]string{first}, rankingFields(venue, ranks), rest)
}

// rankRows reads the drop-downs as they were posted: slot id → the chosen session per rank,
// 0 for none. An unreadable value is a problem on its drop-down.
func rankRows(form *Form, venue models.Venue, ranks int) map[uint][]uint {
	rows := map[uint][]uint{}
	for _, sl := range venue.Slots {
		row := make([]uint, ranks)
		for i := range row {
			row[i] = form.ID(rankField(sl.ID, i+1))
		}
		rows[sl.ID] = row
	}
	return rows
}

// rankingsOf turns the posted rows into rankings, recording a problem on a slot where a choice
// follows an empty one or a session is chosen twice: the person fixes it, nothing is guessed.
func rankingsOf(rows map[uint][]uint, form *Form) models.Rankings {
	r := models.Rankings{}
	for slot, row := range rows {
		var list []uint
		gap := false
		for _, id := range row {
			switch {
			case id == 0:
				gap = true
			case gap:
				form.Problems.Add(preferenceField(slot), "ranking.gap")
			case slices.Contains(list, id):
				form.Problems.Add(preferenceField(slot), "ranking.twice")
			default:
				list = append(list, id)
			}
		}
		if len(list) > 0 {
			r[slot] = list
		}
	}
	return r
}

// rowsOf lays stored rankings out as drop-down rows.
func rowsOf(r models.Rankings, ranks int) map[uint][]uint {
	rows := map[uint][]uint{}
	for slot, list := range r {
		row := make([]uint, ranks)
		copy(row, list)
		rows[slot] = row
	}
	return rows
}

// preferenceFormOf builds what the page shows of preference mode for the venue in phase:
// the slots with their sessions (in the page's language) and the choices of rows.
func preferenceFormOf(p Page, e models.Event, phase preferencePhase, venue models.Venue, sessions []models.Session, form *Form, rows map[uint][]uint) *preferenceForm {
	f := &preferenceForm{Phase: phase, OpensAt: e.PreferencesOpenAt, ClosesAt: e.PreferencesCloseAt,
		AllocationAt: e.AllocationAt, Seed: e.AllocationSeed}
	problem := func(field string) string {
		if form == nil {
			return ""
		}
		if pr, bad := form.Problems[field]; bad {
			return p.T(pr.Key, pr.Args...)
		}
		return ""
	}
	// The error summary names a slot's problem by the slot's times.
	name := func(field, label string) {
		if form != nil {
			if form.Named == nil {
				form.Named = map[string]string{}
			}
			form.Named[field] = label
		}
	}
	f.Error = problem("preferences")
	ranks := e.Ranks()
	for _, row := range schedule.NewGrid(venue, sessions).Rows {
		ps := preferenceSlot{Slot: row.Slot, Sessions: row.Starting, Error: problem(preferenceField(row.Slot.ID))}
		for i := range sessions {
			if s := &sessions[i]; len(s.Slots) > 1 && s.Slots[1].SlotID == row.Slot.ID {
				ps.Continuing = append(ps.Continuing, s)
			}
		}
		times := p.TimeRange(row.Slot.StartsAt, row.Slot.EndsAt)
		name(ps.FieldName(), times)
		chosen := rows[row.Slot.ID]
		for n := 1; n <= ranks; n++ {
			pr := preferenceRank{Name: rankField(row.Slot.ID, n), Label: p.T("ranking.rank_" + strconv.Itoa(n))}
			name(pr.Name, times+", "+pr.Label)
			if msg := problem(pr.Name); msg != "" {
				pr.Error = true
				if ps.Error == "" {
					ps.Error = msg
				}
			}
			if n <= len(chosen) {
				pr.ChosenID = chosen[n-1]
				for _, s := range row.Starting {
					if s.ID == pr.ChosenID {
						pr.Chosen = s
					}
				}
			}
			ps.Ranks = append(ps.Ranks, pr)
		}
		f.Slots = append(f.Slots, ps)
	}
	return f
}

// preferencesOfVenue loads the venue's sessions in the page's language and builds the form.
func (h *Handler) preferencesOfVenue(c *gin.Context, p Page, e models.Event, phase preferencePhase, venue models.Venue, form *Form, rows map[uint][]uint) (*preferenceForm, error) {
	sessions, err := h.store.SessionsOfVenue(c.Request.Context(), venue.ID)
	if err != nil {
		return nil, err
	}
	lang := string(p.Lang)
	return preferenceFormOf(p, e, phase, venue.In(lang), models.SessionsIn(sessions, lang), form, rows), nil
}

// bookingPreferences is what the booking page shows of preference mode: nil after the
// venue's allocation (or in an event that is first come, first served), else the person's
// rankings: the posted rows, or the stored ones when rows is nil.
func (h *Handler) bookingPreferences(c *gin.Context, p Page, e models.Event, venue models.Venue, r models.Registration, form *Form, rows map[uint][]uint) (*preferenceForm, error) {
	ctx := c.Request.Context()
	phase, err := h.preferencePhaseOf(ctx, e, venue.ID)
	if err != nil || phase == prefFCFS {
		return nil, err
	}
	if rows == nil {
		ranked, err := h.store.Preferences(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		rows = rowsOf(ranked, e.Ranks())
	}
	return h.preferencesOfVenue(c, p, e.In(string(p.Lang)), phase, venue, form, rows)
}

// changePreferences saves a new ranking from the booking page while the window is open.
func (h *Handler) changePreferences(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	venue, err := h.store.Venue(ctx, r.VenueID)
	if err != nil {
		h.fail(c, err)
		return
	}
	phase, err := h.preferencePhaseOf(ctx, event, venue.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	form := postedForm(c, rankingFields(venue, event.Ranks())...)
	rows := rankRows(form, venue, event.Ranks())
	rankings := rankingsOf(rows, form)
	status := http.StatusUnprocessableEntity
	if phase != prefOpen {
		form.Problems.Add("preferences", "ranking.closed_now")
	}
	if form.Valid() {
		if wait := h.bookingMailWait(c, r); wait > 0 {
			status = http.StatusTooManyRequests
			tooManyProblem(form, "preferences", wait)
		} else {
			_, err = h.store.ChangePreferences(ctx, r.ID, rankings)
		}
	}
	if _, shown := form.showStoreError(err, formAnswer{Err: models.ErrPreferencesClosed, Field: "preferences", Key: "ranking.closed_now"},
		formAnswer{Err: models.ErrConflict, Field: "preferences", Key: "booking.cancelled_already"}); !shown {
		h.serverError(c, err)
		return
	}
	if !form.Valid() {
		h.renderBooking(c, status, r, form, rows)
		return
	}
	h.setFlash(c, "ranking.saved")
	c.Redirect(http.StatusSeeOther, "/boeking/"+c.Param("token"))
}

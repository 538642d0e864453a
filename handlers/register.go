package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

var registrationFields = []string{"sessions:register.step_sessions", "waitlist:register.waitlist_label",
	"name:register.name", "email:register.email", "organisation:register.organisation", "job_title:register.job_title",
	"dietary:register.dietary", "accessibility:register.accessibility", "consent:register.consent_short"}

type registerVenuesData struct {
	Page
	Event  models.Event
	Venues []models.Venue
	Window registrationWindow
}

// registrationWindow tells a page whether registration is open, and if not, why.
type registrationWindow struct {
	Open, WaitlistOnly bool
	OpensAt, ClosesAt  *time.Time
	now                time.Time // the store's clock when the page was made
}

func windowOf(e models.Event, now time.Time) registrationWindow {
	open, waitlistOnly := e.RegistrationOpen(now)
	return registrationWindow{Open: open, WaitlistOnly: waitlistOnly, OpensAt: e.RegistrationOpensAt,
		ClosesAt: e.RegistrationClosesAt, now: now}
}

// NotYetOpen reports whether registration will open later.
func (w registrationWindow) NotYetOpen() bool {
	return !w.Open && !w.WaitlistOnly && w.OpensAt != nil && w.now.Before(*w.OpensAt)
}

func (h *Handler) showRegisterVenues(c *gin.Context) {
	event, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("register.title"), "register")
	lang := string(p.Lang)
	window := windowOf(event, h.store.Now())
	if event.PreferenceMode() {
		// Each venue's form says where its preference window and allocation stand (they
		// differ once one venue is allocated); the list only leads there.
		window = registrationWindow{Open: true, now: window.now}
	}
	h.render(c, http.StatusOK, "register_venues", registerVenuesData{Page: p, Event: event.In(lang), Venues: models.VenuesIn(venues, lang),
		Window: window})
}

type registerData struct {
	Page
	Event     models.Event
	Venue     models.Venue
	Window    registrationWindow
	Slots     []slotChoice
	Duplicate bool // the address is already registered: offer the link again
	Action    string
	// Prefs is set in preference mode before the venue's allocation: the slots ask for
	// rankings instead of one session each (issue #19).
	Prefs *preferenceForm
}

// FormShown reports whether the page has a form to fill in now.
func (d registerData) FormShown() bool {
	if d.Prefs != nil {
		return d.Prefs.Open()
	}
	return d.Window.Open || d.Window.WaitlistOnly
}

// slotChoice is one time slot of the form, with the sessions that start in it.
type slotChoice struct {
	Slot       models.Slot
	Error      string // what is wrong with the choice in this slot, translated
	Sessions   []sessionChoice
	Continuing []*models.Session // two-slot sessions from the slot before
	Full       []sessionChoice   // sessions one may wait for while keeping another seat
}

type sessionChoice struct {
	Session    *models.Session
	SeatsLeft  int
	Waitlisted int
	Checked    bool // chosen for a seat
	Waiting    bool // chosen for the waiting list
}

// FieldName is the form field of the slot's radio group.
func (s slotChoice) FieldName() string { return "slot-" + strconv.Itoa(int(s.Slot.ID)) }

// WaitlistName is the form field of the slot's waiting-list choice.
func (s slotChoice) WaitlistName() string { return "wachtlijst-" + strconv.Itoa(int(s.Slot.ID)) }

// NoneChecked reports whether "no session" is the choice in this slot.
func (s slotChoice) NoneChecked() bool {
	for _, c := range s.Sessions {
		if c.Checked {
			return false
		}
	}
	return true
}

// registrationForm gathers what the form shows for a venue: its slots with their sessions,
// seats left and waiting lists, and which choices are checked; the venue and the sessions in
// the page's language.
func (h *Handler) registrationForm(c *gin.Context, p Page, venue models.Venue, form *Form, chosen, waiting []uint) (registerData, error) {
	ctx := c.Request.Context()
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		return registerData{}, err
	}
	sessions, err := h.store.SessionsOfVenue(ctx, venue.ID)
	if err != nil {
		return registerData{}, err
	}
	lang := string(p.Lang)
	venue, sessions = venue.In(lang), models.SessionsIn(sessions, lang)
	grid := schedule.NewGrid(venue, sessions)
	d := registerData{Page: p, Event: event.In(lang), Venue: venue, Window: windowOf(event, h.store.Now()),
		Action: "/aanmelden/" + venue.Slug}
	for _, row := range grid.Rows {
		sc := slotChoice{Slot: row.Slot}
		if pr, bad := form.Problems[sc.FieldName()]; bad {
			sc.Error = p.T(pr.Key, pr.Args...)
		} else if pr, bad := form.Problems[sc.WaitlistName()]; bad {
			sc.Error = p.T(pr.Key, pr.Args...)
		}
		for _, s := range row.Starting {
			choice := sessionChoice{Session: s, SeatsLeft: s.SeatsLeft(), Waitlisted: s.Waiting,
				Checked: contains(idStrings(chosen), strconv.Itoa(int(s.ID))), Waiting: contains(idStrings(waiting), strconv.Itoa(int(s.ID)))}
			sc.Sessions = append(sc.Sessions, choice)
			if choice.SeatsLeft == 0 {
				sc.Full = append(sc.Full, choice)
			}
		}
		for _, s := range sessions {
			if len(s.Slots) > 1 && s.Slots[1].SlotID == row.Slot.ID {
				sc.Continuing = append(sc.Continuing, &s)
			}
		}
		d.Slots = append(d.Slots, sc)
	}
	return d, nil
}

func idStrings(ids []uint) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.Itoa(int(id))
	}
	return out
}

func (h *Handler) showRegisterForm(c *gin.Context) {
	venue, err := h.store.VenueBySlug(c.Request.Context(), c.Param("venue"))
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("register.form_title", "Venue", venue.NameIn(string(h.tr(c).Lang()))), "register")
	p.Form = newForm(nil, registrationFields...)
	// ?sessie=ID, from a session page's "Meld je aan", chooses that session; an id that is
	// not at this venue matches no option and chooses nothing.
	var chosen []uint
	if id, err := strconv.ParseUint(c.Query("sessie"), 10, 32); err == nil {
		chosen = []uint{uint(id)}
	}
	d, err := h.registrationForm(c, p, venue, p.Form, chosen, nil)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.rankingsOnForm(c, &d, venue, firstChoices(d.Slots)); err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, http.StatusOK, "register", d)
}

// firstChoices are the sessions chosen on a fresh form (from ?sessie=) as first choices.
func firstChoices(slots []slotChoice) map[uint][]uint {
	rows := map[uint][]uint{}
	for _, sc := range slots {
		for _, ch := range sc.Sessions {
			if ch.Checked {
				rows[sc.Slot.ID] = []uint{ch.Session.ID}
			}
		}
	}
	return rows
}

// rankingsOnForm puts the ranking on the register form in preference mode before the
// venue's allocation, with the choices of rows (nil for a fresh form).
func (h *Handler) rankingsOnForm(c *gin.Context, d *registerData, venue models.Venue, rows map[uint][]uint) error {
	event, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		return err
	}
	phase, err := h.preferencePhaseOf(c.Request.Context(), event, venue.ID)
	if err != nil || phase == prefFCFS {
		return err
	}
	d.Prefs, err = h.preferencesOfVenue(c, d.Page, event.In(string(d.Lang)), phase, venue, d.Form, rows)
	return err
}

// choicesFromForm reads one radio group and one waiting-list choice per slot of the venue.
func choicesFromForm(form *Form, venue models.Venue) (sessions, waitlist []uint) {
	for _, sl := range venue.Slots {
		sc := slotChoice{Slot: sl}
		if id := form.ID(sc.FieldName()); id != 0 {
			sessions = append(sessions, id)
		}
		if id := form.ID(sc.WaitlistName()); id != 0 {
			waitlist = append(waitlist, id)
		}
	}
	return sessions, waitlist
}

func (h *Handler) createRegistration(c *gin.Context) {
	ctx := c.Request.Context()
	venue, err := h.store.VenueBySlug(ctx, c.Param("venue"))
	if err != nil {
		h.fail(c, err)
		return
	}
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	phase, err := h.preferencePhaseOf(ctx, event, venue.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	var form *Form
	var sessions, waitlist []uint
	var rows map[uint][]uint
	var rankings models.Rankings
	if phase == prefFCFS {
		form = postedForm(c, registrationFields...)
		sessions, waitlist = choicesFromForm(form, venue)
	} else {
		form = postedForm(c, preferenceFormFields(venue, event.Ranks(), registrationFields[0], registrationFields[2:]...)...)
		rows = rankRows(form, venue, event.Ranks())
		rankings = rankingsOf(rows, form)
		if phase != prefOpen {
			form.Problems.Add("preferences", "ranking.closed_now")
		}
	}
	in := models.RegistrationInput{
		Name: form.String("name"), Email: form.String("email"), Organisation: form.String("organisation"),
		JobTitle: form.String("job_title"), Dietary: form.String("dietary"), Accessibility: form.String("accessibility"),
		Lang: string(h.tr(c).Lang()), Venue: venue.Slug, Sessions: sessions, Waitlist: waitlist,
		Preferences: rankings, Consent: form.String("consent") == "ja",
	}
	var res models.RegistrationResult
	status := http.StatusUnprocessableEntity
	form.Merge(in.Validate())
	if wait := h.registrationWait(c, form, in.Email); wait > 0 {
		status = http.StatusTooManyRequests
		tooManyProblem(form, "email", wait)
	} else if form.Valid() {
		res, err = h.store.Register(ctx, in)
	}
	if _, shown := form.showStoreError(err, formAnswer{Err: models.ErrAlreadyRegistered, Field: "email"},
		formAnswer{Err: models.ErrVenueFull, Field: "sessions"},
		formAnswer{Err: models.ErrPreferencesClosed, Field: "preferences", Key: "ranking.closed_now"},
		formAnswer{Err: models.ErrRegistrationClosed, Field: "sessions"}); !shown {
		h.serverError(c, err)
		return
	}
	duplicate := errors.Is(err, models.ErrAlreadyRegistered)
	if !form.Valid() {
		p := h.page(c, h.tr(c).T("register.form_title", "Venue", venue.NameIn(in.Lang)), "register")
		p.Form = form
		d, derr := h.registrationForm(c, p, venue, form, sessions, waitlist)
		if derr != nil {
			h.serverError(c, derr)
			return
		}
		d.Duplicate = duplicate
		if phase != prefFCFS {
			if derr := h.rankingsOnForm(c, &d, venue, rows); derr != nil {
				h.serverError(c, derr)
				return
			}
		}
		h.render(c, status, "register", d)
		return
	}
	h.setFlash(c, "register.done")
	c.Redirect(http.StatusSeeOther, "/boeking/"+res.Token)
}

// Domains lists the e-mail domains registration is limited to, for the page to say so up
// front; "" when anyone may register.
func (d registerVenuesData) Domains() string {
	return strings.Join(d.Event.RegistrationDomainList(), ", ")
}

// EmailField is the form's e-mail field; when registration is limited to some domains, its
// hint names them before anything is typed.
func (d registerData) EmailField() FieldView {
	f := d.Field("email", "register.email", "email", "required", "autocomplete:email", "hint:register.email_hint")
	if domains := d.Event.RegistrationDomainList(); len(domains) > 0 {
		f.Hint = d.T("register.domains_only", "Domains", strings.Join(domains, ", ")) + " " + f.Hint
	}
	return f
}

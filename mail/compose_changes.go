package mail

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// A changed schedule's e-mail first says, in the person's own words, what changed for them:
// "Je sessie ‘Open data’ is verplaatst van 10:00 naar 11:15, Statenzaal → Burgerzaal." The
// lines compare the session in the version the e-mail is about with the version before, so
// an e-mail composed later still tells that publication's changes; the programme under them
// is the person's as it is when the e-mail goes out.

// versionChanges is one published version's changes with the sessions before and after.
type versionChanges struct {
	changes       []models.ScheduleChange
	before, after map[uint]models.PublishedSession
	cities        map[uint]string // venue id → city, to name a room at another venue
}

// loadVersionChanges reads version number of the event and the one before it. A version that
// is not there (a payload without a number, a database trimmed by hand) gives no lines, and
// a missing version before it fewer details: the e-mail then still gives the programme as it
// now is, rather than never going out.
func (c *Composer) loadVersionChanges(ctx context.Context, eventID uint, number string) (versionChanges, error) {
	n, err := strconv.Atoi(number)
	if err != nil {
		return versionChanges{}, nil
	}
	cur, err := c.Store.ScheduleVersion(ctx, eventID, n)
	if errors.Is(err, models.ErrNotFound) {
		return versionChanges{}, nil
	}
	if err != nil {
		return versionChanges{}, err
	}
	vc := versionChanges{changes: cur.Changes, before: map[uint]models.PublishedSession{},
		after: map[uint]models.PublishedSession{}, cities: map[uint]string{}}
	for _, s := range cur.Sessions {
		vc.after[s.SessionID] = s
	}
	prev, err := c.Store.ScheduleVersion(ctx, eventID, n-1)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return versionChanges{}, err
	}
	for _, s := range prev.Sessions {
		vc.before[s.SessionID] = s
	}
	venues, err := c.Store.Venues(ctx, eventID)
	if err != nil {
		return versionChanges{}, err
	}
	for _, v := range venues {
		vc.cities[v.ID] = v.City
	}
	return vc, nil
}

// pair gives a change's session in the two versions, filled in from the change
// itself when a version does not hold it.
func (vc versionChanges) pair(ch models.ScheduleChange) (before, after models.PublishedSession) {
	before, after = vc.before[ch.SessionID], vc.after[ch.SessionID]
	fill := func(s *models.PublishedSession, pl *models.PublishedPlace) {
		if s.SessionID == 0 && pl != nil {
			*s = models.PublishedSession{SessionID: ch.SessionID, Title: ch.Title, VenueID: pl.VenueID,
				RoomName: pl.RoomName, StartsAt: pl.StartsAt, EndsAt: pl.EndsAt}
		}
	}
	fill(&before, ch.From)
	fill(&after, ch.To)
	return before, after
}

// attendeeChanges says what version vc changed for registration r: its sessions that moved,
// changed or left, then the sessions newly in the programme at its venue, each by time.
func (vc versionChanges) attendeeChanges(tr *locale.Translator, r models.Registration) []string {
	booked := map[uint]bool{}
	for _, b := range r.Bookings {
		booked[b.SessionID] = true
	}
	var own, added []models.ScheduleChange
	for _, ch := range vc.changes {
		switch {
		case ch.Kind == models.ChangeTranslated:
		case ch.Kind == models.ChangeAdded && ch.To != nil && ch.To.VenueID == r.VenueID:
			added = append(added, ch)
		case ch.Kind != models.ChangeAdded && booked[ch.SessionID]:
			own = append(own, ch)
		}
	}
	var lines []string
	for _, ch := range vc.byTime(own) {
		lines = append(lines, vc.describe(tr, ch)...)
	}
	for _, ch := range vc.byTime(added) {
		_, after := vc.pair(ch)
		lines = append(lines, tr.T("mail.change.added", "Title", after.TitleIn(string(tr.Lang())),
			"Time", tr.TimeRange(after.StartsAt, after.EndsAt), "Room", after.RoomName))
	}
	return lines
}

// speakerChanges says what version vc changed in the sessions speaker sp gives (or gave):
// those that list them now, or listed them before.
func (vc versionChanges) speakerChanges(tr *locale.Translator, sp models.Speaker, sessions []models.Session) []string {
	theirs := map[uint]bool{}
	for _, se := range sessions {
		theirs[se.ID] = true
	}
	var mine []models.ScheduleChange
	for _, ch := range vc.changes {
		if ch.Kind == models.ChangeTranslated {
			continue
		}
		before, after := vc.pair(ch)
		if theirs[ch.SessionID] || gives(before, sp.ID) || gives(after, sp.ID) {
			mine = append(mine, ch)
		}
	}
	var lines []string
	for _, ch := range vc.byTime(mine) {
		lines = append(lines, vc.describe(tr, ch)...)
	}
	return lines
}

func gives(s models.PublishedSession, speakerID uint) bool {
	return slices.ContainsFunc(s.Speakers, func(p models.PublishedSpeaker) bool { return p.ID == speakerID })
}

// byTime orders changes by when their session is now, or was when it left.
func (vc versionChanges) byTime(changes []models.ScheduleChange) []models.ScheduleChange {
	out := slices.Clone(changes)
	when := func(ch models.ScheduleChange) models.PublishedSession {
		before, after := vc.pair(ch)
		if ch.Kind == models.ChangeRemoved {
			return before
		}
		return after
	}
	slices.SortStableFunc(out, func(a, b models.ScheduleChange) int {
		return cmp.Or(when(a).StartsAt.Compare(when(b).StartsAt), cmp.Compare(a.SessionID, b.SessionID))
	})
	return out
}

// describe tells one change of a session the person attends (or, for a speaker, gives) in
// one or more sentences. It looks at what actually differs, so a room that was renamed reads
// as the move it is for the person, and it always says something: a change that does not
// show in the person's language is told as an update of the description.
func (vc versionChanges) describe(tr *locale.Translator, ch models.ScheduleChange) []string {
	lang := string(tr.Lang())
	before, after := vc.pair(ch)
	title := after.TitleIn(lang)
	switch ch.Kind {
	case models.ChangeRemoved:
		return []string{tr.T("mail.change.removed", "Title", before.TitleIn(lang),
			"Time", tr.TimeRange(before.StartsAt, before.EndsAt), "Room", before.RoomName)}
	case models.ChangeAdded:
		// Only speakers hear of their own session being added; attendees of new sessions at
		// their venue (see attendeeChanges) get the same line without the city.
		return []string{tr.T("mail.change.scheduled", "Title", title, "Time", tr.TimeRange(after.StartsAt, after.EndsAt),
			"Room", vc.room(after, true))}
	}
	var lines []string
	if t := before.TitleIn(lang); before.SessionID != 0 && t != title {
		lines = append(lines, tr.T("mail.change.retitled", "Old", t, "Title", title))
	}
	timeMoved := !before.StartsAt.Equal(after.StartsAt) || !before.EndsAt.Equal(after.EndsAt)
	otherVenue := before.VenueID != after.VenueID
	roomMoved := before.RoomName != after.RoomName || otherVenue
	from, to := tr.Time(before.StartsAt), tr.Time(after.StartsAt)
	if before.EndsAt.Sub(before.StartsAt) != after.EndsAt.Sub(after.StartsAt) {
		from, to = tr.TimeRange(before.StartsAt, before.EndsAt), tr.TimeRange(after.StartsAt, after.EndsAt)
	}
	fromRoom, toRoom := vc.room(before, otherVenue), vc.room(after, otherVenue)
	switch {
	case timeMoved && roomMoved:
		lines = append(lines, tr.T("mail.change.moved_time_room", "Title", title, "From", from, "To", to, "FromRoom", fromRoom, "ToRoom", toRoom))
	case timeMoved:
		lines = append(lines, tr.T("mail.change.moved_time", "Title", title, "From", from, "To", to, "Room", toRoom))
	case roomMoved:
		lines = append(lines, tr.T("mail.change.moved_room", "Title", title, "Time", tr.TimeRange(after.StartsAt, after.EndsAt),
			"FromRoom", fromRoom, "ToRoom", toRoom))
	}
	if before.SessionID != 0 && len(after.Speakers) > 0 && !slices.Equal(before.Speakers, after.Speakers) {
		names := make([]string, len(after.Speakers))
		for i, sp := range after.Speakers {
			names[i] = sp.Name
		}
		lines = append(lines, tr.T("mail.change.speakers", "Title", title, "Speakers", strings.Join(names, ", ")))
	}
	if len(lines) == 0 || before.AbstractIn(lang) != after.AbstractIn(lang) || before.Format != after.Format || before.Track != after.Track {
		lines = append(lines, tr.T("mail.change.details", "Title", title))
	}
	return lines
}

// room names a session's room, with the city when the session changed venue.
func (vc versionChanges) room(s models.PublishedSession, withCity bool) string {
	if withCity && vc.cities[s.VenueID] != "" {
		return s.RoomName + " (" + vc.cities[s.VenueID] + ")"
	}
	return s.RoomName
}

package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// An edition is an Event: the Dag van de Ambtenaar 2.0 of one year. Dagplanner holds several
// side by side; the public site shows the current one (CurrentEvent), /archief the other
// published ones, and organisers choose the one they work on.

// Audit actions of editions.
const (
	ActionEventCopied    = "event.copied"
	ActionEventPublished = "event.published"
)

// What a new edition may copy from the last one (CopyInput.What).
const (
	CopyVenues    = "venues"
	CopyRooms     = "rooms"
	CopySlots     = "slots"
	CopyTracks    = "tracks"
	CopyFormats   = "formats"
	CopyTemplates = "templates"
	CopySettings  = "settings"
	CopySessions  = "sessions"
)

// CopyParts lists every part of an edition a copy may take, in the order a summary names them.
var CopyParts = []string{CopyVenues, CopyRooms, CopySlots, CopyTracks, CopyFormats, CopyTemplates, CopySettings, CopySessions}

// CopyDefault is what a copy takes when nothing is chosen: everything but the sessions.
var CopyDefault = []string{CopyVenues, CopyRooms, CopySlots, CopyTracks, CopyFormats, CopyTemplates, CopySettings}

// currentOrder puts the current edition first: published editions before unpublished ones,
// then the latest date, then the latest created.
const currentOrder = "published_at IS NULL, date DESC, id DESC"

// Year is the edition's year, from its date; 0 when the date is not valid.
func (e Event) Year() int {
	y, err := strconv.Atoi(strings.SplitN(e.Date, "-", 2)[0])
	if err != nil {
		return 0
	}
	return y
}

// Published reports whether the edition is public: the site shows it, or the archive does.
func (e Event) Published() bool { return e.PublishedAt != nil }

// Editions lists every edition, the latest date first.
func (s *Store) Editions(ctx context.Context) ([]Event, error) {
	var out []Event
	if err := s.db.WithContext(ctx).Order("date DESC, id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("editions: %w", err)
	}
	return out, nil
}

// EditionByYear returns the edition held in year.
// It returns ErrNotFound when no edition has that year.
func (s *Store) EditionByYear(ctx context.Context, year int) (Event, error) {
	var e Event
	err := s.db.WithContext(ctx).Where("date LIKE ?", fmt.Sprintf("%04d-%%", year)).Order("id DESC").First(&e).Error
	if err != nil {
		return Event{}, notFound(err, "edition", year)
	}
	return e, nil
}

// ArchivedEditions lists the published editions other than the current one, the latest first;
// none when there is no event yet.
func (s *Store) ArchivedEditions(ctx context.Context) ([]Event, error) {
	current, err := s.CurrentEvent(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Event
	err = s.db.WithContext(ctx).Where("published_at IS NOT NULL AND id <> ?", current.ID).Order("date DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("archived editions: %w", err)
	}
	return out, nil
}

// PublishEvent makes an edition public: from now on the site shows it when it is the latest
// published edition (see CurrentEvent), and the edition before it moves to the archive.
// Publishing an edition that is public already changes nothing.
// It returns ErrNotFound when there is no such edition.
func (s *Store) PublishEvent(ctx context.Context, id uint) (Event, error) {
	var e Event
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&e, id).Error; err != nil {
			return notFound(err, "event", id)
		}
		if e.PublishedAt != nil {
			return nil
		}
		now := s.now().UTC()
		e.PublishedAt = &now
		if err := tx.Model(&e).Update("published_at", now).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionEventPublished, SubjectKind: SubjectEvent, SubjectID: e.ID,
			Details: map[string]any{"date": e.Date}})
	})
	if err != nil {
		return Event{}, fmt.Errorf("publish event %d: %w", id, err)
	}
	return e, nil
}

// CopyInput is what a new edition takes from the one before: its date and the parts to copy.
type CopyInput struct {
	Date string   // "YYYY-MM-DD"
	What []string // parts of CopyParts; empty means CopyDefault
}

// parts is the set the copy takes. Rooms and slots belong to venues, so they bring them.
func (in CopyInput) parts() map[string]bool {
	what := in.What
	if len(what) == 0 {
		what = CopyDefault
	}
	out := map[string]bool{}
	for _, w := range what {
		out[strings.TrimSpace(w)] = true
	}
	if out[CopyRooms] || out[CopySlots] {
		out[CopyVenues] = true
	}
	return out
}

// Validate reports what is wrong with the input on its own: the date and the parts named.
func (in CopyInput) Validate() Problems {
	p := Problems{}
	if strings.TrimSpace(in.Date) == "" {
		p.Add("date", "form.required")
	} else if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		p.Add("date", "form.invalid_date")
	}
	for _, w := range in.What {
		if !slices.Contains(CopyParts, strings.TrimSpace(w)) {
			p.Add("what", "edition.unknown_part", "Part", w, "Parts", strings.Join(CopyParts, ","))
		}
	}
	return p
}

// CopySummary counts what a copy creates, so organisers see it before they confirm.
type CopySummary struct {
	Source    Event
	Date      string
	Parts     []string // the parts taken, in the order of CopyParts
	Venues    int
	Rooms     int
	Slots     int
	Tracks    int
	Templates int
	Sessions  int // sessions copied as proposals
}

// Day is the new edition's day, at midnight in the source's time zone, for showing it as a
// date; zero when Date is not one.
func (c CopySummary) Day() time.Time {
	return Event{Date: c.Date, Timezone: c.Source.Timezone}.Day()
}

// Takes reports whether the copy takes part.
func (c CopySummary) Takes(part string) bool { return slices.Contains(c.Parts, part) }

// PlanCopy checks a copy of the edition sourceID and counts what it would create, writing
// nothing. The new date must be after the source's and in a year without an edition.
// It returns ErrNotFound when there is no such edition, and a *ValidationError when the input
// is not valid.
func (s *Store) PlanCopy(ctx context.Context, sourceID uint, in CopyInput) (CopySummary, error) {
	var sum CopySummary
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		sum, err = planCopy(tx, sourceID, in)
		return err
	})
	return sum, err
}

func planCopy(tx *gorm.DB, sourceID uint, in CopyInput) (CopySummary, error) {
	if err := invalid(in.Validate()); err != nil {
		return CopySummary{}, err
	}
	var src Event
	if err := tx.First(&src, sourceID).Error; err != nil {
		return CopySummary{}, notFound(err, "event", sourceID)
	}
	if in.Date <= src.Date {
		return CopySummary{}, invalid(Problems{"date": {Key: "edition.date_not_after", Args: []any{"Date", src.Date}}})
	}
	if err := yearFree(tx, 0, in.Date); err != nil {
		return CopySummary{}, err
	}
	parts := in.parts()
	sum := CopySummary{Source: src, Date: in.Date}
	for _, p := range CopyParts {
		if parts[p] {
			sum.Parts = append(sum.Parts, p)
		}
	}
	venues := tx.Model(&Venue{}).Select("id").Where("event_id = ?", src.ID)
	counts := []struct {
		part  string
		n     *int
		query *gorm.DB
	}{
		{CopyVenues, &sum.Venues, tx.Model(&Venue{}).Where("event_id = ?", src.ID)},
		{CopyRooms, &sum.Rooms, tx.Model(&Room{}).Where("venue_id IN (?)", venues)},
		{CopySlots, &sum.Slots, tx.Model(&Slot{}).Where("venue_id IN (?)", venues)},
		{CopyTracks, &sum.Tracks, tx.Model(&Track{}).Where("event_id = ?", src.ID)},
		{CopyTemplates, &sum.Templates, tx.Model(&DecisionTemplate{}).Where("event_id = ?", src.ID)},
		{CopySessions, &sum.Sessions, tx.Model(&Session{}).Where("event_id = ?", src.ID)},
	}
	for _, c := range counts {
		if !parts[c.part] {
			continue
		}
		var n int64
		if err := c.query.Count(&n).Error; err != nil {
			return CopySummary{}, err
		}
		*c.n = int(n)
	}
	return sum, nil
}

// CopyEvent creates a new edition from the edition sourceID, all or nothing: the parts chosen
// (venues with their rooms and slots on the new date at the same clock times, tracks, the
// decision e-mails' templates, the settings with their dates moved by as many days, the
// sessions as submitted proposals) and never people, registrations, bookings, check-ins, votes
// or reviews. The new edition starts unpublished: the site keeps showing the current one.
// It returns ErrNotFound when there is no such edition, and a *ValidationError when the input
// is not valid (a date not after the source's, a year that has an edition).
func (s *Store) CopyEvent(ctx context.Context, sourceID uint, in CopyInput) (Event, CopySummary, error) {
	var e Event
	var sum CopySummary
	err := s.write(ctx, func(tx *gorm.DB) error {
		var err error
		if sum, err = planCopy(tx, sourceID, in); err != nil {
			return err
		}
		e = newEdition(sum.Source, in.Date, sum.Takes(CopySettings))
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		if err := tx.First(&e, e.ID).Error; err != nil { // the defaults the database filled in
			return err
		}
		c := editionCopy{tx: tx, src: sum.Source, dst: e, sum: sum, now: s.now().UTC()}
		if err := c.run(); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionEventCopied, SubjectKind: SubjectEvent, SubjectID: e.ID,
			Details: map[string]any{"from": sum.Source.ID, "from_date": sum.Source.Date, "date": e.Date, "parts": sum.Parts,
				"venues": sum.Venues, "rooms": sum.Rooms, "slots": sum.Slots, "tracks": sum.Tracks,
				"templates": sum.Templates, "sessions": sum.Sessions}})
	})
	if err != nil {
		return Event{}, CopySummary{}, fmt.Errorf("copy event %d to %s: %w", sourceID, in.Date, err)
	}
	return e, sum, nil
}

// newEdition is the new edition's event row: the source's settings moved to date, or, without
// settings, only its name and time zone. Its name's year, if it has one, becomes the new year.
func newEdition(src Event, date string, settings bool) Event {
	e := Event{Name: src.Name, Timezone: src.Timezone}
	if settings {
		e = src
		e.ID, e.CreatedAt, e.UpdatedAt, e.Venues = 0, time.Time{}, time.Time{}, nil
		days := daysBetween(src.Date, date)
		for _, t := range []**time.Time{&e.RegistrationOpensAt, &e.RegistrationClosesAt, &e.ReconfirmDeadline,
			&e.ProposalsOpenAt, &e.ProposalsCloseAt, &e.VotingOpensAt, &e.VotingClosesAt,
			&e.PreferencesOpenAt, &e.PreferencesCloseAt, &e.AllocationAt} {
			*t = shiftDays(*t, days, src.Location())
		}
		// What happened to the last edition does not happen to the new one, and its tie-breaking
		// seed must be new, published before its own window closes.
		e.StillComingSentAt, e.ReconfirmReleasedAt, e.AllocationSeed, e.TimetableRevision = nil, nil, "", 0
	}
	e.Date, e.PublishedAt = date, nil
	if y := strconv.Itoa(src.Year()); src.Year() > 0 {
		e.Name = strings.ReplaceAll(e.Name, y, date[:4])
	}
	return e
}

// yearFree refuses a date in a year that an edition other than eventID has: an edition is
// named by its year (in the archive's addresses, ?edition=YYYY).
func yearFree(tx *gorm.DB, eventID uint, date string) error {
	var taken int64
	if err := tx.Model(&Event{}).Where("id <> ? AND date LIKE ?", eventID, date[:4]+"-%").Count(&taken).Error; err != nil {
		return err
	}
	if taken > 0 {
		return invalid(Problems{"date": {Key: "edition.year_taken", Args: []any{"Year", date[:4]}}})
	}
	return nil
}

// daysBetween is how many calendar days lie from one civil date to another.
func daysBetween(from, to string) int {
	a, _ := time.Parse(time.DateOnly, from)
	b, _ := time.Parse(time.DateOnly, to)
	return int(b.Sub(a).Hours() / 24)
}

// shiftDays moves an instant by days calendar days in loc, keeping its clock time there.
func shiftDays(t *time.Time, days int, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	moved := t.In(loc).AddDate(0, 0, days).UTC()
	return &moved
}

// editionCopy copies the parts of one edition into a new one, inside one transaction.
type editionCopy struct {
	tx       *gorm.DB
	src, dst Event
	sum      CopySummary
	now      time.Time
}

func (c editionCopy) run() error {
	if c.sum.Takes(CopyVenues) {
		if err := c.venues(); err != nil {
			return err
		}
	}
	if c.sum.Takes(CopyTracks) {
		if err := c.tracks(); err != nil {
			return err
		}
	}
	if c.sum.Takes(CopyTemplates) {
		if err := c.templates(); err != nil {
			return err
		}
	}
	if c.sum.Takes(CopySessions) {
		return c.sessions()
	}
	return nil
}

// venues copies the venues, and their rooms and slots when chosen. The copies keep their
// slugs (unique per edition), so the public addresses go on meaning the current edition;
// nobody is registered yet.
func (c editionCopy) venues() error {
	var vs []Venue
	if err := c.tx.Preload("Rooms").Preload("Slots").Where("event_id = ?", c.src.ID).Order("id").Find(&vs).Error; err != nil {
		return err
	}
	for _, v := range vs {
		nv := Venue{EventID: c.dst.ID, Slug: v.Slug, TicketKey: v.Slug, Name: v.Name, City: v.City, Address: v.Address,
			RouteHint: v.RouteHint, Accessibility: v.Accessibility, NameEn: v.NameEn, RouteHintEn: v.RouteHintEn,
			AccessibilityEn: v.AccessibilityEn, Capacity: v.Capacity, CreatedAt: c.now, UpdatedAt: c.now}
		if err := c.tx.Omit("Rooms", "Slots").Create(&nv).Error; err != nil {
			return err
		}
		if c.sum.Takes(CopyRooms) {
			for _, r := range v.Rooms {
				nr := Room{VenueID: nv.ID, Name: r.Name, Capacity: r.Capacity, Accessibility: r.Accessibility, CreatedAt: c.now, UpdatedAt: c.now}
				if err := c.tx.Create(&nr).Error; err != nil {
					return err
				}
			}
		}
		if c.sum.Takes(CopySlots) {
			for _, sl := range v.Slots {
				start, _ := c.dst.At(sl.StartsAt.In(c.src.Location()).Format("15:04"))
				end, _ := c.dst.At(sl.EndsAt.In(c.src.Location()).Format("15:04"))
				ns := Slot{VenueID: nv.ID, StartsAt: start.UTC(), EndsAt: end.UTC(), CreatedAt: c.now, UpdatedAt: c.now}
				if err := c.tx.Create(&ns).Error; err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (c editionCopy) tracks() error {
	var ts []Track
	if err := c.tx.Where("event_id = ?", c.src.ID).Order("id").Find(&ts).Error; err != nil {
		return err
	}
	for _, t := range ts {
		if err := c.tx.Create(&Track{EventID: c.dst.ID, Name: t.Name, CreatedAt: c.now, UpdatedAt: c.now}).Error; err != nil {
			return err
		}
	}
	return nil
}

func (c editionCopy) templates() error {
	var ts []DecisionTemplate
	if err := c.tx.Where("event_id = ?", c.src.ID).Order("id").Find(&ts).Error; err != nil {
		return err
	}
	for _, t := range ts {
		nt := DecisionTemplate{EventID: c.dst.ID, Decision: t.Decision, Lang: t.Lang, Subject: t.Subject, Body: t.Body,
			CreatedAt: c.now, UpdatedAt: c.now}
		if err := c.tx.Create(&nt).Error; err != nil {
			return err
		}
	}
	return nil
}

// sessions copies every session as a submitted proposal, so the call's review can ask "the
// same workshop again?". It names the speakers as the programme did, and carries no e-mail
// address or other personal data: the organisers ask the speakers themselves.
func (c editionCopy) sessions() error {
	var ss []Session
	if err := c.tx.Preload("Speakers").Preload("Room").Where("event_id = ?", c.src.ID).Order("id").Find(&ss).Error; err != nil {
		return err
	}
	for _, se := range ss {
		names := make([]string, 0, len(se.Speakers))
		for _, sp := range se.Speakers {
			names = append(names, sp.Name)
		}
		participants := se.CapacityLimit
		if participants == 0 && se.Room != nil {
			participants = se.Room.Capacity
		}
		p := Proposal{EventID: c.dst.ID, Status: ProposalSubmitted, Title: se.Title, Summary: truncateRunes(se.Abstract, 500),
			Description: se.Abstract, Format: se.Format, SlotCount: max(se.SlotCount, 1), MaxParticipants: participants,
			Needs: []string{}, SpeakerName: truncateRunes(strings.Join(names, ", "), 200), Lang: "nl", Track: se.Track,
			ConsentAt: c.now, CreatedAt: c.now, UpdatedAt: c.now}
		if err := c.tx.Omit("Venues", "Availability", "CoSpeakers").Create(&p).Error; err != nil {
			return err
		}
	}
	return nil
}

// truncateRunes keeps at most n characters of s.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// migrateEditions lets Dagplanner hold several editions: an event is published or not (the
// events there are went public when they were made), and a venue's slug is unique within its
// edition, so a new edition's venues keep the addresses of the last one's, as its key is
// (tickets name their event too).
func migrateEditions(tx *gorm.DB) error {
	type Event struct {
		ID          uint
		PublishedAt *time.Time
	}
	if err := tx.Migrator().AddColumn(&Event{}, "PublishedAt"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE events SET published_at = created_at").Error; err != nil {
		return err
	}
	for _, stmt := range []string{"DROP INDEX IF EXISTS idx_venues_slug", "DROP INDEX IF EXISTS idx_venues_ticket_key",
		"CREATE UNIQUE INDEX idx_venues_event_slug ON venues (event_id, slug)",
		"CREATE UNIQUE INDEX idx_venues_event_ticket_key ON venues (event_id, ticket_key)"} {
		if err := tx.Exec(stmt).Error; err != nil {
			return err
		}
	}
	return nil
}

package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DefaultTimezone is where Dagplanner's events take place unless told otherwise.
const DefaultTimezone = "Europe/Amsterdam"

// Event is one conference day, held at one or more venues at once.
type Event struct {
	// TravelMinutes is the time a speaker needs between venues in different cities; the
	// planner and the board keep it free between their sessions.
	TravelMinutes int `gorm:"not null;default:90"`
	// TimetableRevision goes up with every change to where sessions are, so a plan worked
	// out on an older timetable is refused rather than applied over the change.
	TimetableRevision int `gorm:"not null;default:0"`
	ID                uint
	Name              string `gorm:"size:200;not null"`
	Theme             string `gorm:"size:200;not null;default:''"`
	Description       string `gorm:"size:4000;not null;default:''"`
	// ThemeEn and DescriptionEn are the English versions, empty when there is none (see
	// content_lang.go).
	ThemeEn       string `gorm:"size:200;not null;default:''"`
	DescriptionEn string `gorm:"size:4000;not null;default:''"`
	// Date is the civil date of the day, "YYYY-MM-DD", in Timezone.
	Date     string `gorm:"size:10;not null"`
	Timezone string `gorm:"size:64;not null"`
	// Registration opens and closes at these instants; nil means "no limit on that side".
	RegistrationOpensAt  *time.Time
	RegistrationClosesAt *time.Time
	// WaitlistAfterClose lets people join waiting lists once registration has closed.
	WaitlistAfterClose bool   `gorm:"not null;default:false"`
	PrivacyVersion     string `gorm:"size:40;not null;default:'1'"`
	// StillComingDays, when above zero, sends every attendee a "still coming?" e-mail that
	// many days before the event.
	StillComingDays   int `gorm:"not null;default:0"`
	StillComingSentAt *time.Time
	// ReconfirmDeadline, when set, releases the seats of attendees who have not confirmed
	// by then that they are still coming.
	ReconfirmDeadline   *time.Time
	ReconfirmReleasedAt *time.Time
	// SeatReleaseMinutes, when above zero, gives the seats of booked people who have not come
	// to the people waiting at a room's door that many minutes after a session starts (see
	// room_release.go).
	SeatReleaseMinutes int `gorm:"not null;default:0"`
	// The call for proposals is open from ProposalsOpenAt until ProposalsCloseAt (the
	// deadline; nil means no deadline). Without an opening time the call is closed.
	ProposalsOpenAt  *time.Time
	ProposalsCloseAt *time.Time
	// Open voting on proposals (see vote.go): switched on by the organisers, open from
	// VotingOpensAt until VotingClosesAt, at most VotesPerVoter votes per voter, and only
	// for addresses in VotingDomains (newline-separated; empty means anyone).
	VotingEnabled      bool `gorm:"not null;default:false"`
	VotingOpensAt      *time.Time
	VotingClosesAt     *time.Time
	VotesPerVoter      int    `gorm:"not null;default:5"`
	VotingDomains      string `gorm:"size:2000;not null;default:''"`
	VotingCountsPublic bool   `gorm:"not null;default:false"`
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Venues             []Venue `gorm:"constraint:OnDelete:CASCADE"`
	// ContactEmail is where attendees and speakers reach the organisers: the site's footer,
	// the privacy statement and every e-mail show it. Empty until the organisers set it.
	ContactEmail string `gorm:"size:254;not null;default:''"`
	// Privacy, retention and adoption settings (issue #17, see event_privacy.go).
	Organisation          string `gorm:"size:200;not null;default:''"`
	PrivacyOfficerEmail   string `gorm:"size:254;not null;default:''"`
	NeedsRetentionDays    int    `gorm:"not null;default:7"`
	PersonalRetentionDays int    `gorm:"not null;default:90"`
	ProposalRetentionDays int    `gorm:"not null;default:30"`
	RegistrationDomains   string `gorm:"size:2000;not null;default:''"`
	AccessibilityStatus   string `gorm:"size:1;not null;default:''"`
	AccessibilityDate     string `gorm:"size:10;not null;default:''"`
	AccessibilityContact  string `gorm:"size:254;not null;default:''"`
	// Signing up by preference instead of first come, first served (issue #19, see
	// preferences.go): the mode, the window in which attendees rank sessions, when the
	// seats are allocated, the value the tie-breaking seed is derived from (published before
	// the window closes) and how many sessions a person may rank per slot.
	SignupMode         string `gorm:"size:12;not null;default:'fcfs'"`
	PreferencesOpenAt  *time.Time
	PreferencesCloseAt *time.Time
	AllocationAt       *time.Time
	AllocationSeed     string `gorm:"size:200;not null;default:''"`
	PreferenceRanks    int    `gorm:"not null;default:3"`
	// PublishedAt is when the edition went public (see edition.go); nil while a new edition
	// is being prepared. The public site shows the latest published edition.
	PublishedAt *time.Time
}

// Location is the event's time zone; an unknown name falls back to UTC.
func (e Event) Location() *time.Location {
	loc, err := time.LoadLocation(e.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Day is midnight at the start of the event day in its own time zone.
func (e Event) Day() time.Time {
	d, err := time.ParseInLocation(time.DateOnly, e.Date, e.Location())
	if err != nil {
		return time.Time{}
	}
	return d
}

// At turns a clock time on the event day ("10:30") into an instant.
func (e Event) At(clock string) (time.Time, bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(clock))
	if err != nil {
		return time.Time{}, false
	}
	d := e.Day()
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, e.Location()), true
}

// EventInput is what an organiser may set on an event. Instants are typed as local date and
// time in the event's time zone ("2027-01-05T09:00", as an HTML datetime-local field sends).
type EventInput struct {
	Name        string
	Theme       string
	Description string
	Date        string
	Timezone    string
	// ThemeEn and DescriptionEn are the optional English versions.
	ThemeEn       string
	DescriptionEn string

	RegistrationOpensAt  string
	RegistrationClosesAt string
	WaitlistAfterClose   bool
	PrivacyVersion       string
	StillComingDays      int
	ReconfirmDeadline    string
	SeatReleaseMinutes   int

	ProposalsOpenAt  string
	ProposalsCloseAt string

	// TravelMinutes is the time a speaker needs between venues in different cities; 0 keeps
	// the event's current value (90 minutes for a new event).
	TravelMinutes int

	// Open voting. VotesPerVoter 0 means the default; VotingDomains is free text, the
	// domains separated by commas or newlines.
	VotingEnabled      bool
	VotingOpensAt      string
	VotingClosesAt     string
	VotesPerVoter      int
	VotingDomains      string
	VotingCountsPublic bool

	// ContactEmail is the organisers' address for questions; empty shows none.
	ContactEmail string

	// Privacy, retention and adoption (see event_privacy.go). A retention of 0 days means the
	// default; RegistrationDomains is free text like VotingDomains.
	Organisation          string
	PrivacyOfficerEmail   string
	NeedsRetentionDays    int
	PersonalRetentionDays int
	ProposalRetentionDays int
	RegistrationDomains   string
	AccessibilityStatus   string
	AccessibilityDate     string
	AccessibilityContact  string

	// Signing up by preference (issue #19, see event_preferences.go). SignupMode "" is
	// first come, first served; PreferenceRanks 0 means the default.
	SignupMode         string
	PreferencesOpenAt  string
	PreferencesCloseAt string
	AllocationAt       string
	AllocationSeed     string
	PreferenceRanks    int
}

// localLayout is how datetime-local fields write an instant.
const localLayout = "2006-01-02T15:04"

// parseLocal reads an optional local date-time in loc; "" is nil.
func parseLocal(value string, loc *time.Location) (*time.Time, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, true
	}
	t, err := time.ParseInLocation(localLayout, value, loc)
	if err != nil {
		return nil, false
	}
	t = t.UTC()
	return &t, true
}

// FormatLocal writes an optional instant the way a datetime-local field expects it.
func FormatLocal(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(localLayout)
}

// Validate reports what is wrong with the input.
func (in EventInput) Validate() Problems {
	p := Problems{}
	p.checkLine("name", in.Name, true, 200)
	p.checkName("name", in.Name)
	p.checkLine("theme", in.Theme, false, 200)
	p.checkText("description", in.Description, false, 4000)
	p.checkLine("theme_en", in.ThemeEn, false, 200)
	p.checkText("description_en", in.DescriptionEn, false, 4000)
	if strings.TrimSpace(in.Date) == "" {
		p.Add("date", "form.required")
	} else if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		p.Add("date", "form.invalid_date")
	}
	loc := time.UTC
	if in.Timezone != "" {
		l, err := time.LoadLocation(in.Timezone)
		if err != nil || len(in.Timezone) > 64 {
			p.Add("timezone", "form.invalid_timezone")
		} else {
			loc = l
		}
	} else {
		loc, _ = time.LoadLocation(DefaultTimezone)
	}
	opens, okOpens := parseLocal(in.RegistrationOpensAt, loc)
	closes, okCloses := parseLocal(in.RegistrationClosesAt, loc)
	if !okOpens {
		p.Add("registration_opens_at", "form.invalid_datetime")
	}
	if !okCloses {
		p.Add("registration_closes_at", "form.invalid_datetime")
	}
	if opens != nil && closes != nil && !closes.After(*opens) {
		p.Add("registration_closes_at", "form.closes_before_opens")
	}
	callOpens, okCallOpens := parseLocal(in.ProposalsOpenAt, loc)
	callCloses, okCallCloses := parseLocal(in.ProposalsCloseAt, loc)
	if !okCallOpens {
		p.Add("proposals_open_at", "form.invalid_datetime")
	}
	if !okCallCloses {
		p.Add("proposals_close_at", "form.invalid_datetime")
	}
	if callOpens != nil && callCloses != nil && !callCloses.After(*callOpens) {
		p.Add("proposals_close_at", "form.closes_before_opens")
	}
	if _, ok := parseLocal(in.ReconfirmDeadline, loc); !ok {
		p.Add("reconfirm_deadline", "form.invalid_datetime")
	}
	in.validateVoting(p, loc)
	in.validatePrivacy(p)
	in.validatePreferences(p, loc)
	p.checkLine("privacy_version", in.PrivacyVersion, false, 40)
	p.checkEmail("contact_email", in.ContactEmail, false)
	if in.StillComingDays < 0 || in.StillComingDays > 60 {
		p.Add("still_coming_days", "form.between", "Min", 0, "Max", 60)
	}
	if in.SeatReleaseMinutes < 0 || in.SeatReleaseMinutes > 240 {
		p.Add("seat_release_minutes", "form.between", "Min", 0, "Max", 240)
	}
	if in.TravelMinutes < 0 || in.TravelMinutes > 600 {
		p.Add("travel_minutes", "form.between", "Min", 1, "Max", 600)
	}
	return p
}

// CurrentEvent returns the edition the public site shows: the latest published one by date
// (then the one created last), or, when none is published, the latest.
// It returns ErrNotFound when there is no event yet.
func (s *Store) CurrentEvent(ctx context.Context) (Event, error) {
	var e Event
	err := s.db.WithContext(ctx).Order(currentOrder).First(&e).Error
	if err != nil {
		return Event{}, notFound(err, "current event", "")
	}
	return e, nil
}

// Event returns the event with id; an unknown id is ErrNotFound.
func (s *Store) Event(ctx context.Context, id uint) (Event, error) {
	var e Event
	if err := s.db.WithContext(ctx).First(&e, id).Error; err != nil {
		return Event{}, notFound(err, "event", id)
	}
	return e, nil
}

// CreateEvent stores a new event, published: the first edition, or one started from scratch.
// A new edition from the last one is CopyEvent's, and starts unpublished.
func (s *Store) CreateEvent(ctx context.Context, in EventInput) (Event, error) {
	if err := invalid(in.Validate()); err != nil {
		return Event{}, err
	}
	e := Event{}
	in.apply(&e)
	err := s.write(ctx, func(tx *gorm.DB) error {
		e.ID = 0 // a batch may run this again
		now := s.now().UTC()
		e.PublishedAt = &now
		if err := tx.Create(&e).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionEventCreated, SubjectKind: SubjectEvent, SubjectID: e.ID,
			Details: created(e)})
	})
	if err != nil {
		return Event{}, fmt.Errorf("create event: %w", err)
	}
	return e, nil
}

// UpdateEvent changes an event's details. Slots keep their clock times when the date moves,
// and not into a year another edition has (a problem on "date").
// It returns ErrNotFound when there is no such event.
func (s *Store) UpdateEvent(ctx context.Context, id uint, in EventInput) (Event, error) {
	if err := invalid(in.Validate()); err != nil {
		return Event{}, err
	}
	var e Event
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&e, id).Error; err != nil {
			return notFound(err, "event", id)
		}
		old := e
		in.apply(&e)
		if err := yearFree(tx, e.ID, e.Date); err != nil {
			return err
		}
		columns := append([]string{"name", "theme", "description", "theme_en", "description_en", "date", "timezone", "registration_opens_at",
			"registration_closes_at", "waitlist_after_close", "privacy_version", "still_coming_days", "reconfirm_deadline",
			"seat_release_minutes", "proposals_open_at", "proposals_close_at", "travel_minutes"}, votingColumns...)
		columns = append(columns, "contact_email")
		columns = append(columns, privacyColumns...)
		columns = append(columns, preferenceColumns...)
		if err := invalid(preferenceLockProblems(old, e, s.now())); err != nil {
			return err
		}
		if err := tx.Model(&e).Select(columns).Updates(&e).Error; err != nil {
			return err
		}
		if err := s.audit(ctx, tx, AuditRecord{Action: ActionEventUpdated, SubjectKind: SubjectEvent, SubjectID: e.ID,
			Details: changes(old, e)}); err != nil {
			return err
		}
		return moveSlots(tx, old, e)
	})
	if err != nil {
		return Event{}, fmt.Errorf("update event %d: %w", id, err)
	}
	return e, nil
}

func (in EventInput) apply(e *Event) {
	e.Name = strings.TrimSpace(in.Name)
	e.Theme = strings.TrimSpace(in.Theme)
	e.Description = strings.TrimSpace(in.Description)
	e.ThemeEn = strings.TrimSpace(in.ThemeEn)
	e.DescriptionEn = strings.TrimSpace(in.DescriptionEn)
	e.Date = in.Date
	e.Timezone = in.Timezone
	if e.Timezone == "" {
		e.Timezone = DefaultTimezone
	}
	loc := e.Location()
	e.RegistrationOpensAt, _ = parseLocal(in.RegistrationOpensAt, loc)
	e.RegistrationClosesAt, _ = parseLocal(in.RegistrationClosesAt, loc)
	e.ReconfirmDeadline, _ = parseLocal(in.ReconfirmDeadline, loc)
	e.ProposalsOpenAt, _ = parseLocal(in.ProposalsOpenAt, loc)
	e.ProposalsCloseAt, _ = parseLocal(in.ProposalsCloseAt, loc)
	in.applyVoting(e, loc)
	in.applyPrivacy(e)
	in.applyPreferences(e, loc)
	e.WaitlistAfterClose = in.WaitlistAfterClose
	e.PrivacyVersion = strings.TrimSpace(in.PrivacyVersion)
	if e.PrivacyVersion == "" {
		e.PrivacyVersion = "1"
	}
	e.StillComingDays = in.StillComingDays
	e.SeatReleaseMinutes = in.SeatReleaseMinutes
	e.ContactEmail = strings.TrimSpace(in.ContactEmail)
	if in.TravelMinutes > 0 {
		e.TravelMinutes = in.TravelMinutes
	} else if e.TravelMinutes == 0 {
		e.TravelMinutes = DefaultTravelMinutes
	}
}

// moveSlots keeps every slot at the same wall-clock time when an event changes date or zone.
func moveSlots(tx *gorm.DB, old, updated Event) error {
	if old.Date == updated.Date && old.Timezone == updated.Timezone {
		return nil
	}
	var slots []Slot
	if err := tx.Joins("JOIN venues ON venues.id = slots.venue_id").
		Where("venues.event_id = ?", updated.ID).Find(&slots).Error; err != nil {
		return err
	}
	for _, sl := range slots {
		start, _ := updated.At(sl.StartsAt.In(old.Location()).Format("15:04"))
		end, _ := updated.At(sl.EndsAt.In(old.Location()).Format("15:04"))
		if err := tx.Model(&sl).Updates(map[string]any{"starts_at": start.UTC(), "ends_at": end.UTC()}).Error; err != nil {
			return err
		}
	}
	return nil
}

// isUniqueViolation reports whether err is a unique-constraint clash on either database.
func isUniqueViolation(err error) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey)
}

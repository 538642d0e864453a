package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// Options tune the demo event.
type Options struct {
	// Scale multiplies every venue's, room's and session's capacity, so a load test can
	// register thousands of people without meeting "full". Zero or one keeps the real sizes.
	Scale int
	// Now decides the event date: the first Wednesday of February at least a month ahead.
	Now time.Time
	// NoRegistrations leaves out the few hundred demo attendees (a load test starts empty).
	NoRegistrations bool
}

// ContactEmail is the demo organisers' contact address, shown in the footer and every e-mail.
const ContactEmail = "organisatie@ambtenaar20.example"

// Organisation is the demo's controller, named in its privacy and accessibility statements.
const Organisation = "Netwerk Ambtenaar 2.0"

// LoadIfEmpty loads the demo event when the database holds no event yet, and reports whether
// it did. An existing event is never touched.
func LoadIfEmpty(ctx context.Context, s *models.Store, opts Options) (bool, error) {
	_, err := s.CurrentEvent(ctx)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, models.ErrNotFound) {
		return false, err
	}
	return true, Load(ctx, s, opts)
}

// MaxScale is the largest Options.Scale whose capacities the store accepts: the demo's
// largest venue, room or session times the scale stays within models.MaxCapacity.
func MaxScale() int {
	largest := VenueOnlySession.Capacity
	for _, v := range Venues {
		largest = max(largest, v.Capacity)
		for _, r := range v.Rooms {
			largest = max(largest, r.Capacity)
		}
	}
	for _, s := range Sessions {
		largest = max(largest, s.Capacity)
	}
	return models.MaxCapacity / largest
}

// Load adds the demo event, its venues, rooms, slots and sessions. It goes through the same
// validating store methods as an organiser does, so the demo can never hold what a form refuses.
func Load(ctx context.Context, s *models.Store, opts Options) error {
	scale := max(opts.Scale, 1)
	if scale > MaxScale() {
		return fmt.Errorf("demo scale %d: at most %d fits the capacity limit", scale, MaxScale())
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	day := EventDate(opts.Now)
	callOpens, callCloses := callWindow(opts)
	event, err := s.CreateEvent(ctx, models.EventInput{
		Name: EventName, Theme: EventTheme, Description: EventDescription,
		ThemeEn: EventThemeEn, DescriptionEn: EventDescriptionEn,
		Date: day.Format(time.DateOnly), Timezone: models.DefaultTimezone,
		// Registration is open now and closes at five the afternoon before; a week before the
		// day everyone is asked whether they are still coming.
		RegistrationClosesAt: day.AddDate(0, 0, -1).Format("2006-01-02") + "T17:00",
		WaitlistAfterClose:   true, PrivacyVersion: "2026-11", StillComingDays: 7,
		ProposalsOpenAt: callOpens, ProposalsCloseAt: callCloses,
		// Colleagues vote on the proposals while the call is open; the counts are public
		// once it closes.
		VotingEnabled: true, VotingOpensAt: callOpens, VotingClosesAt: callCloses, VotesPerVoter: 5,
		VotingCountsPublic: true,
		ContactEmail:       ContactEmail,
		// The controller and the accessibility statement's details (issue #17); retention
		// keeps the defaults.
		Organisation: Organisation, AccessibilityStatus: "B",
		AccessibilityDate: opts.Now.In(day.Location()).Format(time.DateOnly), AccessibilityContact: ContactEmail,
	})
	if err != nil {
		return fmt.Errorf("demo event: %w", err)
	}
	type place struct {
		venue models.Venue
		rooms map[string]models.Room
		slots []models.Slot
	}
	places := map[string]*place{}
	for _, vs := range Venues {
		v, err := s.CreateVenue(ctx, event.ID, models.VenueInput{
			Slug: vs.Slug, Name: vs.Name, City: vs.City, Address: vs.Address,
			RouteHint: vs.RouteHint, Accessibility: vs.Accessibility, Capacity: vs.Capacity * scale,
			NameEn: VenuesEn[vs.Slug].Name, RouteHintEn: VenuesEn[vs.Slug].RouteHint, AccessibilityEn: VenuesEn[vs.Slug].Accessibility,
		})
		if err != nil {
			return fmt.Errorf("demo venue %s: %w", vs.Slug, err)
		}
		p := &place{venue: v, rooms: map[string]models.Room{}}
		for _, rs := range vs.Rooms {
			r, err := s.CreateRoom(ctx, v.ID, models.RoomInput{Name: rs.Name, Capacity: rs.Capacity * scale, Accessibility: rs.Accessibility})
			if err != nil {
				return fmt.Errorf("demo room %s/%s: %w", vs.Slug, rs.Name, err)
			}
			p.rooms[rs.Name] = r
		}
		for _, ss := range vs.Slots {
			sl, err := s.CreateSlot(ctx, v.ID, models.SlotInput{Start: ss.Start, End: ss.End})
			if err != nil {
				return fmt.Errorf("demo slot %s %s: %w", vs.Slug, ss.Start, err)
			}
			p.slots = append(p.slots, sl)
		}
		places[vs.Slug] = p
	}
	for _, ss := range Sessions {
		p := places[ss.Venue]
		in := models.SessionInput{
			Title: ss.Title, Format: ss.Format, Abstract: ss.Abstract, Track: ss.Track,
			TitleEn: SessionsEn[ss.Title].Title, AbstractEn: SessionsEn[ss.Title].Abstract, VenueID: p.venue.ID, RoomID: p.rooms[ss.Room].ID, FirstSlotID: p.slots[ss.Slot].ID,
			SlotCount: ss.Slots, CapacityLimit: ss.Capacity * scale,
		}
		for _, sp := range ss.Speakers {
			in.Speakers = append(in.Speakers, models.SpeakerInput{Name: sp.Name, Organisation: sp.Organisation})
		}
		if _, err := s.CreateSession(ctx, event.ID, in); err != nil {
			return fmt.Errorf("demo session %q: %w", ss.Title, err)
		}
	}
	vo := VenueOnlySession
	in := models.SessionInput{Title: vo.Title, Format: vo.Format, Abstract: vo.Abstract, Track: vo.Track,
		VenueID: places[vo.Venue].venue.ID, SlotCount: vo.Slots, CapacityLimit: vo.Capacity * scale}
	for _, sp := range vo.Speakers {
		in.Speakers = append(in.Speakers, models.SpeakerInput{Name: sp.Name, Organisation: sp.Organisation})
	}
	if _, err := s.CreateSession(ctx, event.ID, in); err != nil {
		return fmt.Errorf("demo session %q: %w", vo.Title, err)
	}
	// The demo's timetable is published, so every schedule export works from the start;
	// registrations come after it, as they would.
	if _, err := s.PublishSchedule(ctx, event.ID, nil); err != nil {
		return fmt.Errorf("demo schedule: %w", err)
	}
	if err := loadProposals(ctx, s, event); err != nil {
		return err
	}
	if opts.NoRegistrations {
		return nil
	}
	return loadRegistrations(ctx, s, event, 2013)
}

// EventDate is the first Wednesday of February that lies at least 30 days after now: the
// Dag van de Ambtenaar 2.0 has traditionally been held early in February on a Wednesday.
func EventDate(now time.Time) time.Time {
	earliest := now.AddDate(0, 0, 30)
	for year := earliest.Year(); ; year++ {
		d := time.Date(year, time.February, 1, 0, 0, 0, 0, time.UTC)
		for d.Weekday() != time.Wednesday {
			d = d.AddDate(0, 0, 1)
		}
		if !d.Before(earliest) {
			return d
		}
	}
}

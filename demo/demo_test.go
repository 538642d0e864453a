package demo_test

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestEventDate(t *testing.T) {
	cases := []struct{ now, want string }{
		{"2026-11-22", "2027-02-03"},
		{"2027-01-10", "2028-02-02"}, // 30 days later is 9 February: too late for the 3rd
		{"2027-01-02", "2027-02-03"},
		{"2027-01-05", "2028-02-02"},
	}
	for _, tc := range cases {
		now, _ := time.Parse(time.DateOnly, tc.now)
		if got := demo.EventDate(now).Format(time.DateOnly); got != tc.want {
			t.Errorf("EventDate(%s) = %s, want %s", tc.now, got, tc.want)
		}
	}
}

func TestLoadIfEmpty(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		now, _ := time.Parse(time.DateOnly, "2026-11-22")
		loaded, err := demo.LoadIfEmpty(ctx, s, demo.Options{Now: now, Scale: 3})
		if err != nil || !loaded {
			t.Fatalf("LoadIfEmpty = %v, %v; want true, nil", loaded, err)
		}
		e, err := s.CurrentEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if e.Date != "2027-02-03" || e.Theme != "Wij, de overheid" {
			t.Errorf("event = %s %q, want 2027-02-03 \"Wij, de overheid\"", e.Date, e.Theme)
		}
		venues, err := s.Venues(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(venues) != 2 || venues[0].Capacity != 3*demo.Venues[0].Capacity {
			t.Fatalf("venues = %d, first capacity %d; want 2 with %d", len(venues), venues[0].Capacity, 3*demo.Venues[0].Capacity)
		}
		sessions, err := s.SessionsOfEvent(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The programme, one session kept at its venue without a room, and the sessions of the
		// proposals whose speakers confirmed: those wait for a place, and nobody booked them.
		if want := len(demo.Sessions) + 1 + len(demo.SpeakersConfirmed); len(sessions) != want {
			t.Errorf("sessions = %d, want %d", len(sessions), want)
		}
		booked, err := s.BookedSessions(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		twoSlot, placed, venueOnly, fromProposals := 0, 0, 0, 0
		for _, se := range sessions {
			switch {
			case se.Placed():
				placed++
			case se.Title == demo.VenueOnlySession.Title:
				if se.VenueID == nil || se.Venue.Slug != demo.VenueOnlySession.Venue || se.RoomID != nil {
					t.Errorf("session %q: venue %v, room %v; want at %s without a room", se.Title, se.VenueID, se.RoomID, demo.VenueOnlySession.Venue)
				}
				venueOnly++
			case se.ProposalID != nil:
				fromProposals++
			default:
				t.Errorf("session %q is not placed", se.Title)
			}
			if !se.Placed() && booked[se.ID] > 0 {
				t.Errorf("unplaced session %q has %d bookings, want none", se.Title, booked[se.ID])
			}
			if len(se.Slots) == 2 {
				twoSlot++
			}
		}
		if placed != len(demo.Sessions) || venueOnly != 1 || fromProposals != len(demo.SpeakersConfirmed) {
			t.Errorf("got %d placed, %d at a venue without a room, %d from proposals; want %d, 1, %d",
				placed, venueOnly, fromProposals, len(demo.Sessions), len(demo.SpeakersConfirmed))
		}
		if twoSlot == 0 {
			t.Error("no session spans two slots")
		}
		// The timetable is published as version 1, with every session in it.
		v, err := s.LatestScheduleVersion(ctx, e.ID)
		if err != nil || v.Number != 1 || len(v.Sessions) != len(demo.Sessions) {
			t.Errorf("published version got v%d with %d sessions (%v), want v1 with %d", v.Number, len(v.Sessions), err, len(demo.Sessions))
		}
		// A few hundred attendees: some sessions nearly full, at least one with a waiting list,
		// and none of their e-mails waiting to be sent. (Capacities were scaled by 3 above, so
		// this checks the unscaled demo in its own store below.)
		// A second start finds the event and loads nothing.
		loaded, err = demo.LoadIfEmpty(ctx, s, demo.Options{Now: now})
		if err != nil || loaded {
			t.Errorf("second LoadIfEmpty = %v, %v; want false, nil", loaded, err)
		}
		if got, _ := s.SessionsOfEvent(ctx, e.ID); len(got) != len(sessions) {
			t.Errorf("sessions after second load = %d, want %d", len(got), len(sessions))
		}
	})
}

func TestDemoRegistrations(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		now, _ := time.Parse(time.DateOnly, "2026-11-22")
		if err := demo.Load(ctx, s, demo.Options{Now: now}); err != nil {
			t.Fatal(err)
		}
		registrations := modelstest.Count(t, s, &models.Registration{}, modelstest.All)
		if registrations < 200 || registrations > 500 {
			t.Errorf("demo registrations = %d, want a few hundred", registrations)
		}
		e, _ := s.CurrentEvent(ctx)
		venues, _ := s.Venues(ctx, e.ID)
		waitlists, nearlyFull := 0, 0
		for _, v := range venues {
			if v.Registered > v.Capacity {
				t.Errorf("venue %s has %d registered for %d seats", v.Slug, v.Registered, v.Capacity)
			}
			sessions, _ := s.SessionsOfVenue(ctx, v.ID)
			for _, se := range sessions {
				if se.Confirmed > se.Capacity() {
					t.Errorf("session %q has %d seats taken of %d", se.Title, se.Confirmed, se.Capacity())
				}
				if se.Waiting > 0 {
					waitlists++
				}
				if se.Capacity() > 0 && se.Confirmed*10 >= se.Capacity()*9 {
					nearlyFull++
				}
			}
		}
		if waitlists == 0 {
			t.Error("no session has a waiting list, want at least one")
		}
		if nearlyFull < 3 {
			t.Errorf("sessions at least 90%% full = %d, want several", nearlyFull)
		}
		stats, err := s.Outbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Pending != 0 {
			t.Errorf("demo left %d e-mails to send, want 0", stats.Pending)
		}
		t.Logf("demo: %d registrations, %d sessions with a waiting list, %d at least 90%% full", registrations, waitlists, nearlyFull)
	})
}

func TestDemoCallForProposals(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		if err := demo.Load(ctx, s, demo.Options{Now: now, NoRegistrations: true}); err != nil {
			t.Fatal(err)
		}
		e, err := s.CurrentEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !e.CallOpen(now) || e.ProposalsCloseAt == nil || !e.ProposalsCloseAt.Before(e.Day()) {
			t.Errorf("call for proposals %v – %v: want open now and closing before the day", e.ProposalsOpenAt, e.ProposalsCloseAt)
		}
		proposals, err := s.ProposalsOfEvent(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(proposals) != len(demo.Proposals) || len(proposals) < 12 {
			t.Fatalf("proposals: got %d, want the %d demo proposals (a dozen)", len(proposals), len(demo.Proposals))
		}
		status := map[string]int{}
		withCo, withAvailability, either := 0, 0, 0
		for i, p := range proposals {
			status[p.Status]++
			if len(p.CoSpeakers) > 0 {
				withCo++
			}
			if len(p.Availability) > 0 {
				withAvailability++
			}
			if len(p.Venues) == 0 {
				either++
			}
			if p.Title != demo.Proposals[i].Title || len(p.CoSpeakers) != len(demo.Proposals[i].CoSpeakers) {
				t.Errorf("proposal %d: got %q with %d co-speakers, want %q with %d", i, p.Title, len(p.CoSpeakers),
					demo.Proposals[i].Title, len(demo.Proposals[i].CoSpeakers))
			}
		}
		decided, nDecided := map[string]int{}, 0
		for _, d := range demo.Decisions {
			if d.Status != "" {
				decided[d.Status]++
				nDecided++
			}
		}
		if status[models.ProposalWithdrawn] != 2 || status[models.ProposalConfirmed] != len(demo.SpeakersConfirmed) ||
			status[models.ProposalAccepted] != decided[models.ProposalAccepted]-len(demo.SpeakersConfirmed) ||
			status[models.ProposalReserve] != 1 || status[models.ProposalRejected] != 1 ||
			status[models.ProposalSubmitted] != len(proposals)-2-nDecided {
			t.Errorf("statuses got %v, want 2 withdrawn, the decisions %v, and the rest submitted", status, decided)
		}
		// Colleagues have voted: every voter's set is within the limit, and the counts show
		// favourites.
		interests, err := s.VoterInterests(ctx, e.ID)
		if err != nil || len(interests) != demo.Voters {
			t.Fatalf("voters got %d (%v), want %d", len(interests), err, demo.Voters)
		}
		for _, set := range interests {
			if len(set) == 0 || len(set) > 5 {
				t.Errorf("a voter chose %d proposals, want 1 to 5", len(set))
			}
		}
		counts, err := s.VoteCounts(ctx, e.ID)
		if err != nil || len(counts) < 3 {
			t.Errorf("vote counts got %v (%v), want votes on at least 3 proposals", counts, err)
		}
		if !e.VotingEnabled {
			t.Error("voting is off in the demo")
		}
		if withCo < 2 || withAvailability != len(proposals) || either == 0 {
			t.Errorf("got %d with co-speakers, %d with availability, %d for either venue; want ≥2, all, ≥1", withCo, withAvailability, either)
		}
		st, err := s.Outbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending != 0 {
			t.Errorf("outbox: %d demo e-mails pending, want none (they are discarded)", st.Pending)
		}
	})
}

// TestLoadAtScale loads the demo at the largest scale it offers (the load test's 50,000-person
// rush uses 100): every venue, room and session capacity must pass the store's validation.
func TestLoadAtScale(t *testing.T) {
	t.Parallel()
	if demo.MaxScale() < 100 {
		t.Fatalf("MaxScale() = %d, want at least 100 (the 50,000-person rush)", demo.MaxScale())
	}
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		scale := demo.MaxScale()
		if err := demo.Load(ctx, s, demo.Options{Scale: scale, NoRegistrations: true}); err != nil {
			t.Fatalf("Load at scale %d: %v", scale, err)
		}
		e, err := s.CurrentEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		venues, err := s.Venues(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if venues[0].Capacity != scale*demo.Venues[0].Capacity {
			t.Errorf("first venue's capacity %d, want %d", venues[0].Capacity, scale*demo.Venues[0].Capacity)
		}
		if err := demo.Load(ctx, s, demo.Options{Scale: scale + 1}); err == nil {
			t.Errorf("Load at scale %d: no error, want one (beyond the capacity limit)", scale+1)
		}
	})
}

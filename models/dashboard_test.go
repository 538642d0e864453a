package models_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestOrganisationType(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"Gemeente Zwolle":                        models.OrgGemeente,
		"gemeente 's-Hertogenbosch":              models.OrgGemeente,
		"Gemeente Den Haag, afdeling Werk":       models.OrgGemeente,
		"Vereniging van Nederlandse Gemeenten":   models.OrgOther,
		"Gemeentelijke Gezondheidsdienst":        models.OrgOther,
		"Provincie Overijssel":                   models.OrgProvincie,
		"PROVINCIE ZUID-HOLLAND":                 models.OrgProvincie,
		"Waterschap Drents Overijsselse Delta":   models.OrgWaterschap,
		"Hoogheemraadschap van Rijnland":         models.OrgWaterschap,
		"Wetterskip Fryslân":                     models.OrgWaterschap,
		"Unie van Waterschappen":                 models.OrgOther,
		"Ministerie van BZK":                     models.OrgRijk,
		"Pleio, Ministerie van BZK":              models.OrgRijk,
		"Rijkswaterstaat":                        models.OrgRijk,
		"Rijksdienst voor Ondernemend Nederland": models.OrgRijk,
		"UWV.":                                   models.OrgRijk,
		"Belastingdienst/Toeslagen":              models.OrgRijk,
		"Logius":                                 models.OrgRijk,
		"Indeed":                                 models.OrgOther,
		"Stichting Rijksmuseum-vrienden":         models.OrgRijk,
		"VNG":                                    models.OrgOther,
		"":                                       models.OrgOther,
		"Zoë's bureau":                           models.OrgOther,
	} {
		if got := models.OrganisationType(name); got != want {
			t.Errorf("OrganisationType(%q) = %q, want %q", name, got, want)
		}
	}
}

// dashboardPopulation registers, by hand, people whose figures are known: at Zwolle six
// active (two waiting for a full session, one checked in, one whose check-in was undone) and
// one cancelled; at Rotterdam two active (one checked in) and one cancelled after coming in.
type dashboardPopulation struct {
	f               fixture
	talk            models.Session
	regs            map[string]models.Registration
	day1, day2      time.Time
	arrive, arrive2 time.Time
}

func newDashboardPopulation(t *testing.T, s *models.Store) dashboardPopulation {
	t.Helper()
	p := dashboardPopulation{f: newFixture(t, s), regs: map[string]models.Registration{}}
	p.talk = session(t, s, p.f, "Volle sessie", p.f.big, p.f.s1, 1, 2)
	ams := p.f.event.Location()
	p.day1 = time.Date(2026, 12, 1, 9, 30, 0, 0, ams)
	p.day2 = time.Date(2026, 12, 3, 23, 30, 0, 0, ams) // late in the evening: still the 3rd in Amsterdam
	n := 0
	add := func(key, org, venue string, at time.Time, sessions, waitlist []uint) {
		n++
		s.SetClock(func() time.Time { return at })
		in := attendee(n, sessions...)
		in.Organisation, in.Venue, in.Waitlist = org, venue, waitlist
		p.regs[key] = must(s.Register(ctx, in)).Registration
	}
	talk := []uint{p.talk.ID}
	add("zwolle-gemeente", "Gemeente Zwolle", "zwolle", p.day1, talk, nil)
	add("zwolle-provincie", "Provincie Overijssel", "zwolle", p.day1, talk, nil)
	add("zwolle-bzk", "Ministerie van BZK", "zwolle", p.day1, nil, talk)
	add("zwolle-rws", "Rijkswaterstaat", "zwolle", p.day2, nil, talk)
	add("zwolle-cancelled", "Waterschap Vechtstromen", "zwolle", p.day2, nil, nil)
	add("zwolle-vng", "Vereniging van Nederlandse Gemeenten", "zwolle", p.day2, nil, nil)
	add("zwolle-undone", "Hoogheemraadschap van Rijnland", "zwolle", p.day2, nil, nil)
	add("rotterdam-gemeente", "gemeente Rotterdam", "rotterdam", p.day1, nil, nil)
	add("rotterdam-uwv", "UWV.", "rotterdam", p.day2, nil, nil)
	add("rotterdam-cancelled", "Stichting Open Overheid", "rotterdam", p.day2, nil, nil)

	p.arrive = time.Date(2027, 2, 3, 9, 4, 0, 0, ams)
	p.arrive2 = time.Date(2027, 2, 3, 9, 17, 0, 0, ams)
	checkIn := func(key, door string, at time.Time) models.CheckIn {
		r := p.regs[key]
		out := must(s.CheckIn(ctx, models.CheckInInput{VenueID: r.VenueID, RegistrationID: r.ID, Door: door, ScannedAt: &at}))
		if out.Result != models.CheckInAdmitted {
			t.Fatalf("check in %s: %s", key, out.Result)
		}
		return out.CheckIn
	}
	checkIn("zwolle-vng", "Hoofdingang", p.arrive)
	undone := checkIn("zwolle-undone", "Zij-ingang", p.arrive)
	must(s.UndoCheckIn(ctx, undone.ID, p.f.venue.ID, "test"))
	checkIn("rotterdam-gemeente", "Hoofdingang", p.arrive2)
	checkIn("rotterdam-cancelled", "Hoofdingang", p.arrive2)
	for _, key := range []string{"zwolle-cancelled", "rotterdam-cancelled"} {
		if err := s.Cancel(ctx, p.regs[key].ID); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func TestDashboardFigures(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		t.Parallel()
		p := newDashboardPopulation(t, s)
		// The outbox: everything so far sent, then two links for Zwolle (one failing), one
		// for Rotterdam, and a speaker's e-mail that belongs to no venue.
		must(s.DiscardPendingMail(ctx, "test"))
		for _, key := range []string{"zwolle-gemeente", "zwolle-provincie", "rotterdam-gemeente"} {
			if err := s.ResendLink(ctx, p.f.event.ID, p.regs[key].Email); err != nil {
				t.Fatal(err)
			}
		}
		var failing models.OutboxMessage
		if err := s.DB().Where("registration_id = ? AND sent_at IS NULL", p.regs["zwolle-provincie"].ID).First(&failing).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.MarkFailed(ctx, failing, fmt.Errorf("550 mailbox full")); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().Create(&models.OutboxMessage{Kind: models.MailProposalReceived, Recipient: "spreker@example.nl", Lang: "nl",
			NextAttemptAt: p.day2}).Error; err != nil {
			t.Fatal(err)
		}
		// Proposals: two submitted (one wishing for Rotterdam), one accepted for Zwolle.
		proposal := func(status string, venues ...uint) {
			pr := models.Proposal{EventID: p.f.event.ID, Status: status, Title: "Voorstel", Summary: "-", Description: "-", Format: "workshop",
				SlotCount: 1, MaxParticipants: 20, SpeakerName: "Spreker", SpeakerEmail: "s@example.nl", SpeakerOrganisation: "Gemeente", Lang: "nl"}
			for _, v := range venues {
				pr.Venues = append(pr.Venues, models.ProposalVenue{VenueID: v})
			}
			if err := s.DB().Create(&pr).Error; err != nil {
				t.Fatal(err)
			}
		}
		proposal(models.ProposalSubmitted)
		proposal(models.ProposalSubmitted, p.f.otherVenue.ID)
		proposal(models.ProposalAccepted, p.f.venue.ID)

		zwolle := models.VenueFigures{VenueID: p.f.venue.ID, Capacity: 300, Registered: 6, Cancelled: 1, WaitingPeople: 2, WaitingPlaces: 2,
			CheckedIn: 1, MailPending: 2, MailFailed: 1,
			ByOrgType: map[string]int{models.OrgGemeente: 1, models.OrgProvincie: 1, models.OrgRijk: 2, models.OrgOther: 1, models.OrgWaterschap: 1}}
		rotterdam := models.VenueFigures{VenueID: p.f.otherVenue.ID, Capacity: 300, Registered: 2, Cancelled: 1, CheckedIn: 1, MailPending: 1,
			ByOrgType: map[string]int{models.OrgGemeente: 1, models.OrgRijk: 1}}

		all := must(s.DashboardFigures(ctx, p.f.event.ID, nil, true))
		assertFigures(t, "zwolle", all.Venues[0], zwolle)
		assertFigures(t, "rotterdam", all.Venues[1], rotterdam)
		total := models.VenueFigures{Capacity: 600, Registered: 8, Cancelled: 2, WaitingPeople: 2, WaitingPlaces: 2, CheckedIn: 2,
			MailPending: 4, MailFailed: 1, // the speaker's e-mail counts in all
			ByOrgType: map[string]int{models.OrgGemeente: 2, models.OrgProvincie: 1, models.OrgRijk: 3, models.OrgOther: 1, models.OrgWaterschap: 1}}
		assertFigures(t, "all", all.Total, total)
		if want := map[string]int{models.ProposalSubmitted: 2, models.ProposalAccepted: 1}; !maps.Equal(all.Proposals, want) {
			t.Errorf("proposals %v, want %v", all.Proposals, want)
		}

		scoped := must(s.DashboardFigures(ctx, p.f.event.ID, []uint{p.f.otherVenue.ID}, false))
		if len(scoped.Venues) != 1 {
			t.Fatalf("a venue-scoped dashboard has %d venues, want 1", len(scoped.Venues))
		}
		assertFigures(t, "rotterdam only", scoped.Venues[0], rotterdam)
		assertFigures(t, "rotterdam's total", scoped.Total, models.VenueFigures{Capacity: 300, Registered: 2, Cancelled: 1, CheckedIn: 1,
			MailPending: 1, ByOrgType: rotterdam.ByOrgType})
		if want := map[string]int{models.ProposalSubmitted: 2}; !maps.Equal(scoped.Proposals, want) {
			t.Errorf("Rotterdam's proposals %v, want %v (no wish, or Rotterdam)", scoped.Proposals, want)
		}

		// Each figure is the number of people the list shows for its filter.
		for _, c := range []struct {
			name string
			a    models.Audience
			want int
		}{
			{"registered", models.Audience{VenueID: p.f.venue.ID, Status: models.StatusConfirmed}, zwolle.Registered},
			{"waiting", models.Audience{VenueID: p.f.venue.ID, Status: models.StatusWaitlisted}, zwolle.WaitingPeople},
			{"cancelled", models.Audience{VenueID: p.f.venue.ID, Status: models.StatusCancelled}, zwolle.Cancelled},
			{"checked in", models.Audience{Status: models.StatusCheckedIn}, total.CheckedIn},
			{"not in", models.Audience{Status: models.StatusNotArrived}, all.Total.NoShows()},
			{"rijk", models.Audience{Status: models.StatusConfirmed, OrgType: models.OrgRijk}, total.ByOrgType[models.OrgRijk]},
			{"waterschap", models.Audience{Status: models.StatusConfirmed, OrgType: models.OrgWaterschap}, 1},
			{"other, any status", models.Audience{OrgType: models.OrgOther}, 2},
			{"gemeente at rotterdam", models.Audience{VenueID: p.f.otherVenue.ID, OrgType: models.OrgGemeente}, 1},
		} {
			if got := must(s.People(ctx, c.a, "", 1, 50)).Total; got != c.want {
				t.Errorf("people list for %s: %d, want %d as the dashboard counts", c.name, got, c.want)
			}
		}
		if _, err := s.People(ctx, models.Audience{OrgType: "ministerie"}, "", 1, 50); err == nil {
			t.Error("an unknown organisation type was accepted")
		}
	})
}

func assertFigures(t *testing.T, what string, got, want models.VenueFigures) {
	t.Helper()
	gotTypes, wantTypes := got.ByOrgType, want.ByOrgType
	got.ByOrgType, want.ByOrgType = nil, nil
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("%s: figures %+v\nwant %+v", what, got, want)
	}
	if !maps.Equal(gotTypes, wantTypes) {
		t.Errorf("%s: by organisation type %v, want %v", what, gotTypes, wantTypes)
	}
}

func TestDashboardSeries(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		t.Parallel()
		p := newDashboardPopulation(t, s)
		ams := p.f.event.Location()
		day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, ams) }
		// The end of each day from 30 November to 4 December.
		bounds := []time.Time{day(1), day(2), day(3), day(4), day(5)}
		hours := must(s.RegistrationHours(ctx, p.f.event.ID, nil))
		got := hours.Before(bounds)
		want := map[uint][]int{p.f.venue.ID: {0, 3, 3, 7, 7}, p.f.otherVenue.ID: {0, 1, 1, 3, 3}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("registrations before %v: %v, want %v (cancelled ones count where they registered)", bounds, got, want)
		}
		scoped := must(s.RegistrationHours(ctx, p.f.event.ID, []uint{p.f.otherVenue.ID})).Before(bounds[3:])
		if fmt.Sprint(scoped) != fmt.Sprint(map[uint][]int{p.f.otherVenue.ID: {3, 3}}) {
			t.Errorf("Rotterdam only: %v", scoped)
		}
		// The list's "registered up to and including 1 December" agrees.
		to := day(2)
		if n := must(s.People(ctx, models.Audience{VenueID: p.f.venue.ID, To: &to}, "", 1, 50)).Total; n != 3 {
			t.Errorf("people registered at Zwolle up to 1 December: %d, want 3", n)
		}
		if first, ok := hours.First(); !ok || !first.Equal(p.day1.Truncate(time.Hour)) {
			t.Errorf("first registration in the hour of %v (%v), want %v", first, ok, p.day1.Truncate(time.Hour))
		}
		if _, ok := (models.RegistrationHours{}).First(); ok {
			t.Error("no registrations, yet a first hour")
		}

		arrivals := must(s.ArrivalsPerDoor(ctx, p.f.event.ID, nil))
		wantArrivals := []models.ArrivalCount{
			{VenueID: p.f.venue.ID, Door: "Hoofdingang", Start: time.Date(2027, 2, 3, 9, 0, 0, 0, ams).UTC(), Count: 1},
			{VenueID: p.f.otherVenue.ID, Door: "Hoofdingang", Start: time.Date(2027, 2, 3, 9, 10, 0, 0, ams).UTC(), Count: 1},
		}
		if fmt.Sprint(arrivals) != fmt.Sprint(wantArrivals) {
			t.Errorf("arrivals %v, want %v (no undone check-in, no cancelled person)", arrivals, wantArrivals)
		}
		if none := must(s.ArrivalsPerDoor(ctx, p.f.event.ID, []uint{p.f.venue.ID + p.f.otherVenue.ID + 100})); len(none) != 0 {
			t.Errorf("arrivals outside the scope: %v", none)
		}

		// A two-slot session in the small room, and one in Rotterdam, join the full talk.
		long := session(t, s, p.f, "Lange workshop", p.f.small, p.f.s2, 2, 0)
		rot := must(s.CreateSession(ctx, p.f.event.ID, models.SessionInput{Title: "In Rotterdam", Format: "workshop", VenueID: p.f.otherVenue.ID,
			RoomID: p.f.otherRoom.ID, FirstSlotID: p.f.otherSlot.ID, SlotCount: 1}))
		fills := must(s.SessionFills(ctx, p.f.event.ID, nil))
		wantFills := []models.SessionFill{
			{ID: p.talk.ID, Title: "Volle sessie", VenueID: p.f.venue.ID, RoomID: p.f.big.ID, SlotIDs: []uint{p.f.s1.ID}, Taken: 2, Seats: 2, Waiting: 2},
			{ID: long.ID, Title: "Lange workshop", VenueID: p.f.venue.ID, RoomID: p.f.small.ID, SlotIDs: []uint{p.f.s2.ID, p.f.s3.ID}, Seats: 25},
			{ID: rot.ID, Title: "In Rotterdam", VenueID: p.f.otherVenue.ID, RoomID: p.f.otherRoom.ID, SlotIDs: []uint{p.f.otherSlot.ID}, Seats: 150},
		}
		if fmt.Sprint(fills) != fmt.Sprint(wantFills) {
			t.Errorf("session fills\n%+v\nwant\n%+v", fills, wantFills)
		}
		onlyRot := must(s.SessionFills(ctx, p.f.event.ID, []uint{p.f.otherVenue.ID}))
		if len(onlyRot) != 1 || onlyRot[0].ID != rot.ID {
			t.Errorf("Rotterdam's fills %+v", onlyRot)
		}
		ids := slices.Collect(maps.Keys(got))
		if len(ids) != 2 {
			t.Errorf("venues with registrations: %v", ids)
		}
	})
}

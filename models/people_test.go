package models_test

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func peopleIDs(t *testing.T, s *models.Store, a models.Audience, sort string) []uint {
	t.Helper()
	page := must(s.People(ctx, a, sort, 1, 100))
	ids := []uint{}
	for _, p := range page.People {
		ids = append(ids, p.ID)
	}
	if page.Total != len(ids) {
		t.Errorf("total %d, but the page (of 100) holds %d", page.Total, len(ids))
	}
	return ids
}

func sameIDs(t *testing.T, what string, got []uint, want ...uint) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: got %v, want %v", what, got, want)
			return
		}
	}
}

// The audience selects people the same way for the list, its exports and the API: by
// search (accents and case ignored), venue, session, status, date and needs.
func TestAudienceSelectsPeople(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		full := session(t, s, f, "Eén plek", f.small, f.s1, 1, 1)
		other := session(t, s, f, "Ruim", f.big, f.s2, 1, 0)
		start := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
		clock := start
		s.SetClock(func() time.Time { return clock })
		reg := func(in models.RegistrationInput) models.Registration {
			t.Helper()
			clock = clock.Add(time.Hour)
			return must(s.Register(ctx, in)).Registration
		}
		zoe := reg(models.RegistrationInput{Name: "Zoë Ğüneş-van den Bërg", Email: "ZOE@Example.nl", Organisation: "Gemeente Zwolle",
			Venue: "zwolle", Sessions: []uint{full.ID, other.ID}, Consent: true, Dietary: "vegetarisch"})
		jan := reg(models.RegistrationInput{Name: "Jan de Vries", Email: "jan@example.nl", Organisation: "Provincie Overijssel",
			Venue: "zwolle", Waitlist: []uint{full.ID}, Consent: true})
		piet := reg(models.RegistrationInput{Name: "Piet Aalders", Email: "piet@example.nl", Organisation: "Waterschap",
			Venue: "rotterdam", Consent: true, Accessibility: "rolstoel"})
		ann := reg(models.RegistrationInput{Name: "Ann 100%_ Bakker", Email: "ann@example.nl", Organisation: "Rijk",
			Venue: "zwolle", Sessions: []uint{other.ID}, Consent: true})
		if err := s.Cancel(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckIn(ctx, models.CheckInInput{VenueID: f.otherVenue.ID, RegistrationID: piet.ID, Door: "Hoofdingang"}); err != nil {
			t.Fatal(err)
		}

		sameIDs(t, "everyone by last name", peopleIDs(t, s, models.Audience{}, models.SortName), piet.ID, ann.ID, zoe.ID, jan.ID)
		sameIDs(t, "newest first", peopleIDs(t, s, models.Audience{}, models.SortNewest), ann.ID, piet.ID, jan.ID, zoe.ID)
		sameIDs(t, `"zoe"`, peopleIDs(t, s, models.Audience{Query: "zoe"}, ""), zoe.ID)
		sameIDs(t, `"GUNES berg"`, peopleIDs(t, s, models.Audience{Query: "GUNES berg"}, ""), zoe.ID)
		sameIDs(t, "organisation", peopleIDs(t, s, models.Audience{Query: "overijssel"}, ""), jan.ID)
		sameIDs(t, `"%" is a character, not a wildcard`, peopleIDs(t, s, models.Audience{Query: "100%_"}, ""), ann.ID)
		sameIDs(t, `"_" matches no other character`, peopleIDs(t, s, models.Audience{Query: "a_n"}, ""))
		sameIDs(t, "venue", peopleIDs(t, s, models.Audience{VenueID: f.otherVenue.ID}, ""), piet.ID)
		sameIDs(t, "scope", peopleIDs(t, s, models.Audience{Scope: []uint{f.otherVenue.ID}, Query: "e"}, ""), piet.ID)
		sameIDs(t, "scope beats the venue asked for", peopleIDs(t, s, models.Audience{Scope: []uint{f.otherVenue.ID}, VenueID: f.venue.ID}, ""))
		sameIDs(t, "session", peopleIDs(t, s, models.Audience{SessionID: full.ID}, models.SortOldest), zoe.ID, jan.ID)
		sameIDs(t, "confirmed", peopleIDs(t, s, models.Audience{Status: models.StatusConfirmed}, models.SortOldest), zoe.ID, jan.ID, piet.ID)
		sameIDs(t, "waitlisted", peopleIDs(t, s, models.Audience{Status: models.StatusWaitlisted}, ""), jan.ID)
		sameIDs(t, "cancelled", peopleIDs(t, s, models.Audience{Status: models.StatusCancelled}, ""), ann.ID)
		sameIDs(t, "checked in", peopleIDs(t, s, models.Audience{Status: models.StatusCheckedIn}, ""), piet.ID)
		sameIDs(t, "not arrived", peopleIDs(t, s, models.Audience{Status: models.StatusNotArrived}, models.SortOldest), zoe.ID, jan.ID)
		sameIDs(t, "has needs", peopleIDs(t, s, models.Audience{HasNeeds: true}, models.SortOldest), zoe.ID, piet.ID)
		from, to := start.Add(90*time.Minute), start.Add(3*time.Hour+30*time.Minute)
		sameIDs(t, "registered between", peopleIDs(t, s, models.Audience{From: &from, To: &to}, models.SortOldest), jan.ID, piet.ID)
		sameIDs(t, "ids", peopleIDs(t, s, models.Audience{IDs: []uint{jan.ID, ann.ID}}, ""), ann.ID, jan.ID)
		sameIDs(t, "no ids", peopleIDs(t, s, models.Audience{IDs: []uint{}}, ""))

		page := must(s.People(ctx, models.Audience{Query: "piet"}, "", 1, 10))
		if p := page.People[0]; p.CheckedInAt == nil || p.Door != "Hoofdingang" || p.VenueName != "Stadhuis" || !p.HasNeeds() {
			t.Errorf("Piet's row = %+v, want checked in at Hoofdingang at the Stadhuis, with needs", p)
		}
		page = must(s.People(ctx, models.Audience{Query: "zoe"}, "", 1, 10))
		if p := page.People[0]; p.Seats != 2 || p.Waiting != 0 || p.CheckedInAt != nil {
			t.Errorf("Zoë's row = %+v, want 2 seats, none waiting, not checked in", p)
		}
		second := must(s.People(ctx, models.Audience{}, models.SortName, 2, 3))
		if second.Total != 4 || len(second.People) != 1 || second.People[0].ID != jan.ID {
			t.Errorf("page 2 of 3 = %+v, want Jan alone of 4", second)
		}
		after := must(s.PeopleAfter(ctx, models.Audience{}, zoe.ID, 2))
		if after.Total != 4 || len(after.People) != 2 || after.People[0].ID != jan.ID || after.People[1].ID != piet.ID {
			t.Errorf("after Zoë, 2 = %+v, want Jan and Piet of 4", after)
		}
		_, err := s.People(ctx, models.Audience{Status: "gone"}, "", 1, 10)
		wantProblem(t, err, "status", "form.invalid_choice")
	})
}

package models_test

import (
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// The exports read people's bookings in batches: each with its session, time, room and the
// same place in line as the person's own page shows.
func TestBookingsOfPeople(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		full := session(t, s, f, "Eén plek", f.small, f.s1, 1, 1)
		later := session(t, s, f, "Later", f.big, f.s2, 1, 0)
		reg := func(name, email string, seats, wait []uint) models.Registration {
			t.Helper()
			return must(s.Register(ctx, models.RegistrationInput{Name: name, Email: email, Organisation: "Gemeente",
				Venue: "zwolle", Sessions: seats, Waitlist: wait, Consent: true})).Registration
		}
		zoe := reg("Zoë Bakker", "zoe@example.nl", []uint{full.ID, later.ID}, nil)
		jan := reg("Jan de Vries", "jan@example.nl", []uint{later.ID}, []uint{full.ID})
		kees := reg("Kees Aalders", "kees@example.nl", nil, []uint{full.ID})
		got := must(s.BookingsOfPeople(ctx, []uint{zoe.ID, jan.ID, kees.ID}))
		for _, r := range []models.Registration{zoe, jan, kees} {
			own := must(s.Registration(ctx, r.ID)).Bookings
			if len(got[r.ID]) != len(own) {
				t.Fatalf("%s: %d bookings, want %d", r.Name, len(got[r.ID]), len(own))
			}
			for _, b := range got[r.ID] {
				for _, o := range own {
					if o.SessionID == b.SessionID && (o.Status != b.Status || o.Position != b.Position) {
						t.Errorf("%s in %s: %s %d, want %s %d", r.Name, b.Title, b.Status, b.Position, o.Status, o.Position)
					}
				}
				if b.StartsAt == nil || b.Room == "" {
					t.Errorf("%s in %s: no time or room (%v, %q)", r.Name, b.Title, b.StartsAt, b.Room)
				}
			}
		}
		if b := got[zoe.ID]; len(b) != 2 || b[0].SessionID != full.ID || b[1].SessionID != later.ID {
			t.Errorf("zoe's bookings out of the day's order: %+v", b)
		}
		if b := got[kees.ID]; len(b) != 1 || b[0].Position != 2 || b[0].Status != models.BookingWaitlisted {
			t.Errorf("kees: %+v, want second in line", b)
		}

		var rows []string
		err := s.EachBooking(ctx, models.Audience{SessionID: full.ID}, func(b models.AudienceBooking) error {
			rows = append(rows, b.Name+":"+b.Status)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Zoë Bakker:confirmed", "Jan de Vries:waitlisted", "Kees Aalders:waitlisted"}
		if len(rows) != len(want) {
			t.Fatalf("EachBooking(session) got %v, want %v", rows, want)
		}
		for i := range want {
			if rows[i] != want[i] {
				t.Errorf("EachBooking(session) got %v, want %v", rows, want)
				break
			}
		}
		for _, a := range []models.Audience{{}, {Query: "e"}, {Status: models.StatusWaitlisted}} {
			first := must(s.People(ctx, a, models.SortName, 1, 1))
			past := must(s.People(ctx, a, models.SortName, 99, 1))
			if first.Total == 0 || past.Total != first.Total || len(past.People) != 0 || len(first.People) != 1 {
				t.Errorf("People(%+v): page 1 total %d (%d people), page 99 total %d (%d people)", a, first.Total, len(first.People), past.Total, len(past.People))
			}
		}
		choices := must(s.SessionChoices(ctx, f.event.ID))
		if len(choices) != 2 || choices[0].ID != full.ID || choices[1].ID != later.ID || choices[0].City != "Zwolle" ||
			choices[0].StartsAt == nil || !choices[0].StartsAt.Before(*choices[1].StartsAt) {
			t.Errorf("SessionChoices = %+v, want the two sessions in the order of the day", choices)
		}
		n := 0
		if err := s.EachBooking(ctx, models.Audience{Query: "zoe"}, func(models.AudienceBooking) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("EachBooking(q=zoe) gave %d bookings, want 2", n)
		}
	})
}

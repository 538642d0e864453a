package models_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var doorActor = models.Actor{Kind: models.ActorDevice, ID: 7, Name: "Ingang Oost"}

func walkIn(f fixture, n int, email string) models.WalkInInput {
	return models.WalkInInput{VenueID: f.venue.ID, Name: fmt.Sprintf("Binnenloper %d", n), Organisation: "Gemeente Kampen",
		Email: email, Door: "Ingang Oost"}
}

func TestWalkInRegistersAndChecksIn(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		before := count(t, s, &models.OutboxMessage{})

		res := must(s.WalkIn(ctx, doorActor, walkIn(f, 1, "")))
		r := must(s.Registration(ctx, res.Registration.ID))
		if r.Status != models.RegistrationActive || r.VenueID != f.venue.ID || r.Name != "Binnenloper 1" || r.ActiveEmail != nil || r.Email != "" {
			t.Errorf("registration %+v, want active at zwolle without an address", r)
		}
		if r.ConsentVersion == "" {
			t.Error("the walk-in records no privacy version")
		}
		if len(r.Bookings) != 0 {
			t.Errorf("bookings %+v, want none", r.Bookings)
		}
		if res.CheckIn.ID == 0 || res.CheckIn.Door != "Ingang Oost" || res.CheckIn.RegistrationID != r.ID || res.CheckIn.Offline {
			t.Errorf("check-in %+v", res.CheckIn)
		}
		if n := count(t, s, &models.OutboxMessage{}); n != before {
			t.Errorf("outbox grew by %d for a walk-in without an address, want 0", n-before)
		}
		var v models.Venue
		if err := s.DB().First(&v, f.venue.ID).Error; err != nil || v.Registered != 1 {
			t.Errorf("venue registered = %d (%v), want 1", v.Registered, err)
		}
		trail := must(s.AuditTrail(ctx, models.SubjectRegistration, r.ID))
		if len(trail) != 1 || trail[0].Action != models.ActionWalkIn || trail[0].ActorName != "Ingang Oost" || trail[0].ActorKind != models.ActorDevice {
			t.Errorf("audit trail %+v", trail)
		}
		// A second scan of the walk-in is "already in", like anyone's.
		out := must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: r.ID, Door: "Ingang West"}))
		if out.Result != models.CheckInAlreadyIn {
			t.Errorf("second scan: %s, want already in", out.Result)
		}
		// Two walk-ins without an address are two people.
		must(s.WalkIn(ctx, doorActor, walkIn(f, 2, "")))

		// With an address: the confirmation, marked as sent on their behalf.
		withMail := must(s.WalkIn(ctx, doorActor, walkIn(f, 3, "binnen3@example.nl")))
		var msgs []models.OutboxMessage
		if err := s.DB().Where("registration_id = ?", withMail.Registration.ID).Find(&msgs).Error; err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Kind != models.MailConfirmation || !msgs[0].OnBehalf {
			t.Errorf("outbox of a walk-in with an address: %+v, want one confirmation on behalf", msgs)
		}
		// That address is now registered: the door should find them instead.
		again := walkIn(f, 4, " BINNEN3@example.nl")
		if _, err := s.WalkIn(ctx, doorActor, again); !errors.Is(err, models.ErrAlreadyRegistered) {
			t.Errorf("walk-in with a registered address: %v, want ErrAlreadyRegistered", err)
		}
		if _, err := s.Register(ctx, attendee(9)); err != nil {
			t.Fatal(err)
		}
		dup := walkIn(f, 5, "deelnemer9@example.nl")
		if _, err := s.WalkIn(ctx, doorActor, dup); !errors.Is(err, models.ErrAlreadyRegistered) {
			t.Errorf("walk-in with an attendee's address: %v, want ErrAlreadyRegistered", err)
		}
	})
}

func TestWalkInValidation(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		for _, c := range []struct {
			name  string
			edit  func(*models.WalkInInput)
			field string
		}{
			{"no name", func(in *models.WalkInInput) { in.Name = " " }, "name"},
			{"no organisation", func(in *models.WalkInInput) { in.Organisation = "" }, "organisation"},
			{"bad address", func(in *models.WalkInInput) { in.Email = "geen adres" }, "email"},
			{"newline in name", func(in *models.WalkInInput) { in.Name = "a\nb" }, "name"},
		} {
			in := walkIn(f, 1, "")
			c.edit(&in)
			_, err := s.WalkIn(ctx, doorActor, in)
			var verr *models.ValidationError
			if !errors.As(err, &verr) || verr.Problems[c.field].Key == "" {
				t.Errorf("%s: err %v, want a problem on %s", c.name, err, c.field)
			}
		}
		if n := count(t, s, &models.Registration{}); n != 0 {
			t.Errorf("%d registrations written by invalid walk-ins", n)
		}
		if _, err := s.WalkIn(ctx, doorActor, models.WalkInInput{VenueID: 9999, Name: "A B", Organisation: "C", Door: "x"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown venue: %v, want ErrNotFound", err)
		}
	})
}

func TestConcurrentWalkInsNeverOverbook(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.UpdateVenue(ctx, f.venue.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle", Address: "Luttenbergstraat 2", Capacity: 5}))
		for i := range 3 {
			must(s.Register(ctx, attendee(i)))
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		in, full := 0, 0
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				email := ""
				if i%2 == 0 {
					email = fmt.Sprintf("loper%d@example.nl", i)
				}
				_, err := s.WalkIn(ctx, doorActor, walkIn(f, i, email))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					in++
				case errors.Is(err, models.ErrVenueFull):
					full++
				default:
					t.Errorf("walk-in: %v", err)
				}
			}()
		}
		wg.Wait()
		if in != 2 || full != 10 {
			t.Errorf("walked in %d, refused %d as full; want 2 and 10", in, full)
		}
		if n := count(t, s, &models.Registration{}); n != 5 {
			t.Errorf("registrations = %d, want 5 (a refused walk-in leaves no row)", n)
		}
		if n := count(t, s, &models.CheckIn{}); n != 2 {
			t.Errorf("check-ins = %d, want 2", n)
		}
		if n := registrationEntries(t, s); n != 2 {
			t.Errorf("audit entries = %d, want 2", n)
		}
		var v models.Venue
		if err := s.DB().First(&v, f.venue.ID).Error; err != nil || v.Registered != 5 {
			t.Errorf("venue registered = %d (%v), want 5", v.Registered, err)
		}
	})
}

package models_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// Registrations that arrive together share a commit (on PostgreSQL, one round trip). One of
// them failing — the same address twice — must cost only that one: every other registration
// is stored once, with the seats, places in line and counters it was told about.
func TestRushWithADuplicateLosesNothing(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		few := session(t, s, f, "Vijf plaatsen", f.small, f.s1, 1, 5)
		const people = 60
		type answer struct {
			res models.RegistrationResult
			err error
		}
		answers := make([]answer, people+1)
		var wg sync.WaitGroup
		for i := range people + 1 {
			in := attendee(i, few.ID)
			if i == people {
				in = attendee(7, few.ID) // deelnemer7@example.nl once more
				in.Name = "Dubbel"
			}
			wg.Go(func() {
				res, err := s.Register(ctx, in)
				answers[i] = answer{res, err}
			})
		}
		wg.Wait()
		duplicates := 0
		for i, a := range answers {
			if errors.Is(a.err, models.ErrAlreadyRegistered) && (i == 7 || i == people) {
				duplicates++
				continue
			}
			if a.err != nil {
				t.Fatalf("registration %d: %v", i, a.err)
			}
			if len(a.res.Registration.Bookings) != 1 {
				t.Fatalf("registration %d answered with %d bookings, want 1", i, len(a.res.Registration.Bookings))
			}
			told := a.res.Registration.Bookings[0]
			status, position := statusOf(t, s, a.res.Registration.ID, few.ID)
			if told.Status != status || told.Position != position {
				t.Errorf("registration %d was told %s %d, stored %s %d", i, told.Status, told.Position, status, position)
			}
		}
		if duplicates != 1 {
			t.Errorf("%d registrations refused as already registered, want 1", duplicates)
		}
		if got := count(t, s, &models.Registration{}); got != people {
			t.Errorf("%d registrations stored, want %d", got, people)
		}
		if got := must(s.Session(ctx, few.ID)).Confirmed; got != 5 {
			t.Errorf("session counter = %d, want 5", got)
		}
		if got := must(s.Venue(ctx, f.venue.ID)).Registered; got != people {
			t.Errorf("venue counter = %d, want %d", got, people)
		}
		var mails int64
		if err := s.DB().Model(&models.OutboxMessage{}).Where("kind = ?", models.MailConfirmation).Count(&mails).Error; err != nil || mails != people {
			t.Errorf("%d confirmations queued (%v), want %d", mails, err, people)
		}
	})
}

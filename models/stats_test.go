package models_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestCountsFollowCommits checks the counters /metrics reads: a write counts once it has
// committed, a failed one not at all, and a write that a group commit runs again (because
// another write in its batch failed) counts once.
func TestCountsFollowCommits(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		var mu sync.Mutex
		batched := 0
		s.OnBatch(func(n int) { mu.Lock(); batched += n; mu.Unlock() })
		f := newFixture(t, s)
		x := session(t, s, f, "X", f.big, f.s1, 1, 1) // one seat
		// 30 people at once, every third one a second time with the same address: those
		// fail, and on SQLite they share batches with the others.
		const people = 30
		var wg sync.WaitGroup
		var failed sync.Map
		for i := range people {
			wg.Go(func() {
				in := attendee(i, x.ID)
				if i%3 == 0 {
					in = attendee(i-i%3+1, x.ID) // the address of person i+1
				}
				if _, err := s.Register(ctx, in); err != nil {
					failed.Store(i, err)
				}
			})
		}
		wg.Wait()
		fails := 0
		failed.Range(func(_, v any) bool {
			if !errors.Is(v.(error), models.ErrAlreadyRegistered) {
				t.Errorf("register: %v, want only ErrAlreadyRegistered", v)
			}
			fails++
			return true
		})
		stored := count(t, s, &models.Registration{})
		if fails != people/3 || stored != people-people/3 {
			t.Fatalf("%d registrations stored and %d refused, want %d and %d", stored, fails, people-people/3, people/3)
		}
		if got := s.Counts(); got.Registrations != stored || got.Promotions != 0 || got.CheckIns != 0 {
			t.Errorf("Counts() after the rush = %+v, want %d registrations and nothing else", got, stored)
		}

		// Whoever holds X's seat cancels: the first in line is promoted.
		var seated models.Booking
		if err := s.DB().Where("session_id = ? AND status = ?", x.ID, models.BookingConfirmed).Take(&seated).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.Cancel(ctx, seated.RegistrationID); err != nil {
			t.Fatal(err)
		}
		if got := s.Counts().Promotions; got != 1 {
			t.Errorf("Counts().Promotions after a cancellation = %d, want 1", got)
		}

		var promoted models.Booking
		if err := s.DB().Where("session_id = ? AND status = ?", x.ID, models.BookingConfirmed).Take(&promoted).Error; err != nil {
			t.Fatal(err)
		}
		in := models.CheckInInput{VenueID: f.venue.ID, RegistrationID: promoted.RegistrationID, Door: "Oost"}
		for range 2 { // the second scan is already_checked_in, not a check-in
			if _, err := s.CheckIn(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		if got := s.Counts().CheckIns; got != 1 {
			t.Errorf("Counts().CheckIns after two scans of one ticket = %d, want 1", got)
		}
		if n := count(t, s, &models.CheckIn{}); n != 1 {
			t.Errorf("check-ins stored = %d, want 1", n)
		}

		mu.Lock()
		defer mu.Unlock()
		if s.DB().Dialector.Name() == "sqlite" && batched < int(stored) {
			t.Errorf("group commits reported %d writes, want at least the %d registrations", batched, stored)
		}
	})
}

// TestOutboxBacklog checks the outbox's depth and oldest message as /metrics reads them.
func TestOutboxBacklog(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		if n, oldest, err := s.OutboxBacklog(ctx); err != nil || n != 0 || !oldest.IsZero() {
			t.Fatalf("OutboxBacklog() on an empty outbox = %d, %v, %v; want 0, the zero time, nil", n, oldest, err)
		}
		f := newFixture(t, s)
		x := session(t, s, f, "X", f.big, f.s1, 1, 10)
		first := must(s.Register(ctx, attendee(1, x.ID)))
		must(s.Register(ctx, attendee(2, x.ID)))
		var msg models.OutboxMessage
		if err := s.DB().Where("registration_id = ?", first.Registration.ID).Take(&msg).Error; err != nil {
			t.Fatal(err)
		}
		n, oldest, err := s.OutboxBacklog(ctx)
		if err != nil || n != 2 || !oldest.Equal(msg.CreatedAt) {
			t.Errorf("OutboxBacklog() = %d, %v, %v; want 2, %v (the first confirmation), nil", n, oldest, err, msg.CreatedAt)
		}
		if err := s.MarkSent(ctx, msg.ID); err != nil {
			t.Fatal(err)
		}
		if n, _, err := s.OutboxBacklog(ctx); err != nil || n != 1 {
			t.Errorf("OutboxBacklog() after one was sent = %d, %v; want 1, nil", n, err)
		}
	})
}

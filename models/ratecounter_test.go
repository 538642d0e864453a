package models_test

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestCountAttemptWindows(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		now := time.Date(2027, 2, 3, 9, 10, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		for want := 1; want <= 3; want++ {
			hits, ends := must2(s.CountAttempt(ctx, "mail:a@example.nl", time.Hour))
			if hits != want || !ends.Equal(time.Date(2027, 2, 3, 10, 0, 0, 0, time.UTC)) {
				t.Fatalf("CountAttempt() = %d, window ends %v; want %d, 10:00", hits, ends, want)
			}
		}
		if err := s.UncountAttempt(ctx, "mail:a@example.nl"); err != nil {
			t.Fatal(err)
		}
		if hits, _ := must2(s.CountAttempt(ctx, "mail:a@example.nl", time.Hour)); hits != 3 {
			t.Errorf("after giving one back: CountAttempt() = %d, want 3", hits)
		}
		now = now.Add(time.Hour) // the next window starts afresh
		if hits, _ := must2(s.CountAttempt(ctx, "mail:a@example.nl", time.Hour)); hits != 1 {
			t.Errorf("in the next window: CountAttempt() = %d, want 1", hits)
		}
		must2(s.CountAttempt(ctx, "mail:b@example.nl", time.Hour))
		now = now.Add(2 * time.Hour)
		if err := s.DeleteOldRateCounters(ctx, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, &models.RateCounter{}); n != 0 {
			t.Errorf("counters left after their windows = %d, want 0", n)
		}
	})
}

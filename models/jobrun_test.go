package models_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// Two processes whose job loops race for the same due times: each due time runs once, and
// the reminder e-mails go out once.
func TestClaimJobRunOncePerDueTime(t *testing.T) {
	t.Parallel()
	modelstest.EachShared(t, func(t *testing.T, a, b *models.Store) {
		f := newFixture(t, a)
		const people = 5
		for i := range people {
			must(a.Register(ctx, models.RegistrationInput{Name: fmt.Sprintf("Deelnemer %d", i), Email: fmt.Sprintf("d%d@example.nl", i),
				Organisation: "Provincie", Lang: "nl", Venue: "zwolle", Sessions: []uint{}, Consent: true}))
		}
		base := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
		dues := []time.Time{base, base.Add(5 * time.Minute), base.Add(10 * time.Minute)}
		runs := make([]atomic.Int32, len(dues))
		var wg sync.WaitGroup
		for _, s := range []*models.Store{a, b, a, b, a, b} {
			wg.Go(func() {
				for i, due := range dues {
					mine, err := s.ClaimJobRun(ctx, "reminders", due)
					if err != nil {
						t.Errorf("ClaimJobRun(%v): %v", due, err)
						return
					}
					if !mine {
						continue
					}
					runs[i].Add(1)
					if _, err := s.SendReminders(ctx, f.event.ID, -1); err != nil {
						t.Errorf("SendReminders: %v", err)
					}
				}
			})
		}
		wg.Wait()
		for i := range dues {
			if got := runs[i].Load(); got != 1 {
				t.Errorf("due time %d ran %d times, want 1", i, got)
			}
		}
		if got := len(outboxIDsOfKind(t, a, models.MailReminder)); got != people {
			t.Errorf("reminder e-mails queued = %d, want %d", got, people)
		}
		// A due time already passed is never run again; the next one is.
		if mine := must(b.ClaimJobRun(ctx, "reminders", dues[1])); mine {
			t.Error("ClaimJobRun(an earlier due time) = true, want false")
		}
		if mine := must(b.ClaimJobRun(ctx, "reminders", dues[2].Add(5*time.Minute))); !mine {
			t.Error("ClaimJobRun(the next due time) = false, want true")
		}
	})
}

package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestCalendarFeedTokenIsItsOwn (#12 point 22): a registration's feed token is made once,
// kept, differs from the personal link and between registrations, and finds only its feed.
func TestCalendarFeedTokenIsItsOwn(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newFixture(t, s)
		a := must(s.Register(ctx, attendee(1)))
		b := must(s.Register(ctx, attendee(2)))

		// Asked for at once, still one token.
		tokens := make([]string, 4)
		var wg sync.WaitGroup
		for i := range tokens {
			wg.Go(func() { tokens[i] = must(s.CalendarFeedToken(ctx, a.Registration.ID)) })
		}
		wg.Wait()
		for _, tok := range tokens[1:] {
			if tok != tokens[0] {
				t.Fatalf("feed tokens %q: want one token for one registration", tokens)
			}
		}
		ta := tokens[0]
		if len(ta) != 43 || ta == a.Token || strings.Contains(a.Token, ta) {
			t.Errorf("feed token %q (booking token %q): want 256 random bits of its own", ta, a.Token)
		}
		if again := must(s.CalendarFeedToken(ctx, a.Registration.ID)); again != ta {
			t.Errorf("feed token changed from %q to %q", ta, again)
		}
		tb := must(s.CalendarFeedToken(ctx, b.Registration.ID))
		if tb == ta {
			t.Errorf("two registrations share feed token %q", ta)
		}
		if r := must(s.RegistrationByFeedToken(ctx, ta)); r.ID != a.Registration.ID {
			t.Errorf("feed token of a finds registration %d", r.ID)
		}
		for _, bad := range []string{"", a.Token, ta[:42], ta + "x", strings.Repeat("a", 100)} {
			if _, err := s.RegistrationByFeedToken(ctx, bad); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("RegistrationByFeedToken(%q) = %v, want ErrNotFound", bad, err)
			}
		}
		// The feed token manages nothing.
		if _, err := s.RegistrationByToken(ctx, ta); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("RegistrationByToken(feed token) = %v, want ErrNotFound", err)
		}
	})
}

package models_test

import (
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestRegistrationDomains: once the event limits registration to some domains, registering
// oneself with another address is a problem on the e-mail field naming the domains, and
// nothing is written; the domains and their subdomains still register. An organiser
// registering someone by hand is not bound by the limit.
func TestRegistrationDomains(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.Register(ctx, attendee(1))) // before the limit: anyone (and the venue is now in the cache)
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date,
			RegistrationDomains: "Rijksoverheid.nl, zwolle.nl"}))

		before := count(t, s, &models.Registration{})
		outside := attendee(2)
		outside.Email = "iemand@example.nl"
		_, err := s.Register(ctx, outside)
		wantProblem(t, err, "email", "register.domain_not_allowed")
		if got := count(t, s, &models.Registration{}); got != before {
			t.Errorf("a refused registration wrote a row: %d registrations, want %d", got, before)
		}
		for _, email := range []string{"a@rijksoverheid.nl", "b@minbzk.RIJKSOVERHEID.nl", "c@zwolle.nl"} {
			in := attendee(3)
			in.Email = email
			if _, err := s.Register(ctx, in); err != nil {
				t.Errorf("Register(%s) = %v, want it accepted", email, err)
			}
		}
		// An organiser chose this person: the limit does not apply.
		byHand := attendee(4)
		byHand.Email = "gast@example.org"
		if _, err := s.RegisterFor(ctx, organiser, byHand, false); err != nil {
			t.Errorf("RegisterFor outside the domains = %v, want it accepted", err)
		}
	})
}

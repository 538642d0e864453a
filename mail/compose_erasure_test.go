package mail

import (
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// The confirmation of an erasure reaches the address over SMTP in the person's language,
// names no one, and once it is sent the outbox forgets the address: nothing of the person is
// left anywhere.
func TestErasureConfirmationIsTheLastTrace(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		people := []struct{ name, email, lang, subject, body string }{
			{"Wilma Wisselink", "wilma@example.nl", "nl", "Je gegevens voor Dag van de Test zijn gewist", "vergeten we ook je e-mailadres"},
			{"Edward Erasmus", "edward@example.org", "en", "Your data for Dag van de Test has been erased", "we forget your e-mail address too"},
		}
		for _, p := range people {
			r := must(s.Register(ctx, person(p.name, p.email, p.lang, f.openData.ID)))
			must(s.EraseRegistration(ctx, r.Registration.ID))
		}
		runOnce(t, w, len(people), 0) // the confirmations only: the rest was withdrawn
		got := map[string]received{}
		for _, m := range srv.Messages() {
			got[m.To[0]] = m
		}
		for _, p := range people {
			m, ok := got[p.email]
			if !ok {
				t.Fatalf("no e-mail reached %s", p.email)
			}
			text := m.Body(t)
			if subject := m.Header(t).Get("Subject"); !strings.Contains(decodeHeader(t, subject), p.subject) {
				t.Errorf("%s: subject %q, want %q", p.lang, decodeHeader(t, subject), p.subject)
			}
			contains(t, p.lang+" erasure", text, p.body)
			for _, gone := range []string{p.name, models.ErasedName + ","} {
				if strings.Contains(text, gone) {
					t.Errorf("%s: the confirmation names %q:\n%s", p.lang, gone, text)
				}
			}
			if traces := must(s.FindTraces(ctx, p.name, p.email)); len(traces) != 0 {
				t.Errorf("%s: traces after the confirmation went: %v", p.email, traces)
			}
		}
	})
}

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

// Someone checked in stays an anonymous attendee when erased, without an address: a later
// e-mail to the attendees (here the "still coming?" reminder) is recorded as done without
// being sent, rather than failing for ever.
func TestErasedAttendeeGetsNoMoreMail(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		r := must(s.Register(ctx, person("Ida Ingecheckt", "ida@example.nl", "nl", f.openData.ID)))
		must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: r.Registration.ID, Door: "Hoofdingang"}))
		if got := must(s.EraseRegistration(ctx, r.Registration.ID)); !got.Attended {
			t.Fatalf("erasure = %+v, want attended", got)
		}
		runOnce(t, w, 1, 0) // the confirmation
		if n := must(s.SendReminders(ctx, f.event.ID, -1)); n != 1 {
			t.Fatalf("reminders queued: %d, want 1 (the anonymous attendee is still confirmed)", n)
		}
		runOnce(t, w, 0, 0)
		if st := stats(t, s); st.Pending != 0 || st.Failing != 0 {
			t.Errorf("outbox after the reminder: %+v, want nothing waiting or failing", st)
		}
		if got := len(srv.Messages()); got != 1 {
			t.Errorf("the server got %d messages, want only the confirmation", got)
		}
	})
}

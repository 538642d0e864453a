package mail

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestMailsReportTheStateTheyWereQueuedIn (#12 point 28): a confirmation composed after a
// waiting-list promotion still shows the promoted session as waiting (the promotion e-mail
// that follows announces the seat), and one composed after a change shows the programme as
// registered; the promotion e-mail shows the seat.
func TestMailsReportTheStateTheyWereQueuedIn(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		c := &Composer{Store: s, BaseURL: "https://dagplanner.example/"}
		bob := must(s.Register(ctx, person("Bob Jansen", "bob@example.nl", "nl", f.writing.ID)))
		carla := must(s.Register(ctx, person("Carla Smit", "carla@example.nl", "nl", f.writing.ID, f.ai.ID)))
		confirmation := lastOutbox(t, s, carla.Registration.ID, models.MailConfirmation)

		// Bob cancels before Carla's confirmation is sent: Carla gets his seat.
		if err := s.Cancel(ctx, bob.Registration.ID); err != nil {
			t.Fatal(err)
		}
		// Then she drops "AI en de Woo", still before the confirmation goes out.
		if _, err := s.ChangeSessions(ctx, carla.Registration.ID, []uint{f.writing.ID}, nil); err != nil {
			t.Fatal(err)
		}

		m := must(c.Compose(ctx, confirmation))
		contains(t, "confirmation composed late", m.Text, "- 10:00–11:00  Helder schrijven, Zaal B (wachtlijst)\n",
			"- 11:15–12:15  AI en de Woo, Zaal A\n", "Komt er een plaats vrij")
		if strings.Contains(m.Text, "Helder schrijven, Zaal B\n") {
			t.Errorf("the confirmation lists the promoted seat as if it were held at registration:\n%s", m.Text)
		}

		promoted := must(c.Compose(ctx, lastOutbox(t, s, carla.Registration.ID, models.MailPromoted)))
		contains(t, "promotion", promoted.Text, "Goed nieuws", "- 10:00–11:00  Helder schrijven, Zaal B\n",
			"- 11:15–12:15  AI en de Woo, Zaal A\n")
		if strings.Contains(promoted.Text, "(wachtlijst") {
			t.Errorf("the promotion still shows a waiting list:\n%s", promoted.Text)
		}

		changed := must(c.Compose(ctx, lastOutbox(t, s, carla.Registration.ID, models.MailChanged)))
		contains(t, "change", changed.Text, "- 10:00–11:00  Helder schrijven, Zaal B\n")
		if strings.Contains(changed.Text, "AI en de Woo") {
			t.Errorf("the change e-mail lists the dropped session:\n%s", changed.Text)
		}
	})
}

var feedPattern = regexp.MustCompile(`https://dagplanner\.example/agenda/([A-Za-z0-9_-]{43})\.ics`)

// TestConfirmationLinksTheCalendarFeed (#12 point 22): the confirmation carries the feed's
// own read-only address, with help for Outlook, Google and Apple, never the booking token.
func TestConfirmationLinksTheCalendarFeed(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	c := &Composer{Store: s, BaseURL: "https://dagplanner.example/"}
	for _, lang := range Langs {
		r := must(s.Register(ctx, person("Dirk "+lang, "dirk."+lang+"@example.nl", lang, f.ai.ID)))
		m := must(c.Compose(ctx, lastOutbox(t, s, r.Registration.ID, models.MailConfirmation)))
		feed := feedPattern.FindStringSubmatch(m.Text)
		if feed == nil {
			t.Fatalf("%s confirmation has no calendar feed:\n%s", lang, m.Text)
		}
		contains(t, lang+" confirmation", m.Text, "Outlook", "Google", "Apple")
		booking := tokenIn(t, m.Text)
		if feed[1] == booking || strings.Contains(m.Text, booking+".ics") || strings.Contains(m.Text, "/boeking/"+booking+"/programma") {
			t.Errorf("%s confirmation: the feed address holds the booking token:\n%s", lang, m.Text)
		}
		if got := must(s.RegistrationByFeedToken(ctx, feed[1])); got.ID != r.Registration.ID {
			t.Errorf("feed token opens registration %d, want %d", got.ID, r.Registration.ID)
		}
	}
}

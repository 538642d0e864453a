package mail

import (
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// TestPreferencesReceivedMail checks the confirmation of a registration by preference
// (#19): the ranking as received, the allocation's date, the personal link, no seats
// promised and no ticket, in both languages.
func TestPreferencesReceivedMail(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s) // 20 January 2027, 09:00 UTC
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date, Timezone: models.DefaultTimezone,
			SignupMode: models.SignupPreferences, PreferencesOpenAt: "2027-01-10T09:00", PreferencesCloseAt: "2027-01-25T17:00",
			AllocationAt: "2027-01-26T09:00", AllocationSeed: "Staatsloterij 10 januari 2027"}))
		in := person("Rosa Rangschikker", "rosa@example.nl", "nl")
		in.Preferences = models.Rankings{f.writing.Slots[0].SlotID: {f.writing.ID, f.openData.ID}, f.ai.Slots[0].SlotID: {f.ai.ID}}
		res := must(s.Register(ctx, in))
		c := &Composer{Store: s, BaseURL: "https://dagplanner.example", Tickets: must(tickets.NewRenderer())}
		for _, tc := range []struct {
			lang string
			want []string
		}{
			{"nl", []string{"Je voorkeuren voor Dag van de Test zijn ontvangen", "dinsdag 26 januari 2027, 09:00",
				"10:00–11:00: 1. Helder schrijven, 2. Open data in de praktijk", "11:15–12:15: 1. AI en de Woo",
				"Tot maandag 25 januari 2027, 17:00", "https://dagplanner.example/boeking/"}},
			{"en", []string{"Your preferences for Dag van de Test were received", "Tuesday 26 January 2027, 09:00",
				"10:00–11:00: 1. Helder schrijven, 2. Open data in de praktijk", "https://dagplanner.example/boeking/"}},
		} {
			msg := models.OutboxMessage{ID: 950, Kind: models.MailPreferencesReceived, Recipient: "rosa@example.nl", Lang: tc.lang,
				RegistrationID: &res.Registration.ID}
			m, err := c.Compose(ctx, msg)
			if err != nil {
				t.Fatalf("Compose(%s): %v", tc.lang, err)
			}
			contains(t, tc.lang, m.Subject+"\n"+m.Text, tc.want...)
			if len(m.Attachments) != 0 {
				t.Errorf("%s: %d attachments, want no ticket before the allocation", tc.lang, len(m.Attachments))
			}
			for _, promise := range []string{"Je programma:", "Your programme:", "wachtlijst", "waiting list"} {
				if strings.Contains(m.Text, promise) {
					t.Errorf("%s: the e-mail speaks of %q before the allocation:\n%s", tc.lang, promise, m.Text)
				}
			}
		}
	})
}

package mail

import (
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestComposeErasureConfirmations(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date, Timezone: models.DefaultTimezone,
			ProposalsOpenAt: "2027-01-01T09:00", ProposalsCloseAt: "2027-01-25T17:00",
			VotingEnabled: true, VotingOpensAt: "2027-01-10T09:00"}))
		res := must(s.SubmitProposal(ctx, models.ProposalInput{Title: "Samen schrijven", Summary: "Kort.", Description: "Lang.",
			Format: "workshop", Slots: 1, MaxParticipants: 20, Speaker: models.ProposalSpeaker{Name: "Şükrü Öztürk",
				Email: "sukru@example.nl", Organisation: "Gemeente Zwolle"}, Consent: true, Lang: "en"}))
		must(s.EraseProposal(ctx, res.Proposal.ID))
		if err := s.RequestBallot(ctx, "kiezer@example.nl", "nl"); err != nil {
			t.Fatal(err)
		}
		var ballot models.OutboxMessage
		for _, m := range outbox(t, s) {
			if m.Kind == models.MailBallot {
				ballot = m
			}
		}
		voter := must(s.VoterByEmail(ctx, f.event.ID, "kiezer@example.nl"))
		must(s.EraseVoter(ctx, voter.ID))

		c := &Composer{Store: s, BaseURL: "https://dagplanner.example"}
		got := map[string]Message{}
		for _, m := range outbox(t, s) {
			if m.Kind == models.MailSpeakerErased || m.Kind == models.MailVoterErased {
				got[m.Kind] = must(c.Compose(ctx, m))
			}
			if m.ID == ballot.ID {
				t.Errorf("the waiting ballot e-mail %d was not withdrawn", m.ID)
			}
		}
		sp, v := got[models.MailSpeakerErased], got[models.MailVoterErased]
		if sp.To != "sukru@example.nl" || sp.Headers["Content-Language"] != "en" || !strings.Contains(sp.Subject, "erased") ||
			!strings.Contains(sp.Text, f.event.Name) {
			t.Errorf("speaker's confirmation to %q: %q\n%s", sp.To, sp.Subject, sp.Text)
		}
		if v.To != "kiezer@example.nl" || v.Headers["Content-Language"] != "nl" || !strings.Contains(v.Subject, "gewist") {
			t.Errorf("voter's confirmation to %q: %q\n%s", v.To, v.Subject, v.Text)
		}
		for _, m := range got {
			if strings.Contains(m.Text, "Öztürk") || strings.Contains(m.Text, "/voorstel") || strings.Contains(m.Text, "/stemmen") {
				t.Errorf("a confirmation names the person or carries a personal link:\n%s", m.Text)
			}
		}
	})
}

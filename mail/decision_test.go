package mail

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestDefaultDecisionTemplatesAreValid(t *testing.T) {
	for _, decision := range models.Decisions {
		for _, lang := range Langs {
			in, err := DefaultDecisionTemplate(decision, lang)
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, decision, err)
			}
			if p := CheckDecisionTemplate(in); len(p) != 0 {
				t.Errorf("default %s/%s template: problems %v", lang, decision, p)
			}
			if decision != models.ProposalRejected && !strings.Contains(in.Body, "{{.EditLink}}") {
				t.Errorf("default %s/%s template has no link to the speaker's page", lang, decision)
			}
		}
	}
}

var decisionLinkRE = regexp.MustCompile(`https://dagplanner\.example/voorstel/([A-Za-z0-9_-]{43})/bevestigen\n`)

func TestDecisionMailIsTheReviewedDraft(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date, Timezone: models.DefaultTimezone,
			ProposalsOpenAt: "2027-01-01T09:00", ProposalsCloseAt: "2027-01-25T17:00"}))
		submit := func(title, email, lang string) models.Proposal {
			return must(s.SubmitProposal(ctx, models.ProposalInput{Title: title, Summary: "Kort.", Description: "Lang.",
				Format: "workshop", Slots: 1, MaxParticipants: 20, Speaker: models.ProposalSpeaker{Name: "Şükrü Öztürk",
					Email: email, Organisation: "Gemeente Zwolle"}, Consent: true, Lang: lang})).Proposal
		}
		yes := submit("Samen <schrijven>", "ja@example.nl", "nl")
		later := submit("Later anders", "later@example.nl", "en")
		for id, status := range map[uint]string{yes.ID: models.ProposalAccepted, later.ID: models.ProposalReserve} {
			modelstest.SetProposalStatus(t, s, id, status)
		}
		must(s.SaveDecisionTemplate(ctx, f.event.ID, models.DecisionTemplateInput{Decision: "accepted", Lang: "nl",
			Subject: "Gekozen: {{.Title}}", Body: "Beste {{.Name}},\n\nop {{.Date}} graag!\n{{.ConfirmLink}}\n{{.DeclineLink}}\n"}, CheckDecisionTemplate))
		n := must(s.PrepareDecisionMails(ctx, f.event.ID, DecisionComposer(f.event, must(s.DecisionTemplates(ctx, f.event.ID)))))
		box := must(s.DecisionOutbox(ctx, f.event.ID))
		if n != 2 || len(box.Drafts) != 2 {
			t.Fatalf("prepared %d drafts, %d listed; want 2", n, len(box.Drafts))
		}
		must(s.DiscardPendingMail(ctx, "the test looks only at decision mails")) // the "received" mails
		ids := []uint{box.Drafts[0].ID, box.Drafts[1].ID}
		must(s.SendDecisionMails(ctx, f.event.ID, ids))
		// The reserve is accepted after its mail was released, before the worker sent it.
		modelstest.SetProposalStatus(t, s, later.ID, models.ProposalAccepted)

		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		runOnce(t, w, 1, 0)
		got := srv.Messages()
		if len(got) != 1 || got[0].To[0] != "ja@example.nl" {
			t.Fatalf("server got %d messages, want only the one to ja@example.nl (the reserve's is superseded)", len(got))
		}
		if subject := got[0].Header(t).Get("Subject"); subject != "Gekozen: Samen <schrijven>" {
			t.Errorf("subject %q, want the edited template's", subject)
		}
		body := got[0].Body(t)
		contains(t, "decision mail", body, "Beste Şükrü Öztürk,\n\nop woensdag 3 februari 2027 graag!\nhttps://dagplanner.example/voorstel/",
			"/afzeggen\n")
		m := decisionLinkRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no confirm link in\n%s", body)
		}
		if p, err := s.ProposalByToken(ctx, m[1]); err != nil || p.ID != yes.ID {
			t.Errorf("the confirm link finds %d (%v), want proposal %d", p.ID, err, yes.ID)
		}
		if strings.Contains(body, models.DecisionLink) {
			t.Error("the sent mail still holds the link marker")
		}
		if got, want := stats(t, s), (models.OutboxStats{Sent: 4}); got != want {
			t.Errorf("Outbox() = %+v, want %+v", got, want)
		}
		// The unsent mail is forgotten: when the organisers go back to "reserve", the
		// proposal waits for its mail again, and its speaker does not count as told.
		modelstest.SetProposalStatus(t, s, later.ID, models.ProposalReserve)
		box = must(s.DecisionOutbox(ctx, f.event.ID))
		if len(box.Waiting) != 1 || box.Waiting[0].ID != later.ID {
			t.Errorf("after the superseded mail, %d decisions wait for a mail, want 1 (the reserve never told)", len(box.Waiting))
		}
	})
}

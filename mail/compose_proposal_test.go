package mail

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestProposalTemplatesRender(t *testing.T) {
	full := proposalData{Name: "Şükrü Öztürk", Speaker: "Şükrü Öztürk", Event: "Dag van de Test", Title: "Samen schrijven",
		Link: "https://dagplanner.example/voorstel/tok", Deadline: "zondag 10 januari 2027, 17:00"}
	for _, data := range []struct {
		name string
		d    proposalData
	}{{"full", full}, {"empty", proposalData{}}} {
		for _, lang := range Langs {
			for _, kind := range ProposalKinds {
				subject, text, err := render(lang, kind, data.d)
				if err != nil {
					t.Fatalf("%s/%s/%s: render: %v", data.name, lang, kind, err)
				}
				if subject == "" || strings.Contains(subject+text, "<no value>") || strings.Contains(text, "Subject:") {
					t.Errorf("%s/%s/%s: got\n%s\n\n%s", data.name, lang, kind, subject, text)
				}
				if data.name == "full" && !strings.Contains(text, full.Link) || data.name == "full" && !strings.Contains(text, full.Deadline) {
					t.Errorf("%s/%s: text lacks the link or the deadline:\n%s", lang, kind, text)
				}
			}
		}
	}
}

var (
	editLink    = regexp.MustCompile(`https://dagplanner\.example/voorstel/([A-Za-z0-9_-]{43})\n`)
	confirmLink = regexp.MustCompile(`https://dagplanner\.example/voorstellen/medespreker/([A-Za-z0-9_-]{43})\n`)
)

func TestComposeProposalMails(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date, Timezone: models.DefaultTimezone,
			ProposalsOpenAt: "2027-01-01T09:00", ProposalsCloseAt: "2027-01-25T17:00"}))
		res := must(s.SubmitProposal(ctx, models.ProposalInput{Title: "Samen <schrijven>", Summary: "Kort.", Description: "Lang.",
			Format: "workshop", Slots: 1, MaxParticipants: 20, Speaker: models.ProposalSpeaker{Name: "Şükrü Öztürk",
				Email: "sukru@example.nl", Organisation: "Gemeente Zwolle"}, CoSpeakers: []string{"anna@example.nl"},
			Consent: true, Lang: "en"}))
		c := &Composer{Store: s, BaseURL: "https://dagplanner.example/"}
		msgs := outbox(t, s)
		if len(msgs) != 2 {
			t.Fatalf("outbox holds %d messages, want 2", len(msgs))
		}

		m := must(c.Compose(ctx, msgs[0]))
		if m.To != "sukru@example.nl" || m.Headers["Content-Language"] != "en" || m.Headers["Message-ID"] != messageID(t, s, msgs[0].ID) {
			t.Errorf("speaker's mail to %q headers %v", m.To, m.Headers)
		}
		contains(t, "speaker's mail", m.Subject+"\n"+m.Text, "Your proposal for Dag van de Test: Samen <schrijven>",
			"Hello Şükrü Öztürk", "Monday 25 January 2027, 17:00")
		link := editLink.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("no edit link in\n%s", m.Text)
		}
		if p, err := s.ProposalByToken(ctx, link[1]); err != nil || p.ID != res.Proposal.ID {
			t.Errorf("the edit link finds %d (%v), want proposal %d", p.ID, err, res.Proposal.ID)
		}

		msgs[1].Lang = "nl"
		m = must(c.Compose(ctx, msgs[1]))
		contains(t, "invitation", m.Subject+"\n"+m.Text, "Şükrü Öztürk noemt je als medespreker voor Dag van de Test", `"Samen <schrijven>"`)
		link = confirmLink.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("no confirmation link in\n%s", m.Text)
		}
		co, p, err := s.CoSpeakerByToken(ctx, link[1])
		if err != nil || co.Email != "anna@example.nl" || p.ID != res.Proposal.ID {
			t.Errorf("the confirmation link finds %q of %d (%v), want anna@example.nl of %d", co.Email, p.ID, err, res.Proposal.ID)
		}

		// A withdrawn proposal's mails, and an invitation to a removed co-speaker, are not sent.
		in := models.ProposalInput{Title: "x", Summary: "x", Description: "x", Format: "lecture", Slots: 1, MaxParticipants: 1,
			Speaker: models.ProposalSpeaker{Name: "x", Email: "sukru@example.nl", Organisation: "x"}, Consent: true}
		must(s.UpdateProposal(ctx, res.Proposal.ID, in))
		if _, err := c.Compose(ctx, msgs[1]); !errors.Is(err, ErrSuperseded) {
			t.Errorf("Compose for a removed co-speaker = %v, want ErrSuperseded", err)
		}
		must(s.WithdrawProposal(ctx, res.Proposal.ID))
		if _, err := c.Compose(ctx, msgs[0]); !errors.Is(err, ErrSuperseded) {
			t.Errorf("Compose for a withdrawn proposal = %v, want ErrSuperseded", err)
		}
	})
}

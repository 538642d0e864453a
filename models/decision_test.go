package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// setStatus stands in for the organisers' review, which another part of the code builds.
func setStatus(t *testing.T, s *models.Store, id uint, status string) {
	t.Helper()
	if err := s.DB().Model(&models.Proposal{}).Where("id = ?", id).Update("status", status).Error; err != nil {
		t.Fatal(err)
	}
}

const goodAccepted = "Hallo {{.Name}},\r\n\r\n\"{{.Title}}\" staat op {{.Event}} ({{.Date}}).\r\n{{if .ConfirmLink}}Bevestig: {{.ConfirmLink}}{{end}}\r\nAfzeggen: {{.DeclineLink}}\r\n{{/* commentaar */}}Je pagina: {{.EditLink}}\r\n"

func TestSaveDecisionTemplate(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		bad := models.DecisionTemplateInput{Decision: "accepted", Lang: "en", Subject: "Hi", Body: "No link {{.Nope}}"}
		_, err := s.SaveDecisionTemplate(ctx, f.event.ID, bad, mail.CheckDecisionTemplate)
		wantProblem(t, err, "body", "decision.unknown_field")
		if n := count(t, s, &models.DecisionTemplate{}); n != 0 {
			t.Fatalf("a refused template stored %d rows", n)
		}
		in := models.DecisionTemplateInput{Decision: "accepted", Lang: "en", Subject: "Hi {{.Name}}", Body: goodAccepted}
		must(s.SaveDecisionTemplate(ctx, f.event.ID, in, mail.CheckDecisionTemplate))
		in.Subject = "Hello {{.Name}}"
		must(s.SaveDecisionTemplate(ctx, f.event.ID, in, mail.CheckDecisionTemplate))
		must(s.SaveDecisionTemplate(ctx, f.event.ID, models.DecisionTemplateInput{Decision: "accepted", Lang: "nl", Subject: "Hoi", Body: goodAccepted}, mail.CheckDecisionTemplate))
		got := must(s.DecisionTemplates(ctx, f.event.ID))
		if len(got) != 2 || got[0].Subject != "Hello {{.Name}}" || got[0].Lang != "en" || strings.Contains(got[0].Body, "\r") {
			t.Fatalf("stored templates %+v, want the second English save (LF line ends) and the Dutch one", got)
		}
		if err := s.ResetDecisionTemplate(ctx, f.event.ID, "accepted", "en"); err != nil {
			t.Fatal(err)
		}
		if got := must(s.DecisionTemplates(ctx, f.event.ID)); len(got) != 1 || got[0].Lang != "nl" {
			t.Errorf("after reset: %+v, want only the Dutch template", got)
		}
	})
}

// testComposer writes drafts as package mail does, from one fixed template.
func testComposer(p models.Proposal) (string, string, error) {
	confirm, decline, edit := mail.DecisionLinks()
	return mail.RenderDecision("{{.Title}}: "+p.Status, goodAccepted,
		mail.DecisionData{Name: p.SpeakerName, Title: p.Title, Event: "Dag", ConfirmLink: confirm, DeclineLink: decline, EditLink: edit})
}

func submitN(t *testing.T, s *models.Store, n int) []models.Proposal {
	t.Helper()
	var out []models.Proposal
	for i := range n {
		in := proposalInput()
		in.Title = "Voorstel " + strconv.Itoa(i+1)
		in.Speaker.Email = "spreker" + strconv.Itoa(i+1) + "@example.nl"
		in.CoSpeakers = nil
		out = append(out, must(s.SubmitProposal(ctx, in)).Proposal)
	}
	return out
}

func decisionMessages(t *testing.T, s *models.Store) []models.OutboxMessage {
	t.Helper()
	var msgs []models.OutboxMessage
	if err := s.DB().Where("kind = ?", models.MailDecision).Order("id").Find(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	return msgs
}

func draftIDs(o models.DecisionOutbox) []uint {
	var ids []uint
	for _, d := range o.Drafts {
		ids = append(ids, d.ID)
	}
	return ids
}

func TestDecisionDraftsAndSending(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		ps := submitN(t, s, 4)
		setStatus(t, s, ps[0].ID, models.ProposalAccepted)
		setStatus(t, s, ps[1].ID, models.ProposalRejected)
		setStatus(t, s, ps[2].ID, models.ProposalReserve)
		// ps[3] stays submitted: no decision, no e-mail.

		o := must(s.DecisionOutbox(ctx, f.event.ID))
		if len(o.Waiting) != 3 || len(o.Drafts) != 0 || len(o.Queued) != 0 {
			t.Fatalf("before preparing: %d waiting, %d drafts, %d queued; want 3, 0, 0", len(o.Waiting), len(o.Drafts), len(o.Queued))
		}
		if n := must(s.PrepareDecisionMails(ctx, f.event.ID, testComposer)); n != 3 {
			t.Fatalf("PrepareDecisionMails made %d drafts, want 3", n)
		}
		if n := must(s.PrepareDecisionMails(ctx, f.event.ID, testComposer)); n != 0 {
			t.Errorf("preparing again made %d drafts, want 0: reviewed drafts stay", n)
		}
		o = must(s.DecisionOutbox(ctx, f.event.ID))
		if len(o.Waiting) != 0 || len(o.Drafts) != 3 {
			t.Fatalf("after preparing: %d waiting, %d drafts; want 0, 3", len(o.Waiting), len(o.Drafts))
		}
		d := o.Drafts[0]
		if d.ProposalID != ps[0].ID || d.Decision != "accepted" || d.Recipient != "spreker1@example.nl" || d.Lang != "en" ||
			d.Subject != "Voorstel 1: accepted" || !strings.Contains(d.Body, models.DecisionLink+"/bevestigen") || d.Stale {
			t.Errorf("first draft %+v", d)
		}
		if n := len(decisionMessages(t, s)); n != 0 {
			t.Fatalf("preparing put %d messages in the outbox, want none before sending", n)
		}

		// The decision changes after the draft: sending refuses, and nothing goes out.
		setStatus(t, s, ps[2].ID, models.ProposalAccepted)
		o = must(s.DecisionOutbox(ctx, f.event.ID))
		if !o.Drafts[2].Stale || o.Drafts[0].Stale {
			t.Fatalf("stale flags %v %v %v, want only the third draft stale", o.Drafts[0].Stale, o.Drafts[1].Stale, o.Drafts[2].Stale)
		}
		if _, err := s.SendDecisionMails(ctx, f.event.ID, draftIDs(o)); !errors.Is(err, models.ErrStaleDraft) {
			t.Fatalf("SendDecisionMails with a stale draft = %v, want ErrStaleDraft", err)
		}
		if n := len(decisionMessages(t, s)); n != 0 {
			t.Fatalf("a refused send put %d messages in the outbox", n)
		}
		if o2 := must(s.DecisionOutbox(ctx, f.event.ID)); len(o2.Queued) != 0 {
			t.Fatalf("a refused send marked %d drafts queued", len(o2.Queued))
		}
		// Preparing again replaces the stale draft only.
		if n := must(s.PrepareDecisionMails(ctx, f.event.ID, testComposer)); n != 1 {
			t.Fatalf("preparing after the change made %d drafts, want 1", n)
		}
		o = must(s.DecisionOutbox(ctx, f.event.ID))
		if len(o.Drafts) != 3 || o.Drafts[2].Decision != "accepted" || o.Drafts[2].Stale {
			t.Fatalf("drafts after re-preparing: %+v", o.Drafts)
		}
		// Drafts other than the reviewed ones: refused.
		for _, ids := range [][]uint{draftIDs(o)[:2], append(draftIDs(o), 9999), nil} {
			if _, err := s.SendDecisionMails(ctx, f.event.ID, ids); !errors.Is(err, models.ErrDraftsChanged) {
				t.Errorf("SendDecisionMails(%v) = %v, want ErrDraftsChanged", ids, err)
			}
		}
		// Discarding one draft and preparing again composes it afresh.
		if err := s.DiscardDecisionDraft(ctx, f.event.ID, o.Drafts[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DiscardDecisionDraft(ctx, f.event.ID, o.Drafts[1].ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("discarding twice = %v, want ErrNotFound", err)
		}
		must(s.PrepareDecisionMails(ctx, f.event.ID, testComposer))
		o = must(s.DecisionOutbox(ctx, f.event.ID))

		n, err := s.SendDecisionMails(ctx, f.event.ID, draftIDs(o))
		if err != nil || n != 3 {
			t.Fatalf("SendDecisionMails = %d, %v; want 3", n, err)
		}
		msgs := decisionMessages(t, s)
		if len(msgs) != 3 {
			t.Fatalf("outbox holds %d decision messages, want 3", len(msgs))
		}
		for i, m := range msgs {
			draftID := must(strconv.ParseUint(m.Payload, 10, 64))
			draft := must(s.DecisionMail(ctx, uint(draftID)))
			if draft.QueuedAt == nil || m.Recipient != draft.Recipient || *m.ProposalID != draft.ProposalID || m.Lang != "en" {
				t.Errorf("message %d %+v for draft %+v", i, m, draft)
			}
		}
		o = must(s.DecisionOutbox(ctx, f.event.ID))
		if len(o.Waiting) != 0 || len(o.Drafts) != 0 || len(o.Queued) != 3 {
			t.Errorf("after sending: %d waiting, %d drafts, %d queued; want 0, 0, 3", len(o.Waiting), len(o.Drafts), len(o.Queued))
		}
		if _, err := s.SendDecisionMails(ctx, f.event.ID, draftIDs(o)); !errors.Is(err, models.ErrDraftsChanged) {
			t.Errorf("sending nothing = %v, want ErrDraftsChanged", err)
		}
		// A reserve that is accepted later waits for its new e-mail.
		setStatus(t, s, ps[1].ID, models.ProposalReserve)
		if o = must(s.DecisionOutbox(ctx, f.event.ID)); len(o.Waiting) != 1 || o.Waiting[0].ID != ps[1].ID {
			t.Errorf("after a changed decision %d waiting, want proposal %d", len(o.Waiting), ps[1].ID)
		}
	})
}

package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func messageInput(a models.Audience) models.MessageInput {
	return models.MessageInput{Audience: a, SubjectNL: "Nieuws over {evenement}", BodyNL: "Hallo {naam},\n\n{sessies}\n\n{persoonlijke_link}",
		SubjectEN: "News about {event}", BodyEN: "Hello {name},\n\n{sessions}\n\n{personal_link}"}
}

// TestMessageValidation: unknown placeholders, placeholders that do not fit the group or a
// subject, and half an English version are refused with a problem on the field.
func TestMessageValidation(t *testing.T) {
	for _, tc := range []struct {
		name       string
		change     func(*models.MessageInput)
		field, key string
	}{
		{"unknown placeholder", func(in *models.MessageInput) { in.BodyNL = "Hallo {voornaam}" }, "body_nl", "message.unknown_placeholder"},
		{"English unknown", func(in *models.MessageInput) { in.BodyEN = "Hi {firstname}" }, "body_en", "message.unknown_placeholder"},
		{"venue for speakers", func(in *models.MessageInput) { in.Audience.Kind = models.AudienceSpeakers; in.BodyNL = "In {locatie}" },
			"body_nl", "message.placeholder_not_for_group"},
		{"name for reviewers", func(in *models.MessageInput) {
			in.Audience.Kind = models.AudienceReviewers
			in.BodyNL, in.BodyEN, in.SubjectEN = "Beste {naam}", "", ""
		}, "body_nl", "message.placeholder_not_for_group"},
		{"sessions in a subject", func(in *models.MessageInput) { in.SubjectNL = "Jouw {sessies}" }, "subject_nl", "message.placeholder_not_in_subject"},
		{"link in a subject", func(in *models.MessageInput) { in.SubjectEN = "{personal_link}" }, "subject_en", "message.placeholder_not_in_subject"},
		{"English subject without text", func(in *models.MessageInput) { in.BodyEN = "" }, "body_en", "form.required"},
		{"no Dutch subject", func(in *models.MessageInput) { in.SubjectNL = " " }, "subject_nl", "form.required"},
		{"subject on two lines", func(in *models.MessageInput) { in.SubjectNL = "Een\nTwee" }, "subject_nl", "form.control_chars"},
		{"a name to voters", func(in *models.MessageInput) {
			in.Audience.Kind = models.AudienceVoters
			in.BodyNL, in.BodyEN = "Stem, {naam}!", "Vote!"
		}, "body_nl", "message.placeholder_not_for_group"},
		{"a filter of another group", func(in *models.MessageInput) { in.Audience.ProposalStatus = models.ProposalAccepted },
			"proposal_status", "audience.not_for_group"},
	} {
		in := messageInput(models.Audience{})
		tc.change(&in)
		if got := in.Validate()[tc.field].Key; got != tc.key {
			t.Errorf("%s: problem on %q = %q (all %v), want %q", tc.name, tc.field, got, in.Validate(), tc.key)
		}
	}
	in := messageInput(models.Audience{})
	in.BodyNL = "Hallo {Naam}, {NAME} {evenement} — accolades {zonder betekenis} blijven staan."
	if p := in.Validate(); len(p) != 0 {
		t.Errorf("placeholders in any case, and braces around words with spaces: %v, want no problems", p)
	}
	if got := models.FillPlaceholders(in.BodyNL, map[string]string{"naam": "Zoë", "evenement": "Dag"}); got != "Hallo Zoë, Zoë Dag — accolades {zonder betekenis} blijven staan." {
		t.Errorf("FillPlaceholders = %q", got)
	}
}

func outboxOfMessage(t *testing.T, s *models.Store, id uint) []models.OutboxMessage {
	t.Helper()
	var rows []models.OutboxMessage
	if err := s.DB().Where("message_id = ?", id).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSendMessageOncePerPerson: the confirmed number must still be right, a person is
// queued once (however often sending is asked for, by two processes at once), at a steady
// pace, and the audit trail names who sent it.
func TestSendMessageOncePerPerson(t *testing.T) {
	t.Parallel()
	modelstest.EachShared(t, func(t *testing.T, s, other *models.Store) {
		p := newPopulation(t, s)
		now := s.Now()
		other.SetClock(func() time.Time { return now })
		in := messageInput(models.Audience{Status: models.StatusConfirmed})
		in.FormKey = "formulier-1"
		m := must(s.CreateMessage(ctx, p.f.event.ID, organiser, in))
		again := must(s.CreateMessage(ctx, p.f.event.ID, organiser, in))
		if again.ID != m.ID || m.Status() != models.MessageDraft {
			t.Fatalf("the same form twice made messages %d and %d (%s), want one draft", m.ID, again.ID, m.Status())
		}

		if _, err := s.SendMessage(ctx, organiser, m.ID, 3); !errors.Is(err, models.ErrRecipientsChanged) {
			t.Fatalf("SendMessage with 3 confirmed = %v, want ErrRecipientsChanged", err)
		}
		if rows := outboxOfMessage(t, s, m.ID); len(rows) != 0 || must(s.Message(ctx, m.ID)).Status() != models.MessageDraft {
			t.Fatalf("a refused send queued %d e-mails", len(rows))
		}
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, st := range []*models.Store{s, other} {
			wg.Go(func() { _, results[i] = st.SendMessage(ctx, organiser, m.ID, 4) })
		}
		wg.Wait()
		if (results[0] == nil) == (results[1] == nil) || !errors.Is(errors.Join(results...), models.ErrMessageDone) {
			t.Fatalf("two sends at once: %v; want one to send and one ErrMessageDone", results)
		}
		rows := outboxOfMessage(t, s, m.ID)
		if len(rows) != 4 {
			t.Fatalf("queued %d e-mails, want 4 (ann once)", len(rows))
		}
		seen := map[string]bool{}
		for i, r := range rows {
			if seen[r.Recipient] || r.UniqueKey == nil || r.Kind != models.MailMessage {
				t.Errorf("row %+v: want one row per address, with its unique key", r)
			}
			seen[r.Recipient] = true
			if want := now.Add(time.Duration(i) * time.Second / models.MessageRate); !r.NextAttemptAt.Equal(want) {
				t.Errorf("row %d due at %v, want %v (a steady pace)", i, r.NextAttemptAt, want)
			}
			payload := must(models.ParseMessagePayload(r.Payload))
			if payload.MessageID != m.ID || payload.Group != models.AudienceAttendees || r.RegistrationID == nil || *r.RegistrationID != payload.PersonID {
				t.Errorf("row %+v: payload %+v", r, payload)
			}
		}
		if r := rows[0]; r.Recipient != "Ann@Example.nl" || *r.RegistrationID != p.ann.ID {
			t.Errorf("first row %s (registration %d), want Ann's active registration %d", r.Recipient, *r.RegistrationID, p.ann.ID)
		}
		// A retry that somehow got past the queued mark is stopped by the unique key.
		dup := rows[0]
		dup.ID = 0
		if err := s.DB().Create(&dup).Error; err == nil {
			t.Errorf("a second row for %s of message %d was accepted", dup.Recipient, m.ID)
		}
		sent := must(s.Message(ctx, m.ID))
		if sent.Status() != models.MessageQueued || sent.Recipients != 4 || sent.SentBy.Name != organiser.Name {
			t.Errorf("message after sending: %+v", sent)
		}
		var audit []models.AuditEntry
		if err := s.DB().Where("subject_kind = ? AND subject_id = ? AND action <> ?", models.SubjectMessage, m.ID, models.ActionMessageCreated).Find(&audit).Error; err != nil || len(audit) != 1 ||
			audit[0].Action != "message.sent" || audit[0].ActorName != organiser.Name {
			t.Errorf("audit %+v (%v), want one message.sent by the organiser", audit, err)
		}
		if _, err := s.UpdateMessage(ctx, m.ID, in); !errors.Is(err, models.ErrMessageDone) {
			t.Errorf("changing a sent message = %v, want ErrMessageDone", err)
		}
	})
}

// TestScheduleAndCancelMessage: a planned message is queued by the periodic job once its
// time has come and not before; cancelling takes back what is still in the outbox.
func TestScheduleAndCancelMessage(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		p := newPopulation(t, s)
		clock := s.Now()
		s.SetClock(func() time.Time { return clock })
		m := must(s.CreateMessage(ctx, p.f.event.ID, organiser, messageInput(models.Audience{Kind: models.AudienceSpeakers})))

		wantProblem(t, s.ScheduleMessage(ctx, organiser, m.ID, clock.Add(-time.Minute)), "send_at", "message.send_at_past")
		wantProblem(t, s.ScheduleMessage(ctx, organiser, m.ID, clock.AddDate(1, 0, 1)), "send_at", "message.send_at_far")
		at := clock.Add(2 * time.Hour)
		if err := s.ScheduleMessage(ctx, organiser, m.ID, at); err != nil {
			t.Fatal(err)
		}
		for _, step := range []time.Duration{0, time.Hour, time.Hour - time.Second} {
			clock = clock.Add(step)
			if err := s.QueueDueMessages(ctx); err != nil {
				t.Fatal(err)
			}
			if rows := outboxOfMessage(t, s, m.ID); len(rows) != 0 {
				t.Fatalf("at %v (planned %v) %d e-mails were queued already", clock, at, len(rows))
			}
		}
		clock = clock.Add(time.Second)
		for range 2 {
			if err := s.QueueDueMessages(ctx); err != nil {
				t.Fatal(err)
			}
		}
		rows := outboxOfMessage(t, s, m.ID)
		if len(rows) != 2 || must(s.Message(ctx, m.ID)).Recipients != 2 {
			t.Fatalf("at the planned time %d e-mails were queued, want 2 (the speakers, once)", len(rows))
		}
		for _, r := range rows {
			if r.NextAttemptAt.Before(at) {
				t.Errorf("e-mail to %s due at %v, before its time %v", r.Recipient, r.NextAttemptAt, at)
			}
		}
		// One e-mail is being sent (leased), the other waits: cancelling takes back the other.
		leased := rows[0].ID
		if err := s.DB().Model(&models.OutboxMessage{}).Where("id = ?", leased).Update("locked_until", clock.Add(time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
		if n := must(s.CancelMessage(ctx, organiser, m.ID)); n != 1 {
			t.Errorf("CancelMessage withdrew %d, want 1", n)
		}
		if rows := outboxOfMessage(t, s, m.ID); len(rows) != 1 || rows[0].ID != leased {
			t.Errorf("after cancelling, %d e-mails left, want the one being sent", len(rows))
		}
		// The worker that held it finds the message cancelled and forgets it unsent.
		if err := s.ForgetMessageMail(ctx, leased, m.ID, true); err != nil {
			t.Fatal(err)
		}
		got := must(s.Message(ctx, m.ID))
		if got.Status() != models.MessageCancelled || got.Withdrawn != 2 || len(outboxOfMessage(t, s, m.ID)) != 0 {
			t.Errorf("cancelled message %+v: want 2 withdrawn and none left", got)
		}
		if _, err := s.CancelMessage(ctx, organiser, m.ID); !errors.Is(err, models.ErrMessageDone) {
			t.Errorf("cancelling twice = %v, want ErrMessageDone", err)
		}

		// A draft is cancelled without ever being queued; a planned one is never queued.
		d := must(s.CreateMessage(ctx, p.f.event.ID, organiser, messageInput(models.Audience{})))
		must(0, s.ScheduleMessage(ctx, organiser, d.ID, clock.Add(time.Hour)))
		must(s.CancelMessage(ctx, organiser, d.ID))
		clock = clock.Add(2 * time.Hour)
		must(0, s.QueueDueMessages(ctx))
		if n := len(outboxOfMessage(t, s, d.ID)); n != 0 {
			t.Errorf("a cancelled planned message queued %d e-mails", n)
		}
		if _, err := s.SendMessage(ctx, organiser, d.ID, -1); !errors.Is(err, models.ErrMessageDone) {
			t.Errorf("sending a cancelled message = %v, want ErrMessageDone", err)
		}
		list := must(s.Messages(ctx, p.f.event.ID, nil))
		if len(list) != 2 || list[0].ID != d.ID || list[1].Counts != (models.MessageCounts{}) {
			t.Errorf("Messages: %+v", list)
		}
		if scoped := must(s.Messages(ctx, p.f.event.ID, []uint{p.f.venue.ID})); len(scoped) != 0 {
			t.Errorf("a venue's organiser sees %d messages written for the whole event", len(scoped))
		}
	})
}

// TestMessageKeepsItsAudience: the audience is stored as chosen, an empty list of ids
// (nobody) included, so the message reaches at sending time whom the organiser chose.
func TestMessageKeepsItsAudience(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, a := range []models.Audience{
			{IDs: []uint{}, Scope: []uint{f.venue.ID}},
			{Kind: models.AudienceSpeakers, ProposalStatus: models.ProposalAccepted, VenueID: f.venue.ID, From: &from, Query: "zoë"},
		} {
			m := must(s.CreateMessage(ctx, f.event.ID, organiser, messageInput(a)))
			got := must(s.Message(ctx, m.ID)).Audience
			if (got.IDs == nil) != (a.IDs == nil) || len(got.Scope) != len(a.Scope) || got.Kind != a.Kind || got.ProposalStatus != a.ProposalStatus ||
				got.VenueID != a.VenueID || (got.From == nil) != (a.From == nil) || got.Query != a.Query {
				t.Errorf("stored audience %+v, want %+v", got, a)
			}
		}
	})
}

package models_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestCoSpeakerReinvitedAtMostOnceADay checks issue #12 point 3: taking a co-speaker off a
// proposal and putting them back, again and again, queues no more than one invitation a day
// for them, and the one that waits leads to the co-speaker as they now are.
func TestCoSpeakerReinvitedAtMostOnceADay(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		in := proposalInput()
		in.CoSpeakers = []string{"anna@example.nl"}
		res := must(s.SubmitProposal(ctx, in))
		id := res.Proposal.ID
		invites := func() []models.OutboxMessage {
			t.Helper()
			var msgs []models.OutboxMessage
			if err := s.DB().Where("proposal_id = ? AND kind = ?", id, models.MailCoSpeakerInvite).Order("id").Find(&msgs).Error; err != nil {
				t.Fatal(err)
			}
			return msgs
		}
		markSent := func() {
			t.Helper()
			if err := s.DB().Model(&models.OutboxMessage{}).Where("sent_at IS NULL").Update("sent_at", now).Error; err != nil {
				t.Fatal(err)
			}
		}
		markSent() // the first invitation went out
		for i := range 20 {
			now = now.Add(time.Minute)
			in.CoSpeakers = nil
			must(s.UpdateProposal(ctx, id, in))
			in.CoSpeakers = []string{"Anna@Example.nl"}
			if i == 10 {
				in.CoSpeakers = []string{"anna@example.nl", "bram@example.nl"}
			}
			must(s.UpdateProposal(ctx, id, in))
		}
		msgs := invites()
		if len(msgs) != 3 {
			t.Fatalf("after 20 times off and on: %d invitations, want 3 (the first, one a day later, Bram's)", len(msgs))
		}
		later := msgs[1]
		if !later.NextAttemptAt.Equal(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)) || later.SentAt != nil {
			t.Errorf("the second invitation is due %v (sent %v), want 2 December 12:00 and waiting", later.NextAttemptAt, later.SentAt)
		}
		p := must(s.Proposal(ctx, id))
		anna := p.CoSpeakers[0]
		if anna.EmailKey != "anna@example.nl" || later.Payload != idString(anna.ID) {
			t.Errorf("the waiting invitation names co-speaker %s, want Anna as she now is (%d)", later.Payload, anna.ID)
		}
		if msgs[2].Recipient != "bram@example.nl" || !msgs[2].NextAttemptAt.Before(later.NextAttemptAt) {
			t.Errorf("Bram's invitation got %s due %v, want him invited at once", msgs[2].Recipient, msgs[2].NextAttemptAt)
		}

		// A day after the last invitation, taking her off and back invites her again at once.
		markSent()
		now = time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC)
		in.CoSpeakers = nil
		must(s.UpdateProposal(ctx, id, in))
		in.CoSpeakers = []string{"anna@example.nl"}
		must(s.UpdateProposal(ctx, id, in))
		msgs = invites()
		if last := msgs[len(msgs)-1]; len(msgs) != 4 || last.Recipient != "anna@example.nl" || !last.NextAttemptAt.Equal(now) {
			t.Errorf("a day later: %d invitations, the last to %s due %v; want a 4th to Anna at once", len(msgs), last.Recipient, last.NextAttemptAt)
		}
	})
}

func idString(id uint) string { return strconv.Itoa(int(id)) }

package models_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestVoteContacts: voters who ask to hear about the vote can be written to until voting
// closes, and no longer; their address is kept apart from their ballot and forgotten when
// voting closes.
func TestVoteContacts(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		p := newPopulation(t, s) // voting open until 2027-01-20 17:00; two voters without contact
		voters := models.Audience{Kind: models.AudienceVoters}
		must(0, s.RequestBallot(ctx, "stemmer3@example.nl", "nl"))
		must(0, s.KeepVoterInformed(ctx, " Stemmer3@Example.nl", "nl"))
		must(0, s.KeepVoterInformed(ctx, "stemmer3@example.nl", "en")) // again: one person, now in English
		must(0, s.KeepVoterInformed(ctx, "stemmer1@example.nl", "nl"))
		if got := addresses(t, s, voters); !slices.Equal(got, []string{"stemmer1@example.nl", "stemmer3@example.nl"}) {
			t.Fatalf("voters to write to %q", got)
		}
		var langs []string
		must(0, s.EachRecipient(ctx, voters, func(r models.Recipient) error {
			langs = append(langs, r.Lang)
			return nil
		}))
		if !slices.Equal(langs, []string{"nl", "en"}) {
			t.Errorf("languages %v, want nl and en", langs)
		}
		if n := must(s.CountAudience(ctx, models.Audience{Kind: models.AudienceVoters, Scope: []uint{p.f.venue.ID}})); n != 0 {
			t.Errorf("voters in a venue's scope %d, want 0: they belong to no venue", n)
		}
		if err := s.KeepVoterInformed(ctx, "geen adres", "nl"); err == nil {
			t.Error("a bad address was kept")
		}

		// A message to them goes to each once, in their language, with the event's details.
		organiser := models.Actor{Kind: models.ActorCLI, Name: "test"}
		in := models.MessageInput{Audience: voters, SubjectNL: "Nog één dag stemmen", BodyNL: "Stem op {evenement}.",
			SubjectEN: "One day left", BodyEN: "Vote for {event}."}
		m := must(s.CreateMessage(ctx, p.f.event.ID, organiser, in))
		if n := must(s.SendMessage(ctx, organiser, m.ID, 2)); n != 2 {
			t.Fatalf("queued %d, want 2", n)
		}
		// They are due one after another (MessageRate a second): claim them a while later.
		s.SetClock(func() time.Time { return time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC) })
		msgs := must(s.ClaimOutbox(ctx, 1000, time.Minute))
		var toVoters []models.OutboxMessage
		for _, o := range msgs {
			if o.MessageID != nil && *o.MessageID == m.ID {
				toVoters = append(toVoters, o)
			}
		}
		if len(toVoters) != 2 {
			t.Fatalf("%d e-mails of the message, want 2", len(toVoters))
		}
		ref := must(models.ParseMessagePayload(toVoters[0].Payload))
		person := must(s.MessagePerson(ctx, m.Audience, ref.Group, ref.PersonID))
		if person.Gone || person.Email != toVoters[0].Recipient {
			t.Errorf("the e-mail's person %+v, want %s", person, toVoters[0].Recipient)
		}

		// Voting closes: from that moment nobody is written to, even before the job runs;
		// then the job forgets the addresses, and nobody can be added.
		s.SetClock(func() time.Time { return time.Date(2027, 1, 20, 17, 0, 0, 0, time.UTC) })
		if n := must(s.CountAudience(ctx, voters)); n != 0 {
			t.Errorf("after voting closed: %d voters to write to, want 0", n)
		}
		if person := must(s.MessagePerson(ctx, m.Audience, ref.Group, ref.PersonID)); !person.Gone {
			t.Error("after voting closed, a queued e-mail to a voter would still go out")
		}
		if n := must(s.ForgetVoteContacts(ctx)); n != 2 {
			t.Errorf("forgot %d addresses, want 2", n)
		}
		if n := must(s.ForgetVoteContacts(ctx)); n != 0 {
			t.Errorf("forgot %d addresses the second time, want 0", n)
		}
		if err := s.KeepVoterInformed(ctx, "laat@example.nl", "nl"); !errors.Is(err, models.ErrVotingClosed) {
			t.Errorf("keeping an address after voting closed: %v, want ErrVotingClosed", err)
		}
	})
}

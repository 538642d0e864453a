package models_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestExportAndEraseVoter(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newVotingFixture(t, s)
		p1, p2, p3 := f.proposals[0].ID, f.proposals[1].ID, f.proposals[2].ID
		anna, annaToken := ballot(t, s, "anna.jansen@rijksoverheid.nl")
		must(0, s.KeepVoterInformed(ctx, "anna.jansen@rijksoverheid.nl", "en"))
		must(s.CastVotes(ctx, annaToken, []uint{p1, p2}))
		_, bobToken := ballot(t, s, "bob.bakker@minbzk.nl")
		must(0, s.KeepVoterInformed(ctx, "bob.bakker@minbzk.nl", "nl"))
		must(s.CastVotes(ctx, bobToken, []uint{p1, p2, p3}))
		sendAll(t, s)
		// Carla asks, and her ballot e-mail is still waiting when she erases.
		carla, _ := ballot(t, s, "carla.smit@rijksoverheid.nl")

		exp := must(s.ExportVoter(ctx, anna.ID))
		if exp.Votes != 2 || exp.VotedAt == nil || exp.Contact == nil || exp.Contact.Email != "anna.jansen@rijksoverheid.nl" ||
			exp.Contact.Lang != "en" || exp.MailsWaiting != 0 {
			t.Errorf("anna's export %+v, want 2 votes and her contact address", exp)
		}
		raw := string(must(json.Marshal(exp)))
		for _, leak := range []string{"bob", "carla", "proposal", "Voorstel"} {
			if strings.Contains(strings.ToLower(raw), strings.ToLower(leak)) {
				t.Errorf("anna's export holds %q: %s", leak, raw)
			}
		}
		if c := must(s.ExportVoter(ctx, carla.ID)); c.Votes != 0 || c.Contact != nil || c.MailsWaiting != 1 {
			t.Errorf("carla's export %+v, want no votes, no contact, one e-mail waiting", c)
		}

		counts := must(s.VoteCounts(ctx, f.event.ID))
		interests := must(s.VoterInterests(ctx, f.event.ID))
		someTraces(t, s, "anna.jansen@rijksoverheid.nl")
		got, err := s.EraseVoter(ctx, anna.ID)
		if err != nil || got.Votes != 2 || !got.Confirmed {
			t.Fatalf("EraseVoter(anna) = %+v, %v; want 2 votes kept, confirmed", got, err)
		}
		if _, err := s.VoterOfLink(ctx, annaToken); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("anna's ballot link after erasure = %v, want ErrNotFound", err)
		}
		got, err = s.EraseVoter(ctx, carla.ID)
		if err != nil || got.Votes != 0 || !got.Confirmed {
			t.Fatalf("EraseVoter(carla) = %+v, %v; want confirmed to the waiting ballot's address", got, err)
		}
		var erased []models.OutboxMessage
		if err := s.DB().Where("kind IN ?", []string{models.MailBallot, models.MailVoterErased}).Where("sent_at IS NULL").
			Order("id").Find(&erased).Error; err != nil {
			t.Fatal(err)
		}
		var waiting []string
		for _, m := range erased {
			waiting = append(waiting, m.Kind+" "+m.Recipient+" "+m.Lang)
		}
		if want := []string{"voter_erased anna.jansen@rijksoverheid.nl en", "voter_erased carla.smit@rijksoverheid.nl nl"}; !slices.Equal(waiting, want) {
			t.Errorf("waiting e-mails %q, want %q (carla's ballot withdrawn)", waiting, want)
		}
		sendAll(t, s)

		if after := must(s.VoteCounts(ctx, f.event.ID)); !mapsEqual(after, counts) {
			t.Errorf("vote counts %v after erasure, want %v", after, counts)
		}
		if after := must(s.VoterInterests(ctx, f.event.ID)); len(after) != len(interests) {
			t.Errorf("voter interests %v after erasure, want %v", after, interests)
		}
		if _, err := s.VoterByEmail(ctx, f.event.ID, "anna.jansen@rijksoverheid.nl"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("anna's address still finds a voter: %v", err)
		}
		noTraces(t, s, "anna.jansen@rijksoverheid.nl", "carla.smit@rijksoverheid.nl")
		someTraces(t, s, "bob.bakker@minbzk.nl") // bob kept his contact address
		if check := must(s.VerifyAudit(ctx)); check.Broken != nil {
			t.Errorf("audit chain after erasure: %+v", check)
		}
		trail := must(s.AuditTrail(ctx, models.SubjectVoter, anna.ID))
		if len(trail) != 1 || trail[0].Action != models.ActionVoterErased || trail[0].ActorKind != models.ActorPerson {
			t.Errorf("anna's trail %+v, want the erasure by the person", trail)
		}
		if _, err := s.EraseVoter(ctx, 9999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("erasing no voter = %v, want ErrNotFound", err)
		}
	})
}

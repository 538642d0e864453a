package models_test

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// votingFixture is the fixture with four proposals, voting open from 1 until 20 January
// 2027 (Amsterdam time) with at most 3 votes each, for addresses at rijksoverheid.nl and
// its subdomains, and the clock at 5 January.
type votingFixture struct {
	fixture
	proposals []models.Proposal // submitted, accepted, rejected, withdrawn
	closesAt  time.Time
}

func newVotingFixture(t *testing.T, s *models.Store) votingFixture {
	t.Helper()
	f := votingFixture{fixture: newFixture(t, s)}
	openCall(t, s, f.fixture)
	for i, status := range []string{models.ProposalSubmitted, models.ProposalAccepted, models.ProposalRejected, models.ProposalWithdrawn} {
		in := proposalInput()
		in.Title = fmt.Sprintf("Voorstel %d", i+1)
		in.CoSpeakers = nil
		res := must(s.SubmitProposal(ctx, in))
		if err := s.DB().Model(&models.Proposal{}).Where("id = ?", res.Proposal.ID).Update("status", status).Error; err != nil {
			t.Fatal(err)
		}
		f.proposals = append(f.proposals, must(s.Proposal(ctx, res.Proposal.ID)))
	}
	must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date,
		VotingEnabled: true, VotingOpensAt: "2027-01-01T09:00", VotingClosesAt: "2027-01-20T17:00", VotesPerVoter: 3,
		VotingDomains: "Rijksoverheid.nl,\n minbzk.nl", VotingCountsPublic: true}))
	s.SetClock(func() time.Time { return time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC) })
	f.closesAt = time.Date(2027, 1, 20, 16, 0, 0, 0, time.UTC)
	return f
}

// ballot asks for a ballot for email and returns a personal link token for it, as the
// e-mail would carry it.
func ballot(t *testing.T, s *models.Store, email string) (models.Voter, string) {
	t.Helper()
	if err := s.RequestBallot(ctx, email, "nl"); err != nil {
		t.Fatalf("RequestBallot(%q): %v", email, err)
	}
	var msg models.OutboxMessage
	if err := s.DB().Where("kind = ? AND recipient = ?", models.MailBallot, strings.TrimSpace(email)).Order("id DESC").First(&msg).Error; err != nil {
		t.Fatalf("no ballot mail to %s: %v", email, err)
	}
	id, err := strconv.ParseUint(msg.Payload, 10, 64)
	if err != nil {
		t.Fatalf("ballot mail payload %q: %v", msg.Payload, err)
	}
	token := must(s.NewVoterToken(ctx, uint(id)))
	return must(s.Voter(ctx, uint(id))), token
}

func TestVotingSettingsValidation(t *testing.T) {
	base := models.EventInput{Name: "Dag", Date: "2027-02-03", VotingEnabled: true, VotingOpensAt: "2027-01-01T09:00"}
	for _, tc := range []struct {
		name, field, key string
		change           func(*models.EventInput)
	}{
		{"no opening", "voting_opens_at", "vote.opens_required", func(in *models.EventInput) { in.VotingOpensAt = "" }},
		{"bad opening", "voting_opens_at", "form.invalid_datetime", func(in *models.EventInput) { in.VotingOpensAt = "morgen" }},
		{"closes first", "voting_closes_at", "form.closes_before_opens", func(in *models.EventInput) { in.VotingClosesAt = "2026-12-31T09:00" }},
		{"zero votes", "votes_per_voter", "form.between", func(in *models.EventInput) { in.VotesPerVoter = -1 }},
		{"too many votes", "votes_per_voter", "form.between", func(in *models.EventInput) { in.VotesPerVoter = 51 }},
		{"not a domain", "voting_domains", "vote.invalid_domain", func(in *models.EventInput) { in.VotingDomains = "rijksoverheid.nl, localhost" }},
		{"domain with a path", "voting_domains", "vote.invalid_domain", func(in *models.EventInput) { in.VotingDomains = "example.nl/x" }},
		{"hyphen at the edge", "voting_domains", "vote.invalid_domain", func(in *models.EventInput) { in.VotingDomains = "-a.nl" }},
		{"numeric top level", "voting_domains", "vote.invalid_domain", func(in *models.EventInput) { in.VotingDomains = "10.0.0.1" }},
		{"counts without an end", "voting_closes_at", "vote.closes_required_for_counts", func(in *models.EventInput) { in.VotingCountsPublic = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.change(&in)
			if got := in.Validate()[tc.field].Key; got != tc.key {
				t.Errorf("Validate()[%q] = %q (all %v), want %q", tc.field, got, in.Validate(), tc.key)
			}
		})
	}
	ok := base
	ok.VotingDomains = "@Rijksoverheid.nl\nminbzk.nl, xn--bcher-kva.nl; gemeente-zwolle.nl"
	ok.VotesPerVoter = 50
	if p := ok.Validate(); len(p) != 0 {
		t.Errorf("Validate() of valid settings = %v, want none", p)
	}
}

func TestAllowsVoter(t *testing.T) {
	e := models.Event{VotingDomains: "rijksoverheid.nl\nminbzk.nl"}
	for email, want := range map[string]bool{
		"anna@rijksoverheid.nl":         true,
		"Anna@RIJKSOVERHEID.NL":         true,
		"anna@dienst.rijksoverheid.nl":  true, // a subdomain
		"anna@evilrijksoverheid.nl":     false,
		"anna@rijksoverheid.nl.evil.nl": false,
		"anna@minbzk.nl":                true,
		"anna@example.nl":               false,
		"rijksoverheid.nl@example.nl":   false,
	} {
		if got := e.AllowsVoter(email); got != want {
			t.Errorf("AllowsVoter(%q) = %v, want %v", email, got, want)
		}
	}
	if !(models.Event{}).AllowsVoter("iedereen@example.org") {
		t.Error("without domains AllowsVoter refuses an address, want everyone allowed")
	}
}

func TestVoting(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newVotingFixture(t, s)
		open, accepted, rejected, withdrawn := f.proposals[0].ID, f.proposals[1].ID, f.proposals[2].ID, f.proposals[3].ID

		// Every proposal its speaker still offers is shown, decided or not (the public list
		// must not tell a decision early); a withdrawn one is not.
		shown := must(s.VotingProposals(ctx, f.event.ID))
		if len(shown) != 3 || shown[0].ID != open || shown[1].ID != accepted || shown[2].ID != rejected {
			t.Fatalf("VotingProposals = %d proposals, want the submitted, accepted and rejected ones", len(shown))
		}

		// The domain restriction, with its subdomains, and a look-alike refused.
		wantProblem(t, s.RequestBallot(ctx, "mallory@evilrijksoverheid.nl", "nl"), "email", "vote.domain_not_allowed")
		wantProblem(t, s.RequestBallot(ctx, "geen adres", "nl"), "email", "form.invalid_email")
		if n := count(t, s, &models.Voter{}); n != 0 {
			t.Errorf("refused requests stored %d voters, want 0", n)
		}
		anna, token := ballot(t, s, "Anna@Dienst.Rijksoverheid.nl")
		if anna.VerifiedAt != nil || anna.VotedAt != nil || anna.Lang != "nl" {
			t.Errorf("new voter %+v: want unverified, not voted, Dutch", anna)
		}
		if strings.Contains(anna.EmailHash, "anna") || len(anna.EmailHash) != 64 {
			t.Errorf("voter's email hash %q: want 64 hex digits, not the address", anna.EmailHash)
		}

		// Unknown and forged tokens find nobody.
		for _, bad := range []string{"", "kort", strings.Repeat("A", 43), token + "x"} {
			if _, err := s.VerifyVoter(ctx, bad); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("VerifyVoter(%q) = %v, want ErrNotFound", bad, err)
			}
			if _, err := s.CastVotes(ctx, bad, []uint{open}); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("CastVotes(%q) = %v, want ErrNotFound", bad, err)
			}
		}
		v := must(s.VerifyVoter(ctx, token))
		if v.ID != anna.ID || v.VerifiedAt == nil {
			t.Errorf("VerifyVoter = %+v, want voter %d verified", v, anna.ID)
		}

		// Refused sets change nothing.
		wantProblem(t, err2(s.CastVotes(ctx, token, nil)), "votes", "vote.none_chosen")
		wantProblem(t, err2(s.CastVotes(ctx, token, []uint{open, accepted, rejected, withdrawn})), "votes", "vote.too_many")
		wantProblem(t, err2(s.CastVotes(ctx, token, []uint{open, withdrawn})), "votes", "vote.unknown_proposal")
		wantProblem(t, err2(s.CastVotes(ctx, token, []uint{open, 99999})), "votes", "vote.unknown_proposal")
		if n := count(t, s, &models.Vote{}); n != 0 {
			t.Fatalf("refused sets stored %d votes, want 0", n)
		}
		if v := must(s.Voter(ctx, anna.ID)); v.VotedAt != nil {
			t.Fatal("a refused set marked the voter as voted")
		}

		// A valid set: duplicates count once.
		if _, err := s.CastVotes(ctx, token, []uint{accepted, open, open}); err != nil {
			t.Fatalf("CastVotes: %v", err)
		}
		if got := must(s.VotesOf(ctx, anna.ID)); !slices.Equal(got, []uint{open, accepted}) {
			t.Errorf("VotesOf = %v, want [%d %d]", got, open, accepted)
		}

		// One set per address: again with the same link, and with a new link for the same
		// address written differently.
		if _, err := s.CastVotes(ctx, token, []uint{open}); !errors.Is(err, models.ErrAlreadyVoted) {
			t.Errorf("second CastVotes = %v, want ErrAlreadyVoted", err)
		}
		again, token2 := ballot(t, s, " anna+stemmen@dienst.rijksoverheid.NL ")
		if again.ID != anna.ID {
			t.Errorf("a second request for the same address made voter %d, want %d", again.ID, anna.ID)
		}
		if _, err := s.CastVotes(ctx, token2, []uint{accepted}); !errors.Is(err, models.ErrAlreadyVoted) {
			t.Errorf("CastVotes with a later link = %v, want ErrAlreadyVoted", err)
		}
		if n := count(t, s, &models.Vote{}); n != 2 {
			t.Errorf("after refused second sets %d votes, want 2", n)
		}

		// Other voters; counts and interests.
		_, bram := ballot(t, s, "bram@minbzk.nl")
		must(s.CastVotes(ctx, bram, []uint{accepted}))
		_, carla := ballot(t, s, "carla@rijksoverheid.nl")
		_ = carla // asked, never voted
		counts := must(s.VoteCounts(ctx, f.event.ID))
		if len(counts) != 2 || counts[open] != 1 || counts[accepted] != 2 {
			t.Errorf("VoteCounts = %v, want %d:1 %d:2", counts, open, accepted)
		}
		interests := must(s.VoterInterests(ctx, f.event.ID))
		if want := [][]uint{{open, accepted}, {accepted}}; fmt.Sprint(interests) != fmt.Sprint(want) {
			t.Errorf("VoterInterests = %v, want %v", interests, want)
		}

		// The window: closed at the end, and before the start.
		_, dirk := ballot(t, s, "dirk@rijksoverheid.nl")
		s.SetClock(func() time.Time { return f.closesAt })
		if _, err := s.CastVotes(ctx, dirk, []uint{open}); !errors.Is(err, models.ErrVotingClosed) {
			t.Errorf("CastVotes after closing = %v, want ErrVotingClosed", err)
		}
		if err := s.RequestBallot(ctx, "eva@rijksoverheid.nl", "nl"); !errors.Is(err, models.ErrVotingClosed) {
			t.Errorf("RequestBallot after closing = %v, want ErrVotingClosed", err)
		}
		s.SetClock(func() time.Time { return time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC) })
		if _, err := s.CastVotes(ctx, dirk, []uint{open}); !errors.Is(err, models.ErrVotingClosed) {
			t.Errorf("CastVotes before opening = %v, want ErrVotingClosed", err)
		}
		if n := count(t, s, &models.Vote{}); n != 3 {
			t.Errorf("after refusals %d votes, want 3", n)
		}
	})
}

func err2[T any](_ T, err error) error { return err }

func TestVotingOffRefusesBallots(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		if err := s.RequestBallot(ctx, "anna@example.nl", "en"); !errors.Is(err, models.ErrVotingClosed) {
			t.Errorf("RequestBallot with voting off = %v, want ErrVotingClosed", err)
		}
		if got := must(s.VoteCounts(ctx, f.event.ID)); len(got) != 0 {
			t.Errorf("VoteCounts without votes = %v, want empty", got)
		}
		if got := must(s.VoterInterests(ctx, f.event.ID)); len(got) != 0 {
			t.Errorf("VoterInterests without votes = %v, want empty", got)
		}
	})
}

// TestConcurrentBallotsCountOnce submits one voter's set ten times at once: exactly one is
// stored.
func TestConcurrentBallotsCountOnce(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newVotingFixture(t, s)
		_, token := ballot(t, s, "snel@rijksoverheid.nl")
		var wg sync.WaitGroup
		errs := make([]error, 10)
		for i := range errs {
			wg.Go(func() { _, errs[i] = s.CastVotes(ctx, token, []uint{f.proposals[i%2].ID}) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, models.ErrAlreadyVoted):
				t.Errorf("concurrent CastVotes = %v, want nil or ErrAlreadyVoted", err)
			}
		}
		if ok != 1 || count(t, s, &models.Vote{}) != 1 {
			t.Errorf("%d sets accepted, %d votes stored; want exactly 1 and 1", ok, count(t, s, &models.Vote{}))
		}
	})
}

// TestSentBallotForgetsItsAddress: once a ballot e-mail is done (sent, or discarded), its
// outbox row no longer ties the address to the voter, so votes stay pseudonymous; other
// e-mails keep their recipient.
func TestSentBallotForgetsItsAddress(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newVotingFixture(t, s)
		voter, _ := ballot(t, s, "anna@rijksoverheid.nl")
		ballot(t, s, "bert@minbzk.nl")
		var msgs []models.OutboxMessage
		if err := s.DB().Where("kind = ?", models.MailBallot).Order("id").Find(&msgs).Error; err != nil || len(msgs) != 2 {
			t.Fatalf("ballot mails %d (%v), want 2", len(msgs), err)
		}
		if err := s.MarkSent(ctx, msgs[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DiscardPendingMail(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		var after []models.OutboxMessage
		if err := s.DB().Order("id").Find(&after).Error; err != nil {
			t.Fatal(err)
		}
		others := 0
		for _, m := range after {
			switch {
			case m.Kind == models.MailBallot && (m.Recipient != "" || m.Payload != "" || m.SentAt == nil):
				t.Errorf("done ballot mail %d still holds %q / %q", m.ID, m.Recipient, m.Payload)
			case m.Kind != models.MailBallot && m.Recipient == "":
				t.Errorf("%s mail %d lost its recipient", m.Kind, m.ID)
			case m.Kind != models.MailBallot:
				others++
			}
		}
		if others == 0 {
			t.Error("the fixture queued no other mail to compare with")
		}
		if v, err := s.Voter(ctx, voter.ID); err != nil || v.ID != voter.ID {
			t.Errorf("the voter is gone: %v", err)
		}
	})
}

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

// sendAll (registration_erase_test.go) marks every due e-mail sent, as the worker does.

// noTraces fails when any of needles is still somewhere in the database.
func noTraces(t *testing.T, s *models.Store, needles ...string) {
	t.Helper()
	traces, err := s.FindTraces(ctx, needles...)
	if err != nil {
		t.Fatalf("FindTraces: %v", err)
	}
	if len(traces) > 0 {
		t.Errorf("traces of %q left: %v", needles, traces)
	}
}

// (Needles are lower-case or ASCII where it matters: SQLite's LOWER folds ASCII letters only.)

// someTraces fails when none of needles is found: the check above would pass vacuously.
func someTraces(t *testing.T, s *models.Store, needle string) {
	t.Helper()
	if traces, err := s.FindTraces(ctx, needle); err != nil || len(traces) == 0 {
		t.Fatalf("FindTraces(%q) = %v, %v before the erasure; want some", needle, traces, err)
	}
}

// otherProposal submits a second speaker's proposal.
func otherProposal(t *testing.T, s *models.Store) models.ProposalResult {
	t.Helper()
	in := proposalInput()
	in.Title, in.Speaker = "Open data voor iedereen", models.ProposalSpeaker{Name: "Wilhelmina Kloosterboer",
		Email: "wilhelmina@rijksoverheid.nl", Organisation: "Kadaster Apeldoorn", Bio: "Houdt van kaarten."}
	in.CoSpeakers, in.Needs = []string{"cornelis@kadaster.nl"}, []string{"flipover"}
	return must(s.SubmitProposal(ctx, in))
}

func TestExportProposalHoldsOnlyItsSpeaker(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput()
		in.Photo, in.PhotoType = []byte("not really a jpeg"), "image/jpeg"
		mine := must(s.SubmitProposal(ctx, in)).Proposal
		otherProposal(t, s)
		sendAll(t, s)

		exp := must(s.ExportProposal(ctx, mine.ID))
		if exp.Speaker.Name != "Şükrü Öztürk" || exp.Speaker.Email != "Sukru@Example.nl" || exp.Speaker.Bio != "Schrijft graag." {
			t.Errorf("speaker %+v, want the proposal's speaker", exp.Speaker)
		}
		if exp.Proposal.ID != mine.ID || exp.Proposal.Status != models.ProposalSubmitted || !slices.Equal(exp.Proposal.Needs, in.Needs) {
			t.Errorf("proposal %+v", exp.Proposal)
		}
		if len(exp.CoSpeakers) != 2 || exp.CoSpeakers[0].Email != "anna@example.nl" || exp.CoSpeakers[0].Confirmed {
			t.Errorf("co-speakers %+v, want the two addresses typed, unconfirmed", exp.CoSpeakers)
		}
		if exp.Photo == nil || exp.Photo.ContentType != "image/jpeg" || exp.Photo.Bytes != len(in.Photo) {
			t.Errorf("photo %+v, want the note of a 17-byte jpeg", exp.Photo)
		}
		var kinds []string
		for _, m := range exp.Mails {
			if m.SentAt == nil {
				t.Errorf("mail %+v not sent", m)
			}
			kinds = append(kinds, m.Kind)
		}
		if want := []string{models.MailProposalReceived, models.MailCoSpeakerInvite, models.MailCoSpeakerInvite}; !slices.Equal(kinds, want) {
			t.Errorf("mails %q, want %q", kinds, want)
		}
		raw := string(must(json.Marshal(exp)))
		for _, other := range []string{"Wilhelmina", "wilhelmina@rijksoverheid.nl", "Kadaster", "cornelis@", "Open data"} {
			if strings.Contains(raw, other) {
				t.Errorf("export holds %q of the other speaker: %s", other, raw)
			}
		}
		if _, err := s.ExportProposal(ctx, 9999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("export of no proposal = %v, want ErrNotFound", err)
		}
	})
}

func TestEraseProposalKeepsTheCounts(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput()
		in.Photo, in.PhotoType = []byte("not really a jpeg"), "image/jpeg"
		res := must(s.SubmitProposal(ctx, in))
		mine := res.Proposal
		other := otherProposal(t, s)
		// An organiser's audited action about it, naming the speaker in its personal part.
		must(s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Digitale overheid"}))
		must(s.SetProposalTrack(ctx, mine.ID, "Digitale overheid"))
		// Votes for both: the counts must survive the erasure.
		must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date,
			ProposalsOpenAt: "2026-11-01T09:00", ProposalsCloseAt: "2027-01-10T17:00",
			VotingEnabled: true, VotingOpensAt: "2026-11-01T09:00", VotesPerVoter: 3}))
		for _, email := range []string{"kiezer1@example.nl", "kiezer2@example.nl"} {
			_, token := ballot(t, s, email)
			must(s.CastVotes(ctx, token, []uint{mine.ID, other.Proposal.ID}))
		}
		sendAll(t, s)
		counts := must(s.VoteCounts(ctx, f.event.ID))
		before := must(s.DashboardFigures(ctx, f.event.ID, nil, true))
		for _, needle := range []string{"ztürk", "Sukru@Example.nl", "anna@example.nl"} {
			someTraces(t, s, needle)
		}

		got, err := s.EraseProposal(ctx, mine.ID)
		if err != nil || got.SessionKept || got.Status != models.ProposalWithdrawn {
			t.Fatalf("EraseProposal = %+v, %v; want withdrawn, no session", got, err)
		}
		if _, err := s.ProposalByToken(ctx, res.Token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the personal link after erasure = %v, want ErrNotFound", err)
		}
		var last models.OutboxMessage
		if err := s.DB().Where("kind = ?", models.MailSpeakerErased).First(&last).Error; err != nil ||
			last.Recipient != "Sukru@Example.nl" || last.Lang != "en" {
			t.Errorf("confirmation %+v (%v), want one to the speaker in English", last, err)
		}
		sendAll(t, s)

		if after := must(s.VoteCounts(ctx, f.event.ID)); !mapsEqual(after, counts) {
			t.Errorf("vote counts %v after erasure, want %v", after, counts)
		}
		after := must(s.DashboardFigures(ctx, f.event.ID, nil, true))
		if total(after.Proposals) != total(before.Proposals) {
			t.Errorf("proposals %v after erasure, want as many as %v", after.Proposals, before.Proposals)
		}
		if n := count(t, s, &models.Proposal{}); n != 2 {
			t.Errorf("%d proposals, want 2 (the erased one anonymised, not deleted)", n)
		}
		noTraces(t, s, "ztürk", "Sukru@Example.nl", "Gemeente Zwolle", "Schrijft graag", "anna@example.nl",
			"bram@example.org", "Samen <b>schrijven", "een lange tafel")
		someTraces(t, s, "wilhelmina@rijksoverheid.nl") // the other speaker is untouched
		if p := must(s.Proposal(ctx, other.Proposal.ID)); p.SpeakerName != "Wilhelmina Kloosterboer" || len(p.CoSpeakers) != 1 {
			t.Errorf("the other proposal changed: %+v", p)
		}
		if check := must(s.VerifyAudit(ctx)); check.Broken != nil {
			t.Errorf("audit chain after erasure: %+v", check)
		}
		trail := must(s.AuditTrail(ctx, models.SubjectProposal, mine.ID))
		if len(trail) == 0 || trail[0].Action != models.ActionProposalErased || trail[0].ActorKind != models.ActorPerson || trail[0].ActorName != "" {
			t.Errorf("newest entry %+v, want the erasure by the person, naming no one", trail)
		}
		for _, e := range trail[1:] {
			if !e.Anonymised() {
				t.Errorf("entry %s about the erased proposal not anonymised", e.Action)
			}
		}
		if _, err := s.EraseProposal(ctx, 9999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("erasing no proposal = %v, want ErrNotFound", err)
		}
	})
}

func TestEraseProposalOnTheProgramme(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput()
		in.Availability = []uint{f.s1.ID, f.s2.ID}
		res := must(s.SubmitProposal(ctx, in))
		p := res.Proposal
		must(s.ConfirmCoSpeaker(ctx, p.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Anna de Vries", Organisation: "Logius"}))
		setStatus(t, s, p.ID, models.ProposalAccepted)
		must(s.ConfirmProposal(ctx, p.ID))
		se := must(s.SessionOfProposal(ctx, p.ID))
		must(s.UpdateSession(ctx, se.ID, models.SessionInput{Title: se.Title, Format: se.Format, Abstract: se.Abstract,
			VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s1.ID, SlotCount: 2,
			Speakers: []models.SpeakerInput{{Name: "Şükrü Öztürk", Organisation: "Gemeente Zwolle"}, {Name: "Anna de Vries", Organisation: "Logius"}}}))
		must(s.PublishSchedule(ctx, f.event.ID, nil))
		sendAll(t, s)
		if exp := must(s.ExportProposal(ctx, p.ID)); exp.Session == nil || !exp.Session.OnProgramme || exp.Session.ID != se.ID {
			t.Errorf("export's session %+v, want session %d on the programme", exp.Session, se.ID)
		}

		got, err := s.EraseProposal(ctx, p.ID)
		if err != nil || !got.SessionKept || got.Status != models.ProposalConfirmed {
			t.Fatalf("EraseProposal = %+v, %v; want the session kept, still confirmed", got, err)
		}
		sendAll(t, s)
		kept := must(s.PublicSession(ctx, se.ID))
		var names []string
		for _, sp := range kept.Speakers {
			names = append(names, sp.Name)
		}
		if kept.Title != strings.TrimSpace(se.Title) || !slices.Equal(names, []string{"Anna de Vries"}) {
			t.Errorf("session %q with speakers %q, want %q with the co-speaker only", kept.Title, names, se.Title)
		}
		v := must(s.LatestScheduleVersion(ctx, f.event.ID))
		if len(v.Sessions) != 1 || len(v.Sessions[0].Speakers) != 1 || v.Sessions[0].Speakers[0].Name != "Anna de Vries" {
			t.Errorf("published version %+v, want the session with the co-speaker only", v.Sessions)
		}
		noTraces(t, s, "ztürk", "Sukru@Example.nl", "Gemeente Zwolle", "Schrijft graag")
		if check := must(s.VerifyAudit(ctx)); check.Broken != nil {
			t.Errorf("audit chain after erasure: %+v", check)
		}
	})
}

func mapsEqual(a, b map[uint]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestErasedSpeakerIsWrittenToNoMore(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		mine := must(s.SubmitProposal(ctx, proposalInput())).Proposal
		other := otherProposal(t, s).Proposal
		setStatus(t, s, mine.ID, models.ProposalRejected)
		setStatus(t, s, other.ID, models.ProposalRejected)
		speakers := models.Audience{Kind: models.AudienceSpeakers, EventID: f.event.ID}
		if n := must(s.CountAudience(ctx, speakers)); n != 2 {
			t.Fatalf("%d speakers before the erasure, want 2", n)
		}

		if got := must(s.EraseProposal(ctx, mine.ID)); got.Status != models.ProposalRejected {
			t.Errorf("erased status %q, want rejected kept (the decision counts stay)", got.Status)
		}
		if n := must(s.CountAudience(ctx, speakers)); n != 1 {
			t.Errorf("%d speakers after the erasure, want 1: the erased one has no address", n)
		}
		var waiting []uint
		for _, p := range must(s.DecisionOutbox(ctx, f.event.ID)).Waiting {
			waiting = append(waiting, p.ID)
		}
		if !slices.Equal(waiting, []uint{other.ID}) {
			t.Errorf("decisions waiting for an e-mail %v, want only the other proposal %d", waiting, other.ID)
		}
	})
}

func TestExportAndEraseCoSpeaker(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput()
		in.Availability = []uint{f.s1.ID, f.s2.ID}
		p := must(s.SubmitProposal(ctx, in)).Proposal
		anna := must(s.ConfirmCoSpeaker(ctx, p.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Anna de Vries", Organisation: "Logius",
			Bio: "Anna schrijft ook.", Lang: "nl"}))
		setStatus(t, s, p.ID, models.ProposalAccepted)
		must(s.ConfirmProposal(ctx, p.ID))
		se := must(s.SessionOfProposal(ctx, p.ID))
		must(s.PublishSchedule(ctx, f.event.ID, nil))
		sendAll(t, s)

		exp := must(s.ExportCoSpeaker(ctx, anna.ID))
		if exp.Name != "Anna de Vries" || exp.Email != "anna@example.nl" || exp.Confirmed == nil || exp.Proposal.ID != p.ID ||
			exp.Session == nil || len(exp.Mails) != 1 || exp.Mails[0].Kind != models.MailCoSpeakerInvite {
			t.Errorf("anna's export %+v", exp)
		}
		if raw := string(must(json.Marshal(exp))); strings.Contains(raw, "Sukru") || strings.Contains(raw, "bram@") {
			t.Errorf("anna's export holds another's address: %s", raw)
		}

		got, err := s.EraseCoSpeaker(ctx, anna.ID)
		if err != nil || !got.SessionKept {
			t.Fatalf("EraseCoSpeaker = %+v, %v; want the session kept", got, err)
		}
		sendAll(t, s)
		kept := must(s.Session(ctx, se.ID))
		if len(kept.Speakers) != 1 || kept.Speakers[0].Email != "Sukru@Example.nl" {
			t.Errorf("speakers %+v after anna's erasure, want the speaker only", kept.Speakers)
		}
		if left := must(s.Proposal(ctx, p.ID)); len(left.CoSpeakers) != 1 || left.SpeakerName != "Şükrü Öztürk" {
			t.Errorf("proposal after anna's erasure: %+v, want the speaker and bram", left)
		}
		noTraces(t, s, "anna@example.nl", "Anna de Vries", "Logius", "Anna schrijft")
		someTraces(t, s, "sukru@example.nl")
		if check := must(s.VerifyAudit(ctx)); check.Broken != nil {
			t.Errorf("audit chain after erasure: %+v", check)
		}
		if _, err := s.EraseCoSpeaker(ctx, anna.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("erasing anna twice = %v, want ErrNotFound", err)
		}
	})
}

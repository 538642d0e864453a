package models_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestConfirmProposalMakesOneSession(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput()
		in.Availability = []uint{f.s2.ID, f.s1.ID}
		p := must(s.SubmitProposal(ctx, in)).Proposal
		must(s.ConfirmCoSpeaker(ctx, p.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Anna de Vries", Organisation: "Logius", Bio: "Anna."}))
		// bram@example.org never confirmed: he is not a speaker of the session.

		if _, err := s.ConfirmProposal(ctx, p.ID); !errors.Is(err, models.ErrProposalStatus) {
			t.Fatalf("confirming a submitted proposal = %v, want ErrProposalStatus", err)
		}
		must(s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Digitale overheid"}))
		must(s.SetProposalTrack(ctx, p.ID, "Digitale overheid"))
		setStatus(t, s, p.ID, models.ProposalAccepted)
		ans, err := s.ConfirmProposal(ctx, p.ID)
		if err != nil || ans.Already || ans.Proposal.Status != models.ProposalConfirmed {
			t.Fatalf("ConfirmProposal = %+v, %v; want confirmed now", ans, err)
		}
		se := must(s.SessionOfProposal(ctx, p.ID))
		if se.EventID != f.event.ID || se.Title != in.Title || se.Format != "workshop" || se.CapacityLimit != 30 || se.SlotCount != 2 ||
			se.ProposalID == nil || *se.ProposalID != p.ID || se.Placed() || se.VenueID != nil {
			t.Errorf("session %+v: want the proposal's title, format, 30 seats, 2 slots, unplaced", se)
		}
		if se.Track != "Digitale overheid" {
			t.Errorf("session track %q, want the proposal's track", se.Track)
		}
		if se.Abstract != in.Summary+"\n\n"+in.Description {
			t.Errorf("abstract %q, want the summary and the description", se.Abstract)
		}
		venues, slots, err := s.SessionWishes(ctx, se.ID)
		if err != nil || !slices.Equal(venues, []uint{f.venue.ID}) || !slices.Equal(slots, []uint{f.s1.ID, f.s2.ID}) {
			t.Errorf("wishes %v %v (%v), want venue %d and slots %d %d", venues, slots, err, f.venue.ID, f.s1.ID, f.s2.ID)
		}
		var names []string
		for _, sp := range se.Speakers {
			names = append(names, sp.Name+"/"+sp.Organisation+"/"+sp.Email)
		}
		if want := []string{"Şükrü Öztürk/Gemeente Zwolle/Sukru@Example.nl", "Anna de Vries/Logius/anna@example.nl"}; !slices.Equal(names, want) {
			t.Errorf("speakers %q, want %q", names, want)
		}

		// Twice: the same answer, still one session; declining now is refused.
		ans, err = s.ConfirmProposal(ctx, p.ID)
		if err != nil || !ans.Already {
			t.Errorf("confirming twice = %+v, %v; want Already", ans, err)
		}
		if n := count(t, s, &models.Session{}); n != 1 {
			t.Errorf("%d sessions after confirming twice, want 1", n)
		}
		if _, err := s.DeclineProposal(ctx, p.ID); !errors.Is(err, models.ErrProposalStatus) {
			t.Errorf("declining a confirmed proposal = %v, want ErrProposalStatus", err)
		}

		// The organiser places it later: its length stays, the form may change it.
		placed := must(s.UpdateSession(ctx, se.ID, models.SessionInput{Title: se.Title, Format: se.Format, VenueID: f.venue.ID,
			RoomID: f.small.ID, FirstSlotID: f.s1.ID, SlotCount: 2, CapacityLimit: 25}))
		if !placed.Placed() || len(placed.Slots) != 2 || placed.SlotCount != 2 {
			t.Errorf("placed session %+v", placed)
		}
	})
}

func TestDeclineProposal(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		ps := submitN(t, s, 2)
		setStatus(t, s, ps[0].ID, models.ProposalAccepted)
		ans, err := s.DeclineProposal(ctx, ps[0].ID)
		if err != nil || ans.Already || ans.Proposal.Status != models.ProposalDeclined {
			t.Fatalf("DeclineProposal = %+v, %v", ans, err)
		}
		if ans, err = s.DeclineProposal(ctx, ps[0].ID); err != nil || !ans.Already {
			t.Errorf("declining twice = %+v, %v; want Already", ans, err)
		}
		if _, err := s.ConfirmProposal(ctx, ps[0].ID); !errors.Is(err, models.ErrProposalStatus) || !strings.Contains(err.Error(), "declined") {
			t.Errorf("confirming a declined proposal = %v, want ErrProposalStatus naming the status", err)
		}
		for _, st := range []string{models.ProposalRejected, models.ProposalReserve, models.ProposalWithdrawn, models.ProposalSubmitted} {
			setStatus(t, s, ps[1].ID, st)
			if _, err := s.ConfirmProposal(ctx, ps[1].ID); !errors.Is(err, models.ErrProposalStatus) {
				t.Errorf("confirming a %s proposal = %v, want ErrProposalStatus", st, err)
			}
			if _, err := s.DeclineProposal(ctx, ps[1].ID); !errors.Is(err, models.ErrProposalStatus) {
				t.Errorf("declining a %s proposal = %v, want ErrProposalStatus", st, err)
			}
		}
		if _, err := s.ConfirmProposal(ctx, 99999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("confirming an unknown proposal = %v, want ErrNotFound", err)
		}
		if n := count(t, s, &models.Session{}); n != 0 {
			t.Errorf("%d sessions, want none", n)
		}
		if _, err := s.SessionOfProposal(ctx, ps[0].ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("SessionOfProposal of a declined proposal = %v, want ErrNotFound", err)
		}
	})
}

// TestAnsweredProposalIsSettled: once the speaker confirmed (their session exists) or
// declined, neither they nor a co-speaker can change or withdraw the proposal, even while the
// call is open, and nothing changes.
func TestAnsweredProposalIsSettled(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		for _, answer := range []string{models.ProposalConfirmed, models.ProposalDeclined} {
			p := must(s.SubmitProposal(ctx, proposalInput())).Proposal
			setStatus(t, s, p.ID, models.ProposalAccepted)
			if answer == models.ProposalConfirmed {
				must(s.ConfirmProposal(ctx, p.ID))
			} else {
				must(s.DeclineProposal(ctx, p.ID))
			}
			changed := proposalInput()
			changed.Title = "Stiekem een andere titel"
			if _, err := s.UpdateProposal(ctx, p.ID, changed); !errors.Is(err, models.ErrSpeakerAnswered) {
				t.Errorf("%s: changing got %v, want ErrSpeakerAnswered", answer, err)
			}
			if _, err := s.WithdrawProposal(ctx, p.ID); !errors.Is(err, models.ErrSpeakerAnswered) {
				t.Errorf("%s: withdrawing got %v, want ErrSpeakerAnswered", answer, err)
			}
			if _, err := s.ConfirmCoSpeaker(ctx, p.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Laat", Organisation: "Te"}); !errors.Is(err, models.ErrSpeakerAnswered) {
				t.Errorf("%s: a co-speaker confirming got %v, want ErrSpeakerAnswered", answer, err)
			}
			got := must(s.Proposal(ctx, p.ID))
			if got.Status != answer || got.Title != p.Title {
				t.Errorf("%s: proposal is now %q %q, want unchanged", answer, got.Status, got.Title)
			}
		}
	})
}

// TestChangedProposalIsUndecided: a decision was taken on what the speaker wrote then; when
// they change the proposal (the call still open) it is undecided again, and cannot be
// confirmed on the strength of the old decision.
func TestChangedProposalIsUndecided(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		for _, status := range []string{models.ProposalAccepted, models.ProposalReserve, models.ProposalRejected} {
			p := must(s.SubmitProposal(ctx, proposalInput())).Proposal
			must(s.DecideProposal(ctx, p.ID, status, 0))
			changed := proposalInput()
			changed.Slots, changed.MaxParticipants = 1, 200
			got := must(s.UpdateProposal(ctx, p.ID, changed))
			if got.Status != models.ProposalSubmitted || got.DecidedAt != nil || got.DecidedBy != nil || got.MaxParticipants != 200 {
				t.Errorf("%s, then changed: status %q, decided %v by %v, %d places; want submitted, undecided, 200",
					status, got.Status, got.DecidedAt, got.DecidedBy, got.MaxParticipants)
			}
			if _, err := s.ConfirmProposal(ctx, p.ID); !errors.Is(err, models.ErrProposalStatus) {
				t.Errorf("%s, then changed: confirming got %v, want ErrProposalStatus", status, err)
			}
		}
	})
}

// TestTrackChangesReachTheSession: a confirmed proposal's session follows its track when the
// organisers rename it, delete it, or put the proposal in another.
func TestTrackChangesReachTheSession(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		a := must(s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Digitaal"}))
		must(s.CreateTrack(ctx, f.event.ID, models.TrackInput{Name: "Participatie"}))
		p := must(s.SubmitProposal(ctx, proposalInput())).Proposal
		must(s.SetProposalTrack(ctx, p.ID, "Digitaal"))
		setStatus(t, s, p.ID, models.ProposalAccepted)
		must(s.ConfirmProposal(ctx, p.ID))
		track := func() string { return must(s.SessionOfProposal(ctx, p.ID)).Track }
		if got := track(); got != "Digitaal" {
			t.Fatalf("session track %q, want Digitaal", got)
		}
		must(s.RenameTrack(ctx, a.ID, models.TrackInput{Name: "Digitale overheid"}))
		if got := track(); got != "Digitale overheid" {
			t.Errorf("after renaming the track, session track %q", got)
		}
		must(s.SetProposalTrack(ctx, p.ID, "Participatie"))
		if got := track(); got != "Participatie" {
			t.Errorf("after moving the proposal, session track %q", got)
		}
		tracks := must(s.Tracks(ctx, f.event.ID))
		for _, tr := range tracks {
			if tr.Name == "Participatie" {
				if err := s.DeleteTrack(ctx, tr.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := track(); got != "" {
			t.Errorf("after deleting the track, session track %q, want none", got)
		}
	})
}

// TestSpeakersAreMatchedExactly: a form line "Anna" without an organisation is not the
// proposal speaker Anna of Logius; a speaker is found again by their e-mail address.
func TestSpeakersAreMatchedExactly(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput()
		in.Speaker = models.ProposalSpeaker{Name: "Anna de Vries", Email: "anna@logius.nl", Organisation: "Logius"}
		in.CoSpeakers = nil
		p := must(s.SubmitProposal(ctx, in)).Proposal
		setStatus(t, s, p.ID, models.ProposalAccepted)
		must(s.ConfirmProposal(ctx, p.ID))
		fromProposal := must(s.SessionOfProposal(ctx, p.ID)).Speakers[0]

		formSession := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Ander", Format: "workshop", SlotCount: 1,
			Speakers: []models.SpeakerInput{{Name: "Anna de Vries"}}}))
		if got := formSession.Speakers[0]; got.ID == fromProposal.ID || got.Email != "" {
			t.Errorf("a form line without organisation got speaker %d (%q), the proposal's Anna is %d", got.ID, got.Email, fromProposal.ID)
		}
		again := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Nog een", Format: "workshop", SlotCount: 1,
			Speakers: []models.SpeakerInput{{Name: "Anna de Vries", Organisation: "Logius"}}}))
		if got := again.Speakers[0]; got.ID != fromProposal.ID {
			t.Errorf("Anna de Vries of Logius got speaker %d, want the proposal's %d", got.ID, fromProposal.ID)
		}
	})
}

package models_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// openCall opens the fixture's call for proposals from 1 November 2026 until 10 January 2027,
// 17:00 Amsterdam time, and sets the store's clock to 1 December 2026.
func openCall(t *testing.T, s *models.Store, f fixture) time.Time {
	t.Helper()
	must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date,
		ProposalsOpenAt: "2026-11-01T09:00", ProposalsCloseAt: "2027-01-10T17:00"}))
	s.SetClock(func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) })
	return time.Date(2027, 1, 10, 16, 0, 0, 0, time.UTC) // the deadline, in UTC
}

func proposalInput() models.ProposalInput {
	return models.ProposalInput{
		Title: "  Samen <b>schrijven</b> aan beleid  ", Summary: "Een korte samenvatting.",
		Description: "Een lange\nbeschrijving met “aanhalingstekens” en émoji 🎉.", Format: "workshop",
		Slots: 2, MaxParticipants: 30, Audience: "Beleidsmedewerkers", Level: "beginner",
		Venues: []string{"zwolle"}, Speaker: models.ProposalSpeaker{Name: "Şükrü Öztürk", Email: "Sukru@Example.nl",
			Organisation: "Gemeente Zwolle", Bio: "Schrijft graag."},
		CoSpeakers: []string{"anna@example.nl", "bram@example.org"}, Needs: []string{"projector", "een lange tafel"},
		Consent: true, Lang: "en",
	}
}

func proposalMails(t *testing.T, s *models.Store, id uint) []string {
	t.Helper()
	var msgs []models.OutboxMessage
	if err := s.DB().Where("proposal_id = ?", id).Order("id").Find(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, m.Kind+" "+m.Recipient+" "+m.Lang)
	}
	return out
}

func TestSubmitProposal(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		openCall(t, s, f)
		in := proposalInput()
		in.Availability = []uint{f.s2.ID, f.s1.ID}
		res, err := s.SubmitProposal(ctx, in)
		if err != nil {
			t.Fatalf("SubmitProposal: %v", err)
		}
		if len(res.Token) < 43 {
			t.Errorf("token %q: want at least 256 bits in base64", res.Token)
		}
		p := must(s.Proposal(ctx, res.Proposal.ID))
		if p.Title != in.Title || p.Description != in.Description || p.SpeakerName != in.Speaker.Name || p.SpeakerEmail != in.Speaker.Email {
			t.Errorf("stored %q %q %q %q, want the texts exactly as sent", p.Title, p.Description, p.SpeakerName, p.SpeakerEmail)
		}
		if p.Status != models.ProposalSubmitted || p.SlotCount != 2 || p.MaxParticipants != 30 || p.Level != "beginner" || p.Lang != "en" {
			t.Errorf("stored %+v", p)
		}
		if got := p.VenueSlugs(); !slices.Equal(got, []string{"zwolle"}) {
			t.Errorf("venues got %q, want [zwolle]", got)
		}
		if got, want := p.SlotIDs(), []uint{f.s1.ID, f.s2.ID}; !slices.Equal(got, want) {
			t.Errorf("availability got %v, want %v", got, want)
		}
		if got := p.CoSpeakerEmails(); !slices.Equal(got, in.CoSpeakers) {
			t.Errorf("co-speakers got %q, want %q", got, in.CoSpeakers)
		}
		if !slices.Equal(p.Needs, in.Needs) {
			t.Errorf("needs got %q, want %q", p.Needs, in.Needs)
		}
		want := []string{"proposal_received Sukru@Example.nl en", "cospeaker_invite anna@example.nl en", "cospeaker_invite bram@example.org en"}
		if got := proposalMails(t, s, p.ID); !slices.Equal(got, want) {
			t.Errorf("outbox got %q, want %q", got, want)
		}

		// The token is stored only as a hash, and finds the proposal; a co-speaker's does not.
		var stored int64
		s.DB().Model(&models.ProposalToken{}).Where("hash = ?", res.Token).Count(&stored)
		if stored != 0 {
			t.Error("the token is stored in the clear")
		}
		if got := must(s.ProposalByToken(ctx, res.Token)); got.ID != p.ID {
			t.Errorf("ProposalByToken = %d, want %d", got.ID, p.ID)
		}
		for _, bad := range []string{"", "kort", res.Token + "x", strings.Repeat("A", 43)} {
			if _, err := s.ProposalByToken(ctx, bad); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("ProposalByToken(%q) = %v, want ErrNotFound", bad, err)
			}
		}
		co := p.CoSpeakers[0]
		coToken := must(s.NewProposalToken(ctx, p.ID, &co.ID))
		if _, err := s.ProposalByToken(ctx, coToken); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ProposalByToken(co-speaker's token) = %v, want ErrNotFound", err)
		}
		gotCo, gotP := must2(s.CoSpeakerByToken(ctx, coToken))
		if gotCo.ID != co.ID || gotP.ID != p.ID {
			t.Errorf("CoSpeakerByToken = %d of %d, want %d of %d", gotCo.ID, gotP.ID, co.ID, p.ID)
		}
		if _, _, err := s.CoSpeakerByToken(ctx, res.Token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("CoSpeakerByToken(speaker's token) = %v, want ErrNotFound", err)
		}
	})
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

func TestSubmitProposalRefuses(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		// Not open yet: the fixture has no call at all.
		if _, err := s.SubmitProposal(ctx, proposalInput()); !errors.Is(err, models.ErrCallClosed) {
			t.Fatalf("SubmitProposal without a call = %v, want ErrCallClosed", err)
		}
		openCall(t, s, f)
		for _, tc := range []struct {
			name, field string
			change      func(*models.ProposalInput)
		}{
			{"no title", "title", func(in *models.ProposalInput) { in.Title = " " }},
			{"long title", "title", func(in *models.ProposalInput) { in.Title = strings.Repeat("é", 201) }},
			{"long summary", "summary", func(in *models.ProposalInput) { in.Summary = strings.Repeat("a", 501) }},
			{"long description", "description", func(in *models.ProposalInput) { in.Description = strings.Repeat("a", 4001) }},
			{"unknown format", "format", func(in *models.ProposalInput) { in.Format = "keynote" }},
			{"three slots", "slots", func(in *models.ProposalInput) { in.Slots = 3 }},
			{"no participants", "max_participants", func(in *models.ProposalInput) { in.MaxParticipants = 0 }},
			{"unknown level", "level", func(in *models.ProposalInput) { in.Level = "expert" }},
			{"unknown venue", "venues", func(in *models.ProposalInput) { in.Venues = []string{"atlantis"} }},
			{"unknown slot", "availability", func(in *models.ProposalInput) { in.Availability = []uint{99999} }},
			{"slot at another venue", "availability", func(in *models.ProposalInput) { in.Availability = []uint{f.otherSlot.ID} }},
			{"bad e-mail", "speaker.email", func(in *models.ProposalInput) { in.Speaker.Email = "iemand@" }},
			{"no name", "speaker.name", func(in *models.ProposalInput) { in.Speaker.Name = "" }},
			{"no organisation", "speaker.organisation", func(in *models.ProposalInput) { in.Speaker.Organisation = "" }},
			{"long bio", "speaker.bio", func(in *models.ProposalInput) { in.Speaker.Bio = strings.Repeat("a", 1001) }},
			{"bad co-speaker", "co_speakers", func(in *models.ProposalInput) { in.CoSpeakers = []string{"geen adres"} }},
			{"speaker as co-speaker", "co_speakers", func(in *models.ProposalInput) { in.CoSpeakers = []string{"sukru@example.NL"} }},
			{"empty need", "needs", func(in *models.ProposalInput) { in.Needs = []string{""} }},
			{"no consent", "consent", func(in *models.ProposalInput) { in.Consent = false }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := proposalInput()
				tc.change(&in)
				_, err := s.SubmitProposal(ctx, in)
				var verr *models.ValidationError
				if !errors.As(err, &verr) {
					t.Fatalf("SubmitProposal = %v, want a validation error", err)
				}
				if _, ok := verr.Problems[tc.field]; !ok || len(verr.Problems) != 1 {
					t.Errorf("problems got %v, want only %q", verr.Problems.Fields(), tc.field)
				}
			})
		}
		var n int64
		s.DB().Model(&models.Proposal{}).Count(&n)
		if n != 0 {
			t.Errorf("%d proposals stored, want none", n)
		}
	})
}

func TestUpdateAndWithdrawProposal(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		deadline := openCall(t, s, f)
		res := must(s.SubmitProposal(ctx, proposalInput()))
		id := res.Proposal.ID
		anna := res.Proposal.CoSpeakers[0]
		must(s.ConfirmCoSpeaker(ctx, anna.ID, models.CoSpeakerInput{Name: "Anna", Organisation: "Logius"}))

		in := proposalInput()
		in.Title = "Nieuwe titel"
		in.Venues = nil // either venue
		in.Slots = 1    // one slot available: a one-slot session
		in.Availability = []uint{f.otherSlot.ID}
		in.CoSpeakers = []string{"ANNA@example.nl", "carla@example.nl"}
		in.Photo, in.PhotoType = []byte("pretend-png"), "image/png"
		p := must(s.UpdateProposal(ctx, id, in))
		if p.Title != "Nieuwe titel" || len(p.Venues) != 0 || !slices.Equal(p.SlotIDs(), []uint{f.otherSlot.ID}) || !p.HasPhoto {
			t.Errorf("after the update got %q venues %q slots %v photo %v", p.Title, p.VenueSlugs(), p.SlotIDs(), p.HasPhoto)
		}
		// Anna stays with her profile, Bram is gone, Carla is new and invited.
		if got, want := p.CoSpeakerEmails(), []string{"anna@example.nl", "carla@example.nl"}; !slices.Equal(got, want) {
			t.Errorf("co-speakers got %q, want %q", got, want)
		}
		if p.CoSpeakers[0].Name != "Anna" || p.CoSpeakers[0].ConfirmedAt == nil {
			t.Errorf("Anna's profile got %+v, want it kept", p.CoSpeakers[0])
		}
		if got := proposalMails(t, s, id); len(got) != 4 || got[3] != "cospeaker_invite carla@example.nl en" {
			t.Errorf("outbox got %q, want a fourth message inviting Carla", got)
		}
		ph := must(s.ProposalPhoto(ctx, id))
		if string(ph.Data) != "pretend-png" || ph.ContentType != "image/png" {
			t.Errorf("photo got %q %q", ph.ContentType, ph.Data)
		}
		in.Photo, in.RemovePhoto = nil, true
		if p = must(s.UpdateProposal(ctx, id, in)); p.HasPhoto {
			t.Error("the photo is still there after removing it")
		}
		if _, err := s.ProposalPhoto(ctx, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ProposalPhoto after removal = %v, want ErrNotFound", err)
		}
		// A corrected address gets the link too; the same address in other letters does not.
		in.RemovePhoto = false
		in.Speaker.Email = strings.ToUpper(in.Speaker.Email)
		must(s.UpdateProposal(ctx, id, in))
		if got := proposalMails(t, s, id); len(got) != 4 {
			t.Errorf("after changing only the letters of the address: outbox %q, want no new mail", got)
		}
		in.Speaker.Email = "nieuw.adres@example.nl"
		must(s.UpdateProposal(ctx, id, in))
		if got := proposalMails(t, s, id); len(got) != 5 || !strings.HasPrefix(got[4], "proposal_received nieuw.adres@example.nl") {
			t.Errorf("after correcting the address: outbox %q, want the link sent to nieuw.adres@example.nl", got)
		}

		// After the deadline nothing changes any more.
		s.SetClock(func() time.Time { return deadline })
		if _, err := s.UpdateProposal(ctx, id, proposalInput()); !errors.Is(err, models.ErrCallClosed) {
			t.Errorf("UpdateProposal after the deadline = %v, want ErrCallClosed", err)
		}
		if _, err := s.WithdrawProposal(ctx, id); !errors.Is(err, models.ErrCallClosed) {
			t.Errorf("WithdrawProposal after the deadline = %v, want ErrCallClosed", err)
		}
		if _, err := s.ConfirmCoSpeaker(ctx, anna.ID, models.CoSpeakerInput{Name: "A", Organisation: "B"}); !errors.Is(err, models.ErrCallClosed) {
			t.Errorf("ConfirmCoSpeaker after the deadline = %v, want ErrCallClosed", err)
		}
		if got := must(s.Proposal(ctx, id)); got.Title != "Nieuwe titel" || got.Status != models.ProposalSubmitted {
			t.Errorf("after refused changes got %q %q, want it unchanged", got.Title, got.Status)
		}

		s.SetClock(func() time.Time { return deadline.Add(-time.Minute) })
		p = must(s.WithdrawProposal(ctx, id))
		if p.Status != models.ProposalWithdrawn || p.WithdrawnAt == nil {
			t.Errorf("after withdrawing got %q %v", p.Status, p.WithdrawnAt)
		}
		if _, err := s.UpdateProposal(ctx, id, proposalInput()); !errors.Is(err, models.ErrWithdrawn) {
			t.Errorf("UpdateProposal after withdrawing = %v, want ErrWithdrawn", err)
		}
		if _, err := s.WithdrawProposal(ctx, 99999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("WithdrawProposal(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestCallWindowInEventForm(t *testing.T) {
	in := models.EventInput{Name: "Dag", Date: "2027-02-03", ProposalsOpenAt: "2027-01-10T09:00", ProposalsCloseAt: "2027-01-01T09:00"}
	if p := in.Validate(); p["proposals_close_at"].Key != "form.closes_before_opens" {
		t.Errorf("close before open: problems %v", p)
	}
	in.ProposalsOpenAt = "morgen"
	if p := in.Validate(); p["proposals_open_at"].Key != "form.invalid_datetime" {
		t.Errorf("bad open time: problems %v", p)
	}
	open := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	closes := time.Date(2027, 1, 10, 16, 0, 0, 0, time.UTC)
	e := models.Event{ProposalsOpenAt: &open, ProposalsCloseAt: &closes}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{{open.Add(-time.Second), false}, {open, true}, {closes.Add(-time.Second), true}, {closes, false}} {
		if got := e.CallOpen(tc.at); got != tc.want {
			t.Errorf("CallOpen(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
	if (models.Event{}).CallOpen(open) {
		t.Error("an event without an opening time has its call open")
	}
}

// TestProposalNeedsFitTheirColumn: needs full of characters that JSON writes long (& < >)
// are refused by validation on both databases, instead of overflowing the column on one.
func TestProposalNeedsFitTheirColumn(t *testing.T) {
	in := proposalInput()
	in.Needs = nil
	for range models.MaxProposalNeeds {
		in.Needs = append(in.Needs, strings.Repeat("&", models.MaxNeedLength))
	}
	if p := in.Validate(); p["needs"].Key != "form.too_long" {
		t.Errorf("ten needs of %d ampersands: problems %v, want needs too long", models.MaxNeedLength, p)
	}
	in.Needs = []string{"beamer", "flip-over & stiften"}
	if p := in.Validate(); p["needs"].Key != "" {
		t.Errorf("ordinary needs: problem %v", p["needs"])
	}
}

// TestTwoSlotProposalNeedsTwoSlotsInARow checks issue #12 point 24: a two-slot session whose
// availability holds no two slots that follow each other without a break (the planner's rule,
// models.RunsOn) is refused when it is submitted or changed, with the reason on availability.
func TestTwoSlotProposalNeedsTwoSlotsInARow(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s) // s1 10:00–11:00, s2 11:15–12:15, s3 13:15–14:15 (after lunch)
		openCall(t, s, f)
		for _, tc := range []struct {
			name  string
			slots []uint
			ok    bool
		}{
			{"changeover of 15 minutes", []uint{f.s1.ID, f.s2.ID}, true},
			{"any order", []uint{f.s3.ID, f.s2.ID, f.s1.ID}, true},
			{"no availability: any slot", nil, true},
			{"lunch in between", []uint{f.s2.ID, f.s3.ID}, false},
			{"a slot skipped", []uint{f.s1.ID, f.s3.ID}, false},
			{"one slot", []uint{f.s2.ID}, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := proposalInput()
				in.Availability = tc.slots
				_, err := s.SubmitProposal(ctx, in)
				var verr *models.ValidationError
				if tc.ok {
					if err != nil {
						t.Fatalf("SubmitProposal = %v, want it stored", err)
					}
					return
				}
				if !errors.As(err, &verr) || verr.Problems["availability"].Key != "proposal.no_two_slot_run" {
					t.Fatalf("SubmitProposal = %v, want problem proposal.no_two_slot_run on availability", err)
				}
				in.Slots = 1
				if _, err := s.SubmitProposal(ctx, in); err != nil {
					t.Fatalf("as a one-slot session: %v, want it stored", err)
				}
			})
		}
		res := must(s.SubmitProposal(ctx, proposalInput()))
		in := proposalInput()
		in.Availability = []uint{f.s2.ID, f.s3.ID}
		_, err := s.UpdateProposal(ctx, res.Proposal.ID, in)
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Problems["availability"].Key != "proposal.no_two_slot_run" {
			t.Errorf("UpdateProposal = %v, want problem proposal.no_two_slot_run on availability", err)
		}
	})
}

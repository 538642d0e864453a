package models_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// population is a hand-built event with someone in every group and a few in several: the
// audience tests know exactly whom each filter must select.
type population struct {
	f                       fixture
	full, other, rot, given models.Session // given: the session made of Şükrü's proposal, at Zwolle
	zoe, jan, piet          models.Registration
	annOld, ann             models.Registration // one address: cancelled, then registered again
	sukru1, sukru2          models.Proposal     // one speaker, two proposals (the first became a session)
	lotte, mo               models.Proposal     // withdrawn; rejected with a decision draft
	from, to                time.Time           // bound jan and piet's registration times
}

func newPopulation(t *testing.T, s *models.Store) population {
	t.Helper()
	var p population
	p.f = newFixture(t, s)
	f := p.f
	p.full = session(t, s, f, "Eén plek", f.small, f.s1, 1, 1)
	p.other = session(t, s, f, "Ruim", f.big, f.s2, 1, 0)
	p.rot = must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Rotterdams", Format: "workshop",
		VenueID: f.otherVenue.ID, RoomID: f.otherRoom.ID, FirstSlotID: f.otherSlot.ID, SlotCount: 1}))

	// The call for proposals, then open voting, then registration, each at its own time.
	openCall(t, s, f)
	n := 0
	propose := func(name, email string, co ...string) models.Proposal {
		n++
		in := proposalInput()
		in.Slots, in.Speaker.Name, in.Speaker.Email, in.CoSpeakers = 1, name, email, co
		in.Title = fmt.Sprintf("Voorstel %d van %s", n, name)
		return must(s.SubmitProposal(ctx, in)).Proposal
	}
	p.sukru1 = propose("Şükrü Öztürk", "Sukru@Example.nl", "anna@example.nl", "bram@example.org")
	p.sukru2 = propose("Şükrü Öztürk", " SUKRU@example.nl", "anna@example.nl")
	p.lotte = propose("Lotte Jansen", "lotte@example.nl")
	p.mo = propose("Mo Haddad", "mo@example.nl", "ANNA@example.nl")
	must(s.ConfirmCoSpeaker(ctx, p.sukru1.CoSpeakers[0].ID, models.CoSpeakerInput{Name: "Anna de Vries", Organisation: "Logius"}))
	must(s.WithdrawProposal(ctx, p.lotte.ID))
	setStatus(t, s, p.sukru1.ID, models.ProposalAccepted)
	must(s.ConfirmProposal(ctx, p.sukru1.ID))
	given := must(s.SessionOfProposal(ctx, p.sukru1.ID))
	p.given = must(s.UpdateSession(ctx, given.ID, models.SessionInput{Title: given.Title, Format: given.Format, VenueID: f.venue.ID,
		RoomID: f.big.ID, FirstSlotID: f.s3.ID, SlotCount: 1}))
	setStatus(t, s, p.mo.ID, models.ProposalRejected)
	must(s.PrepareDecisionMails(ctx, f.event.ID, func(models.Proposal) (string, string, error) { return "Besluit", "Helaas.", nil }))

	must(s.UpdateEvent(ctx, f.event.ID, models.EventInput{Name: f.event.Name, Date: f.event.Date,
		ProposalsOpenAt: "2026-11-01T09:00", ProposalsCloseAt: "2027-01-10T17:00",
		VotingEnabled: true, VotingOpensAt: "2026-11-01T09:00", VotingClosesAt: "2027-01-20T17:00"}))
	for _, email := range []string{"stemmer1@example.nl", "stemmer2@example.nl"} {
		if err := s.RequestBallot(ctx, email, "nl"); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []models.UserInput{{Email: "beoordelaar1@example.nl", Role: models.RoleReviewer},
		{Email: "Beoordelaar2@example.nl", Role: models.RoleReviewer}, {Email: "organisator@example.nl", Role: models.RoleOrganiser}} {
		u.Password = "een lang wachtwoord"
		must(s.CreateUser(ctx, u))
	}

	clock := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return clock })
	reg := func(in models.RegistrationInput) models.Registration {
		t.Helper()
		clock = clock.Add(time.Hour)
		in.Consent = true
		return must(s.Register(ctx, in)).Registration
	}
	p.zoe = reg(models.RegistrationInput{Name: "Zoë Ğüneş", Email: "ZOE@Example.nl", Organisation: "Gemeente Zwolle",
		Venue: "zwolle", Sessions: []uint{p.full.ID, p.other.ID}, Dietary: "vegetarisch", Lang: "en"})
	p.from = clock.Add(time.Minute)
	p.jan = reg(models.RegistrationInput{Name: "Jan de Vries", Email: "jan@example.nl", Organisation: "Provincie Overijssel",
		Venue: "zwolle", Waitlist: []uint{p.full.ID}, Lang: "nl"})
	p.piet = reg(models.RegistrationInput{Name: "Piet Aalders", Email: "piet@example.nl", Organisation: "Waterschap",
		Venue: "rotterdam", Sessions: []uint{p.rot.ID}, Accessibility: "rolstoel", Lang: "nl"})
	p.to = clock.Add(time.Minute)
	p.annOld = reg(models.RegistrationInput{Name: "Ann Bakker", Email: "ann@example.nl", Organisation: "Rijk", Venue: "zwolle",
		Sessions: []uint{p.other.ID}, Lang: "nl"})
	if err := s.Cancel(ctx, p.annOld.ID); err != nil {
		t.Fatal(err)
	}
	p.ann = reg(models.RegistrationInput{Name: "Ann Bakker", Email: "Ann@Example.nl", Organisation: "Rijk", Venue: "zwolle",
		Sessions: []uint{p.other.ID}, Lang: "nl"})
	must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: p.zoe.ID, Door: "Hoofdingang"}))
	return p
}

// addresses lists the audience's people by address, as a message would reach them.
func addresses(t *testing.T, s *models.Store, a models.Audience) []string {
	t.Helper()
	var out []string
	err := s.EachRecipient(ctx, a, func(r models.Recipient) error {
		out = append(out, r.Key)
		return nil
	})
	if err != nil {
		t.Fatalf("EachRecipient(%+v): %v", a, err)
	}
	slices.Sort(out)
	return out
}

// TestAudienceGroupsAndFilters checks every group and filter, and combinations, against the
// hand-built population: the count (one SQL query), the people a message would reach and
// the list's page all select the same people.
func TestAudienceGroupsAndFilters(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		p := newPopulation(t, s)
		f := p.f
		zoe, jan, piet, ann := "zoe@example.nl", "jan@example.nl", "piet@example.nl", "ann@example.nl"
		sukru, mo, lotte := "sukru@example.nl", "mo@example.nl", "lotte@example.nl"
		anna, bram := "anna@example.nl", "bram@example.org"
		speakers, cospeakers := models.AudienceSpeakers, models.AudienceCoSpeakers
		cases := []struct {
			name string
			a    models.Audience
			want []string
		}{
			{"everyone (ann's two registrations are one person)", models.Audience{}, []string{ann, jan, piet, zoe}},
			{"the event", models.Audience{EventID: f.event.ID}, []string{ann, jan, piet, zoe}},
			{"confirmed", models.Audience{Status: models.StatusConfirmed}, []string{ann, jan, piet, zoe}},
			{"cancelled", models.Audience{Status: models.StatusCancelled}, []string{ann}},
			{"waitlisted", models.Audience{Status: models.StatusWaitlisted}, []string{jan}},
			{"checked in", models.Audience{Status: models.StatusCheckedIn}, []string{zoe}},
			{"not arrived", models.Audience{Status: models.StatusNotArrived}, []string{ann, jan, piet}},
			{"venue", models.Audience{VenueID: f.otherVenue.ID}, []string{piet}},
			{"session (seat or waiting)", models.Audience{SessionID: p.full.ID}, []string{jan, zoe}},
			{"sessions", models.Audience{Sessions: []uint{p.full.ID, p.rot.ID}}, []string{jan, piet, zoe}},
			{"needs", models.Audience{HasNeeds: true}, []string{piet, zoe}},
			{"search, accents ignored", models.Audience{Query: "gunes"}, []string{zoe}},
			{"registered between", models.Audience{From: &p.from, To: &p.to}, []string{jan, piet}},
			{"venue, status and session", models.Audience{VenueID: f.venue.ID, Status: models.StatusConfirmed, SessionID: p.other.ID},
				[]string{ann, zoe}},
			{"scope", models.Audience{Scope: []uint{f.otherVenue.ID}}, []string{piet}},
			{"scope and another venue", models.Audience{Scope: []uint{f.otherVenue.ID}, VenueID: f.venue.ID}, nil},
			{"speakers (withdrawn left out, one address once)", models.Audience{Kind: speakers}, []string{mo, sukru}},
			{"speakers of the event", models.Audience{Kind: speakers, EventID: f.event.ID}, []string{mo, sukru}},
			{"speakers, withdrawn", models.Audience{Kind: speakers, ProposalStatus: models.ProposalWithdrawn}, []string{lotte}},
			{"speakers, confirmed", models.Audience{Kind: speakers, ProposalStatus: models.ProposalConfirmed}, []string{sukru}},
			{"speakers at a venue", models.Audience{Kind: speakers, VenueID: f.venue.ID}, []string{sukru}},
			{"speakers of a session", models.Audience{Kind: speakers, SessionID: p.given.ID}, []string{sukru}},
			{"speakers in scope", models.Audience{Kind: speakers, Scope: []uint{f.otherVenue.ID}}, nil},
			{"speakers with a decision draft", models.Audience{Kind: speakers, DecisionDraft: true}, []string{mo}},
			{"speakers by search", models.Audience{Kind: speakers, Query: "HADDAD"}, []string{mo}},
			{"co-speakers (anna on three proposals)", models.Audience{Kind: cospeakers}, []string{anna, bram}},
			{"co-speakers at a venue", models.Audience{Kind: cospeakers, VenueID: f.venue.ID}, []string{anna, bram}},
			{"co-speakers, rejected", models.Audience{Kind: cospeakers, ProposalStatus: models.ProposalRejected}, []string{anna}},
			{"co-speakers by search", models.Audience{Kind: cospeakers, Query: "logius"}, []string{anna}},
			{"reviewers", models.Audience{Kind: models.AudienceReviewers}, []string{"beoordelaar1@example.nl", "beoordelaar2@example.nl"}},
			{"reviewers by search", models.Audience{Kind: models.AudienceReviewers, Query: "aar2"}, []string{"beoordelaar2@example.nl"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got := addresses(t, s, tc.a)
				if !slices.Equal(got, tc.want) {
					t.Errorf("people %q, want %q", got, tc.want)
				}
				if n := must(s.CountAudience(ctx, tc.a)); n != len(tc.want) {
					t.Errorf("CountAudience = %d, want %d", n, len(tc.want))
				}
				if !tc.a.Attendees() {
					page := must(s.Recipients(ctx, tc.a, 1, 50))
					if page.Total != len(tc.want) || len(page.People) != len(tc.want) {
						t.Errorf("Recipients: %d of %d, want %d", len(page.People), page.Total, len(tc.want))
					}
				}
			})
		}

		// The list counts registrations: ann's cancelled one too, which a message does not
		// write to twice. With one registration per address the numbers agree.
		if got := must(s.People(ctx, models.Audience{}, "", 1, 50)).Total; got != 5 {
			t.Errorf("People total %d, want 5 registrations", got)
		}
		if got := must(s.People(ctx, models.Audience{Status: models.StatusConfirmed}, "", 1, 50)).Total; got != 4 {
			t.Errorf("People confirmed %d, want 4", got)
		}

		// The two voters asked for a ballot without asking to hear about the vote: only a hash
		// of their address is kept, so the audience of voters (those who can be written to)
		// is empty. TestVoteContacts goes on from here.
		if n := must(s.CountAudience(ctx, models.Audience{Kind: models.AudienceVoters})); n != 0 {
			t.Errorf("voters who can be written to %d, want 0", n)
		}
		if got := addresses(t, s, models.Audience{Kind: models.AudienceVoters}); len(got) != 0 {
			t.Errorf("voters' addresses %q, want none", got)
		}

		// Speakers are one person per address: Şükrü's two proposals under his first one.
		var sp []models.Recipient
		must(0, s.EachRecipient(ctx, models.Audience{Kind: speakers, Query: "sukru"}, func(r models.Recipient) error {
			sp = append(sp, r)
			return nil
		}))
		if len(sp) != 1 || sp[0].ID != p.sukru1.ID || len(sp[0].Proposals) != 2 || sp[0].Lang != "en" {
			t.Errorf("Şükrü as a recipient: %+v; want proposal %d with both titles, in English", sp, p.sukru1.ID)
		}
		// An attendee with a cancelled and an active registration is written to at the active one.
		var annR []models.Recipient
		must(0, s.EachRecipient(ctx, models.Audience{Query: "ann bakker"}, func(r models.Recipient) error {
			annR = append(annR, r)
			return nil
		}))
		if len(annR) != 1 || annR[0].ID != p.ann.ID {
			t.Errorf("Ann as a recipient: %+v, want registration %d", annR, p.ann.ID)
		}
	})
}

// TestAudienceRefusesFiltersOfAnotherGroup: a filter that does not narrow the group is a
// problem, never quietly dropped.
func TestAudienceRefusesFiltersOfAnotherGroup(t *testing.T) {
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		a          models.Audience
		field, key string
	}{
		{models.Audience{Kind: models.AudienceSpeakers, Status: models.StatusCheckedIn}, "status", "audience.not_for_group"},
		{models.Audience{Kind: models.AudienceSpeakers, HasNeeds: true}, "needs", "audience.not_for_group"},
		{models.Audience{Kind: models.AudienceReviewers, VenueID: 3}, "venue", "audience.not_for_group"},
		{models.Audience{Kind: models.AudienceVoters, Query: "anna"}, "q", "audience.not_for_group"},
		{models.Audience{Kind: models.AudienceReviewers, To: &from}, "to", "audience.not_for_group"},
		{models.Audience{ProposalStatus: models.ProposalAccepted}, "proposal_status", "audience.not_for_group"},
		{models.Audience{Kind: models.AudienceCoSpeakers, DecisionDraft: true}, "decision_draft", "audience.not_for_group"},
		{models.Audience{Kind: models.AudienceSpeakers, ProposalStatus: "misschien"}, "proposal_status", "form.invalid_choice"},
		{models.Audience{Kind: "iedereen"}, "kind", "form.invalid_choice"},
	} {
		p := tc.a.Validate()
		if got := p[tc.field].Key; got != tc.key {
			t.Errorf("%+v: problem on %q = %q (all %v), want %q", tc.a, tc.field, got, p, tc.key)
		}
	}
}

// TestAudienceMailState: the people behind the dashboard's e-mail figures. Every e-mail the
// population's people caused is claimed, then sent, left waiting or failed per person; the
// filter selects the people with an unsent one (or a failed one), per group.
func TestAudienceMailState(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		p := newPopulation(t, s)
		msgs := must(s.ClaimOutbox(ctx, 1000, time.Minute))
		if len(msgs) == 0 {
			t.Fatal("the population caused no e-mails to claim")
		}
		for _, m := range msgs {
			var err error
			switch models.NormalizeEmail(m.Recipient) {
			case "zoe@example.nl", "sukru@example.nl":
				err = s.MarkFailed(ctx, m, fmt.Errorf("452 mailbox full"))
			case "jan@example.nl", "anna@example.nl":
				err = s.ReleaseOutbox(ctx, m.LockedBy, []uint{m.ID})
			default:
				err = s.MarkSent(ctx, m.ID)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		// Every person of every group has had an e-mail claimed, so the states above are all
		// there is.
		claimed := map[string]bool{}
		for _, m := range msgs {
			claimed[models.NormalizeEmail(m.Recipient)] = true
		}
		for _, k := range []string{models.AudienceAttendees, models.AudienceSpeakers, models.AudienceCoSpeakers} {
			for _, a := range addresses(t, s, models.Audience{Kind: k}) {
				if !claimed[a] {
					t.Fatalf("no e-mail to %s was claimed", a)
				}
			}
		}
		cases := []struct {
			name string
			a    models.Audience
			want []string
		}{
			{"attendees waiting", models.Audience{MailState: models.MailStatePending}, []string{"jan@example.nl", "zoe@example.nl"}},
			{"attendees failed", models.Audience{MailState: models.MailStateFailed}, []string{"zoe@example.nl"}},
			{"attendees waiting at Rotterdam", models.Audience{MailState: models.MailStatePending, VenueID: p.f.otherVenue.ID}, nil},
			{"speakers waiting", models.Audience{Kind: models.AudienceSpeakers, MailState: models.MailStatePending}, []string{"sukru@example.nl"}},
			{"speakers failed", models.Audience{Kind: models.AudienceSpeakers, MailState: models.MailStateFailed}, []string{"sukru@example.nl"}},
			{"co-speakers waiting", models.Audience{Kind: models.AudienceCoSpeakers, MailState: models.MailStatePending}, []string{"anna@example.nl"}},
			{"co-speakers failed (Şükrü's failure is his, not his co-speakers')",
				models.Audience{Kind: models.AudienceCoSpeakers, MailState: models.MailStateFailed}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if got := addresses(t, s, tc.a); !slices.Equal(got, tc.want) {
					t.Errorf("people %q, want %q", got, tc.want)
				}
				if n := must(s.CountAudience(ctx, tc.a)); n != len(tc.want) {
					t.Errorf("CountAudience = %d, want %d", n, len(tc.want))
				}
			})
		}
		// The list of registrations agrees with the dashboard's per-venue figure, which
		// counts e-mails: Zoë and Jan have one registration each at Zwolle.
		if got := must(s.People(ctx, models.Audience{MailState: models.MailStateFailed}, "", 1, 50)).Total; got != 1 {
			t.Errorf("People with a failed e-mail: %d, want 1 (Zoë)", got)
		}
		for _, a := range []models.Audience{{Kind: models.AudienceReviewers, MailState: models.MailStatePending},
			{Kind: models.AudienceVoters, MailState: models.MailStateFailed}} {
			if p := a.Validate(); p["mail"].Key != "audience.not_for_group" {
				t.Errorf("%s with an e-mail state: problems %v, want mail: audience.not_for_group", a.Kind, p)
			}
		}
		if p := (models.Audience{MailState: "bounced"}).Validate(); p["mail"].Key != "form.invalid_choice" {
			t.Errorf("an unknown e-mail state: problems %v", p)
		}
	})
}

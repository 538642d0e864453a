package mail

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// testContact is the organisers' address in every e-mail of everyKind.
const testContact = "organisatie@dagvandetest.example"

// sentMail is one e-mail as the SMTP server received it, with the outbox row it came from.
type sentMail struct {
	received
	Row models.OutboxMessage
}

// everyKind sends at least one e-mail of every kind, the real way: the store queues each as
// the change it reports happens, and the worker composes and sends it over SMTP (tickets
// attached) to a server inside the test. It returns what the server received, by outbox row.
func everyKind(t *testing.T, s *models.Store) []sentMail {
	t.Helper()
	f := newFixture(t, s) // the clock is at 20 January 2027, 09:00
	settings := models.EventInput{Name: f.event.Name, Date: f.event.Date, Timezone: models.DefaultTimezone,
		ProposalsOpenAt: "2027-01-01T09:00", ProposalsCloseAt: "2027-01-25T17:00",
		VotingEnabled: true, VotingOpensAt: "2027-01-10T09:00", VotingClosesAt: "2027-01-25T17:00", VotesPerVoter: 4,
		ReconfirmDeadline: "2027-01-27T12:00", ContactEmail: testContact}
	must(s.UpdateEvent(ctx, f.event.ID, settings))
	srv := startSMTP(t)
	w := newWorker(t, s, srv, nil)
	w.Composer.Tickets = must(tickets.NewRenderer())
	drain := func() {
		t.Helper()
		for {
			sent, failed, err := w.RunOnce(ctx)
			if err != nil || failed != 0 {
				t.Fatalf("RunOnce: %d failed, %v", failed, err)
			}
			if sent == 0 {
				return
			}
		}
	}

	// Registrations: Zaal B holds one, so Dmitri waits for Helder schrijven.
	zoe := must(s.Register(ctx, person("Zoë Ångström", "zoe@example.nl", "nl", f.writing.ID, f.ai.ID)))
	must(s.Register(ctx, person("Dmitri Petrov", "dmitri@example.org", "en", f.writing.ID)))
	carla := must(s.Register(ctx, person("Carla Smit", "carla@example.nl", "nl", f.openData.ID)))
	must(s.ChangeSessions(ctx, carla.Registration.ID, []uint{f.openData.ID, f.ai.ID}, nil))
	if err := s.ResendLink(ctx, f.event.ID, "carla@example.nl"); err != nil {
		t.Fatalf("ResendLink: %v", err)
	}
	f.clock.Advance(time.Minute) // the reminder goes to those registered before it
	must(s.SendReminders(ctx, f.event.ID, -1))
	if err := s.Cancel(ctx, zoe.Registration.ID); err != nil { // Dmitri moves up
		t.Fatalf("Cancel: %v", err)
	}

	// Two people have their data erased (#17); each is told in their own language.
	for _, p := range []models.RegistrationInput{person("Wilma Wisselink", "wilma@example.nl", "nl"), person("Edward Erasmus", "edward@example.org", "en")} {
		must(s.EraseRegistration(ctx, must(s.Register(ctx, p)).Registration.ID))
	}

	// A published schedule changes a session Carla booked; its speaker is told too.
	must(s.PublishSchedule(ctx, f.event.ID, nil))
	roomC := must(s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Zaal C", Capacity: 30}))
	must(s.UpdateSession(ctx, f.openData.ID, models.SessionInput{Title: f.openData.Title, Format: "workshop",
		VenueID: f.venue.ID, RoomID: roomC.ID, FirstSlotID: f.openData.Slots[0].SlotID, SlotCount: 1,
		Speakers: []models.SpeakerInput{{Name: "Sam Spreker", Organisation: "Rijkswaterstaat"}}}))
	modelstest.SetSpeakerEmail(t, s, "Sam Spreker", "sam@example.org")
	must(s.PublishSchedule(ctx, f.event.ID, nil))
	drain() // before the release below cancels the registrations these are about

	// The call for proposals, open voting and a decision. The title shows that text is
	// escaped in the HTML part.
	res := must(s.SubmitProposal(ctx, models.ProposalInput{Title: "Samen <schrijven> & delen", Summary: "Kort.", Description: "Lang.",
		Format: "workshop", Slots: 1, MaxParticipants: 20, Speaker: models.ProposalSpeaker{Name: "Şükrü Öztürk",
			Email: "sukru@example.org", Organisation: "Gemeente Zwolle"}, CoSpeakers: []string{"anna@example.nl"},
		Consent: true, Lang: "en"}))
	if err := s.RequestBallot(ctx, "bram@example.nl", "nl"); err != nil {
		t.Fatalf("RequestBallot: %v", err)
	}
	// #16: an invitation to the organising team.
	must(s.Invite(models.WithActor(ctx, models.Actor{Kind: models.ActorCLI, Name: "cli"}),
		models.InvitationInput{Email: "nieuw.teamlid@example.nl", Role: models.RoleOrganiser, VenueSlug: f.venue.Slug, Lang: "en"}))
	drain()
	modelstest.SetProposalStatus(t, s, res.Proposal.ID, models.ProposalAccepted)
	must(s.PrepareDecisionMails(ctx, f.event.ID, DecisionComposer(f.event, nil)))
	box := must(s.DecisionOutbox(ctx, f.event.ID))
	must(s.SendDecisionMails(ctx, f.event.ID, []uint{box.Drafts[0].ID}))

	// A speaker and a voter erase their data (#17): each gets one last e-mail, and the
	// speaker's waiting confirmation of the proposal is withdrawn.
	gone := must(s.SubmitProposal(ctx, models.ProposalInput{Title: "Weg ermee", Summary: "Kort.", Description: "Lang.",
		Format: "workshop", Slots: 1, MaxParticipants: 20, Speaker: models.ProposalSpeaker{Name: "Gijs Gewist",
			Email: "gijs@example.nl", Organisation: "Gemeente Ede"}, Consent: true, Lang: "nl"}))
	must(s.EraseProposal(ctx, gone.Proposal.ID))
	if err := s.RequestBallot(ctx, "vera@example.nl", "en"); err != nil {
		t.Fatalf("RequestBallot: %v", err)
	}
	must(s.EraseVoter(ctx, must(s.VoterByEmail(ctx, f.event.ID, "vera@example.nl")).ID))

	// An organiser forgot their password (#16).
	must(s.CreateUser(ctx, models.UserInput{Email: "org@example.nl", Password: "een lang wachtwoord", Role: models.RoleOrganiser}))
	if err := s.RequestPasswordReset(ctx, "org@example.nl", "en"); err != nil {
		t.Fatalf("RequestPasswordReset: %v", err)
	}

	// Nobody confirmed they are still coming: after the deadline their seats go.
	f.clock.Advance(8 * 24 * time.Hour)
	must(s.ReleaseUnconfirmed(ctx, f.event.ID))
	drain()

	// #19: the event now signs people up by preference; Rosa ranks two sessions and is told
	// her ranking arrived, when the seats are allocated, and no more.
	settings.SignupMode, settings.AllocationSeed = models.SignupPreferences, "Staatsloterij 27 januari 2027"
	settings.PreferencesOpenAt, settings.PreferencesCloseAt, settings.AllocationAt = "2027-01-27T09:00", "2027-01-30T17:00", "2027-01-31T09:00"
	must(s.UpdateEvent(ctx, f.event.ID, settings))
	rosa := person("Rosa Rangschikker", "rosa@example.nl", "en")
	rosa.Preferences = models.Rankings{f.writing.Slots[0].SlotID: {f.writing.ID, f.openData.ID}}
	rosaID := must(s.Register(ctx, rosa)).Registration.ID
	drain()
	// Then the seats are allocated (here an allocation that gives nothing new): everyone
	// still at the venue, Rosa too, gets the result, with the ticket.
	must(s.ApplyAllocation(ctx, f.venue.ID, models.AllocationOutcome{Seed: "Dag van de Test"}))
	drain()

	// #18: Rosa came; the day after the event she is asked how it was.
	must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: rosaID, Door: "Hoofdingang"}))
	f.clock.Advance(time.Date(2027, 2, 4, 9, 0, 0, 0, time.UTC).Sub(f.clock.Now()))
	if n := must(s.SendFeedbackMails(ctx, f.event.ID)); n != 1 {
		t.Fatalf("SendFeedbackMails = %d, want 1 (Rosa)", n)
	}
	drain()

	rows := map[string]models.OutboxMessage{}
	for _, row := range outbox(t, s) {
		rows[messageID(t, s, row.ID)] = row
	}
	var out []sentMail
	for _, m := range srv.Messages() {
		row, ok := rows[m.Header(t).Get("Message-Id")]
		if !ok {
			t.Fatalf("received a message that is not in the outbox: %s", m.Header(t).Get("Message-Id"))
		}
		out = append(out, sentMail{received: m, Row: row})
	}
	return out
}

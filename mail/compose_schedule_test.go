package mail

import (
	"errors"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestComposeScheduleChange publishes a schedule, moves a booked session to another room,
// publishes v2, and reads the e-mails an attendee of the moved session and its speaker then get.
func TestComposeScheduleChange(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	c := &Composer{Store: s, BaseURL: "https://dagplanner.example"}
	anna := must(s.Register(ctx, person("Anna de Vries", "anna@example.nl", "nl", f.openData.ID)))
	must(s.PublishSchedule(ctx, f.event.ID, nil))

	// Anna booked Open data, so it keeps its time: moving it from 10:00 to 11:15 is refused
	// (even with room A free then, once AI en de Woo is off) and changes nothing.
	must(s.UpdateSession(ctx, f.ai.ID, models.SessionInput{Title: f.ai.Title, Format: f.ai.Format, SlotCount: 1}))
	roomA, slot1, slot2 := *f.openData.RoomID, f.openData.Slots[0].SlotID, f.ai.Slots[0].SlotID
	_, err := s.UpdateSession(ctx, f.openData.ID, models.SessionInput{Title: f.openData.Title, Format: "workshop",
		VenueID: f.venue.ID, RoomID: roomA, FirstSlotID: slot2, SlotCount: 1})
	var verr *models.ValidationError
	if !errors.As(err, &verr) || verr.Problems["room"].Key != "form.booked_keeps_place" {
		t.Fatalf("moving a booked session to another time got %v, want form.booked_keeps_place on the room", err)
	}
	if got := must(s.Session(ctx, f.openData.ID)); len(got.Slots) != 1 || got.Slots[0].SlotID != slot1 || got.RoomID == nil || *got.RoomID != roomA {
		t.Fatalf("a refused move left Open data in slots %v, room %v; want [%d], %d", got.SlotIDs(), got.RoomID, slot1, roomA)
	}

	// Instead Open data moves to room C, at the same time and big enough for Anna, and gets a
	// speaker with an address, who speaks English.
	roomC := must(s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Zaal C", Capacity: 30}))
	must(s.UpdateSession(ctx, f.openData.ID, models.SessionInput{Title: f.openData.Title, Format: "workshop",
		VenueID: f.venue.ID, RoomID: roomC.ID, FirstSlotID: slot1, SlotCount: 1,
		Speakers: []models.SpeakerInput{{Name: "Sam Spreker", Organisation: "Rijkswaterstaat"}}}))
	modelstest.SetSpeakerEmail(t, s, "Sam Spreker", "sam@example.nl")
	must(s.PublishSchedule(ctx, f.event.ID, nil))

	msg := lastOutbox(t, s, anna.Registration.ID, models.MailScheduleChanged)
	m := must(c.Compose(ctx, msg))
	if m.To != "anna@example.nl" || m.Subject != "Het programma van Dag van de Test is gewijzigd" {
		t.Errorf("attendee got To %q Subject %q", m.To, m.Subject)
	}
	contains(t, "attendee's e-mail", m.Text, "Hallo Anna de Vries,", "(versie 2)",
		"- 10:00–11:00  Open data in de praktijk, Zaal C\n")
	if r := must(s.RegistrationByToken(ctx, tokenIn(t, m.Text))); r.ID != anna.Registration.ID {
		t.Errorf("the link opens registration %d, want %d", r.ID, anna.Registration.ID)
	}

	var toSpeaker models.OutboxMessage
	for _, m := range outbox(t, s) {
		if m.Kind == models.MailSpeakerSchedule && toSpeaker.ID == 0 {
			toSpeaker = m
		}
	}
	if toSpeaker.ID == 0 {
		t.Fatal("no e-mail to the speaker")
	}
	toSpeaker.Lang = "en"
	m = must(c.Compose(ctx, toSpeaker))
	if m.To != "sam@example.nl" || m.Subject != "Your session in the programme of Dag van de Test" {
		t.Errorf("speaker got To %q Subject %q", m.To, m.Subject)
	}
	contains(t, "speaker's e-mail", m.Text, "Hello Sam Spreker,", "version 2",
		"- 10:00–11:00  Open data in de praktijk, Zaal C, Stadskantoor Utrecht (Utrecht)\n",
		"https://dagplanner.example/programma")
	if strings.Contains(m.Text, "<no value>") {
		t.Errorf("speaker's e-mail has an empty placeholder:\n%s", m.Text)
	}
}

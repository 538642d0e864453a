package mail

import (
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestScheduleChangeSaysWhatChanged publishes a version in which one attendee's session moves
// to another time and room, another's moves in time, a third's leaves the programme and a new
// session comes in, and reads each person's e-mail: in their language, saying what changed
// for them, with English titles for English readers where there are some. The speaker, who
// speaks English, hears of their session that left and the one that came in.
func TestScheduleChangeSaysWhatChanged(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	c := &Composer{Store: s, BaseURL: "https://dagplanner.example"}
	roomA, roomB := *f.openData.RoomID, *f.writing.RoomID
	slot1, slot2 := f.openData.Slots[0].SlotID, f.ai.Slots[0].SlotID
	must(s.UpdateSession(ctx, f.ai.ID, models.SessionInput{Title: f.ai.Title, TitleEn: "AI and the Open Government Act",
		Format: "workshop", VenueID: f.venue.ID, RoomID: roomA, FirstSlotID: slot2, SlotCount: 1}))
	leaving := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Zonder boekingen", Format: "lecture",
		VenueID: f.venue.ID, RoomID: roomB, FirstSlotID: slot2, SlotCount: 1,
		Speakers: []models.SpeakerInput{{Name: "Sam Spreker", Organisation: "Rijkswaterstaat"}}}))
	modelstest.SetSpeakerEmail(t, s, "Sam Spreker", "sam@example.nl")
	modelstest.SetSpeakerLang(t, s, "Sam Spreker", "en")
	anna := must(s.Register(ctx, person("Anna de Vries", "anna@example.nl", "nl", f.openData.ID)))
	bob := must(s.Register(ctx, person("Bob Brown", "bob@example.org", "en", f.ai.ID)))
	carla := must(s.Register(ctx, person("Carla Jansen", "carla@example.nl", "nl", f.writing.ID)))
	must(s.PublishSchedule(ctx, f.event.ID, nil))

	// Slot 2 moves to 13:00, then slot 1 to 11:15: booked sessions keep their slots, the
	// slots their times change. Open data goes to room C; the speaker's unbooked session
	// leaves the programme and a new one of theirs takes its place.
	must(s.UpdateSlot(ctx, slot2, models.SlotInput{Start: "13:00", End: "14:00"}))
	must(s.UpdateSlot(ctx, slot1, models.SlotInput{Start: "11:15", End: "12:15"}))
	roomC := must(s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Zaal C", Capacity: 30}))
	must(s.UpdateSession(ctx, f.openData.ID, models.SessionInput{Title: f.openData.Title, Format: "workshop",
		VenueID: f.venue.ID, RoomID: roomC.ID, FirstSlotID: slot1, SlotCount: 1}))
	speaker := []models.SpeakerInput{{Name: "Sam Spreker", Organisation: "Rijkswaterstaat"}}
	must(s.UpdateSession(ctx, leaving.ID, models.SessionInput{Title: leaving.Title, Format: "lecture", SlotCount: 1, Speakers: speaker}))
	must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "De Omgevingswet", TitleEn: "The Environment Act",
		Format: "lecture", VenueID: f.venue.ID, RoomID: roomB, FirstSlotID: slot2, SlotCount: 1, Speakers: speaker}))
	// Nothing in the app takes a booked session off the programme (it keeps its place, see
	// models.checkSessionChange); should it happen anyway, the e-mail says so. Helder
	// schrijven, Carla's, is taken off by hand.
	modelstest.TakeSessionOffProgramme(t, s, f.writing.ID)
	must(s.PublishSchedule(ctx, f.event.ID, nil))

	for _, tc := range []struct {
		name    string
		regID   uint
		subject string
		want    []string
		notWant []string
	}{
		{"Anna, moved in time and room, in Dutch", anna.Registration.ID, "Het programma van Dag van de Test is gewijzigd", []string{
			"(versie 2). Dit is er voor jou veranderd:\n\n" +
				"- Je sessie ‘Open data in de praktijk’ is verplaatst van 10:00 naar 11:15, Zaal A → Zaal C.\n" +
				"- Nieuw in het programma: ‘De Omgevingswet’, 13:00–14:00, Zaal B.\n\n",
			"- 11:15–12:15  Open data in de praktijk, Zaal C\n",
		}, []string{"AI en de Woo", "Environment"}},
		{"Bob, moved in time, in English", bob.Registration.ID, "The programme of Dag van de Test has changed", []string{
			"(version\n2). This is what changed for you:\n\n" +
				"- Your session ‘AI and the Open Government Act’ has moved from 11:15 to 13:00 (Zaal A).\n" +
				"- New in the programme: ‘The Environment Act’, 13:00–14:00, Zaal B.\n\n",
			"- 13:00–14:00  AI and the Open Government Act, Zaal A\n",
		}, []string{"AI en de Woo", "Omgevingswet", "Open data"}},
		{"Carla, cancelled, in Dutch", carla.Registration.ID, "Het programma van Dag van de Test is gewijzigd", []string{
			"- Je sessie ‘Helder schrijven’ (10:00–11:00, Zaal B) gaat niet door: hij staat niet meer in het programma.\n" +
				"- Nieuw in het programma: ‘De Omgevingswet’, 13:00–14:00, Zaal B.\n",
			"- Helder schrijven (niet meer in het programma)\n",
		}, []string{"Open data"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := must(c.Compose(ctx, lastOutbox(t, s, tc.regID, models.MailScheduleChanged)))
			if m.Subject != tc.subject {
				t.Errorf("subject got %q, want %q", m.Subject, tc.subject)
			}
			contains(t, tc.name, m.Text, tc.want...)
			for _, w := range tc.notWant {
				if strings.Contains(m.Text, w) {
					t.Errorf("%s: got %q in the e-mail, want it left out:\n%s", tc.name, w, m.Text)
				}
			}
		})
	}

	var toSam models.OutboxMessage
	for _, m := range outbox(t, s) {
		if m.Kind == models.MailSpeakerSchedule && m.Recipient == "sam@example.nl" {
			toSam = m
		}
	}
	if toSam.ID == 0 {
		t.Fatal("no e-mail to the speaker")
	}
	if toSam.Lang != "en" {
		t.Errorf("the speaker's e-mail was queued in %q, want en", toSam.Lang)
	}
	m := must(c.Compose(ctx, toSam))
	if m.Subject != "Your session in the programme of Dag van de Test" || m.Headers["Content-Language"] != "en" {
		t.Errorf("speaker got subject %q in %q", m.Subject, m.Headers["Content-Language"])
	}
	contains(t, "speaker's e-mail", m.Text, "Hello Sam Spreker,", "This is what changed in your session:\n\n"+
		"- Your session ‘Zonder boekingen’ (11:15–12:15, Zaal B) is cancelled: it is no longer in the programme.\n"+
		"- Your session ‘The Environment Act’ is now in the programme: 13:00–14:00, Zaal B (Utrecht).\n",
		"- 13:00–14:00  The Environment Act, Zaal B, Stadskantoor Utrecht (Utrecht)\n",
		"- Zonder boekingen: not (or no longer) scheduled\n")
}

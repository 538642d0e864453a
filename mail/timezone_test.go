package mail

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// TestTimesInTheEventsZone composes the mails of an event on Curaçao: its times are the
// island's clock (UTC−4), in the text and on the ticket, never Amsterdam's (UTC+1 in
// February, five hours later).
func TestTimesInTheEventsZone(t *testing.T) {
	s := modelstest.SQLite(t)
	s.SetClock(func() time.Time { return time.Date(2027, 1, 20, 13, 0, 0, 0, time.UTC) })
	event := must(s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Ambtenaar Curaçao", Date: "2027-02-03", Timezone: "America/Curacao"}))
	venue := must(s.CreateVenue(ctx, event.ID, models.VenueInput{Slug: "willemstad", Name: "Regeringsgebouw",
		City: "Willemstad", Address: "Wilhelminaplein 1, Willemstad", Capacity: 100}))
	room := must(s.CreateRoom(ctx, venue.ID, models.RoomInput{Name: "Zaal Bon Bini", Capacity: 50}))
	slot := must(s.CreateSlot(ctx, venue.ID, models.SlotInput{Start: "10:00", End: "11:00"}))
	if got, want := slot.StartsAt, time.Date(2027, 2, 3, 14, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("10:00 on Curaçao stored as %v, want %v", got.UTC(), want)
	}
	session := must(s.CreateSession(ctx, event.ID, models.SessionInput{Title: "Open data op de eilanden", Format: "workshop",
		VenueID: venue.ID, RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: 1}))
	r := must(s.Register(ctx, models.RegistrationInput{Name: "Carla Smit", Email: "carla@example.cw", Organisation: "Land Curaçao",
		Lang: "nl", Venue: "willemstad", Sessions: []uint{session.ID}, Consent: true}))

	c := &Composer{Store: s, BaseURL: "https://dagplanner.example/", Tickets: must(tickets.NewRenderer())}
	m := must(c.Compose(ctx, lastOutbox(t, s, r.Registration.ID, models.MailConfirmation)))
	contains(t, "confirmation", m.Text, "woensdag 3 februari 2027", "- 10:00–11:00  Open data op de eilanden, Zaal Bon Bini")
	if len(m.Attachments) != 1 {
		t.Fatalf("confirmation has %d attachments, want the ticket", len(m.Attachments))
	}
	contains(t, "ticket", pdfToText(t, m.Attachments[0].Data), "woensdag 3 februari 2027", "10:00–11:00", "Open data op de eilanden")
}

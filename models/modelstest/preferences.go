package modelstest

import (
	"fmt"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// PreferenceEvent is a small event in preference mode (issue #19), for the allocation's tests:
// one venue ("utrecht", 100 places) with two slots; in the first a popular workshop with two
// seats (Populair, spoken by Sam Spreker, sam@example.org) and a quiet one with ten (Rustig),
// in the second a one-seat session (Klein) and a big one with ten (Groot). Six people are
// registered: Sam first, then five who all want Populair first and, but the last, Klein.
type PreferenceEvent struct {
	Event                     models.Event
	Venue                     models.Venue
	Slots                     []models.Slot
	Popular, Quiet, Tiny, Big models.Session
	People                    []models.Registration // Speaker first
	Speaker                   models.Registration
	// Seed is the value the organisers published.
	Seed string
}

// NewPreferenceEvent creates a PreferenceEvent whose preference window runs from a day
// before now to a day after, with the allocation an hour after it closes. Registering needs the
// store's clock (or the real time) in the registration window, which it leaves open.
func NewPreferenceEvent(t testing.TB, s *models.Store, now time.Time) PreferenceEvent {
	t.Helper()
	ctx := Ctx()
	fail := func(what string, err error) {
		if err != nil {
			t.Fatalf("preference event: %s: %v", what, err)
		}
	}
	f := PreferenceEvent{Seed: "Lotto 18-01-2027: 3 14 15 92 65"}
	var err error
	f.Event, err = s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Voorkeur", Date: now.AddDate(0, 0, 14).Format(time.DateOnly),
		Timezone: models.DefaultTimezone})
	fail("event", err)
	f.Venue, err = s.CreateVenue(ctx, f.Event.ID, models.VenueInput{Slug: "utrecht", Name: "Stadskantoor Utrecht",
		City: "Utrecht", Address: "Stadsplateau 1, 3521 AZ Utrecht", Capacity: 100})
	fail("venue", err)
	var rooms []models.Room
	for _, r := range []models.RoomInput{{Name: "Zaal A", Capacity: 2}, {Name: "Zaal B", Capacity: 1}, {Name: "Zaal C", Capacity: 10}} {
		room, err := s.CreateRoom(ctx, f.Venue.ID, r)
		fail("room", err)
		rooms = append(rooms, room)
	}
	for _, sl := range []models.SlotInput{{Start: "10:00", End: "11:00"}, {Start: "11:15", End: "12:15"}} {
		slot, err := s.CreateSlot(ctx, f.Venue.ID, sl)
		fail("slot", err)
		f.Slots = append(f.Slots, slot)
	}
	session := func(title string, room models.Room, slot models.Slot, speakers ...models.SpeakerInput) models.Session {
		return Session(t, s, f.Event.ID, models.SessionInput{Title: title, Format: "workshop",
			VenueID: f.Venue.ID, RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: 1, Speakers: speakers})
	}
	f.Popular = session("Populair", rooms[0], f.Slots[0], models.SpeakerInput{Name: "Sam Spreker", Organisation: "RWS"})
	f.Quiet = session("Rustig", rooms[2], f.Slots[0])
	f.Tiny = session("Klein", rooms[1], f.Slots[1])
	f.Big = session("Groot", rooms[2], f.Slots[1])
	SetSpeakerEmail(t, s, "Sam Spreker", "Sam@Example.org")

	Update(t, s, &models.Event{}, Where("id = ?", f.Event.ID), map[string]any{
		"signup_mode": models.SignupPreferences, "preferences_open_at": now.Add(-24 * time.Hour),
		"preferences_close_at": now.Add(24 * time.Hour), "allocation_at": now.Add(25 * time.Hour),
		"allocation_seed": f.Seed, "preference_ranks": 2})
	f.Event, err = s.Event(ctx, f.Event.ID)
	fail("event", err)

	register := func(name, email, lang string) models.Registration {
		res, err := s.Register(ctx, models.RegistrationInput{Name: name, Email: email, Organisation: "Gemeente Utrecht",
			Lang: lang, Venue: f.Venue.Slug, Consent: true})
		fail("register", err)
		return res.Registration
	}
	f.Speaker = register("Sam Spreker", "sam@example.org", "en")
	f.People = append(f.People, f.Speaker)
	for i := range 5 {
		lang := "nl"
		if i%2 == 1 {
			lang = "en"
		}
		f.People = append(f.People, register(fmt.Sprintf("Deelnemer %d", i), fmt.Sprintf("deelnemer-%d@example.nl", i), lang))
	}
	for i, r := range f.People[1:] {
		Rank(t, s, r.ID, f.Slots[0].ID, f.Popular.ID, f.Quiet.ID)
		if i < 4 {
			Rank(t, s, r.ID, f.Slots[1].ID, f.Tiny.ID, f.Big.ID)
		}
	}
	Rank(t, s, f.Speaker.ID, f.Slots[1].ID, f.Tiny.ID)
	return f
}

// Rank stores a registration's ranking for a slot directly, best first.
func Rank(t testing.TB, s *models.Store, regID, slotID uint, sessions ...uint) {
	t.Helper()
	for i, id := range sessions {
		Insert(t, s, &models.Preference{RegistrationID: regID, SlotID: slotID, Rank: i + 1, SessionID: id})
	}
}

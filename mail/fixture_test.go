package mail

import (
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var ctx = modelstest.Ctx()

// must returns v, or ends the test binary on err: for set-up steps that cannot fail.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fixture is a small event: one venue with two rooms and two slots on 3 February 2027.
type fixture struct {
	event                 models.Event
	venue                 models.Venue
	openData, writing, ai models.Session // slot 1 (room A), slot 1 (room B, 1 seat), slot 2
	clock                 *clock
}

func newFixture(t *testing.T, s *models.Store) fixture {
	t.Helper()
	var f fixture
	f.clock = newClock(time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC))
	s.SetClock(f.clock.Now)
	f.event = must(s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Test", Date: "2027-02-03", Timezone: models.DefaultTimezone}))
	f.venue = must(s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "utrecht", Name: "Stadskantoor Utrecht",
		City: "Utrecht", Address: "Stadsplateau 1, 3521 AZ Utrecht", Capacity: 100}))
	roomA := must(s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Zaal A", Capacity: 50}))
	roomB := must(s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Zaal B", Capacity: 1}))
	slot1 := must(s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "10:00", End: "11:00"}))
	slot2 := must(s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "11:15", End: "12:15"}))
	session := func(title string, room models.Room, slot models.Slot) models.Session {
		return must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: title, Format: "workshop",
			VenueID: f.venue.ID, RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: 1}))
	}
	f.openData = session("Open data in de praktijk", roomA, slot1)
	f.writing = session("Helder schrijven", roomB, slot1)
	f.ai = session("AI en de Woo", roomA, slot2)
	return f
}

func person(name, email, lang string, sessions ...uint) models.RegistrationInput {
	return models.RegistrationInput{Name: name, Email: email, Organisation: "Gemeente Utrecht", Lang: lang,
		Venue: "utrecht", Sessions: sessions, Consent: true}
}

// clock is a store clock that tests move forward instead of sleeping.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *clock { return &clock{now: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var linkPattern = regexp.MustCompile(`https://dagplanner\.example/boeking/([A-Za-z0-9_-]+)`)

// tokenIn returns the token of the personal link in text.
func tokenIn(t *testing.T, text string) string {
	t.Helper()
	m := linkPattern.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no personal link in:\n%s", text)
	}
	return m[1]
}

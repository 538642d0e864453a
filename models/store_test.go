package models_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var ctx = modelstest.Ctx()

// noActor is a context that names nobody: what a change made without an actor is given, to
// show that it is refused.
var noActor = context.Background()

// fixture is a small event: one venue, two rooms, three slots.
type fixture struct {
	event      models.Event
	venue      models.Venue
	big, small models.Room
	s1, s2, s3 models.Slot
	otherVenue models.Venue
	otherRoom  models.Room
	otherSlot  models.Slot
}

// must unwraps a fixture step; a failure panics, which fails the test with its stack.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newFixture(t *testing.T, s *models.Store) fixture {
	t.Helper()
	var f fixture
	f.event = must(s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Ambtenaar 2.0", Date: "2027-02-03"}))
	f.venue = must(s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle", Address: "Luttenbergstraat 2", Capacity: 300}))
	f.big = must(s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Statenzaal", Capacity: 200}))
	f.small = must(s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: "Kamer 1", Capacity: 25}))
	f.s1 = must(s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "10:00", End: "11:00"}))
	f.s2 = must(s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "11:15", End: "12:15"}))
	f.s3 = must(s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "13:15", End: "14:15"}))
	f.otherVenue = must(s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "rotterdam", Name: "Stadhuis", City: "Rotterdam", Address: "Coolsingel 40", Capacity: 300}))
	f.otherRoom = must(s.CreateRoom(ctx, f.otherVenue.ID, models.RoomInput{Name: "Burgerzaal", Capacity: 150}))
	f.otherSlot = must(s.CreateSlot(ctx, f.otherVenue.ID, models.SlotInput{Start: "10:00", End: "11:00"}))
	return f
}

func count(t *testing.T, s *models.Store, model any) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// wantProblem checks that err is a validation error with the given key on the given field.
func wantProblem(t *testing.T, err error, field, key string) {
	t.Helper()
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error = %v, want a validation error on %q", err, field)
	}
	if got := verr.Problems[field].Key; got != key {
		t.Errorf("problem on %q = %q (all: %v), want %q", field, got, verr.Problems, key)
	}
}

func TestOpenIsIdempotent(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		// Migrating an up-to-date database again must change nothing and lose nothing.
		if _, err := s.CurrentEvent(ctx); err != nil {
			t.Fatal(err)
		}
		if got := count(t, s, &models.Venue{}); got != 2 {
			t.Errorf("venues = %d, want 2", got)
		}
		if f.s1.StartsAt.Format("15:04") != "09:00" {
			t.Errorf("10:00 in Amsterdam in February stored as %s UTC, want 09:00", f.s1.StartsAt.Format("15:04"))
		}
	})
}

func TestReopenKeepsData(t *testing.T) {
	dsn := "file:" + t.TempDir() + "/reopen.db"
	s, err := models.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	newFixture(t, s)
	s.Close()
	s, err = models.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got := count(t, s, &models.Room{}); got != 3 {
		t.Errorf("rooms after reopen = %d, want 3", got)
	}
}

func TestVenueValidation(t *testing.T) {
	t.Parallel()
	valid := models.VenueInput{Slug: "utrecht", Name: "Stadskantoor", City: "Utrecht", Address: "Stadsplateau 1", Capacity: 100}
	cases := []struct {
		name        string
		edit        func(*models.VenueInput)
		field, want string
	}{
		{"empty name", func(in *models.VenueInput) { in.Name = "  " }, "name", "form.required"},
		{"name too long", func(in *models.VenueInput) { in.Name = strings.Repeat("x", 201) }, "name", "form.too_long"},
		{"negative capacity", func(in *models.VenueInput) { in.Capacity = -5 }, "capacity", "form.not_positive"},
		{"zero capacity", func(in *models.VenueInput) { in.Capacity = 0 }, "capacity", "form.not_positive"},
		{"bad slug", func(in *models.VenueInput) { in.Slug = "Den Haag!" }, "slug", "form.invalid_slug"},
		{"control character", func(in *models.VenueInput) { in.City = "Ut\x00recht" }, "city", "form.control_chars"},
		{"slug taken", func(in *models.VenueInput) { in.Slug = "zwolle" }, "slug", "form.slug_taken"},
	}
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := valid
				tc.edit(&in)
				_, err := s.CreateVenue(ctx, f.event.ID, in)
				wantProblem(t, err, tc.field, tc.want)
				if got := count(t, s, &models.Venue{}); got != 2 {
					t.Errorf("venues = %d after a refused create, want 2", got)
				}
			})
		}
		// An update with bad input leaves the stored venue as it was.
		bad := valid
		bad.Capacity = -1
		_, err := s.UpdateVenue(ctx, f.venue.ID, bad)
		wantProblem(t, err, "capacity", "form.not_positive")
		v := must(s.Venue(ctx, f.venue.ID))
		if v.Capacity != 300 || v.Name != "Provinciehuis" {
			t.Errorf("venue after refused update = %q/%d, want unchanged", v.Name, v.Capacity)
		}
	})
}

func TestRoomValidation(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		cases := []struct {
			name        string
			in          models.RoomInput
			field, want string
		}{
			{"empty", models.RoomInput{}, "name", "form.required"},
			{"too long", models.RoomInput{Name: strings.Repeat("é", 101), Capacity: 10}, "name", "form.too_long"},
			{"negative capacity", models.RoomInput{Name: "Kelder", Capacity: -1}, "capacity", "form.not_positive"},
			{"huge capacity", models.RoomInput{Name: "Kelder", Capacity: 1 << 30}, "capacity", "form.too_large"},
			{"duplicate name", models.RoomInput{Name: "Statenzaal", Capacity: 10}, "name", "form.name_taken"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateRoom(ctx, f.venue.ID, tc.in)
				wantProblem(t, err, tc.field, tc.want)
				if got := count(t, s, &models.Room{}); got != 3 {
					t.Errorf("rooms = %d after a refused create, want 3", got)
				}
			})
		}
		// The same name at another venue is fine.
		if _, err := s.CreateRoom(ctx, f.otherVenue.ID, models.RoomInput{Name: "Statenzaal", Capacity: 10}); err != nil {
			t.Errorf("same room name at another venue: %v", err)
		}
	})
}

func TestSlotValidation(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		cases := []struct {
			name        string
			in          models.SlotInput
			field, want string
		}{
			{"empty", models.SlotInput{}, "start", "form.required"},
			{"not a time", models.SlotInput{Start: "half tien", End: "11:00"}, "start", "form.invalid_time"},
			{"end before start", models.SlotInput{Start: "16:00", End: "15:00"}, "end", "form.slot_end_before_start"},
			{"end equals start", models.SlotInput{Start: "16:00", End: "16:00"}, "end", "form.slot_end_before_start"},
			{"overlaps", models.SlotInput{Start: "10:30", End: "11:30"}, "start", "form.slot_overlap"},
			{"contains another", models.SlotInput{Start: "09:00", End: "12:30"}, "start", "form.slot_overlap"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateSlot(ctx, f.venue.ID, tc.in)
				wantProblem(t, err, tc.field, tc.want)
				if got := count(t, s, &models.Slot{}); got != 4 {
					t.Errorf("slots = %d after a refused create, want 4", got)
				}
			})
		}
		// Touching slots do not overlap, and another venue keeps its own timetable.
		if _, err := s.CreateSlot(ctx, f.venue.ID, models.SlotInput{Start: "14:15", End: "15:00"}); err != nil {
			t.Errorf("slot starting as another ends: %v", err)
		}
		// Moving a slot onto a neighbour is refused; moving it onto itself is not an overlap.
		_, err := s.UpdateSlot(ctx, f.s2.ID, models.SlotInput{Start: "10:30", End: "11:30"})
		wantProblem(t, err, "start", "form.slot_overlap")
		if _, err := s.UpdateSlot(ctx, f.s2.ID, models.SlotInput{Start: "11:30", End: "12:15"}); err != nil {
			t.Errorf("shortening a slot: %v", err)
		}
	})
}

func TestSessionPlacement(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		training := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{
			Title: "Open data in de praktijk", Format: "training", VenueID: f.venue.ID, RoomID: f.big.ID,
			FirstSlotID: f.s1.ID, SlotCount: 2, CapacityLimit: 40,
			Speakers: []models.SpeakerInput{{Name: "Zoë Ångström-Ñúñez", Organisation: "Gemeente Zwolle"}, {Name: "Şükrü Öztürk"}},
		}))
		if got, want := training.SlotIDs(), []uint{f.s1.ID, f.s2.ID}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("SlotIDs() = %v, want %v", got, want)
		}
		if got := training.Capacity(); got != 40 {
			t.Errorf("Capacity() = %d, want the limit 40", got)
		}
		if len(training.Speakers) != 2 || training.Speakers[0].Name != "Zoë Ångström-Ñúñez" {
			t.Errorf("speakers = %+v, want the unicode names kept exactly", training.Speakers)
		}
		if got := training.EndsAt().Sub(training.StartsAt()).String(); got != "2h15m0s" {
			t.Errorf("two-slot session spans %s, want 2h15m0s", got)
		}

		refusals := []struct {
			name        string
			in          models.SessionInput
			field, want string
		}{
			{"room taken in second slot", models.SessionInput{Title: "Botsing", Format: "lecture", VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s2.ID, SlotCount: 1}, "room", "form.room_taken"},
			{"capacity above room", models.SessionInput{Title: "Te groot", Format: "workshop", VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s1.ID, SlotCount: 1, CapacityLimit: 26}, "capacity", "form.capacity_above_room"},
			{"room of other venue", models.SessionInput{Title: "Verdwaald", Format: "workshop", VenueID: f.venue.ID, RoomID: f.otherRoom.ID, FirstSlotID: f.s1.ID, SlotCount: 1}, "room", "form.room_not_at_venue"},
			{"slot of other venue", models.SessionInput{Title: "Verdwaald", Format: "workshop", VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.otherSlot.ID, SlotCount: 1}, "slot", "form.slot_not_at_venue"},
			{"runs past the last slot", models.SessionInput{Title: "Te lang", Format: "training", VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s3.ID, SlotCount: 2}, "slot_count", "form.not_enough_slots"},
			{"three slots", models.SessionInput{Title: "Te lang", Format: "training", SlotCount: 3}, "slot_count", "form.invalid_slot_count"},
			{"unknown format", models.SessionInput{Title: "Raar", Format: "<script>", SlotCount: 1}, "format", "form.invalid_choice"},
			{"empty title", models.SessionInput{Format: "lecture", SlotCount: 1}, "title", "form.required"},
			{"negative capacity", models.SessionInput{Title: "Min", Format: "lecture", SlotCount: 1, CapacityLimit: -3}, "capacity", "form.not_positive"},
			{"speaker without name", models.SessionInput{Title: "Stil", Format: "lecture", SlotCount: 1, Speakers: []models.SpeakerInput{{Organisation: "BZK"}}}, "speakers", "form.required"},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateSession(ctx, f.event.ID, tc.in)
				wantProblem(t, err, tc.field, tc.want)
				if got := count(t, s, &models.Session{}); got != 1 {
					t.Errorf("sessions = %d after a refused create, want 1", got)
				}
				if got := count(t, s, &models.SessionSlot{}); got != 2 {
					t.Errorf("session slots = %d after a refused create, want 2", got)
				}
			})
		}

		// Moving the training frees its old room; an unplaced session has no room and no slots.
		moved := must(s.UpdateSession(ctx, training.ID, models.SessionInput{
			Title: training.Title, Format: "training", VenueID: f.venue.ID, RoomID: f.small.ID,
			FirstSlotID: f.s2.ID, SlotCount: 2, Speakers: []models.SpeakerInput{{Name: "Şükrü Öztürk"}},
		}))
		if moved.Capacity() != 25 || moved.Room.Name != "Kamer 1" {
			t.Errorf("moved session in %s with capacity %d, want Kamer 1 with 25", moved.Room.Name, moved.Capacity())
		}
		if len(moved.Speakers) != 1 {
			t.Errorf("speakers after update = %d, want 1", len(moved.Speakers))
		}
		if _, err := s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Nu wel", Format: "lecture", VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s1.ID, SlotCount: 1}); err != nil {
			t.Errorf("room freed by the move: %v", err)
		}
		unplaced := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Nog zonder plek", Format: "discussion", SlotCount: 1}))
		if unplaced.Placed() || unplaced.Capacity() != 0 {
			t.Errorf("unplaced session: Placed()=%v Capacity()=%d, want false and 0", unplaced.Placed(), unplaced.Capacity())
		}
		atVenue := must(s.SessionsOfVenue(ctx, f.venue.ID))
		if len(atVenue) != 2 || atVenue[0].Title != "Nu wel" {
			t.Errorf("sessions of venue = %d, first %q; want 2, first \"Nu wel\"", len(atVenue), atVenue[0].Title)
		}
	})
}

func TestUsers(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		u := must(s.CreateUser(ctx, models.UserInput{Email: " Anna@Example.NL ", Password: "correct horse battery", Role: models.RoleOrganiser}))
		if !strings.HasPrefix(u.PasswordHash, "$argon2id$") || strings.Contains(u.PasswordHash, "horse") {
			t.Errorf("hash = %q, want an argon2id hash", u.PasswordHash)
		}
		if _, err := s.Authenticate(ctx, "anna@example.nl", "correct horse battery"); err != nil {
			t.Errorf("right password: %v", err)
		}
		for _, pw := range []string{"wrong", "", "correct horse batter"} {
			if _, err := s.Authenticate(ctx, "anna@example.nl", pw); !errors.Is(err, models.ErrInvalidCredentials) {
				t.Errorf("password %q: err = %v, want ErrInvalidCredentials", pw, err)
			}
		}
		if _, err := s.Authenticate(ctx, "nobody@example.nl", "correct horse battery"); !errors.Is(err, models.ErrInvalidCredentials) {
			t.Errorf("unknown address: err = %v, want ErrInvalidCredentials", err)
		}
		if _, err := s.CreateUser(ctx, models.UserInput{Email: "anna@example.nl", Password: "another long one", Role: models.RoleAdmin}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("duplicate address: err = %v, want ErrConflict", err)
		}
		_, err := s.CreateUser(ctx, models.UserInput{Email: "deur@example.nl", Password: "short", Role: models.RoleDoor})
		wantProblem(t, err, "password", "form.password_too_short")
		_, err = s.CreateUser(ctx, models.UserInput{Email: "deur@example.nl", Password: "long enough password", Role: models.RoleDoor})
		wantProblem(t, err, "venue", "form.door_needs_venue")
		_, err = s.CreateUser(ctx, models.UserInput{Email: "deur@example.nl", Password: "long enough password", Role: models.RoleDoor, VenueSlug: "nergens"})
		wantProblem(t, err, "venue", "form.unknown_venue")
		door := must(s.CreateUser(ctx, models.UserInput{Email: "deur@example.nl", Password: "long enough password", Role: models.RoleDoor, VenueSlug: "zwolle"}))
		if door.VenueID == nil || *door.VenueID != f.venue.ID {
			t.Errorf("door venue = %v, want %d", door.VenueID, f.venue.ID)
		}
		scoped := must(s.CreateUser(ctx, models.UserInput{Email: "zwolle@example.nl", Password: "long enough password", Role: models.RoleOrganiser, VenueSlug: "zwolle"}))
		if !scoped.CanManageVenue(f.venue.ID) || scoped.CanManageVenue(f.otherVenue.ID) || scoped.CanManageEvent() {
			t.Errorf("venue-scoped organiser: manage own=%v other=%v event=%v, want true false false",
				scoped.CanManageVenue(f.venue.ID), scoped.CanManageVenue(f.otherVenue.ID), scoped.CanManageEvent())
		}
		if door.CanManageVenue(f.venue.ID) {
			t.Error("door account may manage its venue, want not")
		}
	})
}

func TestEventKeyIsCreatedOnceAndKept(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		var wg sync.WaitGroup
		keys := make([]models.EventKey, 8)
		for i := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				keys[i] = must(s.EventKey(ctx, f.event.ID))
			}()
		}
		wg.Wait()
		for i, k := range keys {
			if !bytes.Equal(k.PublicKey, keys[0].PublicKey) || len(k.PrivateKey) != ed25519.PrivateKeySize {
				t.Fatalf("key %d differs from key 0 or is malformed; want one key for the event", i)
			}
		}
		msg := []byte("ticket")
		if !ed25519.Verify(keys[0].PublicKey, msg, ed25519.Sign(keys[0].PrivateKey, msg)) {
			t.Error("the stored private and public keys do not belong together")
		}
		if got := len(keys[0].KeyID()); got != 16 {
			t.Errorf("KeyID length = %d, want 16 hex characters", got)
		}
	})
}

// TestReadsSeeEveryCommit writes well past the point where the store starts checkpointing the
// WAL, reading each write back at once on the reading connections.
func TestReadsSeeEveryCommit(t *testing.T) {
	t.Parallel()
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	for i := range 100 {
		r, err := s.CreateRoom(ctx, f.venue.ID, models.RoomInput{Name: fmt.Sprintf("Zaal %d", i), Capacity: 10})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Room(ctx, r.ID); err != nil {
			t.Fatalf("room %d written, then read back: %v", i, err)
		}
	}
}

// registrationEntries counts the audit entries about registrations: the fixture's own
// entries (the event, venues, rooms and slots it made) are not counted.
func registrationEntries(t *testing.T, s *models.Store) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Model(&models.AuditEntry{}).Where("subject_kind = ?", models.SubjectRegistration).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

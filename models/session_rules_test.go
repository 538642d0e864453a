package models_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// sessionInputOf is the input that saves s as it is, for tests that change one thing.
func sessionInputOf(s models.Session) models.SessionInput {
	in := models.SessionInput{Title: s.Title, Format: s.Format, SlotCount: max(s.SlotCount, 1), CapacityLimit: s.CapacityLimit}
	if s.VenueID != nil {
		in.VenueID = *s.VenueID
	}
	if s.RoomID != nil && len(s.Slots) > 0 {
		in.RoomID, in.FirstSlotID = *s.RoomID, s.Slots[0].SlotID
	}
	return in
}

// placeOf describes where a session is, for comparing before and after a refused change.
func placeOf(t *testing.T, s *models.Store, id uint) string {
	t.Helper()
	se := must(s.Session(ctx, id))
	var venue, room uint
	if se.VenueID != nil {
		venue = *se.VenueID
	}
	if se.RoomID != nil {
		room = *se.RoomID
	}
	return fmtPlace(venue, room, se.SlotIDs(), se.CapacityLimit)
}

func fmtPlace(venue, room uint, slots []uint, limit int) string {
	return fmt.Sprintf("venue %d room %d slots %v limit %d", venue, room, slots, limit)
}

// TestBookedSessionKeepsPlaceOnEveryPath: the session form refuses to move a booked session
// to another venue, another time, another length or off the timetable, with the board's
// message, as the board and the planner do; another room at the same time that seats
// everyone is fine.
func TestBookedSessionKeepsPlaceOnEveryPath(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		x := session(t, s, f, "Geboekt", f.small, f.s1, 1, 0)
		must(s.Register(ctx, attendee(1, x.ID)))
		must(s.Register(ctx, attendee(2, x.ID)))
		x = must(s.Session(ctx, x.ID))
		before := placeOf(t, s, x.ID)

		moves := []struct {
			name   string
			change func(in *models.SessionInput)
		}{
			{"other time", func(in *models.SessionInput) { in.FirstSlotID = f.s2.ID }},
			{"longer", func(in *models.SessionInput) { in.SlotCount = 2 }},
			{"other venue", func(in *models.SessionInput) {
				in.VenueID, in.RoomID, in.FirstSlotID = f.otherVenue.ID, f.otherRoom.ID, f.otherSlot.ID
			}},
			{"off the timetable", func(in *models.SessionInput) { in.RoomID, in.FirstSlotID = 0, 0 }},
			{"unplaced", func(in *models.SessionInput) { in.VenueID, in.RoomID, in.FirstSlotID = 0, 0, 0 }},
		}
		for _, m := range moves {
			t.Run("form: "+m.name, func(t *testing.T) {
				in := sessionInputOf(x)
				m.change(&in)
				_, err := s.UpdateSession(ctx, x.ID, in)
				wantProblem(t, err, "room", "form.booked_keeps_place")
				if got := placeOf(t, s, x.ID); got != before {
					t.Errorf("after a refused change: %s, want %s", got, before)
				}
			})
		}
		t.Run("board", func(t *testing.T) {
			err := s.ApplyPlacements(ctx, f.event.ID, []models.Placement{{SessionID: x.ID, VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s3.ID}})
			wantProblem(t, err, "room", "form.booked_keeps_place")
			if got := placeOf(t, s, x.ID); got != before {
				t.Errorf("after a refused move: %s, want %s", got, before)
			}
		})

		// Same venue and time, a bigger room and a new title: fine, on both paths.
		in := sessionInputOf(x)
		in.Title, in.RoomID = "Geboekt, nu groter", f.big.ID
		moved := must(s.UpdateSession(ctx, x.ID, in))
		if *moved.RoomID != f.big.ID || moved.Title != in.Title {
			t.Errorf("room change at the same time: room %d, title %q; want %d and %q", *moved.RoomID, moved.Title, f.big.ID, in.Title)
		}
		if err := s.ApplyPlacements(ctx, f.event.ID, []models.Placement{{SessionID: x.ID, VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s1.ID}}); err != nil {
			t.Errorf("board move to another room at the same time: %v", err)
		}
	})
}

// TestCapacityNeverBelowSeated: a session limit, a room's capacity and a venue's capacity
// cannot go below the people who hold a seat, and the refusal says how many that are.
func TestCapacityNeverBelowSeated(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		x := session(t, s, f, "Vol", f.small, f.s1, 1, 10)
		for i := range 3 {
			must(s.Register(ctx, attendee(i+1, x.ID)))
		}
		x = must(s.Session(ctx, x.ID))

		in := sessionInputOf(x)
		in.CapacityLimit = 2
		_, err := s.UpdateSession(ctx, x.ID, in)
		wantProblem(t, err, "capacity", "form.limit_below_seated")
		wantArg(t, err, "capacity", "Count", 3)
		if got := must(s.Session(ctx, x.ID)).CapacityLimit; got != 10 {
			t.Errorf("limit after a refused change = %d, want 10", got)
		}
		in.CapacityLimit = 3
		if _, err := s.UpdateSession(ctx, x.ID, in); err != nil {
			t.Errorf("limit equal to the seats taken: %v", err)
		}

		_, err = s.UpdateRoom(ctx, f.small.ID, models.RoomInput{Name: f.small.Name, Capacity: 2})
		wantProblem(t, err, "capacity", "form.room_below_seated")
		wantArg(t, err, "capacity", "Count", 3)
		if got := must(s.Room(ctx, f.small.ID)).Capacity; got != 25 {
			t.Errorf("room capacity after a refused change = %d, want 25", got)
		}
		if _, err := s.UpdateRoom(ctx, f.small.ID, models.RoomInput{Name: f.small.Name, Capacity: 3}); err != nil {
			t.Errorf("room capacity equal to the seats taken: %v", err)
		}

		vin := models.VenueInput{Slug: f.venue.Slug, Name: f.venue.Name, City: f.venue.City, Address: f.venue.Address, Capacity: 2}
		_, err = s.UpdateVenue(ctx, f.venue.ID, vin)
		wantProblem(t, err, "capacity", "form.venue_below_registered")
		wantArg(t, err, "capacity", "Count", 3)
		if got := must(s.Venue(ctx, f.venue.ID)).Capacity; got != 300 {
			t.Errorf("venue capacity after a refused change = %d, want 300", got)
		}
		vin.Capacity = 3
		if _, err := s.UpdateVenue(ctx, f.venue.ID, vin); err != nil {
			t.Errorf("venue capacity equal to the registrations: %v", err)
		}
	})
}

// wantArg checks that the problem on field names value as its argument name.
func wantArg(t *testing.T, err error, field, name string, value any) {
	t.Helper()
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error = %v, want a validation error", err)
	}
	args := verr.Problems[field].Args
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == name {
			if args[i+1] != value {
				t.Errorf("argument %s = %v, want %v", name, args[i+1], value)
			}
			return
		}
	}
	t.Errorf("problem on %q has no argument %s (args %v)", field, name, args)
}

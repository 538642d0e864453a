package schedule

import (
	"fmt"
	"time"
)

// A planning Problem is what the automatic planner places: sessions into a venue, a room and
// a first slot. It is plain data, built from the database by the caller or by Generate.
type Problem struct {
	Venues   []Venue
	Sessions []Session
	// Speakers lists, per speaker, the (venue, slot) pairs they cannot do.
	Speakers []Speaker
	// Wishes lists, per attendee, the sessions (indexes into Sessions) they would go to.
	Wishes [][]int
	// Travel is the time needed between two cities; a speaker with sessions in two cities
	// needs it between the end of one and the start of the next.
	Travel func(from, to string) time.Duration
}

// Venue is a place with rooms and its own time slots.
type Venue struct {
	Name  string
	City  string
	Rooms []Room
	Slots []Slot
}

// Room is a room with its number of seats.
type Room struct {
	Name     string
	Capacity int
}

// Slot is a time slot at a venue.
type Slot struct {
	Start, End time.Time
}

// Session is something to place.
type Session struct {
	Title string
	// Length is the number of consecutive slots it takes: 1 or 2.
	Length int
	// Speakers are indexes into Problem.Speakers.
	Speakers []int
	// Venues are the venues (indexes) it may be placed at; empty means any.
	Venues []int
	// MinSeats is the room size it needs at least (its maximum number of participants); 0
	// means any room.
	MinSeats int
	// Pinned sessions keep their place; the planner never moves them.
	Pinned *Place
}

// Speaker is a person giving sessions.
type Speaker struct {
	Name        string
	Unavailable map[SlotRef]bool
}

// SlotRef names a slot of a venue.
type SlotRef struct{ Venue, Slot int }

// Place is where a session is: a venue, a room, and the first of its slots.
type Place struct{ Venue, Room, Slot int }

// Plan places some or all sessions; Places[i] is nil for an unplaced session.
type Plan struct {
	Places []*Place
}

// clone returns an independent copy.
func (p Plan) clone() Plan {
	out := Plan{Places: make([]*Place, len(p.Places))}
	for i, pl := range p.Places {
		if pl != nil {
			c := *pl
			out.Places[i] = &c
		}
	}
	return out
}

// Check reports what makes the problem itself unusable: references out of range, lengths
// other than 1 or 2, pinned places that break a hard rule.
func (pr Problem) Check() error {
	for i, s := range pr.Sessions {
		if s.Length != 1 && s.Length != 2 {
			return fmt.Errorf("session %d (%q): length %d, want 1 or 2", i, s.Title, s.Length)
		}
		for _, sp := range s.Speakers {
			if sp < 0 || sp >= len(pr.Speakers) {
				return fmt.Errorf("session %d (%q): unknown speaker %d", i, s.Title, sp)
			}
		}
		for _, v := range s.Venues {
			if v < 0 || v >= len(pr.Venues) {
				return fmt.Errorf("session %d (%q): unknown venue %d", i, s.Title, v)
			}
		}
	}
	for a, ws := range pr.Wishes {
		for _, w := range ws {
			if w < 0 || w >= len(pr.Sessions) {
				return fmt.Errorf("attendee %d: unknown session %d", a, w)
			}
		}
	}
	return nil
}

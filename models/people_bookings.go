package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// PersonBooking is one booking of a person as the organisers' exports show it: the session,
// when and where it is, and the seat or the place in its waiting list.
type PersonBooking struct {
	RegistrationID uint
	SessionID      uint
	Title          string
	Status         string // BookingConfirmed or BookingWaitlisted
	Position       int    // place in the waiting list (1 is next); 0 for a seat
	StartsAt       *time.Time
	Room           string
}

// sessionStarts is each placed session's first slot's start, to join on.
const sessionStarts = `LEFT JOIN (SELECT session_slots.session_id AS sid, MIN(slots.starts_at) AS starts_at FROM session_slots
	JOIN slots ON slots.id = session_slots.slot_id GROUP BY session_slots.session_id) firsts ON firsts.sid = bookings.session_id`

// BookingsOfPeople returns the bookings of the given registrations, keyed by registration,
// each person's in the order of the day. For many batches (an export) use BookingBatches.
func (s *Store) BookingsOfPeople(ctx context.Context, ids []uint) (map[uint][]PersonBooking, error) {
	return (&BookingBatches{s: s}).Of(ctx, ids)
}

// BookingBatches reads people's bookings a batch of people at a time, for an export: a few
// queries per batch (never one per person), with the places in line of every waiting list
// and the sessions' titles, times and rooms read once for the whole export.
type BookingBatches struct {
	s         *Store
	all       bool                   // read every waiting list's positions at once
	positions map[uint]int           // booking id → place in line, once read
	places    map[uint]PersonBooking // session id → title, start and room
}

// BookingBatches starts reading bookings for an export.
func (s *Store) BookingBatches() *BookingBatches {
	return &BookingBatches{s: s, all: true}
}

// Of returns the bookings of the given registrations, keyed by registration, each person's
// in the order of the day.
func (b *BookingBatches) Of(ctx context.Context, ids []uint) (map[uint][]PersonBooking, error) {
	out := make(map[uint][]PersonBooking, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	if b.places == nil {
		b.places = map[uint]PersonBooking{}
	}
	rows, err := b.s.db.WithContext(ctx).Table("bookings").
		Select("bookings.registration_id, bookings.session_id, bookings.status, bookings.id").
		Where("bookings.registration_id IN ?", ids).Order("bookings.registration_id, bookings.id").Rows()
	if err != nil {
		return nil, fmt.Errorf("bookings of people: %w", err)
	}
	defer rows.Close()
	missing := map[uint]PersonBooking{}
	var waiting []uint // sessions in which someone of the batch waits
	seenWaiting := map[uint]bool{}
	for rows.Next() {
		var pb PersonBooking
		var id uint
		if err := rows.Scan(&pb.RegistrationID, &pb.SessionID, &pb.Status, &id); err != nil {
			return nil, fmt.Errorf("read booking: %w", err)
		}
		pb.Position = int(id) // the booking's id until its place in line is known
		if pb.Status == BookingWaitlisted && !seenWaiting[pb.SessionID] {
			seenWaiting[pb.SessionID] = true
			waiting = append(waiting, pb.SessionID)
		}
		if _, ok := b.places[pb.SessionID]; !ok {
			missing[pb.SessionID] = PersonBooking{}
		}
		out[pb.RegistrationID] = append(out[pb.RegistrationID], pb)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := b.s.sessionPlaces(ctx, missing); err != nil {
		return nil, err
	}
	for id, place := range missing {
		b.places[id] = place
	}
	positions := b.positions
	if positions == nil && len(waiting) > 0 {
		if b.all {
			waiting = nil // every waiting list, once
		}
		if positions, err = b.s.waitlistPositions(ctx, waiting); err != nil {
			return nil, err
		}
		if b.all {
			b.positions = positions
		}
	}
	for id, list := range out {
		for i, pb := range list {
			place := b.places[pb.SessionID]
			list[i].Title, list[i].StartsAt, list[i].Room = place.Title, place.StartsAt, place.Room
			list[i].Position = positions[uint(pb.Position)] // 0 for a seat
		}
		slices.SortStableFunc(list, func(a, b PersonBooking) int {
			switch {
			case a.StartsAt == nil && b.StartsAt == nil:
				return 0
			case a.StartsAt == nil:
				return 1
			case b.StartsAt == nil:
				return -1
			}
			return a.StartsAt.Compare(*b.StartsAt)
		})
		out[id] = list
	}
	return out, nil
}

// waitlistPositions returns the place in line of every waitlisted booking of the sessions
// (of every session when sessions is nil), by booking id: numbered in one pass per session,
// where counting the bookings ahead of each one would cost the square of the line's length.
func (s *Store) waitlistPositions(ctx context.Context, sessions []uint) (map[uint]int, error) {
	out := map[uint]int{}
	if sessions != nil && len(sessions) == 0 {
		return out, nil
	}
	q := s.db.WithContext(ctx).Table("bookings").
		Select("id, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY id)").Where("status = ?", BookingWaitlisted)
	if sessions != nil {
		q = q.Where("session_id IN ?", sessions)
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, fmt.Errorf("waiting list positions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint
		var pos int
		if err := rows.Scan(&id, &pos); err != nil {
			return nil, fmt.Errorf("read position: %w", err)
		}
		out[id] = pos
	}
	return out, rows.Err()
}

// sessionPlaces fills in the title, start and room of each session in the map.
func (s *Store) sessionPlaces(ctx context.Context, sessions map[uint]PersonBooking) error {
	if len(sessions) == 0 {
		return nil
	}
	ids := make([]uint, 0, len(sessions))
	for id := range sessions {
		ids = append(ids, id)
	}
	rows, err := s.db.WithContext(ctx).Table("sessions").
		Joins("LEFT JOIN rooms ON rooms.id = sessions.room_id").
		Joins("LEFT JOIN session_slots ON session_slots.session_id = sessions.id").
		Joins("LEFT JOIN slots ON slots.id = session_slots.slot_id").
		Select("sessions.id, sessions.title, COALESCE(rooms.name, ''), MIN(slots.starts_at)").
		Where("sessions.id IN ?", ids).Group("sessions.id, sessions.title, rooms.name").Rows()
	if err != nil {
		return fmt.Errorf("sessions of bookings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b PersonBooking
		var startsAt nullTimeScanner
		if err := rows.Scan(&b.SessionID, &b.Title, &b.Room, &startsAt); err != nil {
			return fmt.Errorf("read session: %w", err)
		}
		b.StartsAt = startsAt.t
		sessions[b.SessionID] = b
	}
	return rows.Err()
}

// AudienceBooking is one row of the per-session export: a booking and whose it is.
type AudienceBooking struct {
	PersonBooking
	Name, Email, Organisation, VenueName string
}

// EachBooking calls fn for every booking of the audience's people, session by session in
// the order of the day (seats first, then the waiting list in line), reading one row at a
// time. When the audience names a session, only that session's bookings are given.
// It returns ErrNotFound for an audience that is not a group of attendees.
func (s *Store) EachBooking(ctx context.Context, a Audience, fn func(AudienceBooking) error) error {
	if err := invalid(a.Validate()); err != nil {
		return err
	}
	if !a.Attendees() {
		return errNotAttendees(a)
	}
	q := s.db.WithContext(ctx).Table("bookings").
		Joins("JOIN registrations ON registrations.id = bookings.registration_id").
		Joins("JOIN venues ON venues.id = registrations.venue_id").
		Joins("JOIN sessions ON sessions.id = bookings.session_id").
		Joins("LEFT JOIN rooms ON rooms.id = sessions.room_id").
		Joins(sessionStarts)
	q = a.where(q)
	if a.SessionID != 0 {
		q = q.Where("bookings.session_id = ?", a.SessionID)
	}
	var sessions []uint
	if a.SessionID != 0 {
		sessions = []uint{a.SessionID}
	}
	positions, err := s.waitlistPositions(ctx, sessions)
	if err != nil {
		return err
	}
	rows, err := q.Select(`bookings.registration_id, bookings.session_id, sessions.title, bookings.status, bookings.id,
		firsts.starts_at, COALESCE(rooms.name, ''), registrations.name, registrations.email, registrations.organisation, venues.name`).
		Order("firsts.starts_at, sessions.title, bookings.session_id, bookings.status, " +
			"CASE WHEN bookings.status = 'waitlisted' THEN bookings.id ELSE 0 END, registrations.sort_name, registrations.id").Rows()
	if err != nil {
		return fmt.Errorf("read bookings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b AudienceBooking
		var startsAt nullTimeScanner
		err := rows.Scan(&b.RegistrationID, &b.SessionID, &b.Title, &b.Status, &b.Position, &startsAt, &b.Room,
			&b.Name, &b.Email, &b.Organisation, &b.VenueName)
		if err != nil {
			return fmt.Errorf("read booking: %w", err)
		}
		b.StartsAt = startsAt.t
		b.Position = positions[uint(b.Position)] // read as the booking's id; 0 for a seat
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SessionChoice is a session as the people filter offers it.
type SessionChoice struct {
	ID       uint
	VenueID  *uint
	Title    string
	City     string     // the venue's city; "" when not placed
	StartsAt *time.Time // nil when not placed
}

// SessionChoices lists the event's sessions for the people filter in one query, in the
// order of the day.
func (s *Store) SessionChoices(ctx context.Context, eventID uint) ([]SessionChoice, error) {
	rows, err := s.db.WithContext(ctx).Table("sessions").
		Joins("LEFT JOIN venues ON venues.id = sessions.venue_id").
		Joins("LEFT JOIN session_slots ON session_slots.session_id = sessions.id").
		Joins("LEFT JOIN slots ON slots.id = session_slots.slot_id").
		Select("sessions.id, sessions.venue_id, sessions.title, COALESCE(venues.city, ''), MIN(slots.starts_at)").
		Where("sessions.event_id = ?", eventID).
		Group("sessions.id, sessions.venue_id, sessions.title, venues.city").Order("sessions.id").Rows()
	if err != nil {
		return nil, fmt.Errorf("session choices: %w", err)
	}
	defer rows.Close()
	var out []SessionChoice
	for rows.Next() {
		var c SessionChoice
		var startsAt nullTimeScanner
		if err := rows.Scan(&c.ID, &c.VenueID, &c.Title, &c.City, &startsAt); err != nil {
			return nil, fmt.Errorf("read session choice: %w", err)
		}
		c.StartsAt = startsAt.t
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b SessionChoice) int {
		switch {
		case a.StartsAt == nil && b.StartsAt == nil:
			return strings.Compare(a.Title, b.Title)
		case a.StartsAt == nil:
			return 1
		case b.StartsAt == nil:
			return -1
		}
		if c := a.StartsAt.Compare(*b.StartsAt); c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
	return out, rows.Err()
}

package models

import (
	"context"
	"database/sql"
	"fmt"
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

// bookingColumns read a PersonBooking from bookings joined with sessions; the place in line
// counts the waitlisted bookings of the session up to this one, as bookingsWithPositions does.
const bookingColumns = `bookings.registration_id, bookings.session_id, sessions.title, bookings.status,
	CASE WHEN bookings.status = 'waitlisted' THEN (SELECT COUNT(*) FROM bookings w WHERE w.session_id = bookings.session_id AND w.status = 'waitlisted' AND w.id <= bookings.id) ELSE 0 END,
	(SELECT MIN(slots.starts_at) FROM session_slots JOIN slots ON slots.id = session_slots.slot_id WHERE session_slots.session_id = bookings.session_id),
	COALESCE((SELECT rooms.name FROM rooms WHERE rooms.id = sessions.room_id), '')`

// BookingsOfPeople returns the bookings of the given registrations, keyed by registration,
// each person's in the order of the day: one query for a batch of people, so an export reads
// ten thousand people's sessions in a few dozen queries rather than one per row.
func (s *Store) BookingsOfPeople(ctx context.Context, ids []uint) (map[uint][]PersonBooking, error) {
	out := make(map[uint][]PersonBooking, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.WithContext(ctx).Table("bookings").Joins("JOIN sessions ON sessions.id = bookings.session_id").
		Select(bookingColumns).Where("bookings.registration_id IN ?", ids).
		Order("bookings.registration_id, 6, bookings.id").Rows()
	if err != nil {
		return nil, fmt.Errorf("bookings of people: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		b, err := scanPersonBooking(rows)
		if err != nil {
			return nil, err
		}
		out[b.RegistrationID] = append(out[b.RegistrationID], b)
	}
	return out, rows.Err()
}

// AudienceBooking is one row of the per-session export: a booking and whose it is.
type AudienceBooking struct {
	PersonBooking
	Name, Email, Organisation, VenueName string
}

// EachBooking calls fn for every booking of the audience's people, session by session in
// the order of the day (seats first, then the waiting list in line), reading one row at a
// time. When the audience names a session, only that session's bookings are given.
func (s *Store) EachBooking(ctx context.Context, a Audience, fn func(AudienceBooking) error) error {
	if err := invalid(a.Validate()); err != nil {
		return err
	}
	q := s.db.WithContext(ctx).Table("bookings").
		Joins("JOIN registrations ON registrations.id = bookings.registration_id").
		Joins("JOIN venues ON venues.id = registrations.venue_id").
		Joins("JOIN sessions ON sessions.id = bookings.session_id")
	q = a.where(q)
	if a.SessionID != 0 {
		q = q.Where("bookings.session_id = ?", a.SessionID)
	}
	rows, err := q.Select(bookingColumns + `, registrations.name, registrations.email, registrations.organisation, venues.name`).
		Order("6, sessions.title, bookings.session_id, bookings.status, 5, registrations.sort_name, registrations.id").Rows()
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
		if err := fn(b); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanPersonBooking(rows *sql.Rows) (PersonBooking, error) {
	var b PersonBooking
	var startsAt nullTimeScanner
	if err := rows.Scan(&b.RegistrationID, &b.SessionID, &b.Title, &b.Status, &b.Position, &startsAt, &b.Room); err != nil {
		return PersonBooking{}, fmt.Errorf("read booking: %w", err)
	}
	b.StartsAt = startsAt.t
	return b, nil
}

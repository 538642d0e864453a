package models

import (
	"context"
	"fmt"
	"time"
)

// Attendees returns the active registrations of a venue, oldest first, with their bookings'
// sessions, rooms and slots. With since set, only those registered after it.
func (s *Store) Attendees(ctx context.Context, venueID uint, since *time.Time) ([]Registration, error) {
	q := s.db.WithContext(ctx).Where("venue_id = ? AND status = ?", venueID, RegistrationActive)
	if since != nil {
		q = q.Where("created_at > ?", since.UTC())
	}
	var regs []Registration
	err := q.Preload("Bookings.Session.Room").Order("id").Find(&regs).Error
	if err != nil {
		return nil, fmt.Errorf("attendees of venue %d: %w", venueID, err)
	}
	return regs, nil
}

// MarkBadgesPrinted records that a venue's badges were printed at t.
func (s *Store) MarkBadgesPrinted(ctx context.Context, venueID uint, t time.Time) error {
	return s.db.WithContext(ctx).Model(&Venue{}).Where("id = ?", venueID).Update("badges_printed_at", t.UTC()).Error
}

// AttendeeNames lists a venue's active registrations with only what a paper door list
// prints: id, ticket version, name and organisation. Attendees also loads every booking with
// its session and room, which at 25,000 people cost seconds and a few hundred megabytes.
func (s *Store) AttendeeNames(ctx context.Context, venueID uint) ([]Registration, error) {
	var regs []Registration
	err := s.db.WithContext(ctx).Select("id", "venue_id", "ticket_version", "name", "organisation").
		Where("venue_id = ? AND status = ?", venueID, RegistrationActive).Order("id").Find(&regs).Error
	if err != nil {
		return nil, fmt.Errorf("attendee names of venue %d: %w", venueID, err)
	}
	return regs, nil
}

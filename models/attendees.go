package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
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

// AttendeeName is what a paper door list prints of a registration.
type AttendeeName struct {
	ID            uint
	TicketVersion int
	Name          string
	Organisation  string
}

// AttendeeNames lists a venue's active registrations, by id, with only what a paper door
// list prints. Attendees also loads every booking with its session and room, which at
// 25,000 people cost seconds and a few hundred megabytes; a slice of whole Registrations,
// grown as gorm reads, still cost 30 MB and a tenth of a second.
func (s *Store) AttendeeNames(ctx context.Context, venueID uint) ([]AttendeeName, error) {
	active := func() *gorm.DB { // a fresh statement each time: gorm's chain is not reusable
		return s.db.WithContext(ctx).Model(&Registration{}).Where("venue_id = ? AND status = ?", venueID, RegistrationActive)
	}
	var n int64
	if err := active().Count(&n).Error; err != nil {
		return nil, fmt.Errorf("count attendees of venue %d: %w", venueID, err)
	}
	rows, err := active().Select("id", "ticket_version", "name", "organisation").Order("id").Rows()
	if err != nil {
		return nil, fmt.Errorf("attendee names of venue %d: %w", venueID, err)
	}
	defer rows.Close()
	names := make([]AttendeeName, 0, n+16) // a few more may register between the two reads
	for rows.Next() {
		var a AttendeeName
		if err := rows.Scan(&a.ID, &a.TicketVersion, &a.Name, &a.Organisation); err != nil {
			return nil, fmt.Errorf("attendee names of venue %d: %w", venueID, err)
		}
		names = append(names, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("attendee names of venue %d: %w", venueID, err)
	}
	return names, nil
}

package models

import (
	"context"
	"database/sql"
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

// MarkBadgesPrinted records that a venue's badges were printed at t, for people people, and
// writes the print's audit entry (an export of personal data) in the same transaction.
func (s *Store) MarkBadgesPrinted(ctx context.Context, venueID uint, t time.Time, people int) error {
	return s.writeFor(ctx, venueID, func(tx *gorm.DB) error {
		if err := tx.Model(&Venue{}).Where("id = ?", venueID).Update("badges_printed_at", t.UTC()).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, exportAudit(ExportRecord{Kind: ExportBadges, VenueID: venueID, Rows: people}))
	})
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
	active := func() *gorm.DB {
		return s.db.WithContext(ctx).Model(&Registration{}).Where("venue_id = ? AND status = ?", venueID, RegistrationActive)
	}
	names, err := readAll(active(), active().Select("id", "ticket_version", "name", "organisation").Order("id"),
		func(rows *sql.Rows, a *AttendeeName) error {
			return rows.Scan(&a.ID, &a.TicketVersion, &a.Name, &a.Organisation)
		})
	if err != nil {
		return nil, fmt.Errorf("attendee names of venue %d: %w", venueID, err)
	}
	return names, nil
}

// readAll reads every row of query into a slice sized by counting count's rows first. gorm's
// Find grows a slice of whole models as it reads: at 25,000 registrations (576 bytes each)
// that was 30 MB of garbage for a list of four columns.
func readAll[T any](count, query *gorm.DB, scan func(*sql.Rows, *T) error) ([]T, error) {
	var n int64
	if err := count.Count(&n).Error; err != nil {
		return nil, err
	}
	rows, err := query.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]T, 0, n+16) // a few more may have come between the two reads
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

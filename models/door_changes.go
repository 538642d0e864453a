package models

import (
	"context"
	"fmt"
	"time"
)

// DoorCursor marks how far a door's copy of its venue's check-in list goes: whatever changed
// at or after its times may be missing from it. Rows carry times from two clocks —
// registrations, sessions, rooms and venues the database layer's wall clock, check-ins and
// promotions the store's (which tests freeze) — so the cursor keeps one of each.
type DoorCursor struct {
	Rows     time.Time
	CheckIns time.Time
}

// doorOverlap is how far before "now" a cursor is set. A write takes its time stamp before
// it commits; one that commits after a door read its copy, stamped before, would otherwise
// fall between two syncs. Sending a few changes twice is harmless: the door replaces entries.
const doorOverlap = 10 * time.Second

// maxDoorChanges is where a list of changes stops paying: beyond it the door is better off
// with the whole list (and the query with fewer bound values than SQLite allows).
const maxDoorChanges = 5000

// DoorCursorNow is the cursor for a copy of the list that is read after this call.
func (s *Store) DoorCursorNow() DoorCursor {
	return DoorCursor{Rows: time.Now().UTC().Add(-doorOverlap), CheckIns: s.now().UTC().Add(-doorOverlap)}
}

// VenueTicket is a registration's venue and ticket version.
type VenueTicket struct {
	VenueID       uint
	TicketVersion int
}

// DoorChanges is what changed for a venue's doors since a cursor.
type DoorChanges struct {
	// Entries are this venue's registrations that changed (new, cancelled, re-issued,
	// checked in or undone, promoted), as DoorList has them.
	Entries []DoorEntry
	// Elsewhere are changed registrations of the event's other venues: moved away from this
	// venue, or another venue's ticket re-issued.
	Elsewhere map[uint]VenueTicket
	// Stale is set when sessions, rooms or venues changed: first sessions and ticket names in
	// the door's copy may be wrong, and it needs the whole list again.
	Stale bool
}

// DoorChangesSince gathers what changed for the doors of a venue of an event since a cursor.
// Its cost grows with the changes, not with the venue: it reads the rows stamped since.
func (s *Store) DoorChangesSince(ctx context.Context, eventID, venueID uint, since DoorCursor) (DoorChanges, error) {
	out := DoorChanges{Elsewhere: map[uint]VenueTicket{}}
	db := s.db.WithContext(ctx)
	var moved int64
	err := db.Raw(`SELECT (SELECT COUNT(*) FROM sessions WHERE event_id = ? AND updated_at >= ?)
		+ (SELECT COUNT(*) FROM venues WHERE event_id = ? AND updated_at >= ?)
		+ (SELECT COUNT(*) FROM rooms WHERE venue_id IN (SELECT id FROM venues WHERE event_id = ?) AND updated_at >= ?)`,
		eventID, since.Rows, eventID, since.Rows, eventID, since.Rows).Scan(&moved).Error
	if err != nil {
		return out, fmt.Errorf("door changes of venue %d: %w", venueID, err)
	}
	if moved > 0 {
		out.Stale = true
		return out, nil
	}
	var ids []uint
	err = db.Raw(`SELECT id FROM registrations WHERE event_id = ? AND updated_at >= ?
		UNION SELECT registration_id FROM check_ins WHERE venue_id = ? AND (received_at >= ? OR undone_at >= ?)
		UNION SELECT registration_id FROM bookings WHERE promoted_at >= ?`,
		eventID, since.Rows, venueID, since.CheckIns, since.CheckIns, since.CheckIns).Scan(&ids).Error
	if err != nil {
		return out, fmt.Errorf("door changes of venue %d: %w", venueID, err)
	}
	if len(ids) == 0 {
		return out, nil
	}
	if len(ids) > maxDoorChanges {
		out.Stale = true
		return out, nil
	}
	var regs []Registration
	err = db.Select("id", "venue_id", "status", "ticket_version", "name", "organisation").
		Where("id IN ?", ids).Order("id").Find(&regs).Error
	if err != nil {
		return out, fmt.Errorf("door changes of venue %d: %w", venueID, err)
	}
	here := make([]DoorEntry, 0, len(regs))
	hereIDs := make([]uint, 0, len(regs))
	for _, r := range regs {
		if r.VenueID != venueID {
			out.Elsewhere[r.ID] = VenueTicket{VenueID: r.VenueID, TicketVersion: r.TicketVersion}
			continue
		}
		here = append(here, DoorEntry{RegistrationID: r.ID, TicketVersion: r.TicketVersion, Status: r.Status,
			Name: r.Name, Organisation: r.Organisation})
		hereIDs = append(hereIDs, r.ID)
	}
	if len(here) == 0 {
		return out, nil
	}
	sessions, err := s.firstSessions(ctx, "b.registration_id IN ?", hereIDs)
	if err != nil {
		return out, err
	}
	var checkIns []CheckIn
	err = db.Where("registration_id IN ? AND undone_at IS NULL", hereIDs).Find(&checkIns).Error
	if err != nil {
		return out, fmt.Errorf("check-ins of venue %d: %w", venueID, err)
	}
	joinDoorEntries(here, sessions, checkIns)
	out.Entries = here
	return out, nil
}

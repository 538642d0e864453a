package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Seats at a room's door (issue #18). People on a session's waiting list who were scanned at
// its room's door wait there. The seats the door gives them, in waiting-list order, are:
//   - a free seat, always (one can be free while people wait when the waiting list stayed open
//     after registration closed);
//   - once the event's SeatReleaseMinutes have passed since the session started (0 is off),
//     the seat of a booked person who has not claimed it. When anyone booked was scanned into
//     the room, a person who was not has not claimed their seat; when the room's door scanned
//     nobody booked, a person not admitted at the venue's door has not. The latest booking
//     goes first.
// A seated person is scanned into the room; the one who lost the seat keeps nothing in the
// session. Both are in the audit trail. The seats are counted with the same conditional
// update as every seat, so the session is never overbooked.

// capacity is the session's capacity as takeSeat counts it.
func (d doorSession) capacity() int {
	if d.CapacityLimit > 0 && d.CapacityLimit < d.RoomCapacity {
		return d.CapacityLimit
	}
	return d.RoomCapacity
}

// seatAtDoor gives the door's seats to the people waiting at the room's door.
func (s *Store) seatAtDoor(ctx context.Context, tx *gorm.DB, now time.Time, se doorSession) error {
	var waiting []struct {
		Booking
		Door string
	}
	err := tx.Table("bookings").Select("bookings.*, w.door").
		Joins("JOIN room_waits w ON w.session_id = bookings.session_id AND w.registration_id = bookings.registration_id").
		Where("bookings.session_id = ? AND bookings.status = ?", se.ID, BookingWaitlisted).
		Order("bookings.wait_order, bookings.id").Scan(&waiting).Error
	if err != nil {
		return err
	}
	for _, b := range waiting {
		got, err := s.takeSeat(ctx, tx, se.ID)
		if err != nil {
			return err
		}
		for !got && se.releaseDue(now) {
			released, err := s.releaseUnclaimed(tx, now, se, b.RegistrationID)
			if err != nil || !released {
				return err
			}
			if got, err = s.takeSeat(ctx, tx, se.ID); err != nil {
				return err
			}
		}
		if !got {
			return nil
		}
		freed, err := s.seatFromWaitlist(ctx, tx, now, b.Booking, false)
		if err != nil {
			return err
		}
		if err := s.promote(ctx, tx, now, freed...); err != nil {
			return err
		}
		in := RoomCheckIn{SessionID: se.ID, RegistrationID: b.RegistrationID, ScannedAt: now, ReceivedAt: now, Door: b.Door}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&in).Error; err != nil {
			return err
		}
		var r Registration
		if err := tx.Select("id", "venue_id").Take(&r, b.RegistrationID).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, now, roomDoorActor, registrationAudit(AuditSeatedAtDoor, r, "",
			map[string]any{"session": se.ID})); err != nil {
			return err
		}
	}
	return nil
}

// unclaimedQuery selects the confirmed bookings in the session whose seats are unclaimed.
func unclaimedQuery(tx *gorm.DB, sessionID uint) (*gorm.DB, error) {
	var scanned int64
	err := tx.Table("room_check_ins AS rc").Where("rc.session_id = ?", sessionID).
		Where("NOT EXISTS (SELECT 1 FROM room_waits w WHERE w.session_id = rc.session_id AND w.registration_id = rc.registration_id)").
		Count(&scanned).Error
	if err != nil {
		return nil, err
	}
	q := tx.Model(&Booking{}).Where("bookings.session_id = ? AND bookings.status = ?", sessionID, BookingConfirmed).
		Where("NOT EXISTS (SELECT 1 FROM room_check_ins rc WHERE rc.session_id = bookings.session_id AND rc.registration_id = bookings.registration_id)")
	if scanned == 0 {
		q = q.Where("NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = bookings.registration_id AND c.undone_at IS NULL)")
	}
	return q, nil
}

// releaseUnclaimed takes one unclaimed seat from its booked person and gives it back to the
// session; released is false when no seat is unclaimed.
func (s *Store) releaseUnclaimed(tx *gorm.DB, now time.Time, se doorSession, to uint) (released bool, err error) {
	for {
		q, err := unclaimedQuery(tx, se.ID)
		if err != nil {
			return false, err
		}
		var b Booking
		err = q.Order("bookings.id DESC").Take(&b).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		res := tx.Where("id = ? AND status = ?", b.ID, BookingConfirmed).Delete(&Booking{})
		if res.Error != nil {
			return false, res.Error
		}
		if res.RowsAffected == 0 {
			continue // cancelled meanwhile: its seat is back already
		}
		if err := giveBackSeat(tx, se.ID); err != nil {
			return false, err
		}
		var r Registration
		if err := tx.Select("id", "venue_id").Take(&r, b.RegistrationID).Error; err != nil {
			return false, err
		}
		return true, writeAudit(tx, now, roomDoorActor, registrationAudit(AuditSeatReleased, r, "",
			map[string]any{"session": se.ID, "to": to}))
	}
}

// RoomDoorState is what a room's door shows and keeps to judge scans offline.
type RoomDoorState struct {
	Session RoomSession
	// ReleaseAt is when unclaimed seats go to the people waiting at the door; nil when the
	// event does not release seats.
	ReleaseAt *time.Time
	// SeatsForWaitlist is how many seats are free for people on the waiting list: free
	// seats, and unclaimed ones once the release time has passed.
	SeatsForWaitlist int
	// WaitingAtDoor counts the people on the waiting list scanned at the door, still waiting.
	WaitingAtDoor int
	// ScannedIn counts the people scanned into the room.
	ScannedIn int
	// Alongside are the venue's other sessions at the same time (sharing a slot).
	Alongside []RoomSession
	// Bookings are the seats and waiting-list places in the session and those alongside.
	Bookings []RoomBooking
	// InRoom lists the registrations scanned into the room.
	InRoom []uint
}

// RoomBooking is one booking as a room's door keeps it.
type RoomBooking struct {
	RegistrationID uint
	SessionID      uint
	Status         string
}

// RoomDoor returns the state of a session's room door. It first gives the seats that are
// due to the people waiting at the door (see seatAtDoor): the release takes effect at the
// next scan or the next look at the door, whichever comes first.
// It returns ErrNotFound when the session is not a placed session of the venue.
func (s *Store) RoomDoor(ctx context.Context, venueID, sessionID uint) (RoomDoorState, error) {
	var st RoomDoorState
	err := s.write(ctx, func(tx *gorm.DB) error {
		st = RoomDoorState{}
		now := s.now().UTC()
		se, err := s.roomSessionForUpdate(tx, venueID, sessionID)
		if err != nil {
			return err
		}
		if err := s.seatAtDoor(tx.Statement.Context, tx, now, se); err != nil {
			return err
		}
		return s.roomDoorState(tx, now, se, &st)
	})
	if err != nil {
		return RoomDoorState{}, fmt.Errorf("room door of session %d: %w", sessionID, err)
	}
	return st, nil
}

func (s *Store) roomDoorState(tx *gorm.DB, now time.Time, se doorSession, st *RoomDoorState) error {
	sessions, err := slotSessions(tx, se.ID)
	if err != nil {
		return err
	}
	ids := make([]uint, 0, len(sessions))
	for _, rs := range sessions {
		ids = append(ids, rs.ID)
		if rs.ID == se.ID {
			st.Session = rs
		} else {
			st.Alongside = append(st.Alongside, rs)
		}
	}
	if se.SeatReleaseMinutes > 0 {
		at := se.releaseAt()
		st.ReleaseAt = &at
	}
	st.SeatsForWaitlist = max(se.capacity()-st.Session.Confirmed, 0)
	if se.releaseDue(now) {
		q, err := unclaimedQuery(tx, se.ID)
		if err != nil {
			return err
		}
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return err
		}
		st.SeatsForWaitlist += int(n)
	}
	var waiting int64
	err = tx.Table("room_waits w").Joins("JOIN bookings b ON b.session_id = w.session_id AND b.registration_id = w.registration_id").
		Where("w.session_id = ? AND b.status = ?", se.ID, BookingWaitlisted).Count(&waiting).Error
	if err != nil {
		return err
	}
	st.WaitingAtDoor = int(waiting)
	if err := tx.Model(&RoomCheckIn{}).Where("session_id = ?", se.ID).Order("registration_id").
		Pluck("registration_id", &st.InRoom).Error; err != nil {
		return err
	}
	st.ScannedIn = len(st.InRoom)
	return tx.Model(&Booking{}).Select("registration_id", "session_id", "status").Where("session_id IN ?", ids).
		Order("session_id, wait_order, id").Scan(&st.Bookings).Error
}

// slotSessions lists the session and the venue's sessions sharing a slot with it.
func slotSessions(tx *gorm.DB, sessionID uint) ([]RoomSession, error) {
	var rows []RoomSession
	err := tx.Table("sessions").
		Select("sessions.id, sessions.title, sessions.title_en, COALESCE(rooms.name, '') AS room, sessions.confirmed, "+
			"sessions.waiting, CASE WHEN sessions.capacity_limit > 0 AND sessions.capacity_limit < COALESCE(rooms.capacity, 0) "+
			"THEN sessions.capacity_limit ELSE COALESCE(rooms.capacity, 0) END AS capacity").
		Joins("LEFT JOIN rooms ON rooms.id = sessions.room_id").
		Where("sessions.id IN (?)", tx.Table("session_slots AS mine").Select("theirs.session_id").
			Joins("JOIN session_slots AS theirs ON theirs.slot_id = mine.slot_id").Where("mine.session_id = ?", sessionID)).
		Order("sessions.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	return rows, fillSessionTimes(tx, rows)
}

// fillSessionTimes sets each session's start and end from its slots.
func fillSessionTimes(tx *gorm.DB, rows []RoomSession) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var spans []struct {
		SessionID        uint
		StartsAt, EndsAt time.Time
	}
	err := tx.Table("session_slots").Select("session_slots.session_id, slots.starts_at, slots.ends_at").
		Joins("JOIN slots ON slots.id = session_slots.slot_id").Where("session_slots.session_id IN ?", ids).Scan(&spans).Error
	if err != nil {
		return err
	}
	for i := range rows {
		for _, sp := range spans {
			if sp.SessionID != rows[i].ID {
				continue
			}
			if rows[i].StartsAt.IsZero() || sp.StartsAt.Before(rows[i].StartsAt) {
				rows[i].StartsAt = sp.StartsAt.UTC()
			}
			if sp.EndsAt.After(rows[i].EndsAt) {
				rows[i].EndsAt = sp.EndsAt.UTC()
			}
		}
	}
	return nil
}

// RoomSessions lists the venue's sessions a room's door may scan for: those in the slots
// running now and those in the next slot to start, earliest first.
func (s *Store) RoomSessions(ctx context.Context, venueID uint) ([]RoomSession, error) {
	db := s.db.WithContext(ctx)
	now := s.now().UTC()
	var slotIDs []uint
	err := db.Model(&Slot{}).Where("venue_id = ? AND starts_at <= ? AND ends_at > ?", venueID, now, now).Pluck("id", &slotIDs).Error
	if err != nil {
		return nil, fmt.Errorf("room sessions of venue %d: %w", venueID, err)
	}
	var next Slot
	err = db.Where("venue_id = ? AND starts_at > ?", venueID, now).Order("starts_at, id").Take(&next).Error
	if err == nil {
		slotIDs = append(slotIDs, next.ID)
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("room sessions of venue %d: %w", venueID, err)
	}
	if len(slotIDs) == 0 {
		return []RoomSession{}, nil
	}
	var rows []RoomSession
	err = db.Table("sessions").
		Select("sessions.id, sessions.title, sessions.title_en, COALESCE(rooms.name, '') AS room, sessions.confirmed, "+
			"sessions.waiting, CASE WHEN sessions.capacity_limit > 0 AND sessions.capacity_limit < COALESCE(rooms.capacity, 0) "+
			"THEN sessions.capacity_limit ELSE COALESCE(rooms.capacity, 0) END AS capacity").
		Joins("LEFT JOIN rooms ON rooms.id = sessions.room_id").
		Where("sessions.venue_id = ? AND sessions.id IN (?)", venueID,
			db.Table("session_slots").Select("session_id").Where("slot_id IN ?", slotIDs)).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("room sessions of venue %d: %w", venueID, err)
	}
	if err := fillSessionTimes(db, rows); err != nil {
		return nil, fmt.Errorf("room sessions of venue %d: %w", venueID, err)
	}
	sortRoomSessions(rows)
	return rows, nil
}

// sortRoomSessions orders sessions by start, then room, then id.
func sortRoomSessions(rows []RoomSession) {
	slices.SortFunc(rows, func(a, b RoomSession) int {
		return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.Room, b.Room), cmp.Compare(a.ID, b.ID))
	})
}

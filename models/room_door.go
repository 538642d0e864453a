package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The answers of a scan at a room's door (issue #18), as the door API names them.
const (
	// RoomInSession: booked in this session; this scan records that they came in.
	RoomInSession = "in_session"
	// RoomAlreadyInSession: booked here and scanned into the room before.
	RoomAlreadyInSession = "already_in_session"
	// RoomWaitlisted: on this session's waiting list; they wait at the door, and take a seat
	// as soon as one is theirs (RoomScanOutcome.SeatFree).
	RoomWaitlisted = "waitlisted"
	// RoomElsewhere: booked in another session at the same time.
	RoomElsewhere = "elsewhere"
	// RoomNotBooked: registered at the venue, with no seat in this session's time.
	RoomNotBooked = "not_booked"
	// RoomNotRegistered: no active registration at this venue (unknown, cancelled, or
	// registered at another venue).
	RoomNotRegistered = "not_registered"
)

// RoomWait records that a person on a session's waiting list was scanned at its room's door:
// they are waiting there, and a seat that comes free at the door is theirs in waiting-list
// order. It is apart from RoomCheckIn, which says who was in the room.
type RoomWait struct {
	ID             uint
	SessionID      uint         `gorm:"not null;uniqueIndex:idx_room_waits_session_registration"`
	Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
	RegistrationID uint         `gorm:"not null;uniqueIndex:idx_room_waits_session_registration;index"`
	Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
	ScannedAt      time.Time    `gorm:"not null"`
	ReceivedAt     time.Time    `gorm:"not null"`
	Door           string       `gorm:"size:254;not null"`
	ScanID         *string      `gorm:"size:64;uniqueIndex"`
	Offline        bool         `gorm:"not null;default:false"`
}

// migrateRoomDoors adds the people waiting at rooms' doors and the event's setting for
// releasing unclaimed seats (issue #18).
func migrateRoomDoors(tx *gorm.DB) error {
	type Session struct{ ID uint }
	type Registration struct{ ID uint }
	type RoomWait struct {
		ID             uint
		SessionID      uint         `gorm:"not null;uniqueIndex:idx_room_waits_session_registration"`
		Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
		RegistrationID uint         `gorm:"not null;uniqueIndex:idx_room_waits_session_registration;index"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		ScannedAt      time.Time    `gorm:"not null"`
		ReceivedAt     time.Time    `gorm:"not null"`
		Door           string       `gorm:"size:254;not null"`
		ScanID         *string      `gorm:"size:64;uniqueIndex"`
		Offline        bool         `gorm:"not null;default:false"`
	}
	if err := tx.Migrator().CreateTable(&RoomWait{}); err != nil {
		return err
	}
	type Event struct {
		SeatReleaseMinutes int `gorm:"not null;default:0"`
	}
	return tx.Migrator().AddColumn(&Event{}, "SeatReleaseMinutes")
}

// Audit actions of the room doors' seat release.
const (
	// AuditSeatReleased: a booked person who had not come lost their seat to someone
	// waiting at the room's door.
	AuditSeatReleased = "booking.released"
	// AuditSeatedAtDoor: a person waiting at the room's door got a seat there.
	AuditSeatedAtDoor = "booking.seated_at_door"
)

// roomDoorActor is who releases seats: the server, on the room door's behalf.
var roomDoorActor = Actor{Kind: ActorSystem, Name: "room door"}

// RoomScanInput is one scan at the door of a session's room.
type RoomScanInput struct {
	VenueID        uint
	SessionID      uint
	RegistrationID uint
	Door           string
	DeviceTokenID  *uint
	UserID         *uint
	// ScanID is the device's own name for the scan: sent twice, it counts once.
	ScanID string
	// ScannedAt is set for a scan made offline and sent later.
	ScannedAt *time.Time
}

// RoomScanOutcome is what a room's door is told.
type RoomScanOutcome struct {
	Result string
	// Registration holds the person's id, name and organisation; empty for not_registered.
	Registration Registration
	// CheckIn is the scan into the room that counts, for in_session and already_in_session
	// (and for waitlisted with SeatFree).
	CheckIn RoomCheckIn
	// SeatFree, for waitlisted, says the person now has a seat in the session: one was free,
	// or released, and they were first in the waiting list of those at the door.
	SeatFree bool
	// Position, for waitlisted without a seat, is their place in the waiting list (1 is next).
	Position int
	// Elsewhere is, for elsewhere, the session they are booked in instead.
	Elsewhere *RoomSession
}

// RoomSession is a session as a room's door shows it.
type RoomSession struct {
	ID               uint
	Title, TitleEn   string
	Room             string
	StartsAt, EndsAt time.Time
	Capacity         int
	Confirmed        int
	Waiting          int
}

// roomScanKey is the scan id as stored, prefixed with the door's as for venue scans.
func roomScanKey(in RoomScanInput) *string {
	key := scanKey(CheckInInput{ScanID: in.ScanID, DeviceTokenID: in.DeviceTokenID, UserID: in.UserID})
	if key == "" {
		return nil
	}
	return &key
}

// RoomScan judges a scan at the door of a session's room and records it: a person booked in
// the session is scanned into the room once (a second scan, or the same scan sent again, is
// already_in_session or its first answer again); a person on its waiting list is recorded
// as waiting at the door and gets a seat when one is theirs (see seatAtDoor).
// It returns ErrNotFound when the session is not a placed session of the venue, and
// ErrScanIDReused when the door used the scan id for another person.
func (s *Store) RoomScan(ctx context.Context, in RoomScanInput) (RoomScanOutcome, error) {
	var out RoomScanOutcome
	err := s.write(ctx, func(tx *gorm.DB) error {
		out = RoomScanOutcome{}
		return s.roomScan(tx, in, &out)
	})
	if err != nil {
		return RoomScanOutcome{}, fmt.Errorf("room scan of registration %d in session %d: %w", in.RegistrationID, in.SessionID, err)
	}
	return out, nil
}

func (s *Store) roomScan(tx *gorm.DB, in RoomScanInput, out *RoomScanOutcome) error {
	ctx := tx.Statement.Context
	now := s.now().UTC()
	se, err := s.roomSessionForUpdate(tx, in.VenueID, in.SessionID)
	if err != nil {
		return err
	}
	key := roomScanKey(in)
	if key != nil {
		var seen RoomCheckIn
		err := tx.Where("scan_id = ?", *key).Take(&seen).Error
		if err == nil {
			if seen.RegistrationID != in.RegistrationID || seen.SessionID != in.SessionID {
				return ErrScanIDReused
			}
			out.Result, out.CheckIn = RoomInSession, seen
			return tx.Select("id", "venue_id", "status", "name", "organisation").Where("id = ?", seen.RegistrationID).
				Take(&out.Registration).Error
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		var waited RoomWait
		err = tx.Where("scan_id = ?", *key).Take(&waited).Error
		if err == nil && (waited.RegistrationID != in.RegistrationID || waited.SessionID != in.SessionID) {
			return ErrScanIDReused
		}
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
	}
	var r Registration
	err = tx.Select("id", "venue_id", "status", "name", "organisation").Where("id = ?", in.RegistrationID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || err == nil && (r.VenueID != in.VenueID || r.Status != RegistrationActive) {
		out.Result = RoomNotRegistered
		return nil
	}
	if err != nil {
		return err
	}
	out.Registration = r
	scanned := now
	if in.ScannedAt != nil {
		scanned = in.ScannedAt.UTC()
	}
	var b Booking
	err = tx.Where("registration_id = ? AND session_id = ?", r.ID, se.ID).Take(&b).Error
	switch {
	case err == nil && b.Status == BookingConfirmed:
		ci := RoomCheckIn{SessionID: se.ID, RegistrationID: r.ID, ScannedAt: scanned, ReceivedAt: now, Door: in.Door,
			ScanID: key, Offline: in.ScannedAt != nil}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ci)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			out.Result, out.CheckIn = RoomInSession, ci
			return nil
		}
		out.Result = RoomAlreadyInSession
		return tx.Where("session_id = ? AND registration_id = ?", se.ID, r.ID).Take(&out.CheckIn).Error
	case err == nil:
		out.Result = RoomWaitlisted
		w := RoomWait{SessionID: se.ID, RegistrationID: r.ID, ScannedAt: scanned, ReceivedAt: now, Door: in.Door,
			ScanID: key, Offline: in.ScannedAt != nil}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&w).Error; err != nil {
			return err
		}
		if err := s.seatAtDoor(ctx, tx, now, se); err != nil {
			return err
		}
		err := tx.Where("session_id = ? AND registration_id = ?", se.ID, r.ID).Take(&out.CheckIn).Error
		if err == nil {
			out.SeatFree = true
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		out.Position, err = waitPosition(tx, b)
		return err
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return err
	}
	other, err := bookedAlongside(tx, r.ID, se.ID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		out.Result = RoomNotBooked
		return nil
	}
	if err != nil {
		return err
	}
	out.Result, out.Elsewhere = RoomElsewhere, &other
	return nil
}

// roomSessionForUpdate reads a placed session of the venue with its start and the event's
// release setting. On PostgreSQL it locks the session's row: the scans at one room's door
// take their turns, so two of them never hand the same seat out twice.
func (s *Store) roomSessionForUpdate(tx *gorm.DB, venueID, sessionID uint) (doorSession, error) {
	var se doorSession
	q := tx.Table("sessions").Select("sessions.id, sessions.event_id, sessions.capacity_limit, sessions.confirmed, "+
		"COALESCE(rooms.capacity, 0) AS room_capacity, events.seat_release_minutes").
		Joins("JOIN events ON events.id = sessions.event_id").
		Joins("LEFT JOIN rooms ON rooms.id = sessions.room_id").
		Where("sessions.id = ? AND sessions.venue_id = ? AND sessions.room_id IS NOT NULL", sessionID, venueID)
	if !s.sqlite {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "sessions"}})
	}
	if err := q.Take(&se).Error; err != nil {
		return doorSession{}, notFound(err, "session", sessionID)
	}
	var starts []time.Time
	if err := tx.Table("session_slots").Joins("JOIN slots ON slots.id = session_slots.slot_id").
		Where("session_slots.session_id = ?", se.ID).Order("slots.starts_at").Pluck("slots.starts_at", &starts).Error; err != nil {
		return doorSession{}, err
	}
	if len(starts) == 0 {
		return doorSession{}, notFound(gorm.ErrRecordNotFound, "session", sessionID)
	}
	se.StartsAt = starts[0].UTC()
	return se, nil
}

// doorSession is what the room door's judging needs of a session.
type doorSession struct {
	ID                 uint
	EventID            uint
	CapacityLimit      int
	RoomCapacity       int
	Confirmed          int
	SeatReleaseMinutes int
	StartsAt           time.Time `gorm:"-"`
}

// releaseDue reports whether unclaimed seats are given away at time now.
func (d doorSession) releaseDue(now time.Time) bool {
	return d.SeatReleaseMinutes > 0 && !now.Before(d.releaseAt())
}

func (d doorSession) releaseAt() time.Time {
	return d.StartsAt.Add(time.Duration(d.SeatReleaseMinutes) * time.Minute)
}

// waitPosition is a waiting-list booking's place in its list (1 is next).
func waitPosition(tx *gorm.DB, b Booking) (int, error) {
	var n int64
	err := tx.Model(&Booking{}).Where("session_id = ? AND status = ? AND (wait_order < ? OR (wait_order = ? AND id <= ?))",
		b.SessionID, BookingWaitlisted, b.WaitOrder, b.WaitOrder, b.ID).Count(&n).Error
	return int(n), err
}

// bookedAlongside finds a session the registration has a seat in at the same time as
// sessionID (sharing a slot); gorm.ErrRecordNotFound when there is none.
func bookedAlongside(tx *gorm.DB, regID, sessionID uint) (RoomSession, error) {
	var rs RoomSession
	err := tx.Table("bookings").
		Select("sessions.id, sessions.title, sessions.title_en, COALESCE(rooms.name, '') AS room").
		Joins("JOIN sessions ON sessions.id = bookings.session_id").
		Joins("LEFT JOIN rooms ON rooms.id = sessions.room_id").
		Where("bookings.registration_id = ? AND bookings.status = ? AND bookings.session_id <> ?", regID, BookingConfirmed, sessionID).
		Where("bookings.session_id IN (?)", tx.Table("session_slots AS mine").
			Select("theirs.session_id").Joins("JOIN session_slots AS theirs ON theirs.slot_id = mine.slot_id").
			Where("mine.session_id = ?", sessionID)).
		Order("sessions.id").Limit(1).Scan(&rs).Error
	if err == nil && rs.ID == 0 {
		return RoomSession{}, gorm.ErrRecordNotFound
	}
	return rs, err
}

// CheckedIn reports whether the registration was admitted at its venue's door (a check-in
// that was not undone).
func (s *Store) CheckedIn(ctx context.Context, regID uint) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&CheckIn{}).Where("registration_id = ? AND undone_at IS NULL", regID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("checked in %d: %w", regID, err)
	}
	return n > 0, nil
}

package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// RoomCheckIn records that a person was scanned at the door of one session's room (issue
// #18). A person counts once per session: the unique index on session and registration
// keeps a second scan, or an offline scan sent again, from counting twice.
type RoomCheckIn struct {
	ID             uint
	SessionID      uint         `gorm:"not null;uniqueIndex:idx_room_check_ins_session_registration"`
	Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
	RegistrationID uint         `gorm:"not null;uniqueIndex:idx_room_check_ins_session_registration;index"`
	Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
	// ScannedAt is the device's clock for a scan made offline and sent later, the server's
	// otherwise.
	ScannedAt  time.Time `gorm:"not null"`
	ReceivedAt time.Time `gorm:"not null"`
	Door       string    `gorm:"size:254;not null"`
	// ScanID is the device's own name for the scan, so a scan sent twice counts once.
	ScanID  *string `gorm:"size:64;uniqueIndex"`
	Offline bool    `gorm:"not null;default:false"`
}

// migrateRoomCheckIns adds the record of scans at the doors of sessions' rooms (issue #18).
func migrateRoomCheckIns(tx *gorm.DB) error {
	type Session struct{ ID uint }
	type Registration struct{ ID uint }
	type RoomCheckIn struct {
		ID             uint
		SessionID      uint         `gorm:"not null;uniqueIndex:idx_room_check_ins_session_registration"`
		Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
		RegistrationID uint         `gorm:"not null;uniqueIndex:idx_room_check_ins_session_registration;index"`
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
		ScannedAt      time.Time    `gorm:"not null"`
		ReceivedAt     time.Time    `gorm:"not null"`
		Door           string       `gorm:"size:254;not null"`
		ScanID         *string      `gorm:"size:64;uniqueIndex"`
		Offline        bool         `gorm:"not null;default:false"`
	}
	return tx.Migrator().CreateTable(&RoomCheckIn{})
}

// admittedRegistration is the condition, on the registrations table, that the person was
// admitted at their venue's door (a check-in not undone): what the feedback e-mail, the
// certificates and AttendedSessions all start from.
const admittedRegistration = "EXISTS (SELECT 1 FROM check_ins WHERE check_ins.registration_id = registrations.id AND check_ins.undone_at IS NULL)"

// AttendedSession is one session a person attended, with its times and room.
type AttendedSession struct {
	SessionID        uint
	Title, TitleEn   string
	Room             string
	StartsAt, EndsAt time.Time
	// Length is the time in its slots: a session over two slots with a break between them
	// lasts less than from its start to its end.
	Length time.Duration
}

// Attendance is what a person attended on the day: the ground for the feedback e-mail and
// the certificate of attendance.
type Attendance struct {
	// CheckedIn is whether the person was admitted at the venue's door; without that they
	// attended nothing, whatever they booked.
	CheckedIn bool
	// ByRoomScan is set when Sessions come from scans at the rooms' doors; otherwise they are
	// the person's booked seats.
	ByRoomScan bool
	// Sessions are earliest first.
	Sessions []AttendedSession
}

// Hours is the time spent in the attended sessions' slots, in hours.
func (a Attendance) Hours() float64 {
	var d time.Duration
	for _, s := range a.Sessions {
		d += s.Length
	}
	return d.Hours()
}

// AttendedSessions returns what registration regID attended. A person who was not checked in
// at the venue attended nothing. One who was attended the sessions they were scanned into at
// a room's door; when they have no room scan at all (the venue scanned only at its own door,
// or a room's door was left unstaffed) their booked seats stand in for them.
func (s *Store) AttendedSessions(ctx context.Context, regID uint) (Attendance, error) {
	db := s.db.WithContext(ctx)
	var in int64
	if err := db.Table("check_ins").Where("registration_id = ? AND undone_at IS NULL", regID).Count(&in).Error; err != nil {
		return Attendance{}, fmt.Errorf("attendance %d: %w", regID, err)
	}
	if in == 0 {
		return Attendance{}, nil
	}
	a := Attendance{CheckedIn: true}
	var ids []uint
	if err := db.Table("room_check_ins").Where("registration_id = ?", regID).Pluck("session_id", &ids).Error; err != nil {
		return Attendance{}, fmt.Errorf("attendance %d: %w", regID, err)
	}
	a.ByRoomScan = len(ids) > 0
	if !a.ByRoomScan {
		err := db.Table("bookings").Where("registration_id = ? AND status = ?", regID, BookingConfirmed).
			Pluck("session_id", &ids).Error
		if err != nil {
			return Attendance{}, fmt.Errorf("attendance %d: %w", regID, err)
		}
	}
	if len(ids) == 0 {
		return a, nil
	}
	// One row per slot the session fills; a two-slot session runs from its first start to
	// its last end. (SQLite's MIN over times gives text, so Go does the sums.)
	var rows []struct {
		SessionID      uint
		Title, TitleEn string
		Room           string
		StartsAt       time.Time
		EndsAt         time.Time
	}
	err := db.Table("sessions").
		Select("sessions.id AS session_id, sessions.title, sessions.title_en, rooms.name AS room, "+
			"slots.starts_at, slots.ends_at").
		Joins("JOIN session_slots ON session_slots.session_id = sessions.id").
		Joins("JOIN slots ON slots.id = session_slots.slot_id").
		Joins("JOIN rooms ON rooms.id = session_slots.room_id").
		Where("sessions.id IN ?", ids).
		Scan(&rows).Error
	if err != nil {
		return Attendance{}, fmt.Errorf("attendance %d: %w", regID, err)
	}
	at := map[uint]int{}
	for _, r := range rows {
		i, seen := at[r.SessionID]
		if !seen {
			at[r.SessionID] = len(a.Sessions)
			a.Sessions = append(a.Sessions, AttendedSession{SessionID: r.SessionID, Title: r.Title, TitleEn: r.TitleEn,
				Room: r.Room, StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC(), Length: r.EndsAt.Sub(r.StartsAt)})
			continue
		}
		a.Sessions[i].Length += r.EndsAt.Sub(r.StartsAt)
		if r.StartsAt.Before(a.Sessions[i].StartsAt) {
			a.Sessions[i].StartsAt = r.StartsAt.UTC()
		}
		if r.EndsAt.After(a.Sessions[i].EndsAt) {
			a.Sessions[i].EndsAt = r.EndsAt.UTC()
		}
	}
	sort.Slice(a.Sessions, func(i, j int) bool { return a.Sessions[i].StartsAt.Before(a.Sessions[j].StartsAt) })
	return a, nil
}

package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Room is a space at a venue where sessions take place.
type Room struct {
	ID            uint
	VenueID       uint   `gorm:"not null;uniqueIndex:idx_rooms_venue_name"`
	Name          string `gorm:"size:100;not null;uniqueIndex:idx_rooms_venue_name"`
	Capacity      int    `gorm:"not null"`
	Accessibility string `gorm:"size:1000;not null;default:''"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// RoomInput is what an organiser may set on a room.
type RoomInput struct {
	Name          string
	Capacity      int
	Accessibility string
}

// Validate reports what is wrong with the input.
func (in RoomInput) Validate() Problems {
	p := Problems{}
	p.checkLine("name", in.Name, true, 100)
	p.checkName("name", in.Name)
	p.checkCount("capacity", in.Capacity, MaxCapacity)
	p.checkText("accessibility", in.Accessibility, false, 1000)
	return p
}

func (in RoomInput) apply(r *Room) {
	r.Name = strings.TrimSpace(in.Name)
	r.Capacity = in.Capacity
	r.Accessibility = strings.TrimSpace(in.Accessibility)
}

// Room returns one room by id.
// It returns ErrNotFound when there is no such room.
func (s *Store) Room(ctx context.Context, id uint) (Room, error) {
	var r Room
	if err := s.db.WithContext(ctx).First(&r, id).Error; err != nil {
		return Room{}, notFound(err, "room", id)
	}
	return r, nil
}

// CreateRoom adds a room to a venue. A name already used at that venue is a problem on "name".
func (s *Store) CreateRoom(ctx context.Context, venueID uint, in RoomInput) (Room, error) {
	if err := invalid(in.Validate()); err != nil {
		return Room{}, err
	}
	r := Room{VenueID: venueID}
	in.apply(&r)
	err := s.write(ctx, func(tx *gorm.DB) error {
		r.ID = 0 // a batch may run this again
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionRoomCreated, SubjectKind: SubjectRoom, SubjectID: r.ID,
			VenueID: venueID, Details: created(r)})
	})
	if isUniqueViolation(err) {
		return Room{}, invalid(Problems{"name": {Key: "form.name_taken"}})
	}
	if err != nil {
		return Room{}, fmt.Errorf("create room %q: %w", in.Name, err)
	}
	return r, nil
}

// UpdateRoom changes a room's details. Its capacity cannot go below the seats taken in any
// of its sessions.
// It returns ErrNotFound when there is no such room, and a *ValidationError when the input is not
// valid.
func (s *Store) UpdateRoom(ctx context.Context, id uint, in RoomInput) (Room, error) {
	if err := invalid(in.Validate()); err != nil {
		return Room{}, err
	}
	var r Room
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		if err := tx.First(&r, id).Error; err != nil {
			return notFound(err, "room", id)
		}
		old := r
		in.apply(&r)
		if err := s.seatsInRoom(tx, r); err != nil {
			return err
		}
		if err := tx.Model(&r).Select("name", "capacity", "accessibility").Updates(&r).Error; err != nil {
			return err
		}
		if err := s.audit(ctx, tx, AuditRecord{Action: ActionRoomUpdated, SubjectKind: SubjectRoom, SubjectID: r.ID,
			VenueID: r.VenueID, Details: changes(old, r)}); err != nil {
			return err
		}
		// A bigger room may free seats for people on the waiting lists of its sessions.
		return s.promoteRoom(ctx, tx, r.ID, s.now())
	})
	if isUniqueViolation(err) {
		return Room{}, invalid(Problems{"name": {Key: "form.name_taken"}})
	}
	if err != nil {
		return Room{}, fmt.Errorf("update room %d: %w", id, err)
	}
	return r, nil
}

// seatsInRoom refuses a capacity below the seats people hold in a session in room r, naming
// how many hold one. The sessions' rows are locked on PostgreSQL, so no seat is taken
// between this check and the change.
func (s *Store) seatsInRoom(tx *gorm.DB, r Room) error {
	var fullest Session
	err := s.forUpdate(tx.Select("id", "title", "confirmed").Where("room_id = ?", r.ID)).
		Order("confirmed DESC, id").Take(&fullest).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if fullest.Confirmed > r.Capacity {
		return invalid(Problems{"capacity": {Key: "form.room_below_seated", Args: []any{"Count", fullest.Confirmed, "Session", fullest.Title}}})
	}
	return nil
}

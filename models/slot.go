package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Slot is a time slot at one venue; each venue keeps its own timetable.
type Slot struct {
	ID        uint
	VenueID   uint      `gorm:"not null;index"`
	StartsAt  time.Time `gorm:"not null"`
	EndsAt    time.Time `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SlotInput is a slot as an organiser types it: clock times on the event day.
type SlotInput struct {
	Start string // "10:00"
	End   string // "11:00"
}

// resolve validates the clock times and turns them into instants on the event day.
func (in SlotInput) resolve(e Event) (start, end time.Time, p Problems) {
	p = Problems{}
	var okStart, okEnd bool
	if in.Start == "" {
		p.Add("start", "form.required")
	} else if start, okStart = e.At(in.Start); !okStart {
		p.Add("start", "form.invalid_time")
	}
	if in.End == "" {
		p.Add("end", "form.required")
	} else if end, okEnd = e.At(in.End); !okEnd {
		p.Add("end", "form.invalid_time")
	}
	if okStart && okEnd && !end.After(start) {
		p.Add("end", "form.slot_end_before_start")
	}
	return start.UTC(), end.UTC(), p
}

// Slot returns one slot by id.
// It returns ErrNotFound when there is no such slot.
func (s *Store) Slot(ctx context.Context, id uint) (Slot, error) {
	var sl Slot
	if err := s.db.WithContext(ctx).First(&sl, id).Error; err != nil {
		return Slot{}, notFound(err, "slot", id)
	}
	return sl, nil
}

// CreateSlot adds a time slot to a venue; it may not overlap another slot of that venue.
// It returns ErrNotFound when there is no such venue, and a *ValidationError when the input is not
// valid.
func (s *Store) CreateSlot(ctx context.Context, venueID uint, in SlotInput) (Slot, error) {
	var sl Slot
	err := s.write(ctx, func(tx *gorm.DB) error {
		sl = Slot{VenueID: venueID} // a batch may run this again
		if err := s.fillSlot(tx, &sl, in); err != nil {
			return err
		}
		if err := tx.Create(&sl).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionSlotCreated, SubjectKind: SubjectSlot, SubjectID: sl.ID,
			VenueID: venueID, Details: created(sl)})
	})
	if err != nil {
		return Slot{}, fmt.Errorf("create slot at venue %d: %w", venueID, err)
	}
	return sl, nil
}

// UpdateSlot moves a slot; it may not come to overlap another slot of its venue.
// It returns ErrNotFound when there is no such slot, and a *ValidationError when the input is not
// valid.
func (s *Store) UpdateSlot(ctx context.Context, id uint, in SlotInput) (Slot, error) {
	var sl Slot
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&sl, id).Error; err != nil {
			return notFound(err, "slot", id)
		}
		old := sl
		if err := s.fillSlot(tx, &sl, in); err != nil {
			return err
		}
		if err := tx.Save(&sl).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionSlotUpdated, SubjectKind: SubjectSlot, SubjectID: sl.ID,
			VenueID: sl.VenueID, Details: changes(old, sl)})
	})
	if err != nil {
		return Slot{}, fmt.Errorf("update slot %d: %w", id, err)
	}
	return sl, nil
}

// fillSlot validates in against the event day and the venue's other slots and sets sl's times.
func (s *Store) fillSlot(tx *gorm.DB, sl *Slot, in SlotInput) error {
	var e Event
	err := tx.Joins("JOIN venues ON venues.event_id = events.id").
		Where("venues.id = ?", sl.VenueID).First(&e).Error
	if err != nil {
		return notFound(err, "venue", sl.VenueID)
	}
	start, end, p := in.resolve(e)
	if len(p) > 0 {
		return invalid(p)
	}
	var overlapping int64
	err = tx.Model(&Slot{}).
		Where("venue_id = ? AND id <> ? AND starts_at < ? AND ends_at > ?", sl.VenueID, sl.ID, end, start).
		Count(&overlapping).Error
	if err != nil {
		return err
	}
	if overlapping > 0 {
		return invalid(Problems{"start": {Key: "form.slot_overlap"}})
	}
	sl.StartsAt, sl.EndsAt = start, end
	return nil
}

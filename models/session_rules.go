package models

import (
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// forUpdate locks the rows q reads on PostgreSQL, so that no seat is taken between the check
// of a session's seats and the change (SQLite has one writer and needs no lock).
// Registrations take seats with a conditional update of the session's row, which waits for
// the lock and then sees the change.
func (s *Store) forUpdate(q *gorm.DB) *gorm.DB {
	if !s.sqlite {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// checkSessionChange is the one rule for every change of where a session is and how many it
// seats, whatever path makes it (the session form, the board, the planner): a session people
// have booked keeps its venue and its time, since they chose it there and then and may hold
// other sessions around it; and the room and limit it ends up with seat everyone who holds a
// seat. se is the session as stored, read in the same transaction; to is where it goes and
// limit its new capacity limit.
func checkSessionChange(tx *gorm.DB, se Session, to placement, limit int) error {
	booked, err := bookedSessions(tx, []uint{se.ID})
	if err != nil {
		return err
	}
	if n := booked[se.ID]; n > 0 {
		var slots []uint
		if err := tx.Model(&SessionSlot{}).Where("session_id = ?", se.ID).Pluck("slot_id", &slots).Error; err != nil {
			return err
		}
		if !sameVenue(se.VenueID, to.venueID) || !sameSlots(slots, to.slotIDs) {
			return invalid(Problems{"room": {Key: "form.booked_keeps_place", Args: []any{"Bookings", n}}})
		}
	}
	if se.Confirmed == 0 {
		return nil
	}
	if limit > 0 && limit < se.Confirmed {
		return invalid(Problems{"capacity": {Key: "form.limit_below_seated", Args: []any{"Count", se.Confirmed}}})
	}
	if to.roomID != nil {
		var room Room
		if err := tx.Select("id", "capacity").First(&room, *to.roomID).Error; err != nil {
			return invalid(Problems{"room": {Key: "form.room_not_at_venue"}})
		}
		if room.Capacity < se.Confirmed {
			return invalid(Problems{"room": {Key: "form.booked_room_too_small", Args: []any{"Seated", se.Confirmed, "Capacity", room.Capacity}}})
		}
	}
	return nil
}

func sameVenue(a, b *uint) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// sameSlots reports whether two lists hold the same slots, in any order.
func sameSlots(a, b []uint) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

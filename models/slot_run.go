package models

import (
	"slices"
	"time"

	"gorm.io/gorm"
)

// MaxChangeover is the longest gap between two slots that a two-slot session runs on
// through, as the changeover between sessions; a longer gap (lunch) is a break that would
// split it. The planner (schedule.MaxChangeover) and the proposal form use this one rule.
const MaxChangeover = 15 * time.Minute

// RunsOn reports whether a two-slot session can run on from a slot that ends at end into the
// next slot at its venue, which starts at next: at most MaxChangeover later.
func RunsOn(end, next time.Time) bool {
	return next.Sub(end) <= MaxChangeover
}

// hasTwoSlotRun reports whether the slots ids hold two that follow each other at one venue
// with no break between them, as a two-slot session needs.
func hasTwoSlotRun(tx *gorm.DB, ids []uint) (bool, error) {
	if len(ids) < 2 {
		return false, nil
	}
	var venueIDs []uint
	if err := tx.Model(&Slot{}).Where("id IN ?", ids).Distinct().Pluck("venue_id", &venueIDs).Error; err != nil {
		return false, err
	}
	var slots []Slot
	if err := tx.Where("venue_id IN ?", venueIDs).Order("venue_id, starts_at").Find(&slots).Error; err != nil {
		return false, err
	}
	for k := 0; k+1 < len(slots); k++ {
		a, b := slots[k], slots[k+1]
		if a.VenueID == b.VenueID && slices.Contains(ids, a.ID) && slices.Contains(ids, b.ID) && RunsOn(a.EndsAt, b.StartsAt) {
			return true, nil
		}
	}
	return false, nil
}

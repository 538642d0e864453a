package mail

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// rankedSlot is one slot of a ranking as the preferences_received e-mail lists it: the
// slot's time and the ranked sessions' titles, numbered, best first.
type rankedSlot struct {
	Time   string
	Titles []string
}

// preferenceData fills what the preferences_received e-mail (issue #19) says beyond a
// confirmation: when the seats are allocated, and the ranking as it was received. It
// promises no seats: the allocation's own e-mail brings them and the ticket.
func (c *Composer) preferenceData(ctx context.Context, tr *locale.Translator, r models.Registration, e models.Event, d *templateData) error {
	if e.AllocationAt != nil {
		d.Allocation = tr.DateTime(*e.AllocationAt)
	}
	if e.PreferencesCloseAt != nil {
		d.Closes = tr.DateTime(*e.PreferencesCloseAt)
	}
	ranking, err := c.Store.Preferences(ctx, r.ID)
	if err != nil {
		return err
	}
	sessions, err := c.Store.SessionsOfVenue(ctx, r.VenueID)
	if err != nil {
		return err
	}
	byID := map[uint]models.Session{}
	for _, se := range sessions {
		byID[se.ID] = se
	}
	type timed struct {
		start int64
		line  rankedSlot
	}
	var lines []timed
	for _, slot := range slices.Sorted(maps.Keys(ranking)) {
		var t timed
		for i, id := range ranking[slot] {
			se, ok := byID[id]
			if !ok || len(se.Slots) == 0 {
				continue // moved away since: the organisers' change e-mail says so
			}
			if i == 0 || t.line.Time == "" {
				t.start = se.StartsAt().Unix()
				t.line.Time = tr.TimeRange(se.StartsAt(), se.Slots[0].Slot.EndsAt)
			}
			t.line.Titles = append(t.line.Titles, strconv.Itoa(len(t.line.Titles)+1)+". "+se.TitleIn(string(tr.Lang())))
		}
		if len(t.line.Titles) > 0 {
			lines = append(lines, t)
		}
	}
	// In the order of the day, not of the slots' ids.
	slices.SortStableFunc(lines, func(a, b timed) int { return cmp.Compare(a.start, b.start) })
	for _, t := range lines {
		d.Ranking = append(d.Ranking, t.line)
	}
	return nil
}

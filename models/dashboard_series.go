package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// The dashboard's charts: registrations over time, arrivals per door and time, and how full
// each session is. Like the figures, each is one grouped query.

// RegistrationHours are the registrations made per venue and hour (UTC), whatever became of
// them since: what the registrations chart adds up. One grouped query gives them; the days
// are added up from the hours in Go (a few hundred groups, never the people one by one).
type RegistrationHours struct {
	hours []hourCount // by hour, earliest first
}

type hourCount struct {
	venueID uint
	hour    time.Time
	n       int
}

// hourSQL groups a timestamp column by its hour: the stored text's first 13 characters on
// SQLite, where every instant is written in UTC ("2026-12-01 09"), date_trunc on PostgreSQL.
func (s *Store) hourSQL(column string) string {
	if s.sqlite {
		return "substr(" + column + ", 1, 13)"
	}
	return "to_char(date_trunc('hour', " + column + " AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24')"
}

// RegistrationHours counts the event's registrations (all venues when scope is nil) per
// venue and hour.
func (s *Store) RegistrationHours(ctx context.Context, eventID uint, scope []uint) (RegistrationHours, error) {
	var rows []struct {
		VenueID uint
		Hour    string
		N       int
	}
	q := s.db.WithContext(ctx).Table("registrations").Select("venue_id, " + s.hourSQL("created_at") + " AS hour, COUNT(*) AS n")
	if scope != nil {
		q = q.Where(s.scanAll("venue_id")+" IN ?", nonEmpty(scope))
	} else {
		q = q.Where(s.scanAll("event_id")+" = ?", eventID)
	}
	if err := q.Group("venue_id, hour").Scan(&rows).Error; err != nil {
		return RegistrationHours{}, fmt.Errorf("registrations per hour of event %d: %w", eventID, err)
	}
	var rh RegistrationHours
	for _, r := range rows {
		h, err := time.ParseInLocation("2006-01-02 15", r.Hour, time.UTC)
		if err != nil {
			return RegistrationHours{}, fmt.Errorf("registrations per hour of event %d: hour %q: %w", eventID, r.Hour, err)
		}
		rh.hours = append(rh.hours, hourCount{venueID: r.VenueID, hour: h, n: r.N})
	}
	slices.SortFunc(rh.hours, func(a, b hourCount) int { return a.hour.Compare(b.hour) })
	return rh, nil
}

// First returns the hour of the first registration; false when there is none.
func (rh RegistrationHours) First() (time.Time, bool) {
	if len(rh.hours) == 0 {
		return time.Time{}, false
	}
	return rh.hours[0].hour, true
}

// Before counts per venue the registrations made before each of the instants (in increasing
// order): the cumulative registrations the chart draws, as the people list counts
// "registered up to" (tot) without a status. The instants are whole hours (midnight in the
// event's time zone), so an hour lies wholly before an instant or not at all.
func (rh RegistrationHours) Before(bounds []time.Time) map[uint][]int {
	out := map[uint][]int{}
	for _, h := range rh.hours {
		if out[h.venueID] == nil {
			out[h.venueID] = make([]int, len(bounds))
		}
		for i, b := range bounds {
			if h.hour.Before(b) {
				out[h.venueID][i] += h.n
			}
		}
	}
	return out
}

// ArrivalCount is how many people one door of a venue let in during one stretch of time.
type ArrivalCount struct {
	VenueID uint
	Door    string
	Start   time.Time
	Count   int
}

// ArrivalStretch is the stretch of time ArrivalsPerDoor counts in: ten minutes, from the hour.
const ArrivalStretch = 10 * time.Minute

// ArrivalsPerDoor counts the check-ins (not undone) of active registrations at the venues in
// scope per venue, door and ten minutes, earliest first: the people "checked in" counts.
// The ten minutes are cut from the stored instant's text ("2027-02-03 09:1") on SQLite,
// where instants are written in UTC, and from the same text on PostgreSQL.
func (s *Store) ArrivalsPerDoor(ctx context.Context, eventID uint, scope []uint) ([]ArrivalCount, error) {
	at := "check_ins.checked_in_at"
	if !s.sqlite {
		at = "to_char(check_ins.checked_in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
	}
	var rows []struct {
		VenueID uint
		Door    string
		Start   string
		N       int
	}
	q := s.db.WithContext(ctx).Table("check_ins").
		Select("registrations.venue_id AS venue_id, check_ins.door AS door, substr("+at+", 1, 15) AS start, COUNT(*) AS n").
		// From the check-ins to their people: CROSS JOIN keeps SQLite to that order.
		Joins("CROSS JOIN registrations").
		Where("registrations.id = check_ins.registration_id AND check_ins.undone_at IS NULL").
		Where("registrations.status = ? AND registrations.event_id = ?", RegistrationActive, eventID)
	if scope != nil {
		q = q.Where("registrations.venue_id IN ?", nonEmpty(scope))
	}
	if err := q.Group("registrations.venue_id, check_ins.door, start").Order("start, venue_id, door").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("arrivals per door of event %d: %w", eventID, err)
	}
	out := make([]ArrivalCount, len(rows))
	for i, r := range rows {
		start, err := time.ParseInLocation("2006-01-02 15:04", r.Start+"0", time.UTC)
		if err != nil {
			return nil, fmt.Errorf("arrivals per door of event %d: time %q: %w", eventID, r.Start, err)
		}
		out[i] = ArrivalCount{VenueID: r.VenueID, Door: r.Door, Start: start, Count: r.N}
	}
	return out, nil
}

// SessionFill is how full one placed session is, and where it is on the timetable.
type SessionFill struct {
	ID      uint
	Title   string
	VenueID uint
	RoomID  uint
	// SlotIDs are the slots it fills, earliest first.
	SlotIDs []uint
	// Taken seats of Seats (the session's capacity); Waiting people on its waiting list.
	Taken, Seats, Waiting int
}

// SessionFills returns every placed session at the venues in scope with its seats taken,
// seats and waiting list, by venue, then by the time it starts, then by room.
func (s *Store) SessionFills(ctx context.Context, eventID uint, scope []uint) ([]SessionFill, error) {
	var rows []struct {
		ID, VenueID, RoomID, SlotID             uint
		Title                                   string
		Confirmed, Waiting, CapLimit, RoomSeats int
		StartsAt                                time.Time
	}
	q := s.db.WithContext(ctx).Table("sessions").
		Select(`sessions.id, sessions.venue_id, session_slots.room_id, session_slots.slot_id, sessions.title,
			sessions.confirmed, sessions.waiting, sessions.capacity_limit AS cap_limit, rooms.capacity AS room_seats, slots.starts_at`).
		Joins("JOIN session_slots ON session_slots.session_id = sessions.id").
		Joins("JOIN rooms ON rooms.id = session_slots.room_id").
		Joins("JOIN slots ON slots.id = session_slots.slot_id").
		Where("sessions.event_id = ?", eventID)
	if scope != nil {
		q = q.Where("sessions.venue_id IN ?", nonEmpty(scope))
	}
	if err := q.Order("sessions.venue_id, sessions.id, slots.starts_at").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("session fills of event %d: %w", eventID, err)
	}
	var out []SessionFill
	starts := map[uint]time.Time{}
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].ID == r.ID {
			out[n-1].SlotIDs = append(out[n-1].SlotIDs, r.SlotID)
			continue
		}
		// The same rule as Session.Capacity: the organiser's limit when it is below the room's.
		seats := r.RoomSeats
		if r.CapLimit > 0 && (seats == 0 || r.CapLimit < seats) {
			seats = r.CapLimit
		}
		out = append(out, SessionFill{ID: r.ID, Title: r.Title, VenueID: r.VenueID, RoomID: r.RoomID, SlotIDs: []uint{r.SlotID},
			Taken: r.Confirmed, Seats: seats, Waiting: r.Waiting})
		starts[r.ID] = r.StartsAt
	}
	sortFills(out, starts)
	return out, nil
}

// sortFills orders sessions by venue, start and room.
func sortFills(fills []SessionFill, starts map[uint]time.Time) {
	slices.SortStableFunc(fills, func(a, b SessionFill) int {
		return cmp.Or(cmp.Compare(a.VenueID, b.VenueID), starts[a.ID].Compare(starts[b.ID]), cmp.Compare(a.RoomID, b.RoomID))
	})
}

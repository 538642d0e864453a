package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The dashboard's charts: registrations over time, arrivals per door and time, and how full
// each session is. Like the figures, each is one grouped query.

// MaxRegistrationBounds is the most instants RegistrationsBefore counts at in one query.
const MaxRegistrationBounds = 400

// RegistrationsBefore counts per venue (all of the event's when scope is nil) the
// registrations made before each of the instants, whatever became of them since: the
// cumulative registrations the chart draws. The result holds a count per instant for every
// venue that has registrations. It is what the people list shows for "registered up to"
// (tot) without a status.
func (s *Store) RegistrationsBefore(ctx context.Context, eventID uint, scope []uint, bounds []time.Time) (map[uint][]int, error) {
	out := map[uint][]int{}
	if len(bounds) == 0 {
		return out, nil
	}
	if len(bounds) > MaxRegistrationBounds {
		return nil, fmt.Errorf("registrations before %d instants: at most %d", len(bounds), MaxRegistrationBounds)
	}
	var sql strings.Builder
	args := make([]any, 0, len(bounds)+2)
	sql.WriteString("SELECT venue_id")
	for _, b := range bounds {
		sql.WriteString(", SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END)")
		args = append(args, b.UTC())
	}
	sql.WriteString(" FROM registrations WHERE event_id = ?")
	args = append(args, eventID)
	if scope != nil {
		sql.WriteString(" AND venue_id IN ?")
		args = append(args, nonEmpty(scope))
	}
	sql.WriteString(" GROUP BY venue_id")
	rows, err := s.db.WithContext(ctx).Raw(sql.String(), args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("registrations over time of event %d: %w", eventID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var venue uint
		counts := make([]int64, len(bounds))
		dest := []any{&venue}
		for i := range counts {
			dest = append(dest, &counts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("registrations over time of event %d: %w", eventID, err)
		}
		out[venue] = make([]int, len(bounds))
		for i, n := range counts {
			out[venue][i] = int(n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("registrations over time of event %d: %w", eventID, err)
	}
	return out, nil
}

// FirstRegistrationAt returns when the first registration in scope was made; false when
// there is none.
func (s *Store) FirstRegistrationAt(ctx context.Context, eventID uint, scope []uint) (time.Time, bool, error) {
	// The earliest by ordering, not min(created_at): SQLite hands an aggregate back as text.
	var first []Registration
	q := s.db.WithContext(ctx).Select("created_at").Where("event_id = ?", eventID)
	if scope != nil {
		q = q.Where("venue_id IN ?", nonEmpty(scope))
	}
	if err := q.Order("created_at").Limit(1).Find(&first).Error; err != nil {
		return time.Time{}, false, fmt.Errorf("first registration of event %d: %w", eventID, err)
	}
	if len(first) == 0 {
		return time.Time{}, false, nil
	}
	return first[0].CreatedAt, true, nil
}

// ArrivalCount is how many people one door of a venue let in during one stretch of time.
type ArrivalCount struct {
	VenueID uint
	Door    string
	Start   time.Time
	Count   int
}

// ArrivalsPerDoor counts the check-ins (not undone) of active registrations at the venues in
// scope per venue, door and stretch of time (a whole number of minutes that divides an hour,
// counted from the hour), earliest first: the people "checked in" counts.
func (s *Store) ArrivalsPerDoor(ctx context.Context, eventID uint, scope []uint, stretch time.Duration) ([]ArrivalCount, error) {
	secs := int64(stretch / time.Second)
	if secs < 60 {
		return nil, fmt.Errorf("arrivals per %v: want a minute or more", stretch)
	}
	bucket := "CAST(FLOOR(EXTRACT(EPOCH FROM check_ins.checked_in_at) / ?) AS BIGINT)"
	if s.sqlite {
		bucket = "(CAST(strftime('%s', check_ins.checked_in_at) AS INTEGER) / ?)"
	}
	var rows []struct {
		VenueID uint
		Door    string
		Bucket  int64
		N       int
	}
	q := s.db.WithContext(ctx).Table("check_ins").
		Select("registrations.venue_id AS venue_id, check_ins.door AS door, "+bucket+" AS bucket, COUNT(*) AS n", secs).
		Joins("JOIN registrations ON registrations.id = check_ins.registration_id").
		Where("check_ins.undone_at IS NULL AND registrations.status = ? AND registrations.event_id = ?", RegistrationActive, eventID)
	if scope != nil {
		q = q.Where("registrations.venue_id IN ?", nonEmpty(scope))
	}
	if err := q.Group("registrations.venue_id, check_ins.door, bucket").Order("bucket, venue_id, door").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("arrivals per door of event %d: %w", eventID, err)
	}
	out := make([]ArrivalCount, len(rows))
	for i, r := range rows {
		out[i] = ArrivalCount{VenueID: r.VenueID, Door: r.Door, Start: time.Unix(r.Bucket*secs, 0).UTC(), Count: r.N}
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

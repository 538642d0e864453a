package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DefaultTravelMinutes is the time a speaker needs between venues in different cities, unless
// the organisers set another: Zwolle to Rotterdam is about an hour and a half by train.
const DefaultTravelMinutes = 90

// PlanningData is everything the timetabler needs about an event's sessions: where they are,
// what they wish, and who wants to go to what.
type PlanningData struct {
	Event  Event
	Venues []Venue // with rooms and slots
	// Sessions are all the event's sessions, placed or not, with venue, room, slots and
	// speakers.
	Sessions []Session
	// VenueWishes and Availability are per session id: the venues its speakers chose (none:
	// either) and the slots they can do (none: any).
	VenueWishes  map[uint][]uint
	Availability map[uint][]uint
	// Interests lists, per attendee, the session ids they want to attend: each voter's votes
	// (for proposals that became sessions) and each registration's chosen sessions.
	Interests [][]uint
	// Booked counts, per session id, the bookings of active registrations: a booked session
	// keeps its venue and time (see checkSessionChange).
	Booked map[uint]int
}

// TravelTime is the time a speaker needs between venues in different cities.
func (e Event) TravelTime() time.Duration {
	return time.Duration(e.TravelMinutes) * time.Minute
}

// PlanningData reads what the timetabler needs for the event.
// It returns ErrNotFound when there is no such event.
func (s *Store) PlanningData(ctx context.Context, eventID uint) (PlanningData, error) {
	var d PlanningData
	var err error
	if err = s.db.WithContext(ctx).First(&d.Event, eventID).Error; err != nil {
		return d, notFound(err, "event", eventID)
	}
	if d.Venues, err = s.Venues(ctx, eventID); err != nil {
		return d, err
	}
	if d.Sessions, err = s.SessionsOfEvent(ctx, eventID); err != nil {
		return d, err
	}
	db := s.db.WithContext(ctx)
	sessionIDs := db.Model(&Session{}).Select("id").Where("event_id = ?", eventID)
	var venues []SessionVenue
	if err := db.Where("session_id IN (?)", sessionIDs).Order("session_id, venue_id").Find(&venues).Error; err != nil {
		return d, fmt.Errorf("venue wishes: %w", err)
	}
	d.VenueWishes = map[uint][]uint{}
	for _, v := range venues {
		d.VenueWishes[v.SessionID] = append(d.VenueWishes[v.SessionID], v.VenueID)
	}
	var avail []SessionAvailability
	if err := db.Where("session_id IN (?)", sessionIDs).Order("session_id, slot_id").Find(&avail).Error; err != nil {
		return d, fmt.Errorf("availability: %w", err)
	}
	d.Availability = map[uint][]uint{}
	for _, a := range avail {
		d.Availability[a.SessionID] = append(d.Availability[a.SessionID], a.SlotID)
	}
	if d.Interests, err = s.interests(ctx, eventID, d.Sessions); err != nil {
		return d, err
	}
	ids := make([]uint, len(d.Sessions))
	for i, se := range d.Sessions {
		ids[i] = se.ID
	}
	if d.Booked, err = bookedSessions(db, ids); err != nil {
		return d, fmt.Errorf("bookings per session: %w", err)
	}
	return d, nil
}

// interests gathers the attendees' wishes: votes for proposals that became sessions, then
// registrations' bookings (seats and waiting lists alike: both are wishes).
func (s *Store) interests(ctx context.Context, eventID uint, sessions []Session) ([][]uint, error) {
	byProposal := map[uint]uint{}
	for _, se := range sessions {
		if se.ProposalID != nil {
			byProposal[*se.ProposalID] = se.ID
		}
	}
	voters, err := s.VoterInterests(ctx, eventID)
	if err != nil {
		return nil, err
	}
	var out [][]uint
	for _, proposals := range voters {
		var wish []uint
		for _, p := range proposals {
			if id, ok := byProposal[p]; ok {
				wish = append(wish, id)
			}
		}
		if len(wish) > 0 {
			out = append(out, wish)
		}
	}
	var rows []struct {
		RegistrationID uint
		SessionID      uint
	}
	err = s.db.WithContext(ctx).Table("bookings").Select("bookings.registration_id, bookings.session_id").
		Joins("JOIN registrations ON registrations.id = bookings.registration_id").
		Where("registrations.event_id = ? AND registrations.status = ?", eventID, RegistrationActive).
		Order("bookings.registration_id, bookings.session_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("registrations' wishes: %w", err)
	}
	for i, r := range rows {
		if i == 0 || rows[i-1].RegistrationID != r.RegistrationID {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], r.SessionID)
	}
	return out, nil
}

// Placement puts a session in a room from a first slot on, for its length; RoomID zero takes
// it off the timetable.
type Placement struct {
	SessionID   uint
	VenueID     uint
	RoomID      uint
	FirstSlotID uint
}

// ApplyPlacements moves sessions in one transaction, so a plan is applied whole or not at
// all: sessions may swap rooms, since every moved session leaves its place before any takes
// a new one. Each session keeps its length; a pinned session cannot be moved; a session people
// have booked keeps its venue and time and only changes to a room with a seat for everyone
// who has one (see checkSessionChange). Waiting lists move up where a session got a bigger room.
// It returns ErrNotFound when a moved session does not exist, ErrConflict when one is pinned, and
// a *ValidationError when a move breaks a rule of the timetable; nothing is applied then.
func (s *Store) ApplyPlacements(ctx context.Context, eventID uint, moves []Placement) error {
	return s.applyPlacements(ctx, eventID, nil, moves)
}

// ApplyPlan applies a plan worked out on the timetable at revision (PlanningData's
// Event.TimetableRevision). If the timetable has changed since, nothing is applied and the
// answer is ErrConflict: the plan may clash with the change.
// A moved session that does not exist is ErrNotFound, and a move that breaks a rule of the
// timetable a *ValidationError.
func (s *Store) ApplyPlan(ctx context.Context, eventID uint, revision int, moves []Placement) error {
	return s.applyPlacements(ctx, eventID, &revision, moves)
}

// bumpTimetable raises the event's timetable revision, when given only from that revision.
func bumpTimetable(tx *gorm.DB, eventID uint, from *int) error {
	q := tx.Model(&Event{}).Where("id = ?", eventID)
	if from != nil {
		q = q.Where("timetable_revision = ?", *from)
	}
	res := q.UpdateColumn("timetable_revision", gorm.Expr("timetable_revision + 1"))
	if res.Error == nil && res.RowsAffected == 0 && from != nil {
		return fmt.Errorf("the timetable changed while the plan was made: %w", ErrConflict)
	}
	return res.Error
}

func (s *Store) applyPlacements(ctx context.Context, eventID uint, revision *int, moves []Placement) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		if err := bumpTimetable(tx, eventID, revision); err != nil {
			return err
		}
		ids := make([]uint, len(moves))
		for i, m := range moves {
			ids[i] = m.SessionID
		}
		var sessions []Session
		if err := s.forUpdate(tx).Where("event_id = ? AND id IN ?", eventID, ids).Find(&sessions).Error; err != nil {
			return err
		}
		byID := map[uint]Session{}
		for _, se := range sessions {
			byID[se.ID] = se
		}
		places := make([]placement, len(moves))
		for i, m := range moves {
			se, ok := byID[m.SessionID]
			if !ok {
				return fmt.Errorf("session %d: %w", m.SessionID, ErrNotFound)
			}
			if se.Pinned {
				return fmt.Errorf("session %d is pinned: %w", m.SessionID, ErrConflict)
			}
			in := SessionInput{VenueID: m.VenueID, RoomID: m.RoomID, FirstSlotID: m.FirstSlotID, SlotCount: max(se.SlotCount, 1),
				CapacityLimit: se.CapacityLimit}
			if m.RoomID == 0 {
				in.FirstSlotID = 0
			}
			pl, err := resolvePlacement(tx, eventID, in)
			if err == nil {
				err = checkSessionChange(tx, se, pl, se.CapacityLimit)
			}
			if err != nil {
				return fmt.Errorf("session %d: %w", m.SessionID, err)
			}
			places[i] = pl
		}
		was, err := placesOf(tx, ids)
		if err != nil {
			return err
		}
		if err := tx.Where("session_id IN ?", ids).Delete(&SessionSlot{}).Error; err != nil {
			return err
		}
		for i, m := range moves {
			se, pl := byID[m.SessionID], places[i]
			if err := tx.Model(&Session{}).Where("id = ?", se.ID).
				Updates(map[string]any{"venue_id": pl.venueID, "room_id": pl.roomID, "updated_at": s.now().UTC()}).Error; err != nil {
				return err
			}
			for _, slotID := range pl.slotIDs {
				err := tx.Create(&SessionSlot{SessionID: se.ID, SlotID: slotID, RoomID: *pl.roomID}).Error
				if isUniqueViolation(err) {
					return fmt.Errorf("session %d: %w", se.ID, invalid(Problems{"room": {Key: "form.room_taken"}}))
				}
				if err != nil {
					return err
				}
			}
		}
		if err := s.audit(ctx, tx, placementsAudit(eventID, revision, moves, was, places)); err != nil {
			return err
		}
		return s.promote(ctx, tx, s.now().UTC(), ids...)
	})
	s.placements.forget()
	if err != nil {
		return fmt.Errorf("apply %d placements: %w", len(moves), err)
	}
	return nil
}

// bookedSessions counts, per session, the bookings (seats and waiting places) of active
// registrations.
func bookedSessions(tx *gorm.DB, ids []uint) (map[uint]int, error) {
	var rows []struct {
		SessionID uint
		N         int
	}
	err := tx.Table("bookings").Select("bookings.session_id, COUNT(*) AS n").
		Joins("JOIN registrations ON registrations.id = bookings.registration_id").
		Where("bookings.session_id IN ? AND registrations.status = ?", ids, RegistrationActive).
		Group("bookings.session_id").Scan(&rows).Error
	out := map[uint]int{}
	for _, r := range rows {
		out[r.SessionID] = r.N
	}
	return out, err
}

// BookedSessions counts the bookings (seats and waiting places) per session of the event.
func (s *Store) BookedSessions(ctx context.Context, eventID uint) (map[uint]int, error) {
	var ids []uint
	if err := s.db.WithContext(ctx).Model(&Session{}).Where("event_id = ?", eventID).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return map[uint]int{}, nil
	}
	return bookedSessions(s.db.WithContext(ctx), ids)
}

// SetPinned pins a session to its place, so the automatic planner leaves it there, or
// unpins it.
// It returns ErrNotFound when there is no such session.
func (s *Store) SetPinned(ctx context.Context, sessionID uint, pinned bool) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var se Session
		if err := tx.Select("id", "event_id", "venue_id", "pinned").First(&se, sessionID).Error; err != nil {
			return notFound(err, "session", sessionID)
		}
		was := se.Pinned
		if err := tx.Model(&se).Update("pinned", pinned).Error; err != nil {
			return err
		}
		if err := s.audit(ctx, tx, AuditRecord{Action: ActionSessionPinned, SubjectKind: SubjectSession, SubjectID: se.ID,
			VenueID: derefVenue(se.VenueID), Details: map[string]any{"fields": []string{"pinned"},
				"old": map[string]any{"pinned": was}, "new": map[string]any{"pinned": pinned}}}); err != nil {
			return err
		}
		return bumpTimetable(tx, se.EventID, nil)
	})
	if err != nil {
		return fmt.Errorf("pin session %d: %w", sessionID, err)
	}
	return nil
}

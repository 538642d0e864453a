package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// ActionAllocationRun is the audit action of allocating a venue's seats by preference.
const ActionAllocationRun = "allocation.run"

// MailAllocated tells an attendee what the allocation by preference gave them: their seats
// and waiting-list places, with the ticket. Payload is the programme snapshot.
const MailAllocated = "allocated"

// AllocationData is what allocating one venue's seats needs, read in one go: the slots in
// time order, the placed sessions with their free seats, and the active registrations with
// their rankings.
type AllocationData struct {
	Event    Event
	Venue    Venue
	Slots    []uint
	Sessions []AllocationSession
	People   []AllocationPerson
}

// AllocationSession is a placed session of the venue.
type AllocationSession struct {
	ID    uint
	Title string
	// Slots are the slots it fills, in time order.
	Slots []uint
	// Seats is its capacity less the seats already taken (Held ones included).
	Seats int
}

// AllocationPerson is an active registration at the venue.
type AllocationPerson struct {
	RegistrationID uint
	Rankings       Rankings
	// Fixed are the venue's sessions the person speaks in (as speaker or co-speaker, by e-mail
	// address): they are seated there whatever they ranked.
	Fixed []uint
	// Held are the sessions the person already has a seat in (an organiser booked it before
	// the allocation): they keep it, and the allocation writes no second booking.
	Held []uint
}

// AllocationData reads what allocating a venue's seats needs. People and sessions are in id
// order, so the same database gives the same instance.
func (s *Store) AllocationData(ctx context.Context, venueID uint) (AllocationData, error) {
	var d AllocationData
	db := s.db.WithContext(ctx)
	if err := db.First(&d.Venue, venueID).Error; err != nil {
		return d, notFound(err, "venue", venueID)
	}
	if err := db.First(&d.Event, d.Venue.EventID).Error; err != nil {
		return d, notFound(err, "event", d.Venue.EventID)
	}
	var slots []Slot
	if err := db.Where("venue_id = ?", venueID).Order("starts_at, id").Find(&slots).Error; err != nil {
		return d, fmt.Errorf("allocation data of venue %d: %w", venueID, err)
	}
	order := map[uint]int{}
	for i, sl := range slots {
		d.Slots = append(d.Slots, sl.ID)
		order[sl.ID] = i
	}
	var sessions []Session
	err := db.Preload("Room").Preload("Slots").
		Where("id IN (?)", db.Model(&SessionSlot{}).Select("session_id").Where("slot_id IN ?", append(d.Slots, 0))).
		Order("id").Find(&sessions).Error
	if err != nil {
		return d, fmt.Errorf("allocation data of venue %d: %w", venueID, err)
	}
	for _, se := range sessions {
		as := AllocationSession{ID: se.ID, Title: se.Title, Seats: max(se.Capacity()-se.Confirmed, 0)}
		for _, sl := range se.Slots {
			as.Slots = append(as.Slots, sl.SlotID)
		}
		slices.SortFunc(as.Slots, func(a, b uint) int { return order[a] - order[b] })
		d.Sessions = append(d.Sessions, as)
	}
	var regs []Registration
	if err := db.Select("id", "email").Where("venue_id = ? AND status = ?", venueID, RegistrationActive).
		Order("id").Find(&regs).Error; err != nil {
		return d, fmt.Errorf("allocation data of venue %d: %w", venueID, err)
	}
	var prefs []Preference
	if err := db.Where("registration_id IN (?)", db.Model(&Registration{}).Select("id").
		Where("venue_id = ? AND status = ?", venueID, RegistrationActive)).Order("registration_id, slot_id, rank").
		Find(&prefs).Error; err != nil {
		return d, fmt.Errorf("allocation data of venue %d: %w", venueID, err)
	}
	fixed, err := speakerSessions(db, d.Sessions)
	if err != nil {
		return d, fmt.Errorf("allocation data of venue %d: %w", venueID, err)
	}
	var held []Booking
	if err := db.Select("registration_id", "session_id").Where("status = ? AND registration_id IN (?)", BookingConfirmed,
		db.Model(&Registration{}).Select("id").Where("venue_id = ? AND status = ?", venueID, RegistrationActive)).
		Order("registration_id, session_id").Find(&held).Error; err != nil {
		return d, fmt.Errorf("allocation data of venue %d: %w", venueID, err)
	}
	heldBy := map[uint][]uint{}
	for _, b := range held {
		heldBy[b.RegistrationID] = append(heldBy[b.RegistrationID], b.SessionID)
	}
	ranked := map[uint]Rankings{}
	for _, p := range prefs {
		if ranked[p.RegistrationID] == nil {
			ranked[p.RegistrationID] = Rankings{}
		}
		ranked[p.RegistrationID][p.SlotID] = append(ranked[p.RegistrationID][p.SlotID], p.SessionID)
	}
	for _, r := range regs {
		d.People = append(d.People, AllocationPerson{RegistrationID: r.ID, Rankings: ranked[r.ID],
			Fixed: fixed[NormalizeEmail(r.Email)], Held: heldBy[r.ID]})
	}
	return d, nil
}

// speakerSessions maps a speaker's normalised address to the given sessions they speak in.
// Co-speakers who confirmed are speakers of the session too (createSessionFromProposal).
func speakerSessions(db *gorm.DB, sessions []AllocationSession) (map[string][]uint, error) {
	out := map[string][]uint{}
	if len(sessions) == 0 {
		return out, nil
	}
	ids := make([]uint, len(sessions))
	for i, se := range sessions {
		ids[i] = se.ID
	}
	var rows []struct {
		SessionID uint
		Email     string
	}
	err := db.Table("session_speakers").Select("session_speakers.session_id, speakers.email").
		Joins("JOIN speakers ON speakers.id = session_speakers.speaker_id").
		Where("session_speakers.session_id IN ? AND speakers.email <> ''", ids).
		Order("session_speakers.session_id").Scan(&rows).Error
	for _, r := range rows {
		e := NormalizeEmail(r.Email)
		if !slices.Contains(out[e], r.SessionID) {
			out[e] = append(out[e], r.SessionID)
		}
	}
	return out, err
}

// AllocationOutcome is an allocation to write: the published seed, each registration's seats,
// each session's waiting list in order, the tally and the report.
type AllocationOutcome struct {
	Seed string
	// Seats maps a registration id to the sessions it gets a seat in.
	Seats map[uint][]uint
	// Waitlists maps a session id to the registrations waiting for it, next first.
	Waitlists                    map[uint][]uint
	People, First, Second, Third int
	None                         int
	Cost                         int64
	Report                       AllocationReport
}

// ApplyAllocation writes a venue's allocation in one transaction: the Allocation row first
// (its unique index makes a second or concurrent run fail with ErrAlreadyAllocated, writing
// nothing), the seats through the seat counter, the waiting lists in the given order, one
// MailAllocated e-mail to every active registration at the venue, and the audit entry.
// A booking a person already has (seat or waiting place) is kept as it is. A seat the counter refuses (the session filled meanwhile) fails the whole allocation.
func (s *Store) ApplyAllocation(ctx context.Context, venueID uint, out AllocationOutcome) (Allocation, error) {
	report, err := json.Marshal(out.Report)
	if err != nil {
		return Allocation{}, fmt.Errorf("allocate venue %d: %w", venueID, err)
	}
	var a Allocation
	err = s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		now := s.now().UTC()
		var v Venue
		if err := tx.Select("id", "event_id").First(&v, venueID).Error; err != nil {
			return notFound(err, "venue", venueID)
		}
		a = Allocation{EventID: v.EventID, VenueID: venueID, Seed: out.Seed, RanAt: now, People: out.People,
			First: out.First, Second: out.Second, Third: out.Third, None: out.None, Cost: out.Cost, Report: string(report)}
		if err := tx.Omit("Venue").Create(&a).Error; err != nil {
			if isUniqueViolation(err) || isUniqueErr(err) {
				return ErrAlreadyAllocated
			}
			return err
		}
		// What people already hold (an organiser's booking) stays as it is.
		var before []Booking
		if err := tx.Select("registration_id", "session_id").Where("registration_id IN (?)",
			tx.Model(&Registration{}).Select("id").Where("venue_id = ?", venueID)).Find(&before).Error; err != nil {
			return err
		}
		seated := map[[2]uint]bool{}
		for _, b := range before {
			seated[[2]uint{b.RegistrationID, b.SessionID}] = true
		}
		for _, regID := range sortedKeys(out.Seats) {
			for _, sessionID := range out.Seats[regID] {
				if seated[[2]uint{regID, sessionID}] {
					continue
				}
				got, err := s.takeSeat(ctx, tx, sessionID)
				if err != nil {
					return err
				}
				if !got {
					return fmt.Errorf("seat registration %d in session %d: %w", regID, sessionID, ErrSessionFull)
				}
				if err := tx.Create(&Booking{RegistrationID: regID, SessionID: sessionID, Status: BookingConfirmed,
					CreatedAt: now}).Error; err != nil {
					return err
				}
				seated[[2]uint{regID, sessionID}] = true
			}
		}
		for _, sessionID := range sortedKeys(out.Waitlists) {
			for _, regID := range out.Waitlists[sessionID] {
				if seated[[2]uint{regID, sessionID}] {
					continue
				}
				if err := tx.Create(&Booking{RegistrationID: regID, SessionID: sessionID, Status: BookingWaitlisted,
					CreatedAt: now}).Error; err != nil {
					return err
				}
			}
		}
		if err := s.queueAllocationMails(ctx, tx, venueID, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionAllocationRun, SubjectKind: SubjectVenue, SubjectID: venueID,
			VenueID: venueID, Details: map[string]any{"seed": out.Seed, "people": out.People, "first": out.First,
				"second": out.Second, "third": out.Third, "none": out.None, "cost": out.Cost}})
	})
	if err != nil {
		return Allocation{}, fmt.Errorf("allocate venue %d: %w", venueID, err)
	}
	return a, nil
}

// queueAllocationMails queues the allocation's result e-mail to every active registration at
// the venue, with its programme as the allocation left it; a registration that got seats has
// a new ticket, so its version rises.
func (s *Store) queueAllocationMails(ctx context.Context, tx *gorm.DB, venueID uint, now time.Time) error {
	var regs []Registration
	if err := tx.Select("id", "email", "lang").Where("venue_id = ? AND status = ?", venueID, RegistrationActive).
		Order("id").Find(&regs).Error; err != nil {
		return err
	}
	for _, r := range regs {
		snap, err := s.snapshotProgramme(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if len(snap.Seats) > 0 {
			if err := tx.Model(&Registration{}).Where("id = ?", r.ID).
				Update("ticket_version", gorm.Expr("ticket_version + 1")).Error; err != nil {
				return err
			}
		}
		if r.Email == "" {
			continue
		}
		if err := enqueue(tx, now, MailAllocated, r, snap.String()); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[uint][]uint) []uint {
	keys := make([]uint, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Allocation returns a venue's allocation, ErrNotFound before it ran.
func (s *Store) Allocation(ctx context.Context, venueID uint) (Allocation, error) {
	var a Allocation
	if err := s.db.WithContext(ctx).Where("venue_id = ?", venueID).First(&a).Error; err != nil {
		return Allocation{}, notFound(err, "allocation of venue", venueID)
	}
	return a, nil
}

// Allocations returns the event's allocations, one per venue that has one, by venue id.
func (s *Store) Allocations(ctx context.Context, eventID uint) ([]Allocation, error) {
	var as []Allocation
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("venue_id").Find(&as).Error; err != nil {
		return nil, fmt.Errorf("allocations of event %d: %w", eventID, err)
	}
	return as, nil
}

package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Formats lists the kinds of session, in the order forms offer them.
var Formats = []string{"workshop", "presentation", "lecture", "training", "discussion", "other"}

// Session is one workshop, presentation, lecture or training. A placed session has a venue,
// a room and one or more consecutive slots there; an unplaced one has none of these yet.
type Session struct {
	ID       uint
	EventID  uint   `gorm:"not null;index"`
	VenueID  *uint  `gorm:"index"`
	RoomID   *uint  `gorm:"index"`
	Title    string `gorm:"size:200;not null"`
	Format   string `gorm:"size:20;not null"`
	Abstract string `gorm:"size:4000;not null;default:''"`
	Track    string `gorm:"size:100;not null;default:''"`
	// TitleEn and AbstractEn are the English versions, empty when there is none (see
	// content_lang.go).
	TitleEn    string `gorm:"size:200;not null;default:''"`
	AbstractEn string `gorm:"size:4000;not null;default:''"`
	// CapacityLimit, when above zero, caps the session below its room's capacity
	// (a hands-on workshop in a big hall); zero means "as many as the room holds".
	CapacityLimit int `gorm:"not null;default:0"`
	// SlotCount is the session's length in consecutive slots (1 or 2): what a placed session
	// fills, and what the planner must find for an unplaced one.
	SlotCount int `gorm:"not null;default:1"`
	// ProposalID is the call for proposals' proposal the session came from, if any; one
	// session per proposal. Its venue wishes and speakers' availability are SessionVenue
	// and SessionAvailability.
	ProposalID *uint `gorm:"uniqueIndex"`
	// Pinned keeps the session where an organiser put it: the automatic planner never moves it.
	Pinned bool `gorm:"not null;default:false"`
	// Confirmed counts confirmed bookings; only conditional updates change it.
	Confirmed int `gorm:"not null;default:0"`
	// Waiting counts waitlisted bookings. Triggers in the database keep it (see
	// migrateWaitingCounter); the code only reads it.
	Waiting   int `gorm:"->;not null;default:0"`
	CreatedAt time.Time
	UpdatedAt time.Time
	Venue     *Venue        `gorm:"constraint:OnDelete:SET NULL"`
	Room      *Room         `gorm:"constraint:OnDelete:SET NULL"`
	Slots     []SessionSlot `gorm:"constraint:OnDelete:CASCADE"`
	Speakers  []Speaker     `gorm:"many2many:session_speakers;constraint:OnDelete:CASCADE"`
}

// SessionSlot places a session in one slot of one room. The unique index on room and slot
// makes the database itself refuse two sessions in one room at one time.
type SessionSlot struct {
	SessionID uint `gorm:"primaryKey"`
	SlotID    uint `gorm:"primaryKey;uniqueIndex:idx_session_slots_room_slot"`
	RoomID    uint `gorm:"not null;uniqueIndex:idx_session_slots_room_slot"`
	Slot      Slot `gorm:"constraint:OnDelete:CASCADE"`
	Room      Room `gorm:"constraint:OnDelete:CASCADE"`
}

// Speaker is a person who gives a session.
type Speaker struct {
	ID           uint
	EventID      uint   `gorm:"not null;index"`
	Name         string `gorm:"size:200;not null"`
	Organisation string `gorm:"size:200;not null;default:''"`
	Email        string `gorm:"size:254;not null;default:''"`
	Bio          string `gorm:"size:2000;not null;default:''"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Lang is the language the speaker is written to: their proposal's (the site's language
	// when they sent it) or, for a co-speaker, the site's language when they confirmed. Empty,
	// for a speaker the organisers typed in, means Dutch.
	Lang string `gorm:"size:5;not null;default:''"`
}

// Capacity is how many people may attend: the room's capacity, or the lower limit an
// organiser set. An unplaced session without a limit has capacity 0.
func (s Session) Capacity() int {
	room := 0
	if s.Room != nil {
		room = s.Room.Capacity
	}
	if s.CapacityLimit > 0 && (room == 0 || s.CapacityLimit < room) {
		return s.CapacityLimit
	}
	return room
}

// SeatsLeft is how many more people can get a seat.
func (s Session) SeatsLeft() int { return max(s.Capacity()-s.Confirmed, 0) }

// Placed reports whether the session has a room and slots.
func (s Session) Placed() bool { return s.RoomID != nil && len(s.Slots) > 0 }

// SlotIDs lists the ids of the slots the session fills, earliest first.
func (s Session) SlotIDs() []uint {
	ids := make([]uint, len(s.Slots))
	for i, ss := range s.Slots {
		ids[i] = ss.SlotID
	}
	return ids
}

// StartsAt and EndsAt give the session's time span; zero when unplaced.
func (s Session) StartsAt() time.Time {
	if len(s.Slots) == 0 {
		return time.Time{}
	}
	return s.Slots[0].Slot.StartsAt
}

// EndsAt is the end of the session's last slot; zero when unplaced.
func (s Session) EndsAt() time.Time {
	if len(s.Slots) == 0 {
		return time.Time{}
	}
	return s.Slots[len(s.Slots)-1].Slot.EndsAt
}

// SpeakerInput names one speaker of a session.
type SpeakerInput struct {
	Name         string
	Organisation string
}

// SessionInput is what an organiser may set on a session. RoomID and FirstSlotID zero means
// unplaced; SlotCount is how many consecutive slots the session fills (1 or 2).
type SessionInput struct {
	Title         string
	Format        string
	Abstract      string
	Track         string
	VenueID       uint
	RoomID        uint
	FirstSlotID   uint
	SlotCount     int
	CapacityLimit int
	Speakers      []SpeakerInput
	// TitleEn and AbstractEn are the optional English versions.
	TitleEn    string
	AbstractEn string
}

// Validate reports what is wrong with the input on its own; placement is checked by the store.
func (in SessionInput) Validate() Problems {
	p := Problems{}
	p.checkLine("title", in.Title, true, 200)
	p.checkName("title", in.Title)
	if !slices.Contains(Formats, in.Format) {
		p.Add("format", "form.invalid_choice")
	}
	p.checkText("abstract", in.Abstract, false, 4000)
	p.checkLine("title_en", in.TitleEn, false, 200)
	p.checkName("title_en", in.TitleEn)
	p.checkText("abstract_en", in.AbstractEn, false, 4000)
	p.checkLine("track", in.Track, false, 100)
	p.checkName("track", in.Track)
	if in.SlotCount < 1 || in.SlotCount > 2 {
		p.Add("slot_count", "form.invalid_slot_count")
	}
	if in.CapacityLimit < 0 {
		p.Add("capacity", "form.not_positive")
	} else if in.CapacityLimit > MaxCapacity {
		p.Add("capacity", "form.too_large", "Max", MaxCapacity)
	}
	if (in.RoomID == 0) != (in.FirstSlotID == 0) {
		p.Add("room", "form.room_and_slot")
	}
	if in.VenueID == 0 && in.RoomID != 0 {
		p.Add("venue", "form.venue_for_room")
	}
	if len(in.Speakers) > 10 {
		p.Add("speakers", "form.too_many", "Max", 10)
	}
	for _, sp := range in.Speakers {
		sub := Problems{}
		sub.checkLine("name", sp.Name, true, 200)
		sub.checkName("name", sp.Name)
		sub.checkLine("organisation", sp.Organisation, false, 200)
		sub.checkName("organisation", sp.Organisation)
		for _, f := range sub.Fields() {
			p.Add("speakers", sub[f].Key, sub[f].Args...)
		}
	}
	return p
}

func (s *Store) sessionQuery(ctx context.Context) *gorm.DB {
	return withSessionDetails(s.db.WithContext(ctx))
}

// withSessionDetails loads a session's venue, room, slots (by time) and speakers with it.
func withSessionDetails(db *gorm.DB) *gorm.DB {
	return db.
		Preload("Venue").Preload("Room").Preload("Speakers", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Slots", func(db *gorm.DB) *gorm.DB {
			return db.Joins("Slot").Order(clause.OrderByColumn{Column: clause.Column{Table: "Slot", Name: "starts_at"}})
		})
}

// Session returns one session with its venue, room, slots and speakers.
// It returns ErrNotFound when there is no such session.
func (s *Store) Session(ctx context.Context, id uint) (Session, error) {
	var se Session
	if err := s.sessionQuery(ctx).First(&se, id).Error; err != nil {
		return Session{}, notFound(err, "session", id)
	}
	return se, nil
}

// SessionsOfVenue returns the sessions placed at a venue, sorted by start time and room.
func (s *Store) SessionsOfVenue(ctx context.Context, venueID uint) ([]Session, error) {
	var ss []Session
	if err := s.sessionQuery(ctx).Where("venue_id = ?", venueID).Order("id").Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("sessions of venue %d: %w", venueID, err)
	}
	sortByTime(ss)
	return ss, nil
}

// SessionsOfEvent returns all the event's sessions, placed or not.
func (s *Store) SessionsOfEvent(ctx context.Context, eventID uint) ([]Session, error) {
	var ss []Session
	if err := s.sessionQuery(ctx).Where("event_id = ?", eventID).Order("id").Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("sessions of event %d: %w", eventID, err)
	}
	sortByTime(ss)
	return ss, nil
}

func sortByTime(ss []Session) {
	slices.SortStableFunc(ss, func(a, b Session) int {
		if c := a.StartsAt().Compare(b.StartsAt()); c != 0 {
			return c
		}
		return strings.Compare(roomName(a), roomName(b))
	})
}

func roomName(s Session) string {
	if s.Room == nil {
		return ""
	}
	return s.Room.Name
}

// CreateSession stores a new session and places it when a room and slot are given.
// It returns a *ValidationError when the input is not valid.
func (s *Store) CreateSession(ctx context.Context, eventID uint, in SessionInput) (Session, error) {
	if err := invalid(in.Validate()); err != nil {
		return Session{}, err
	}
	var se Session
	err := s.write(ctx, func(tx *gorm.DB) error {
		se = Session{EventID: eventID} // a batch may run this again: start afresh
		if err := saveSession(tx, &se, in); err != nil {
			return err
		}
		details, err := sessionChanges(tx, Session{}, sessionShape{}, se)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionSessionCreated, SubjectKind: SubjectSession, SubjectID: se.ID,
			VenueID: derefVenue(se.VenueID), Details: details})
	})
	if err != nil {
		return Session{}, fmt.Errorf("create session %q: %w", in.Title, err)
	}
	return s.Session(ctx, se.ID)
}

// UpdateSession changes a session, its speakers and its placement in one transaction. A session
// people have booked keeps its venue and time, and its room and limit seat everyone who holds
// a seat (see checkSessionChange).
// It returns ErrNotFound when there is no such session, and a *ValidationError when the input is
// not valid.
func (s *Store) UpdateSession(ctx context.Context, id uint, in SessionInput) (Session, error) {
	if err := invalid(in.Validate()); err != nil {
		return Session{}, err
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		ctx := tx.Statement.Context
		var se Session
		if err := s.forUpdate(tx).First(&se, id).Error; err != nil {
			return notFound(err, "session", id)
		}
		old := se
		oldShape, err := shapeOfSession(tx, se.ID)
		if err != nil {
			return err
		}
		if err := saveSession(tx, &se, in); err != nil {
			return err
		}
		details, err := sessionChanges(tx, old, oldShape, se)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, tx, AuditRecord{Action: ActionSessionUpdated, SubjectKind: SubjectSession, SubjectID: se.ID,
			VenueID: derefVenue(se.VenueID), Details: details}); err != nil {
			return err
		}
		// A higher limit or a bigger room may free seats for the waiting list.
		return s.promote(ctx, tx, s.now().UTC(), se.ID)
	})
	s.placements.forget() // the session may have moved
	if err != nil {
		return Session{}, fmt.Errorf("update session %d: %w", id, err)
	}
	return s.Session(ctx, id)
}

func saveSession(tx *gorm.DB, se *Session, in SessionInput) error {
	placement, err := resolvePlacement(tx, se.EventID, in)
	if err != nil {
		return err
	}
	if se.ID != 0 {
		if err := checkSessionChange(tx, *se, placement, in.CapacityLimit); err != nil {
			return err
		}
	}
	if err := bumpTimetable(tx, se.EventID, nil); err != nil {
		return err
	}
	se.Title = strings.TrimSpace(in.Title)
	se.Format = in.Format
	se.Abstract = strings.TrimSpace(in.Abstract)
	se.TitleEn = strings.TrimSpace(in.TitleEn)
	se.AbstractEn = strings.TrimSpace(in.AbstractEn)
	se.Track = strings.TrimSpace(in.Track)
	se.CapacityLimit = in.CapacityLimit
	se.SlotCount = in.SlotCount
	se.VenueID, se.RoomID = placement.venueID, placement.roomID
	if se.ID == 0 {
		if err := tx.Omit("Venue", "Room", "Slots", "Speakers").Create(se).Error; err != nil {
			return err
		}
	} else if err := tx.Model(se).Select("title", "format", "abstract", "track", "title_en", "abstract_en", "capacity_limit", "slot_count", "venue_id", "room_id").
		Updates(map[string]any{"title": se.Title, "format": se.Format, "abstract": se.Abstract, "track": se.Track,
			"title_en": se.TitleEn, "abstract_en": se.AbstractEn,
			"capacity_limit": se.CapacityLimit, "slot_count": se.SlotCount, "venue_id": se.VenueID, "room_id": se.RoomID}).Error; err != nil {
		return err
	}
	if err := tx.Where("session_id = ?", se.ID).Delete(&SessionSlot{}).Error; err != nil {
		return err
	}
	for _, slotID := range placement.slotIDs {
		err := tx.Create(&SessionSlot{SessionID: se.ID, SlotID: slotID, RoomID: *se.RoomID}).Error
		if isUniqueViolation(err) {
			return invalid(Problems{"room": {Key: "form.room_taken"}})
		}
		if err != nil {
			return err
		}
	}
	return replaceSpeakers(tx, se, in.Speakers)
}

type placement struct {
	venueID, roomID *uint
	slotIDs         []uint
}

// resolvePlacement checks that the room and slots belong to the chosen venue, that enough
// consecutive slots follow the first one, and that the session fits the room.
func resolvePlacement(tx *gorm.DB, eventID uint, in SessionInput) (placement, error) {
	var pl placement
	if in.VenueID == 0 {
		return pl, nil
	}
	var venue Venue
	if err := tx.Preload("Slots", func(db *gorm.DB) *gorm.DB { return db.Order("starts_at") }).
		Where("event_id = ?", eventID).First(&venue, in.VenueID).Error; err != nil {
		return pl, invalid(Problems{"venue": {Key: "form.invalid_choice"}})
	}
	pl.venueID = &venue.ID
	if in.RoomID == 0 {
		return pl, nil
	}
	var room Room
	if err := tx.Where("venue_id = ?", venue.ID).First(&room, in.RoomID).Error; err != nil {
		return pl, invalid(Problems{"room": {Key: "form.room_not_at_venue"}})
	}
	if in.CapacityLimit > room.Capacity {
		return pl, invalid(Problems{"capacity": {Key: "form.capacity_above_room", Args: []any{"Max", room.Capacity}}})
	}
	first := slices.IndexFunc(venue.Slots, func(sl Slot) bool { return sl.ID == in.FirstSlotID })
	if first < 0 {
		return pl, invalid(Problems{"slot": {Key: "form.slot_not_at_venue"}})
	}
	if first+in.SlotCount > len(venue.Slots) {
		return pl, invalid(Problems{"slot_count": {Key: "form.not_enough_slots"}})
	}
	pl.roomID = &room.ID
	for _, sl := range venue.Slots[first : first+in.SlotCount] {
		pl.slotIDs = append(pl.slotIDs, sl.ID)
	}
	return pl, nil
}

// replaceSpeakers links the session to its speakers, reusing a speaker of the same event with
// the same name and organisation so that one person keeps one record across sessions.
func replaceSpeakers(tx *gorm.DB, se *Session, inputs []SpeakerInput) error {
	speakers := make([]Speaker, 0, len(inputs))
	for _, in := range inputs {
		sp := Speaker{EventID: se.EventID, Name: strings.TrimSpace(in.Name), Organisation: strings.TrimSpace(in.Organisation)}
		// Conditions spelled out: a struct condition would skip an empty organisation and
		// match anyone of that name.
		err := tx.Where("event_id = ? AND name = ? AND organisation = ?", sp.EventID, sp.Name, sp.Organisation).
			Order("id").FirstOrCreate(&sp).Error
		if err != nil {
			return err
		}
		speakers = append(speakers, sp)
	}
	return tx.Model(se).Association("Speakers").Replace(speakers)
}

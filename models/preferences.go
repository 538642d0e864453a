package models

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Signup modes (issue #19): first come, first served books seats at once; in preference mode
// attendees rank sessions per slot during a window and the seats are allocated when it closes.
const (
	SignupFCFS        = "fcfs"
	SignupPreferences = "preferences"
)

// DefaultPreferenceRanks is how many sessions a person may rank per slot unless the organisers
// say otherwise; MaxPreferenceRanks is the most they may allow.
const (
	DefaultPreferenceRanks = 3
	MaxPreferenceRanks     = 6
)

var (
	// ErrPreferencesClosed: the preference window is not open (before it, or after it closed).
	ErrPreferencesClosed = fmt.Errorf("preferences closed: %w", ErrConflict)
	// ErrAlreadyAllocated: the venue's seats were allocated before; an allocation runs once.
	ErrAlreadyAllocated = fmt.Errorf("already allocated: %w", ErrConflict)
	// ErrNotPreferenceMode: the event signs people up first come, first served.
	ErrNotPreferenceMode = errors.New("event is not in preference mode")
)

// Preference is one session a registration ranked in one slot: Rank 1 is the first choice.
// A two-slot session is ranked in its first slot. A slot without rows means "none there".
type Preference struct {
	ID             uint
	RegistrationID uint         `gorm:"not null;uniqueIndex:idx_preferences_slot_rank;uniqueIndex:idx_preferences_session"`
	Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
	SlotID         uint         `gorm:"not null;uniqueIndex:idx_preferences_slot_rank"`
	Slot           Slot         `gorm:"constraint:OnDelete:CASCADE"`
	Rank           int          `gorm:"not null;uniqueIndex:idx_preferences_slot_rank"`
	SessionID      uint         `gorm:"not null;uniqueIndex:idx_preferences_session;index"`
	Session        Session      `gorm:"constraint:OnDelete:CASCADE"`
}

// Rankings are a person's preferences: slot id → session ids, best first.
type Rankings map[uint][]uint

// PreferenceMode reports whether the event signs people up by preference.
func (e Event) PreferenceMode() bool { return e.SignupMode == SignupPreferences }

// PreferencesOpen reports whether attendees may rank (and change their ranking) at t.
func (e Event) PreferencesOpen(t time.Time) bool {
	if !e.PreferenceMode() || e.PreferencesOpenAt == nil || e.PreferencesCloseAt == nil {
		return false
	}
	return !t.Before(*e.PreferencesOpenAt) && t.Before(*e.PreferencesCloseAt)
}

// Ranks is how many sessions a person may rank per slot.
func (e Event) Ranks() int {
	if e.PreferenceRanks < 1 {
		return DefaultPreferenceRanks
	}
	return min(e.PreferenceRanks, MaxPreferenceRanks)
}

// MaxRankedSlots is the most slots one ranking may name: more than any venue's day holds.
const MaxRankedSlots = 50

// Preferences returns a registration's rankings: every slot it ranked sessions in, best
// first. A slot ranked "none" is not in the map. An unknown registration is ErrNotFound.
func (s *Store) Preferences(ctx context.Context, regID uint) (Rankings, error) {
	if err := s.db.WithContext(ctx).Select("id").First(&Registration{}, regID).Error; err != nil {
		return nil, notFound(err, "preferences of registration", regID)
	}
	r, err := preferencesOf(s.db.WithContext(ctx), regID)
	if err != nil {
		return nil, fmt.Errorf("preferences of registration %d: %w", regID, err)
	}
	return r, nil
}

func preferencesOf(db *gorm.DB, regID uint) (Rankings, error) {
	var rows []Preference
	if err := db.Where("registration_id = ?", regID).Order("slot_id, rank").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := Rankings{}
	for _, p := range rows {
		out[p.SlotID] = append(out[p.SlotID], p.SessionID)
	}
	return out, nil
}

// ChangePreferences replaces a registration's rankings while the window is open
// (ErrPreferencesClosed otherwise); bad rankings come back as *ValidationError. It returns
// ErrNotFound for an unknown registration, ErrConflict for a cancelled one and
// ErrNotPreferenceMode when the event signs people up first come, first served.
func (s *Store) ChangePreferences(ctx context.Context, regID uint, r Rankings) (Registration, error) {
	err := s.writeFor(ctx, 0, func(tx *gorm.DB) error {
		var reg Registration
		if err := tx.First(&reg, regID).Error; err != nil {
			return notFound(err, "registration", regID)
		}
		if reg.Status != RegistrationActive {
			return fmt.Errorf("registration %d is cancelled: %w", regID, ErrConflict)
		}
		var event Event
		if err := tx.First(&event, reg.EventID).Error; err != nil {
			return err
		}
		if !event.PreferenceMode() {
			return ErrNotPreferenceMode
		}
		if !event.PreferencesOpen(s.now()) {
			return ErrPreferencesClosed
		}
		offer, err := preferenceOfferOf(tx, reg.VenueID)
		if err != nil {
			return err
		}
		if err := invalid(offer.Check(r, event.Ranks())); err != nil {
			return err
		}
		return replacePreferences(tx, regID, r)
	})
	if err != nil {
		return Registration{}, fmt.Errorf("change preferences of registration %d: %w", regID, err)
	}
	return s.Registration(ctx, regID)
}

// replacePreferences writes a registration's rankings in place of what it had.
func replacePreferences(tx *gorm.DB, regID uint, r Rankings) error {
	if err := tx.Where("registration_id = ?", regID).Delete(&Preference{}).Error; err != nil {
		return err
	}
	var rows []Preference
	for _, slot := range slices.Sorted(maps.Keys(r)) {
		for i, id := range r[slot] {
			rows = append(rows, Preference{RegistrationID: regID, SlotID: slot, Rank: i + 1, SessionID: id})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// PreferenceOffer is what a venue offers to rank: its slots, and for every session placed
// there the slot it starts in (where a two-slot session is ranked).
type PreferenceOffer struct {
	Slots map[uint]bool
	First map[uint]uint // session id → its first slot
}

// PreferenceOffer returns what a venue offers to rank.
func (s *Store) PreferenceOffer(ctx context.Context, venueID uint) (PreferenceOffer, error) {
	o, err := preferenceOfferOf(s.db.WithContext(ctx), venueID)
	if err != nil {
		return PreferenceOffer{}, fmt.Errorf("preference offer of venue %d: %w", venueID, err)
	}
	return o, nil
}

func preferenceOfferOf(db *gorm.DB, venueID uint) (PreferenceOffer, error) {
	o := PreferenceOffer{Slots: map[uint]bool{}, First: map[uint]uint{}}
	var slots []uint
	if err := db.Model(&Slot{}).Where("venue_id = ?", venueID).Pluck("id", &slots).Error; err != nil {
		return o, err
	}
	for _, id := range slots {
		o.Slots[id] = true
	}
	var rows []struct{ SessionID, SlotID uint }
	err := db.Table("session_slots").Select("session_slots.session_id, session_slots.slot_id").
		Joins("JOIN sessions ON sessions.id = session_slots.session_id").
		Joins("JOIN slots ON slots.id = session_slots.slot_id").
		Where("sessions.venue_id = ? AND slots.venue_id = ?", venueID, venueID).
		Order("slots.starts_at, slots.id").Scan(&rows).Error
	if err != nil {
		return o, err
	}
	for _, r := range rows {
		if _, seen := o.First[r.SessionID]; !seen {
			o.First[r.SessionID] = r.SlotID
		}
	}
	return o, nil
}

// Check reports what is wrong with a ranking at this venue, allowing ranks sessions per
// slot: every slot is the venue's, every session is placed there and ranked in the slot it
// starts in, and no session is ranked twice. An empty list for a slot means "none".
// Problems name the field "preferences" or "preferences.<slot id>".
func (o PreferenceOffer) Check(r Rankings, ranks int) Problems {
	p := Problems{}
	if len(r) > MaxRankedSlots {
		p.Add("preferences", "form.too_many", "Max", MaxRankedSlots)
		return p
	}
	seen := map[uint]bool{}
	for _, slot := range slices.Sorted(maps.Keys(r)) {
		field := fmt.Sprintf("preferences.%d", slot)
		ids := r[slot]
		if !o.Slots[slot] {
			p.Add(field, "preference.unknown_slot", "ID", slot)
			continue
		}
		if len(ids) > ranks {
			p.Add(field, "preference.too_many", "Max", ranks)
		}
		for _, id := range ids {
			first, placed := o.First[id]
			switch {
			case !placed:
				p.Add(field, "form.session_not_at_venue", "ID", id)
			case seen[id]:
				p.Add(field, "preference.twice", "ID", id)
			case first != slot:
				p.Add(field, "preference.wrong_slot", "ID", id)
			}
			seen[id] = true
		}
	}
	return p
}

// exportPreferences is a registration's ranking for its export, slot by slot in the order
// of the day, best first.
func exportPreferences(db *gorm.DB, regID uint) ([]ExportPreference, error) {
	var rows []struct {
		SlotID, SessionID uint
		Rank              int
		Title             string
		StartsAt          time.Time
	}
	err := db.Table("preferences").Select("preferences.slot_id, preferences.session_id, preferences.rank, sessions.title, slots.starts_at").
		Joins("JOIN sessions ON sessions.id = preferences.session_id").
		Joins("JOIN slots ON slots.id = preferences.slot_id").
		Where("preferences.registration_id = ?", regID).
		Order("slots.starts_at, preferences.slot_id, preferences.rank").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var out []ExportPreference
	for _, r := range rows {
		at := r.StartsAt.UTC()
		out = append(out, ExportPreference{SlotID: r.SlotID, Rank: r.Rank, SessionID: r.SessionID, Title: r.Title, StartsAt: &at})
	}
	return out, nil
}

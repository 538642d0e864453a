package models

import (
	"context"
	"errors"
	"fmt"
	"time"
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

// Preferences returns a registration's rankings. STUB: helper B writes it.
func (s *Store) Preferences(ctx context.Context, regID uint) (Rankings, error) {
	return nil, ErrNotPreferenceMode
}

// ChangePreferences replaces a registration's rankings while the window is open
// (ErrPreferencesClosed otherwise); bad rankings come back as *ValidationError. STUB: helper B.
func (s *Store) ChangePreferences(ctx context.Context, regID uint, r Rankings) (Registration, error) {
	return Registration{}, ErrNotPreferenceMode
}

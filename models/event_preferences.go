package models

import (
	"strings"
	"time"
)

// The event's preference-signup settings (issue #19) live on Event (see event.go and
// preferences.go); this file checks and applies them:
//
//	SignupMode          "fcfs" (first come, first served) or "preferences"
//	PreferencesOpenAt   the window in which attendees rank sessions: from here…
//	PreferencesCloseAt  …until here (exclusive)
//	AllocationAt        when the seats are allocated: at or after the window closes
//	AllocationSeed      the published value the tie-breaking seed is derived from
//	PreferenceRanks     how many sessions a person may rank per slot (1–MaxPreferenceRanks)
//
// Once the window has closed, the mode and the seed value stay as they are: people ranked
// under them, and anyone re-running the allocation must get the same result.

// maxAllocationSeed is the longest seed value organisers may publish.
const maxAllocationSeed = 200

// preferenceColumns are the event's columns that applyPreferences sets.
var preferenceColumns = []string{"signup_mode", "preferences_open_at", "preferences_close_at", "allocation_at",
	"allocation_seed", "preference_ranks"}

// validatePreferences checks the signup mode and, in preference mode, its window, seed and ranks.
func (in EventInput) validatePreferences(p Problems, loc *time.Location) {
	mode := strings.TrimSpace(in.SignupMode)
	if mode != "" && mode != SignupFCFS && mode != SignupPreferences {
		p.Add("signup_mode", "form.invalid_choice")
	}
	opens, okOpens := parseLocal(in.PreferencesOpenAt, loc)
	closes, okCloses := parseLocal(in.PreferencesCloseAt, loc)
	allocation, okAllocation := parseLocal(in.AllocationAt, loc)
	for field, ok := range map[string]bool{"preferences_open_at": okOpens, "preferences_close_at": okCloses, "allocation_at": okAllocation} {
		if !ok {
			p.Add(field, "form.invalid_datetime")
		}
	}
	p.checkLine("allocation_seed", in.AllocationSeed, false, maxAllocationSeed)
	if in.PreferenceRanks != 0 && (in.PreferenceRanks < 1 || in.PreferenceRanks > MaxPreferenceRanks) {
		p.Add("preference_ranks", "form.between", "Min", 1, "Max", MaxPreferenceRanks)
	}
	if mode != SignupPreferences {
		return
	}
	required := map[string]bool{"preferences_open_at": opens == nil && okOpens, "preferences_close_at": closes == nil && okCloses,
		"allocation_at": allocation == nil && okAllocation, "allocation_seed": strings.TrimSpace(in.AllocationSeed) == ""}
	for field, missing := range required {
		if missing {
			p.Add(field, "preference.setting_required")
		}
	}
	if opens != nil && closes != nil && !closes.After(*opens) {
		p.Add("preferences_close_at", "form.closes_before_opens")
	}
	if closes != nil && allocation != nil && allocation.Before(*closes) {
		p.Add("allocation_at", "preference.allocation_before_close")
	}
}

// applyPreferences sets the event's preference-signup settings from the input.
func (in EventInput) applyPreferences(e *Event, loc *time.Location) {
	e.SignupMode = strings.TrimSpace(in.SignupMode)
	if e.SignupMode == "" {
		e.SignupMode = SignupFCFS
	}
	e.PreferencesOpenAt, _ = parseLocal(in.PreferencesOpenAt, loc)
	e.PreferencesCloseAt, _ = parseLocal(in.PreferencesCloseAt, loc)
	e.AllocationAt, _ = parseLocal(in.AllocationAt, loc)
	e.AllocationSeed = strings.TrimSpace(in.AllocationSeed)
	e.PreferenceRanks = in.PreferenceRanks
	if e.PreferenceRanks == 0 {
		e.PreferenceRanks = DefaultPreferenceRanks
	}
}

// PreferencesClosed reports whether the event's preference window has closed by t: from
// then on its mode and seed value are fixed.
func (e Event) PreferencesClosed(t time.Time) bool {
	return e.PreferenceMode() && e.PreferencesCloseAt != nil && !t.Before(*e.PreferencesCloseAt)
}

// preferenceLockProblems reports changes that are no longer allowed at now because the old
// event's preference window has closed: its mode and its seed value.
func preferenceLockProblems(old, updated Event, now time.Time) Problems {
	p := Problems{}
	if !old.PreferencesClosed(now) {
		return p
	}
	if updated.SignupMode != old.SignupMode {
		p.Add("signup_mode", "preference.mode_locked")
	}
	if updated.AllocationSeed != old.AllocationSeed {
		p.Add("allocation_seed", "preference.seed_locked")
	}
	return p
}

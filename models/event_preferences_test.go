package models_test

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// preferenceInput is a valid event in preference mode (Europe/Amsterdam: 09:00 local is
// 08:00 UTC), changed by edit.
func preferenceInput(edit func(*models.EventInput)) models.EventInput {
	in := models.EventInput{Name: "Dag van de Ambtenaar 2.0", Date: "2027-02-03", SignupMode: models.SignupPreferences,
		PreferencesOpenAt: "2027-01-10T10:00", PreferencesCloseAt: "2027-01-25T00:00", AllocationAt: "2027-01-25T10:00",
		AllocationSeed: "Staatsloterij 10 januari 2027", PreferenceRanks: 3}
	if edit != nil {
		edit(&in)
	}
	return in
}

func TestEventPreferenceSettingsValidate(t *testing.T) {
	t.Parallel()
	long := make([]byte, 201)
	for i := range long {
		long[i] = 'x'
	}
	cases := []struct {
		name, field, key string
		edit             func(*models.EventInput)
	}{
		{"unknown mode", "signup_mode", "form.invalid_choice", func(in *models.EventInput) { in.SignupMode = "loting" }},
		{"no opening", "preferences_open_at", "preference.setting_required", func(in *models.EventInput) { in.PreferencesOpenAt = "" }},
		{"no closing", "preferences_close_at", "preference.setting_required", func(in *models.EventInput) { in.PreferencesCloseAt = "" }},
		{"no allocation", "allocation_at", "preference.setting_required", func(in *models.EventInput) { in.AllocationAt = "" }},
		{"bad time", "allocation_at", "form.invalid_datetime", func(in *models.EventInput) { in.AllocationAt = "morgen" }},
		{"closes before opening", "preferences_close_at", "form.closes_before_opens", func(in *models.EventInput) { in.PreferencesCloseAt = "2027-01-10T10:00" }},
		{"allocation before closing", "allocation_at", "preference.allocation_before_close", func(in *models.EventInput) { in.AllocationAt = "2027-01-24T23:59" }},
		{"no seed", "allocation_seed", "preference.setting_required", func(in *models.EventInput) { in.AllocationSeed = "  " }},
		{"seed too long", "allocation_seed", "form.too_long", func(in *models.EventInput) { in.AllocationSeed = string(long) }},
		{"seed on two lines", "allocation_seed", "form.control_chars", func(in *models.EventInput) { in.AllocationSeed = "a\nb" }},
		{"too many ranks", "preference_ranks", "form.between", func(in *models.EventInput) { in.PreferenceRanks = models.MaxPreferenceRanks + 1 }},
		{"negative ranks", "preference_ranks", "form.between", func(in *models.EventInput) { in.PreferenceRanks = -1 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := preferenceInput(tc.edit).Validate()
			if got := p[tc.field].Key; got != tc.key {
				t.Errorf("problem on %s = %q (all %v), want %q", tc.field, got, p, tc.key)
			}
		})
	}
	if p := preferenceInput(nil).Validate(); len(p) != 0 {
		t.Errorf("valid input: problems %v", p)
	}
	// Allocation exactly at closing is allowed; first come, first served needs no window.
	if p := preferenceInput(func(in *models.EventInput) { in.AllocationAt = in.PreferencesCloseAt }).Validate(); len(p) != 0 {
		t.Errorf("allocation at closing: problems %v", p)
	}
	if p := (models.EventInput{Name: "Dag", Date: "2027-02-03", SignupMode: models.SignupFCFS}).Validate(); len(p) != 0 {
		t.Errorf("first come, first served: problems %v", p)
	}
}

func TestEventPreferenceSettingsLockAfterClosing(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		now := time.Date(2027, time.January, 20, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		e := must(s.UpdateEvent(ctx, f.event.ID, preferenceInput(nil)))
		if !e.PreferenceMode() || e.Ranks() != 3 || e.AllocationSeed != "Staatsloterij 10 januari 2027" ||
			!e.PreferencesCloseAt.Equal(time.Date(2027, time.January, 24, 23, 0, 0, 0, time.UTC)) {
			t.Fatalf("saved: mode %q ranks %d seed %q closes %v", e.SignupMode, e.Ranks(), e.AllocationSeed, e.PreferencesCloseAt)
		}
		// Before closing, the seed value may still change.
		must(s.UpdateEvent(ctx, f.event.ID, preferenceInput(func(in *models.EventInput) { in.AllocationSeed = "Trekking 11 januari" })))

		now = time.Date(2027, time.January, 24, 23, 0, 0, 0, time.UTC) // the window closes
		_, err := s.UpdateEvent(ctx, f.event.ID, preferenceInput(func(in *models.EventInput) { in.AllocationSeed = "iets anders" }))
		wantProblem(t, err, "allocation_seed", "preference.seed_locked")
		_, err = s.UpdateEvent(ctx, f.event.ID, preferenceInput(func(in *models.EventInput) {
			in.AllocationSeed, in.SignupMode = "Trekking 11 januari", models.SignupFCFS
		}))
		wantProblem(t, err, "signup_mode", "preference.mode_locked")
		got := must(s.Event(ctx, f.event.ID))
		if got.AllocationSeed != "Trekking 11 januari" || !got.PreferenceMode() {
			t.Errorf("after refused changes: seed %q mode %q", got.AllocationSeed, got.SignupMode)
		}
		// Other settings still change.
		e = must(s.UpdateEvent(ctx, f.event.ID, preferenceInput(func(in *models.EventInput) {
			in.AllocationSeed, in.Theme = "Trekking 11 januari", "Samen sterker"
		})))
		if e.Theme != "Samen sterker" {
			t.Errorf("theme got %q", e.Theme)
		}
		var audit []models.AuditEntry
		if err := s.DB().Where("action = ? AND details LIKE ?", models.ActionEventUpdated, "%allocation_seed%").Find(&audit).Error; err != nil || len(audit) == 0 {
			t.Errorf("no audit entry names the seed value's change (%v)", err)
		}
	})
}

func TestPreferencesExportedAndErased(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newPrefFixture(t, s)
		in := attendee(1)
		in.Preferences = models.Rankings{f.s1.ID: {f.b.ID, f.a.ID}, f.s2.ID: {f.long.ID}}
		res := must(s.Register(ctx, in))
		out := must(s.ExportRegistration(ctx, res.Registration.ID))
		want := []struct {
			slot, session uint
			rank          int
		}{{f.s1.ID, f.b.ID, 1}, {f.s1.ID, f.a.ID, 2}, {f.s2.ID, f.long.ID, 1}}
		if len(out.Preferences) != len(want) {
			t.Fatalf("export preferences = %+v, want %d", out.Preferences, len(want))
		}
		for i, w := range want {
			p := out.Preferences[i]
			if p.SlotID != w.slot || p.SessionID != w.session || p.Rank != w.rank || p.Title == "" || p.StartsAt == nil {
				t.Errorf("export preference %d = %+v, want slot %d session %d rank %d", i, p, w.slot, w.session, w.rank)
			}
		}
		must(s.EraseRegistration(ctx, res.Registration.ID))
		if n := count(t, s, &models.Preference{}); n != 0 {
			t.Errorf("%d preferences after erasure, want none", n)
		}
	})
}

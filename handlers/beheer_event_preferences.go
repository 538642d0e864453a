package handlers

import (
	"net/url"
	"strconv"

	"github.com/ambtenaar20/dagplanner/models"
)

// preferenceFields are the event form's fields for signing up by preference (issue #19), in
// the order the page shows them.
var preferenceFields = []string{"signup_mode:beheer.event.signup_mode",
	"preferences_open_at:beheer.event.preferences_open_at", "preferences_close_at:beheer.event.preferences_close_at",
	"allocation_at:beheer.event.allocation_at", "allocation_seed:beheer.event.allocation_seed",
	"preference_ranks:beheer.event.preference_ranks"}

// setPreferenceValues fills the event form's preference fields from e; a new event (zero)
// shows first come, first served and the default number of ranks.
func setPreferenceValues(v url.Values, e models.Event) {
	loc := e.Location()
	v.Set("signup_mode", models.SignupFCFS)
	if e.PreferenceMode() {
		v.Set("signup_mode", models.SignupPreferences)
	}
	v.Set("preferences_open_at", models.FormatLocal(e.PreferencesOpenAt, loc))
	v.Set("preferences_close_at", models.FormatLocal(e.PreferencesCloseAt, loc))
	v.Set("allocation_at", models.FormatLocal(e.AllocationAt, loc))
	v.Set("allocation_seed", e.AllocationSeed)
	v.Set("preference_ranks", strconv.Itoa(e.Ranks()))
}

// preferencesFromForm reads the event form's preference fields into in.
func preferencesFromForm(form *Form, in *models.EventInput) {
	in.SignupMode = form.String("signup_mode")
	in.PreferencesOpenAt = form.String("preferences_open_at")
	in.PreferencesCloseAt = form.String("preferences_close_at")
	in.AllocationAt = form.String("allocation_at")
	in.AllocationSeed = form.String("allocation_seed")
	in.PreferenceRanks = form.Int("preference_ranks", false)
}

// SignupModeOptions are the event form's choices of how people sign up.
func (p Page) SignupModeOptions() []Option {
	return []Option{{Value: models.SignupFCFS, Label: p.T("beheer.event.signup_fcfs")},
		{Value: models.SignupPreferences, Label: p.T("beheer.event.signup_preferences")}}
}

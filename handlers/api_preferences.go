package handlers

import (
	"context"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// PreferenceWindowJSON is an event's preference window as GET /api/v1/event gives it in
// preference mode (issue #19): RFC 3339 times with the event's offset (null when not set),
// the published value the allocation's seed is derived from, and how many sessions a person
// may rank per slot.
type PreferenceWindowJSON struct {
	Opens        *string `json:"opens"`
	Closes       *string `json:"closes"`
	AllocationAt *string `json:"allocation_at"`
	Seed         string  `json:"seed"`
	Ranks        int     `json:"ranks"`
}

// signupJSON is how the event signs people up, and in preference mode its window.
func signupJSON(e models.Event) (string, *PreferenceWindowJSON) {
	if !e.PreferenceMode() {
		return models.SignupFCFS, nil
	}
	loc := e.Location()
	at := func(t *time.Time) *string {
		if t == nil {
			return nil
		}
		s := rfc3339(*t, loc)
		return &s
	}
	return models.SignupPreferences, &PreferenceWindowJSON{Opens: at(e.PreferencesOpenAt), Closes: at(e.PreferencesCloseAt),
		AllocationAt: at(e.AllocationAt), Seed: e.AllocationSeed, Ranks: e.Ranks()}
}

// withPreferences adds a registration's ranking to its JSON when its event signs people up
// by preference; the seats and waiting-list places, once allocated, are in Sessions as ever.
func (h *Handler) withPreferences(ctx context.Context, out *RegistrationJSON, r models.Registration) error {
	event, err := h.store.Event(ctx, r.EventID)
	if err != nil || !event.PreferenceMode() {
		return err
	}
	ranking, err := h.store.Preferences(ctx, r.ID)
	if err != nil {
		return err
	}
	out.Preferences = &ranking
	return nil
}

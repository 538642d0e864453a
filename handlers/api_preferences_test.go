package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// The preference window the handler tests put the demo event in (issue #19).
var (
	prefOpens      = time.Date(2027, time.January, 10, 8, 0, 0, 0, time.UTC)
	prefCloses     = time.Date(2027, time.January, 24, 22, 0, 0, 0, time.UTC)
	prefAllocation = time.Date(2027, time.January, 25, 8, 0, 0, 0, time.UTC)
	prefInside     = time.Date(2027, time.January, 20, 9, 0, 0, 0, time.UTC)
)

// preferenceMode puts the demo event in preference mode with the store's clock at now.
func preferenceMode(t *testing.T, ts *testServer, now time.Time) {
	t.Helper()
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.Where("id = ?", testEvent(t, ts).ID), map[string]any{
		"signup_mode": models.SignupPreferences, "preferences_open_at": prefOpens, "preferences_close_at": prefCloses,
		"allocation_at": prefAllocation, "allocation_seed": "Staatsloterij 10 januari 2027", "preference_ranks": 2,
	})
	ts.Store.SetClock(func() time.Time { return now })
	t.Cleanup(func() { ts.Store.SetClock(time.Now) })
}

func TestAPIEventSignupMode(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	body := ts.apiGet(t, "/api/v1/event", http.StatusOK, nil)
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if raw["signup_mode"] != "fcfs" {
		t.Errorf("signup_mode got %v, want fcfs", raw["signup_mode"])
	}
	if _, ok := raw["preferences"]; ok {
		t.Errorf("first come, first served: preferences got %v, want absent", raw["preferences"])
	}

	preferenceMode(t, ts, prefInside)
	body = ts.apiGet(t, "/api/v1/event", http.StatusOK, nil)
	var got EventJSON
	decodeStrict(t, body, &got)
	if got.SignupMode != "preferences" || got.Preferences == nil {
		t.Fatalf("signup_mode got %q, preferences %v; want preferences with its window", got.SignupMode, got.Preferences)
	}
	p := got.Preferences
	for _, tc := range []struct {
		name string
		got  *string
		want string
	}{{"opens", p.Opens, "2027-01-10T09:00:00+01:00"}, {"closes", p.Closes, "2027-01-24T23:00:00+01:00"},
		{"allocation_at", p.AllocationAt, "2027-01-25T09:00:00+01:00"}} {
		if tc.got == nil || *tc.got != tc.want {
			t.Errorf("preferences.%s got %v, want %s", tc.name, tc.got, tc.want)
		}
	}
	if p.Seed != "Staatsloterij 10 januari 2027" || p.Ranks != 2 {
		t.Errorf("seed got %q, ranks %d; want the published value and 2", p.Seed, p.Ranks)
	}
}

func TestAPIRegisterByPreference(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	slot0, slot1 := venue.Slots[0].ID, venue.Slots[1].ID
	a := openSessionIn(t, ts, "zwolle", slot0, 1)
	b := openSessionIn(t, ts, "zwolle", slot0, 1, a.ID)
	c := openSessionIn(t, ts, "zwolle", slot1, 1)
	preferenceMode(t, ts, prefInside)
	rank := func(r models.Rankings) func(map[string]any) {
		return func(m map[string]any) { delete(m, "sessions"); m["preferences"] = r }
	}

	// Registering: the ranking is stored, no seat taken, and the answer shows the ranking.
	confirmed := sessionCounter(t, ts, a.ID)
	created := apiRegister(t, ts, registrationBody(t, nil, rank(models.Rankings{slot0: {b.ID, a.ID}})))
	if created.Preferences == nil || !slices.Equal((*created.Preferences)[slot0], []uint{b.ID, a.ID}) || len(created.Sessions) != 0 {
		t.Errorf("created: preferences %v, sessions %v; want the ranking and no sessions", created.Preferences, created.Sessions)
	}
	if got := sessionCounter(t, ts, a.ID); got != confirmed {
		t.Errorf("session confirmed got %d, want %d: a ranking takes no seat", got, confirmed)
	}
	if n := outboxCount(t, ts, created.ID, models.MailPreferencesReceived); n != 1 {
		t.Errorf("%d preferences_received e-mails, want 1", n)
	}
	got := apiRegistration(t, ts, created.ID, created.ManageToken)
	if got.Preferences == nil || len(*got.Preferences) != 1 {
		t.Errorf("GET: preferences got %v, want the ranking", got.Preferences)
	}

	// Changing it while the window is open.
	path := "/api/v1/registrations/" + idString(created.ID)
	change := `{"preferences":{"` + idString(slot0) + `":[` + idString(a.ID) + `],"` + idString(slot1) + `":[` + idString(c.ID) + `]}}`
	resp, body := ts.apiCall(t, http.MethodPatch, path, change, created.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusOK)
	var changed RegistrationJSON
	decodeStrict(t, body, &changed)
	if changed.Preferences == nil || !slices.Equal((*changed.Preferences)[slot1], []uint{c.ID}) {
		t.Errorf("PATCH: preferences got %v, want %s in slot %d", changed.Preferences, idString(c.ID), slot1)
	}

	// Bad input: malformed is 400, a bad ranking or sessions before the allocation 422.
	for _, tc := range []struct {
		name, body, code, field string
		status                  int
	}{
		{"slot id not a number", `{"preferences":{"tien":[1]}}`, "malformed", "", http.StatusBadRequest},
		{"session id negative", `{"preferences":{"` + idString(slot0) + `":[-1]}}`, "malformed", "preferences", http.StatusBadRequest},
		{"not a list", `{"preferences":{"` + idString(slot0) + `":3}}`, "malformed", "preferences", http.StatusBadRequest},
		{"wrong slot", `{"preferences":{"` + idString(slot0) + `":[` + idString(c.ID) + `]}}`, "invalid", "preferences." + idString(slot0), http.StatusUnprocessableEntity},
		{"too many", `{"preferences":{"` + idString(slot0) + `":[` + idString(a.ID) + `,` + idString(b.ID) + `,` + idString(a.ID) + `]}}`, "invalid", "preferences." + idString(slot0), http.StatusUnprocessableEntity},
		{"unknown slot", `{"preferences":{"0":[]}}`, "invalid", "preferences.0", http.StatusUnprocessableEntity},
		{"sessions too", `{"sessions":[` + idString(a.ID) + `],"preferences":{}}`, "invalid", "sessions", http.StatusUnprocessableEntity},
		{"sessions instead", `{"sessions":[` + idString(a.ID) + `]}`, "invalid", "sessions", http.StatusUnprocessableEntity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ts.apiCall(t, http.MethodPatch, path, tc.body, created.ManageToken)
			wantAPIStatus(t, resp, body, tc.status)
			if tc.status == http.StatusBadRequest {
				var e APIError
				decodeStrict(t, body, &e)
				if e.Error.Code != tc.code {
					t.Errorf("code got %q, want %q", e.Error.Code, tc.code)
				}
				return
			}
			wantAPIError(t, body, tc.code, tc.field)
		})
	}
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations", registrationBody(t, []uint{a.ID}, nil), "")
	wantAPIStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantAPIError(t, body, "invalid", "sessions")
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations",
		registrationBody(t, nil, rank(models.Rankings{slot0: {c.ID}})), "")
	wantAPIStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantAPIError(t, body, "invalid", "preferences."+idString(slot0))

	// After the window: no change (409), no registration (403), the ranking kept.
	ts.Store.SetClock(func() time.Time { return prefCloses })
	resp, body = ts.apiCall(t, http.MethodPatch, path, `{"preferences":{}}`, created.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusConflict)
	wantAPIError(t, body, "preferences_closed", "preferences")
	regs := registrationCount(t, ts)
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations", registrationBody(t, nil, rank(models.Rankings{})), "")
	wantAPIStatus(t, resp, body, http.StatusForbidden)
	wantAPIError(t, body, "registration_closed", "")
	if registrationCount(t, ts) != regs {
		t.Error("a registration was stored after the window closed")
	}
	if got := apiRegistration(t, ts, created.ID, created.ManageToken); got.Preferences == nil || len(*got.Preferences) != 2 {
		t.Errorf("after closing: preferences got %v, want the changed ranking", got.Preferences)
	}
}

func TestAPIPreferencesFirstComeFirstServed(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	a := openSessionIn(t, ts, "zwolle", venue.Slots[0].ID, 1)
	resp, body := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", registrationBody(t, nil, func(m map[string]any) {
		m["preferences"] = models.Rankings{venue.Slots[0].ID: {a.ID}}
	}), "")
	wantAPIStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantAPIError(t, body, "invalid", "preferences")
	created := apiRegister(t, ts, registrationBody(t, []uint{a.ID}, nil))
	if created.Preferences != nil {
		t.Errorf("first come, first served: preferences got %v, want absent", created.Preferences)
	}
	resp, body = ts.apiCall(t, http.MethodPatch, "/api/v1/registrations/"+idString(created.ID), `{"preferences":{}}`, created.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusConflict)
	wantAPIError(t, body, "not_preference_mode", "preferences")
}

func TestEventFormSetsPreferences(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	// The clock is just after the window the form sets closes: switching preference mode on
	// is allowed (the event was first come, first served), changing the seed value after is not.
	ts.Store.SetClock(func() time.Time { return prefCloses.Add(time.Minute) })
	t.Cleanup(func() { ts.Store.SetClock(time.Now) })
	ts.loginAs(t, models.RoleOrganiser, "")
	resp, body := ts.get(t, "/beheer/evenement")
	wantStatus(t, resp, body, http.StatusOK)
	for _, name := range []string{"signup_mode", "preferences_open_at", "preferences_close_at", "allocation_at", "allocation_seed", "preference_ranks"} {
		if !strings.Contains(body, `name="`+name+`"`) {
			t.Errorf("the event form lacks %s", name)
		}
	}
	if !strings.Contains(body, nlText(t, "beheer.event.allocation_seed_hint")) {
		t.Error("the event form does not explain the seed value")
	}
	e := testEvent(t, ts)
	loc := e.Location()
	form := url.Values{"name": {e.Name}, "date": {e.Date}, "timezone": {e.Timezone},
		"proposals_open_at": {models.FormatLocal(e.ProposalsOpenAt, loc)}, "proposals_close_at": {models.FormatLocal(e.ProposalsCloseAt, loc)},
		"registration_closes_at": {models.FormatLocal(e.RegistrationClosesAt, loc)}, "privacy_version": {e.PrivacyVersion}}
	setVotingValues(form, e)
	setPrivacyValues(form, e)
	form.Set("signup_mode", "preferences")
	form.Set("preferences_open_at", "2027-01-10T09:00")
	form.Set("preferences_close_at", "2027-01-24T23:00")
	form.Set("allocation_at", "2027-01-24T12:00") // before closing
	form.Set("preference_ranks", "7")
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	for _, field := range []string{"allocation_at", "allocation_seed", "preference_ranks"} {
		if !strings.Contains(body, `href="#veld-`+field+`"`) {
			t.Errorf("the refused form names no problem with %s", field)
		}
	}
	if !strings.Contains(body, `value="2027-01-24T12:00"`) {
		t.Error("the refused form lost the typed allocation time")
	}
	if testEvent(t, ts).PreferenceMode() {
		t.Error("a refused form switched on preference mode")
	}
	form.Set("allocation_at", "2027-01-25T09:00")
	form.Set("allocation_seed", "Staatsloterij 10 januari 2027")
	form.Set("preference_ranks", "2")
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	got := testEvent(t, ts)
	if !got.PreferenceMode() || got.AllocationSeed != "Staatsloterij 10 januari 2027" || got.Ranks() != 2 ||
		got.AllocationAt == nil || !got.AllocationAt.Equal(prefAllocation) || got.PreferencesOpenAt == nil || !got.PreferencesOpenAt.Equal(prefOpens) {
		t.Errorf("saved event: mode %q seed %q ranks %d allocation %v opens %v", got.SignupMode, got.AllocationSeed, got.Ranks(), got.AllocationAt, got.PreferencesOpenAt)
	}
	if n := countRows(t, ts, &models.AuditEntry{}, "action = ? AND details LIKE ?", models.ActionEventUpdated, "%allocation_seed%"); n == 0 {
		t.Error("the change of the seed value is not in the audit log")
	}

	// Once the window has closed, the seed value and the mode stay.
	form.Set("allocation_seed", "iets anders")
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, nlText(t, "preference.seed_locked")) {
		t.Error("changing the seed after closing is not refused with its message")
	}
	if testEvent(t, ts).AllocationSeed != "Staatsloterij 10 januari 2027" {
		t.Error("the seed value changed after the window closed")
	}
}

package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// walkInCall posts a walk-in with the token (a device's or an organiser's; "" for the
// client's session) to path and returns the response.
func walkInCall(t *testing.T, ts *testServer, path, token string, body map[string]any) (*http.Response, []byte) {
	t.Helper()
	raw, _ := json.Marshal(body)
	return ts.apiCall(t, http.MethodPost, path, string(raw), token)
}

func TestWalkInAPI(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	ts := f.ts

	resp, b := walkInCall(t, ts, "/api/v1/walkins", f.tokens["Ingang Oost"], map[string]any{"name": "Jan Binnen", "organisation": "Gemeente Kampen"})
	wantAPIStatus(t, resp, b, http.StatusCreated)
	var got WalkInJSON
	decodeStrict(t, b, &got)
	if got.Registration.Venue != "zwolle" || got.Registration.Name != "Jan Binnen" || got.Registration.Status != models.RegistrationActive ||
		got.CheckIn.Door != "Ingang Oost" || got.CheckIn.ID == 0 || got.Message == "" {
		t.Errorf("walk-in answer %+v", got)
	}
	var ci models.CheckIn
	if err := modelstest.First(ts.Store, &ci, modelstest.Where("id = ?", got.CheckIn.ID)); err != nil || ci.RegistrationID != got.Registration.ID || ci.VenueID != f.zwolle.ID || ci.DeviceTokenID == nil {
		t.Errorf("stored check-in %+v (%v)", ci, err)
	}
	trail, err := ts.Store.AuditTrail(modelstest.Ctx(), models.SubjectRegistration, got.Registration.ID)
	if err != nil || len(trail) != 1 || trail[0].ActorKind != models.ActorDevice || trail[0].ActorName != "Ingang Oost" {
		t.Errorf("audit trail %+v (%v)", trail, err)
	}
	// The door's list has them, checked in, on its next refresh.
	resp, b = ts.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle/checkin-list", "", f.tokens["Ingang West"])
	wantAPIStatus(t, resp, b, http.StatusOK)
	var list CheckInListJSON
	decodeStrict(t, b, &list)
	found := false
	for _, a := range list.Attendees {
		if a.ID == got.Registration.ID {
			found = a.CheckIn != nil && a.CheckIn.Door == "Ingang Oost"
		}
	}
	if !found {
		t.Errorf("the walk-in is not in the door's list as checked in")
	}

	t.Run("bad input", func(t *testing.T) {
		for _, c := range []struct {
			name, body  string
			status      int
			code, field string
		}{
			{"not JSON", `{"name":`, http.StatusBadRequest, "malformed", ""},
			{"unknown field", `{"name": "A", "organisation": "B", "vip": true}`, http.StatusBadRequest, "malformed", ""},
			{"no name", `{"name": " ", "organisation": "B"}`, http.StatusUnprocessableEntity, "invalid", "name"},
			{"no organisation", `{"name": "A B"}`, http.StatusUnprocessableEntity, "invalid", "organisation"},
			{"bad address", `{"name": "A B", "organisation": "C", "email": "geen adres"}`, http.StatusUnprocessableEntity, "invalid", "email"},
		} {
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/walkins", c.body, f.tokens["Ingang Oost"])
			if resp.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d; body %s", c.name, resp.StatusCode, c.status, b)
				continue
			}
			wantAPIStatus(t, resp, b, c.status)
			if c.field != "" {
				wantAPIError(t, b, c.code, c.field)
			}
		}
	})

	t.Run("already registered", func(t *testing.T) {
		someone := f.attendees(t, f.zwolle, 1)[0]
		resp, b := walkInCall(t, ts, "/api/v1/walkins", f.tokens["Ingang Oost"], map[string]any{"name": "Dubbel", "organisation": "X", "email": strings.ToUpper(someone.Email)})
		wantAPIStatus(t, resp, b, http.StatusConflict)
		wantAPIError(t, b, "already_registered", "email")
	})

	t.Run("venue full", func(t *testing.T) {
		modelstest.Set(t, ts.Store, &models.Venue{}, f.zwolle.ID, "capacity", gorm.Expr("registered"))
		before := modelstest.Count(t, ts.Store, &models.Registration{}, modelstest.All)
		resp, b := walkInCall(t, ts, "/api/v1/walkins", f.tokens["Ingang Oost"], map[string]any{"name": "Te Laat", "organisation": "X", "email": "telaat@example.nl"})
		wantAPIStatus(t, resp, b, http.StatusConflict)
		wantAPIError(t, b, "venue_full", "")
		after := modelstest.Count(t, ts.Store, &models.Registration{}, modelstest.All)
		if after != before {
			t.Errorf("a refused walk-in wrote %d registrations", after-before)
		}
	})
}

func TestWalkInAPIAccess(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	ts := f.ts
	person := func(n string) map[string]any {
		return map[string]any{"name": "Binnenloper " + n, "organisation": "Gemeente Kampen"}
	}

	t.Run("no or wrong credentials", func(t *testing.T) {
		for name, token := range map[string]string{"none": "", "wrong device": "dpd_" + strings.Repeat("a", 52), "wrong organiser": "dpo_" + strings.Repeat("b", 52)} {
			resp, b := walkInCall(t, ts, "/api/v1/walkins", token, person(name))
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401", name, resp.StatusCode)
				continue
			}
			wantAPIStatus(t, resp, b, http.StatusUnauthorized)
		}
	})

	t.Run("devices and tokens", func(t *testing.T) {
		cases := []struct {
			name, path, token string
			status            int
			venue             string
		}{
			{"device of rotterdam", "/api/v1/walkins", f.tokens["Rotterdam Hal"], http.StatusCreated, "rotterdam"},
			{"device asking for another venue", "/api/v1/walkins?venue=zwolle", f.tokens["Rotterdam Hal"], http.StatusForbidden, ""},
			{"organiser token of zwolle", "/api/v1/walkins", organiserToken(t, ts, "zwolle"), http.StatusCreated, "zwolle"},
			{"organiser token of rotterdam at zwolle", "/api/v1/walkins?venue=zwolle", organiserToken(t, ts, "rotterdam"), http.StatusForbidden, ""},
			{"organiser token of every venue, none named", "/api/v1/walkins", organiserToken(t, ts, ""), http.StatusBadRequest, ""},
			{"organiser token of every venue at rotterdam", "/api/v1/walkins?venue=rotterdam", organiserToken(t, ts, ""), http.StatusCreated, "rotterdam"},
			{"organiser token, unknown venue", "/api/v1/walkins?venue=nergens", organiserToken(t, ts, ""), http.StatusNotFound, ""},
		}
		for i, c := range cases {
			resp, b := walkInCall(t, ts, c.path, c.token, person(c.name))
			if resp.StatusCode != c.status {
				t.Errorf("%d %s: status %d, want %d; body %s", i, c.name, resp.StatusCode, c.status, b)
				continue
			}
			wantAPIStatus(t, resp, b, c.status)
			if c.status == http.StatusCreated {
				var got WalkInJSON
				decodeStrict(t, b, &got)
				if got.Registration.Venue != c.venue {
					t.Errorf("%s: walked in at %q, want %q", c.name, got.Registration.Venue, c.venue)
				}
			}
		}
	})

	t.Run("accounts", func(t *testing.T) {
		for _, c := range []struct {
			role, venue, path string
			status            int
		}{
			{models.RoleDoor, "rotterdam", "/api/v1/walkins", http.StatusCreated},
			{models.RoleDoor, "rotterdam", "/api/v1/walkins?venue=zwolle", http.StatusForbidden},
			{models.RoleOrganiser, "zwolle", "/api/v1/walkins", http.StatusCreated},
			{models.RoleOrganiser, "zwolle", "/api/v1/walkins?venue=rotterdam", http.StatusForbidden},
			{models.RoleAdmin, "", "/api/v1/walkins?venue=zwolle", http.StatusCreated},
			{models.RoleAdmin, "", "/api/v1/walkins", http.StatusBadRequest},
			{models.RoleReviewer, "", "/api/v1/walkins?venue=zwolle", http.StatusForbidden},
		} {
			client := ts.withNewClient(t)
			client.loginAs(t, c.role, c.venue)
			resp, b := walkInCall(t, client, c.path, "", person(c.role+c.venue))
			if resp.StatusCode != c.status {
				t.Errorf("%s@%s %s: status %d, want %d; body %s", c.role, c.venue, c.path, resp.StatusCode, c.status, b)
				continue
			}
			wantAPIStatus(t, resp, b, c.status)
		}
	})

	t.Run("cross-site", func(t *testing.T) {
		client := ts.withNewClient(t)
		client.loginAs(t, models.RoleDoor, "zwolle")
		resp, _ := client.apiCall(t, http.MethodPost, "/api/v1/walkins", `{"name":"Kaper","organisation":"Evil"}`, "",
			"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site walk-in with a door session: status %d, want 403", resp.StatusCode)
		}
	})
}

func TestWalkInForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := testVenue(t, ts, "zwolle")
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	arrivals := "/beheer/locaties/" + bhID(zwolle.ID) + "/binnenkomst"
	path := "/beheer/locaties/" + bhID(zwolle.ID) + "/binnenlopers"

	resp, body := ts.get(t, arrivals)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "arrivals page", body, `action="`+path+`"`, `id="veld-name"`, `id="veld-organisation"`, `id="veld-email"`)

	resp, body = ts.postForm(t, path, url.Values{"name": {""}, "organisation": {"Gemeente <Kampen>"}, "email": {"fout"}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "invalid walk-in", body, `aria-invalid="true"`, "Gemeente &lt;Kampen&gt;", `href="#veld-name"`, `href="#veld-email"`)

	resp, body = ts.postForm(t, path, url.Values{"name": {"Zoë <b>Binnen</b>"}, "organisation": {"Gemeente Kampen"}})
	bhExpectRedirect(t, resp, body, arrivals+"#binnenloper")
	resp, body = ts.get(t, arrivals)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "after a walk-in", body, nlMsg(t, "walkin.admitted", "Name", "Zoë <b>Binnen</b>"))
	if strings.Contains(body, "<b>Binnen</b>") {
		t.Error("the walk-in's name is not escaped")
	}
	var r models.Registration
	if err := modelstest.First(ts.Store, &r, modelstest.Where("name = ?", "Zoë <b>Binnen</b>")); err != nil {
		t.Fatal(err)
	}
	n := modelstest.Count(t, ts.Store, &models.CheckIn{}, modelstest.Where("registration_id = ? AND undone_at IS NULL", r.ID))
	if n != 1 || r.VenueID != zwolle.ID {
		t.Errorf("walk-in by form: %d check-ins at venue %d, want 1 at %d", n, r.VenueID, zwolle.ID)
	}

	// Full: the form again, saying so, and nothing written.
	modelstest.Set(t, ts.Store, &models.Venue{}, zwolle.ID, "capacity", gorm.Expr("registered"))
	resp, body = ts.postForm(t, path, url.Values{"name": {"Te Laat"}, "organisation": {"Gemeente Kampen"}})
	wantStatus(t, resp, body, http.StatusConflict)
	wantContains(t, "full venue", body, nlMsg(t, "walkin.venue_full"), `value="Te Laat"`)
}

// TestWalkInRateLimit: walk-ins count against the client's registration throttle, and a
// refused one writes nothing.
func TestWalkInRateLimit(t *testing.T) {
	ts := newLimitedServer(t, 2, 1)
	ts.loginAs(t, models.RoleDoor, "zwolle")
	for i := range 3 {
		resp, b := walkInCall(t, ts, "/api/v1/walkins", "", map[string]any{"name": "Snelle Loper", "organisation": "Gemeente Kampen"})
		if i < 2 {
			wantAPIStatus(t, resp, b, http.StatusCreated)
			continue
		}
		wantAPIStatus(t, resp, b, http.StatusTooManyRequests)
		wantAPIError(t, b, "too_many_requests", "")
		wantRetryAfter(t, resp)
	}
	n := modelstest.Count(t, ts.Store, &models.Registration{}, modelstest.Where("name = ?", "Snelle Loper"))
	if n != 2 {
		t.Errorf("%d walk-ins written, want 2", n)
	}
}

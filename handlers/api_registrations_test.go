package handlers

import (
	"encoding/json"
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// apiCall sends a JSON request the way an integration does (no browser headers) and returns
// the response with its body. token, when set, goes in the Authorization header.
func (ts *testServer) apiCall(t *testing.T, method, path, body, token string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	hdrs := []string{"Accept", "application/json"}
	if body != "" {
		hdrs = append(hdrs, "Content-Type", "application/json")
	}
	if token != "" {
		hdrs = append(hdrs, "Authorization", "Bearer "+token)
	}
	resp, b := ts.do(t, req, append(hdrs, headers...)...)
	return resp, []byte(b)
}

// wantAPIStatus fails unless the response has the wanted status, is documented in the OpenAPI
// document, and (when it has a body) is JSON.
func wantAPIStatus(t *testing.T, resp *http.Response, body []byte, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status got %d, want %d; body: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, body)
	}
	if len(body) > 0 {
		if got, want := resp.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
			t.Errorf("%s %s: Content-Type got %q, want %q", resp.Request.Method, resp.Request.URL.Path, got, want)
		}
	}
	validateAgainstDocument(t, resp, body)
}

// wantAPIError fails unless body is the API's error shape with the code, and — when field is
// not "" — a message for that field; with field "" the fields must be empty.
func wantAPIError(t *testing.T, body []byte, code, field string) APIErrorBody {
	t.Helper()
	var e APIError
	decodeStrict(t, body, &e)
	if e.Error.Code != code {
		t.Errorf("error code got %q, want %q; body: %s", e.Error.Code, code, body)
	}
	if e.Error.Message == "" || strings.HasPrefix(e.Error.Message, "[") {
		t.Errorf("error message got %q, want a translated message", e.Error.Message)
	}
	switch {
	case field == "" && len(e.Error.Fields) != 0:
		t.Errorf("error fields got %v, want none", e.Error.Fields)
	case field != "" && (e.Error.Fields[field] == "" || strings.HasPrefix(e.Error.Fields[field], "[")):
		t.Errorf("error fields got %v, want a message for %q", e.Error.Fields, field)
	}
	return e.Error
}

// registrationBody builds a POST body from a valid registration, changed by edit.
func registrationBody(t *testing.T, sessions []uint, edit func(map[string]any)) string {
	t.Helper()
	if sessions == nil {
		sessions = []uint{}
	}
	m := map[string]any{
		"name": "Api Tester", "email": uniqueEmail("api"), "organisation": "Gemeente Testdorp",
		"venue": "zwolle", "sessions": sessions, "consent": true,
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// apiRegister posts a registration that must succeed and returns the answer.
func apiRegister(t *testing.T, ts *testServer, body string) RegistrationJSON {
	t.Helper()
	resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", body, "")
	wantAPIStatus(t, resp, b, http.StatusCreated)
	var out RegistrationJSON
	decodeStrict(t, b, &out)
	if got, want := resp.Header.Get("Location"), "/api/v1/registrations/"+strconv.Itoa(int(out.ID)); got != want {
		t.Errorf("Location got %q, want %q", got, want)
	}
	if out.ID == 0 || len(out.ManageToken) < 40 || out.BookingURL != "/boeking/"+out.ManageToken ||
		out.TicketURL != "/boeking/"+out.ManageToken+"/ticket.pdf" {
		t.Errorf("answer: got id %d, token %q, booking_url %q, ticket_url %q; want an id, a token, /boeking/TOKEN and /boeking/TOKEN/ticket.pdf",
			out.ID, out.ManageToken, out.BookingURL, out.TicketURL)
	}
	return out
}

// apiRegistration fetches a registration with its token.
func apiRegistration(t *testing.T, ts *testServer, id uint, token string) RegistrationJSON {
	t.Helper()
	resp, b := ts.apiCall(t, http.MethodGet, "/api/v1/registrations/"+strconv.Itoa(int(id)), "", token)
	wantAPIStatus(t, resp, b, http.StatusOK)
	var out RegistrationJSON
	decodeStrict(t, b, &out)
	return out
}

func wantSessions(t *testing.T, what string, got []BookingJSON, want ...BookingJSON) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: sessions got %+v, want %+v", what, got, want)
		return
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: sessions got %+v, want %+v", what, got, want)
			return
		}
	}
}

func TestAPIRegistrationLifecycle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	first := openSessionIn(t, ts, "zwolle", venue.Slots[0].ID, 2)
	second := openSessionIn(t, ts, "zwolle", venue.Slots[1].ID, 2)
	firstBefore, secondBefore := first.Confirmed, second.Confirmed

	email := uniqueEmail("leven")
	created := apiRegister(t, ts, registrationBody(t, []uint{first.ID, second.ID}, func(m map[string]any) {
		m["email"], m["lang"], m["job_title"] = email, "en", "Adviseur"
	}))
	wantSessions(t, "created", created.Sessions,
		BookingJSON{ID: first.ID, Status: models.BookingConfirmed}, BookingJSON{ID: second.ID, Status: models.BookingConfirmed})
	if created.Venue != "zwolle" || created.Status != models.RegistrationActive || created.Email != email || created.TicketVersion != 1 {
		t.Errorf("created: got venue %q status %q email %q ticket_version %d, want zwolle active %q 1",
			created.Venue, created.Status, created.Email, created.TicketVersion, email)
	}
	stored, err := ts.Store.Registration(modelstest.Ctx(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Lang != "en" || stored.JobTitle != "Adviseur" || stored.ConsentVersion == "" {
		t.Errorf("stored: got lang %q job %q consent version %q, want en, Adviseur and a version", stored.Lang, stored.JobTitle, stored.ConsentVersion)
	}
	if got := outboxCount(t, ts, created.ID, models.MailConfirmation); got != 1 {
		t.Errorf("confirmation e-mails: got %d, want 1", got)
	}
	token := created.ManageToken
	path := "/api/v1/registrations/" + strconv.Itoa(int(created.ID))

	// The token works on the HTML booking page too, and ticket_url is the ticket itself.
	resp, page := ts.get(t, created.BookingURL)
	wantStatus(t, resp, page, http.StatusOK)
	wantContains(t, "booking page", page, "Api Tester")
	resp, page = ts.get(t, created.TicketURL)
	wantPDF(t, resp, page, "ticket-zwolle.pdf")

	got := apiRegistration(t, ts, created.ID, token)
	if got.ManageToken != "" {
		t.Errorf("GET: manage_token got %q, want it only in the answer to POST", got.ManageToken)
	}
	if got.Name != "Api Tester" || got.TicketURL != created.TicketURL || got.BookingURL != created.BookingURL {
		t.Errorf("GET: got name %q ticket_url %q booking_url %q, want %q %q %q", got.Name, got.TicketURL, got.BookingURL,
			"Api Tester", created.TicketURL, created.BookingURL)
	}
	wantSessions(t, "GET", got.Sessions, created.Sessions...)

	other := apiRegister(t, ts, registrationBody(t, nil, nil))
	otherPath := "/api/v1/registrations/" + strconv.Itoa(int(other.ID))

	t.Run("not authorised", func(t *testing.T) {
		for _, tc := range []struct {
			name, method, path, auth string
		}{
			{"no token", http.MethodGet, path, ""},
			{"wrong token", http.MethodGet, path, "Bearer " + strings.Repeat("A", 43)},
			{"token with a typo", http.MethodGet, path, "Bearer " + token[:len(token)-2] + "__"},
			{"another registration's token", http.MethodGet, path, "Bearer " + other.ManageToken},
			{"own token, another id", http.MethodGet, otherPath, "Bearer " + token},
			{"unknown id", http.MethodGet, "/api/v1/registrations/999999", "Bearer " + token},
			{"not a bearer token", http.MethodGet, path, "Basic " + token},
			{"token without scheme", http.MethodGet, path, token},
			{"empty bearer", http.MethodGet, path, "Bearer "},
			{"patch, another registration's token", http.MethodPatch, path, "Bearer " + other.ManageToken},
			{"delete, wrong token", http.MethodDelete, path, "Bearer " + strings.Repeat("B", 43)},
			{"delete, another registration's token", http.MethodDelete, path, "Bearer " + other.ManageToken},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var body string
				if tc.method == http.MethodPatch {
					body = `{"sessions":[]}`
				}
				req, err := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				hdrs := []string{"Accept", "application/json", "Content-Type", "application/json"}
				if tc.auth != "" {
					hdrs = append(hdrs, "Authorization", tc.auth)
				}
				resp, b := ts.do(t, req, hdrs...)
				wantAPIStatus(t, resp, []byte(b), http.StatusNotFound)
				wantAPIError(t, []byte(b), "not_found", "")
			})
		}
		// Nothing changed through any of them.
		wantSessions(t, "after refused requests", apiRegistration(t, ts, created.ID, token).Sessions, created.Sessions...)
		if got := apiRegistration(t, ts, created.ID, token).Status; got != models.RegistrationActive {
			t.Errorf("after refused requests: status got %q, want active", got)
		}
	})

	t.Run("scheme in any case", func(t *testing.T) {
		for _, auth := range []string{"bearer " + token, "BEARER " + token, "Bearer  " + token + " "} {
			req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, b := ts.do(t, req, "Authorization", auth)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("Authorization %q: status got %d, want 200; body %s", auth, resp.StatusCode, b)
			}
		}
	})

	t.Run("not an id", func(t *testing.T) {
		resp, b := ts.apiCall(t, http.MethodGet, "/api/v1/registrations/abc", "", token)
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("GET /api/v1/registrations/abc: status got %d, want 404; body %s", resp.StatusCode, b)
		}
		wantAPIError(t, b, "not_found", "")
	})

	// Change: another session in the first slot, none in the second.
	replacement := openSessionIn(t, ts, "zwolle", venue.Slots[0].ID, 2, first.ID)
	replacementBefore := replacement.Confirmed
	resp2, b := ts.apiCall(t, http.MethodPatch, path, `{"sessions":[`+idString(replacement.ID)+`]}`, token)
	wantAPIStatus(t, resp2, b, http.StatusOK)
	var changed RegistrationJSON
	decodeStrict(t, b, &changed)
	wantSessions(t, "PATCH", changed.Sessions, BookingJSON{ID: replacement.ID, Status: models.BookingConfirmed})
	wantSessions(t, "GET after PATCH", apiRegistration(t, ts, created.ID, token).Sessions, changed.Sessions...)
	if changed.TicketVersion != 2 {
		t.Errorf("after PATCH: ticket_version %d, want 2 (the programme on the ticket changed)", changed.TicketVersion)
	}
	for _, c := range []struct {
		id   uint
		want int
	}{{first.ID, firstBefore}, {second.ID, secondBefore}, {replacement.ID, replacementBefore + 1}} {
		if got := sessionCounter(t, ts, c.id); got != c.want {
			t.Errorf("after PATCH, session %d confirmed: got %d, want %d", c.id, got, c.want)
		}
	}

	t.Run("bad changes", func(t *testing.T) {
		for _, tc := range []struct {
			name, body string
			status     int
			code       string
			field      string
		}{
			{"malformed", `{"sessions":[`, http.StatusBadRequest, "malformed", ""},
			{"wrong type", `{"sessions":"1"}`, http.StatusBadRequest, "malformed", "sessions"},
			{"unknown field", `{"sessions":[],"venue":"rotterdam"}`, http.StatusBadRequest, "malformed", ""},
			{"two in one slot", `{"sessions":[` + idString(replacement.ID) + `,` + idString(first.ID) + `]}`, http.StatusUnprocessableEntity, "invalid", "sessions"},
			{"session of the other venue", `{"sessions":[` + idString(openSessionIn(t, ts, "rotterdam", testVenue(t, ts, "rotterdam").Slots[0].ID, 1).ID) + `]}`, http.StatusUnprocessableEntity, "invalid", "sessions"},
			{"too large", `{"sessions":[],"waitlist":[` + strings.Repeat("1,", 40000) + `1]}`, http.StatusRequestEntityTooLarge, "too_large", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp, b := ts.apiCall(t, http.MethodPatch, path, tc.body, token)
				wantAPIStatus(t, resp, b, tc.status)
				wantAPIError(t, b, tc.code, tc.field)
				wantSessions(t, "after a refused change", apiRegistration(t, ts, created.ID, token).Sessions, changed.Sessions...)
			})
		}
	})

	// Cancel.
	registered := testVenue(t, ts, "zwolle").Registered
	resp3, b := ts.apiCall(t, http.MethodDelete, path, "", token)
	wantAPIStatus(t, resp3, b, http.StatusNoContent)
	if len(b) != 0 {
		t.Errorf("DELETE: body got %q, want none", b)
	}
	after := apiRegistration(t, ts, created.ID, token)
	if after.Status != models.RegistrationCancelled || len(after.Sessions) != 0 || after.TicketVersion != 3 {
		t.Errorf("after DELETE: got status %q, %d sessions, ticket_version %d; want cancelled, none, 3",
			after.Status, len(after.Sessions), after.TicketVersion)
	}
	if got := sessionCounter(t, ts, replacement.ID); got != replacementBefore {
		t.Errorf("after DELETE, session %d confirmed: got %d, want %d", replacement.ID, got, replacementBefore)
	}
	if got := testVenue(t, ts, "zwolle").Registered; got != registered-1 {
		t.Errorf("after DELETE, venue registered: got %d, want %d", got, registered-1)
	}
	resp3, b = ts.apiCall(t, http.MethodDelete, path, "", token)
	wantAPIStatus(t, resp3, b, http.StatusNoContent)
	if got := testVenue(t, ts, "zwolle").Registered; got != registered-1 {
		t.Errorf("after a second DELETE, venue registered: got %d, want %d (counted once)", got, registered-1)
	}
	resp3, b = ts.apiCall(t, http.MethodPatch, path, `{"sessions":[]}`, token)
	wantAPIStatus(t, resp3, b, http.StatusConflict)
	wantAPIError(t, b, "cancelled", "")

	// The address may register again.
	apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) { m["email"] = strings.ToUpper(email) }))
}

func TestAPIRegistrationBadInput(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle, rotterdam := testVenue(t, ts, "zwolle"), testVenue(t, ts, "rotterdam")
	s0 := openSessionIn(t, ts, "zwolle", zwolle.Slots[0].ID, 5)
	s0b := openSessionIn(t, ts, "zwolle", zwolle.Slots[0].ID, 5, s0.ID)
	s1 := openSessionIn(t, ts, "zwolle", zwolle.Slots[1].ID, 5)
	twoSlot := twoSlotSessionAt(t, ts, "zwolle")
	ofRotterdam := openSessionIn(t, ts, "rotterdam", rotterdam.Slots[0].ID, 1)
	taken := uniqueEmail("bezet")
	apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) { m["email"] = taken }))

	valid := func(edit func(map[string]any)) string { return registrationBody(t, []uint{s0.ID}, edit) }
	set := func(key string, v any) string { return valid(func(m map[string]any) { m[key] = v }) }
	without := func(key string) string { return valid(func(m map[string]any) { delete(m, key) }) }
	tooBig := valid(func(m map[string]any) { m["dietary"] = strings.Repeat("x", 70<<10) })

	for _, tc := range []struct {
		name   string
		body   string
		status int
		code   string
		field  string // the field the error names; "" for none
	}{
		{"empty body", "", http.StatusBadRequest, "malformed", ""},
		{"malformed JSON", `{"name": "x", email}`, http.StatusBadRequest, "malformed", ""},
		{"truncated JSON", valid(nil)[:40], http.StatusBadRequest, "malformed", ""},
		{"JSON array", `[` + valid(nil) + `]`, http.StatusBadRequest, "malformed", ""},
		{"JSON string", `"hallo"`, http.StatusBadRequest, "malformed", ""},
		{"JSON null", `null`, http.StatusBadRequest, "malformed", ""},
		{"two objects", valid(nil) + valid(nil), http.StatusBadRequest, "malformed", ""},
		{"sessions is a string", set("sessions", "1"), http.StatusBadRequest, "malformed", "sessions"},
		{"sessions holds a string", set("sessions", []any{"1"}), http.StatusBadRequest, "malformed", "sessions"},
		{"negative session id", set("sessions", []any{-1}), http.StatusBadRequest, "malformed", "sessions"},
		{"fractional session id", set("sessions", []any{1.5}), http.StatusBadRequest, "malformed", "sessions"},
		{"consent is a string", set("consent", "yes"), http.StatusBadRequest, "malformed", "consent"},
		{"name is a number", set("name", 5), http.StatusBadRequest, "malformed", "name"},
		{"name is an object", set("name", map[string]any{"first": "Jan"}), http.StatusBadRequest, "malformed", "name"},
		{"unknown field", set("admin", true), http.StatusBadRequest, "malformed", ""},
		{"status cannot be set", set("status", "cancelled"), http.StatusBadRequest, "malformed", ""},
		{"body over 64 KiB", tooBig, http.StatusRequestEntityTooLarge, "too_large", ""},
		{"name of 201 characters", set("name", strings.Repeat("n", 201)), http.StatusUnprocessableEntity, "invalid", "name"},
		{"name of 201 letters é", set("name", strings.Repeat("é", 201)), http.StatusUnprocessableEntity, "invalid", "name"},
		{"e-mail of 300 characters", set("email", strings.Repeat("e", 288)+"@example.test"), http.StatusUnprocessableEntity, "invalid", "email"},
		{"organisation of 201 characters", set("organisation", strings.Repeat("o", 201)), http.StatusUnprocessableEntity, "invalid", "organisation"},
		{"NUL in name", set("name", "Jan\u0000Jansen"), http.StatusUnprocessableEntity, "invalid", "name"},
		{"bell in name", set("name", "Jan\u0007Jansen"), http.StatusUnprocessableEntity, "invalid", "name"},
		{"newline in name", set("name", "Jan\nJansen"), http.StatusUnprocessableEntity, "invalid", "name"},
		{"escape in organisation", set("organisation", "Gemeente\u001b[31m"), http.StatusUnprocessableEntity, "invalid", "organisation"},
		{"missing consent", without("consent"), http.StatusUnprocessableEntity, "invalid", "consent"},
		{"consent false", set("consent", false), http.StatusUnprocessableEntity, "invalid", "consent"},
		{"empty name", set("name", ""), http.StatusUnprocessableEntity, "invalid", "name"},
		{"blank name", set("name", "   "), http.StatusUnprocessableEntity, "invalid", "name"},
		{"missing name", without("name"), http.StatusUnprocessableEntity, "invalid", "name"},
		{"missing e-mail", without("email"), http.StatusUnprocessableEntity, "invalid", "email"},
		{"e-mail not-an-email", set("email", "not-an-email"), http.StatusUnprocessableEntity, "invalid", "email"},
		{"e-mail a@b", set("email", "a@b"), http.StatusUnprocessableEntity, "invalid", "email"},
		{"e-mail <script>@x.nl", set("email", "<script>@x.nl"), http.StatusUnprocessableEntity, "invalid", "email"},
		{"e-mail with a display name", set("email", "Jan <jan@example.test>"), http.StatusUnprocessableEntity, "invalid", "email"},
		{"two e-mail addresses", set("email", "a@example.test, b@example.test"), http.StatusUnprocessableEntity, "invalid", "email"},
		{"missing venue", without("venue"), http.StatusUnprocessableEntity, "invalid", "venue"},
		{"unknown venue", set("venue", "atlantis"), http.StatusUnprocessableEntity, "invalid", "venue"},
		{"venue slug with SQL", set("venue", "zwolle' OR '1'='1"), http.StatusUnprocessableEntity, "invalid", "venue"},
		{"session of the other venue", set("sessions", []uint{ofRotterdam.ID}), http.StatusUnprocessableEntity, "invalid", "sessions"},
		{"unknown session id", set("sessions", []uint{999999}), http.StatusUnprocessableEntity, "invalid", "sessions"},
		{"huge session id", set("sessions", []uint{1 << 40}), http.StatusUnprocessableEntity, "invalid", "sessions"},
		{"two sessions in one slot", set("sessions", []uint{s0.ID, s0b.ID}), http.StatusUnprocessableEntity, "invalid", "sessions"},
		{"two-slot session and one in its second slot", set("sessions", []uint{twoSlot.ID, s1.ID}), http.StatusUnprocessableEntity, "invalid", "sessions"},
		{"waitlist id equal to a chosen session", set("waitlist", []uint{s0.ID}), http.StatusUnprocessableEntity, "invalid", "waitlist"},
		{"waitlist of the other venue", set("waitlist", []uint{ofRotterdam.ID}), http.StatusUnprocessableEntity, "invalid", "waitlist"},
		{"21 sessions", set("sessions", make([]uint, 21)), http.StatusUnprocessableEntity, "invalid", "sessions"},
		{"duplicate e-mail", set("email", taken), http.StatusConflict, "already_registered", "email"},
		{"duplicate e-mail, other case and spaces", set("email", "  "+strings.ToUpper(taken)+"\t"), http.StatusConflict, "already_registered", "email"},
		{"duplicate e-mail at the other venue", valid(func(m map[string]any) {
			m["email"], m["venue"], m["sessions"] = strings.ToUpper(taken), "rotterdam", []uint{}
		}), http.StatusConflict, "already_registered", "email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			regs, mails := registrationCount(t, ts), countRows(t, ts, &models.OutboxMessage{}, "")
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", tc.body, "")
			wantAPIStatus(t, resp, b, tc.status)
			wantAPIError(t, b, tc.code, tc.field)
			if got := registrationCount(t, ts); got != regs {
				t.Errorf("registrations: got %d, want %d (nothing written)", got, regs)
			}
			if got := countRows(t, ts, &models.OutboxMessage{}, ""); got != mails {
				t.Errorf("outbox: got %d, want %d (nothing queued)", got, mails)
			}
			if resp.Header.Get("Location") != "" {
				t.Errorf("Location got %q, want none", resp.Header.Get("Location"))
			}
		})
	}

	t.Run("messages follow the language", func(t *testing.T) {
		_, nl := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", set("name", ""), "", "Accept-Language", "nl")
		_, en := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", set("name", ""), "", "Accept-Language", "en")
		if a, b := wantAPIError(t, nl, "invalid", "name"), wantAPIError(t, en, "invalid", "name"); a.Fields["name"] != texts["nl"].required || b.Fields["name"] != texts["en"].required {
			t.Errorf("name message got %q (nl) and %q (en), want %q and %q", a.Fields["name"], b.Fields["name"], texts["nl"].required, texts["en"].required)
		}
	})

	t.Run("cross-origin browser request", func(t *testing.T) {
		regs := registrationCount(t, ts)
		resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", valid(nil), "", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		wantAPIStatus(t, resp, b, http.StatusForbidden)
		wantAPIError(t, b, "cross_origin", "")
		if got := registrationCount(t, ts); got != regs {
			t.Errorf("registrations: got %d, want %d", got, regs)
		}
	})
}

func TestAPIRegistrationKeepsTextExactly(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, tc := range []struct{ name, value string }{
		{"SQL meta-characters", "Robert'); DROP TABLE registrations;--"},
		{"HTML and script", `<script>alert("x")</script><b onmouseover='y'>Jan</b> & co`},
		{"accents", "Zoë Ångström-Ñúñez"},
		{"Turkish", "Şükrü Öztürk"},
		{"right-to-left and emoji", "سارة 🎉 Ⅻ"},
		{"200 characters", strings.Repeat("ë", 200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			regs := registrationCount(t, ts)
			created := apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) {
				m["name"], m["organisation"] = tc.value, tc.value
			}))
			if created.Name != tc.value {
				t.Errorf("POST answer: name got %q, want %q", created.Name, tc.value)
			}
			got := apiRegistration(t, ts, created.ID, created.ManageToken)
			if got.Name != tc.value || got.Organisation != tc.value {
				t.Errorf("GET: name %q organisation %q, want both %q", got.Name, got.Organisation, tc.value)
			}
			stored, err := ts.Store.Registration(modelstest.Ctx(), created.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Name != tc.value {
				t.Errorf("stored name got %q, want %q", stored.Name, tc.value)
			}
			if got := registrationCount(t, ts); got != regs+1 {
				t.Errorf("registrations: got %d, want %d (the table is still there)", got, regs+1)
			}
			resp, page := ts.get(t, created.BookingURL)
			wantStatus(t, resp, page, http.StatusOK)
			wantContains(t, "booking page", page, "<dd>"+html.EscapeString(tc.value)+"</dd>")
			if strings.ContainsAny(tc.value, "<>") && strings.Contains(page, tc.value) {
				t.Errorf("booking page: got the name unescaped, want %q shown as text", tc.value)
			}
		})
	}
}

func TestAPIWaitingList(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	slot := venue.Slots[3].ID
	small := addSmallSession(t, ts, "zwolle", 3, "Eén stoel")
	other := openSessionIn(t, ts, "zwolle", slot, 5, small.ID)
	otherBefore := other.Confirmed

	a := apiRegister(t, ts, registrationBody(t, []uint{small.ID}, nil))
	wantSessions(t, "A", a.Sessions, BookingJSON{ID: small.ID, Status: models.BookingConfirmed})
	b := apiRegister(t, ts, registrationBody(t, []uint{other.ID}, func(m map[string]any) { m["waitlist"] = []uint{small.ID} }))
	wantSessions(t, "B", b.Sessions,
		BookingJSON{ID: other.ID, Status: models.BookingConfirmed}, BookingJSON{ID: small.ID, Status: models.BookingWaitlisted, Position: 1})
	c := apiRegister(t, ts, registrationBody(t, []uint{small.ID}, nil))
	wantSessions(t, "C", c.Sessions, BookingJSON{ID: small.ID, Status: models.BookingWaitlisted, Position: 2})

	checkCounts := func(what string, wantSmall SessionJSON) {
		t.Helper()
		var list []SessionJSON
		ts.apiGet(t, "/api/v1/venues/zwolle/sessions", http.StatusOK, &list)
		_, stored := venueSessions(t, ts, "zwolle")
		if len(list) != len(stored) {
			t.Fatalf("%s: sessions got %d, want %d", what, len(list), len(stored))
		}
		for i, s := range stored {
			g := list[i]
			confirmed := countRows(t, ts, &models.Booking{}, "session_id = ? AND status = ?", s.ID, models.BookingConfirmed)
			waiting := countRows(t, ts, &models.Booking{}, "session_id = ? AND status = ?", s.ID, models.BookingWaitlisted)
			if g.ID != s.ID || g.Confirmed != s.Confirmed || g.Confirmed != int(confirmed) || g.Waitlisted != int(waiting) ||
				g.Capacity != s.Capacity() || g.Remaining != max(s.Capacity()-int(confirmed), 0) {
				t.Errorf("%s: session %d got confirmed %d waitlisted %d remaining %d capacity %d; want %d (counter %d) %d %d %d",
					what, s.ID, g.Confirmed, g.Waitlisted, g.Remaining, g.Capacity, confirmed, s.Confirmed, waiting, max(s.Capacity()-int(confirmed), 0), s.Capacity())
			}
			if s.ID == small.ID && (g.Confirmed != wantSmall.Confirmed || g.Waitlisted != wantSmall.Waitlisted || g.Remaining != wantSmall.Remaining || g.Capacity != 1) {
				t.Errorf("%s: small session got confirmed %d waitlisted %d remaining %d capacity %d, want %d %d %d 1",
					what, g.Confirmed, g.Waitlisted, g.Remaining, g.Capacity, wantSmall.Confirmed, wantSmall.Waitlisted, wantSmall.Remaining)
			}
		}
	}
	checkCounts("after three registrations", SessionJSON{Confirmed: 1, Waitlisted: 2, Remaining: 0})

	// A leaves: B gets the seat and gives back the one held meanwhile; C moves up.
	resp, body := ts.apiCall(t, http.MethodDelete, "/api/v1/registrations/"+strconv.Itoa(int(a.ID)), "", a.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusNoContent)
	wantSessions(t, "B after A left", apiRegistration(t, ts, b.ID, b.ManageToken).Sessions,
		BookingJSON{ID: small.ID, Status: models.BookingConfirmed})
	wantSessions(t, "C after A left", apiRegistration(t, ts, c.ID, c.ManageToken).Sessions,
		BookingJSON{ID: small.ID, Status: models.BookingWaitlisted, Position: 1})
	if got := sessionCounter(t, ts, other.ID); got != otherBefore {
		t.Errorf("other session confirmed: got %d, want %d", got, otherBefore)
	}
	checkCounts("after A left", SessionJSON{Confirmed: 1, Waitlisted: 1, Remaining: 0})

	// B drops it by PATCH: C gets it.
	resp, body = ts.apiCall(t, http.MethodPatch, "/api/v1/registrations/"+strconv.Itoa(int(b.ID)), `{"sessions":[]}`, b.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusOK)
	wantSessions(t, "C after B changed", apiRegistration(t, ts, c.ID, c.ManageToken).Sessions,
		BookingJSON{ID: small.ID, Status: models.BookingConfirmed})
	checkCounts("after B changed", SessionJSON{Confirmed: 1, Waitlisted: 0, Remaining: 0})
}

func TestAPIEventCounts(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for range 3 {
		apiRegister(t, ts, registrationBody(t, nil, nil))
	}
	apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) { m["venue"] = "rotterdam" }))
	cancelled := apiRegister(t, ts, registrationBody(t, nil, nil))
	resp, body := ts.apiCall(t, http.MethodDelete, "/api/v1/registrations/"+strconv.Itoa(int(cancelled.ID)), "", cancelled.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusNoContent)

	var got EventJSON
	ts.apiGet(t, "/api/v1/event", http.StatusOK, &got)
	venues, err := ts.Store.Venues(modelstest.Ctx(), testEvent(t, ts).ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Venues) != len(venues) {
		t.Fatalf("venues got %d, want %d", len(got.Venues), len(venues))
	}
	for i, v := range venues {
		active := countRows(t, ts, &models.Registration{}, "venue_id = ? AND status = ?", v.ID, models.RegistrationActive)
		g := got.Venues[i]
		if g.Slug != v.Slug || g.Registered != int(active) || g.Registered != v.Registered || g.Remaining != v.Capacity-int(active) {
			t.Errorf("venue %s: got registered %d remaining %d, want %d (counter %d) and %d",
				v.Slug, g.Registered, g.Remaining, active, v.Registered, v.Capacity-int(active))
		}
	}
}

func TestAPIRegistrationVenueFullOrClosed(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	t.Run("venue full", func(t *testing.T) {
		ts := newTestServer(t)
		v := testVenue(t, ts, "zwolle")
		if _, err := ts.Store.UpdateVenue(ctx, v.ID, models.VenueInput{Slug: v.Slug, Name: v.Name, City: v.City,
			Address: v.Address, RouteHint: v.RouteHint, Accessibility: v.Accessibility, Capacity: v.Registered}); err != nil {
			t.Fatalf("lower capacity: %v", err)
		}
		regs := registrationCount(t, ts)
		resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", registrationBody(t, nil, nil), "")
		wantAPIStatus(t, resp, b, http.StatusConflict)
		wantAPIError(t, b, "venue_full", "venue")
		if got := registrationCount(t, ts); got != regs {
			t.Errorf("registrations: got %d, want %d", got, regs)
		}
		var ev EventJSON
		ts.apiGet(t, "/api/v1/event", http.StatusOK, &ev)
		for _, g := range ev.Venues {
			if g.Slug == "zwolle" && (g.Remaining != 0 || g.Registered != v.Registered) {
				t.Errorf("event: zwolle got registered %d remaining %d, want %d and 0", g.Registered, g.Remaining, v.Registered)
			}
		}
		apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) { m["venue"] = "rotterdam" }))
	})

	t.Run("closed", func(t *testing.T) {
		ts := newTestServer(t)
		venue := testVenue(t, ts, "zwolle")
		open := openSessionIn(t, ts, "zwolle", venue.Slots[0].ID, 5)
		existing := apiRegister(t, ts, registrationBody(t, nil, nil))
		closeRegistration(t, ts, false)
		regs := registrationCount(t, ts)
		resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/registrations", registrationBody(t, []uint{open.ID}, nil), "")
		wantAPIStatus(t, resp, b, http.StatusForbidden)
		wantAPIError(t, b, "registration_closed", "")
		if got := registrationCount(t, ts); got != regs {
			t.Errorf("registrations: got %d, want %d", got, regs)
		}
		path := "/api/v1/registrations/" + strconv.Itoa(int(existing.ID))
		resp, b = ts.apiCall(t, http.MethodPatch, path, `{"sessions":[`+idString(open.ID)+`]}`, existing.ManageToken)
		wantAPIStatus(t, resp, b, http.StatusForbidden)
		wantAPIError(t, b, "registration_closed", "")
		// Cancelling is always possible.
		resp, b = ts.apiCall(t, http.MethodDelete, path, "", existing.ManageToken)
		wantAPIStatus(t, resp, b, http.StatusNoContent)
	})

	t.Run("closed, waiting lists open", func(t *testing.T) {
		ts := newTestServer(t)
		venue := testVenue(t, ts, "zwolle")
		open := openSessionIn(t, ts, "zwolle", venue.Slots[0].ID, 5)
		closeRegistration(t, ts, true)
		created := apiRegister(t, ts, registrationBody(t, []uint{open.ID}, nil))
		wantSessions(t, "after closing", created.Sessions, BookingJSON{ID: open.ID, Status: models.BookingWaitlisted, Position: 1})
		if got := sessionCounter(t, ts, open.ID); got != open.Confirmed {
			t.Errorf("session confirmed: got %d, want %d (no seat taken after closing)", got, open.Confirmed)
		}
	})
}

package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// apiGet fetches an API path, checks it is JSON that fits the OpenAPI document, and decodes
// it into out (unless out is nil).
func (ts *testServer) apiGet(t *testing.T, path string, wantStatus int, out any) []byte {
	t.Helper()
	resp, body := ts.get(t, path, "Accept", "application/json")
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status got %d, want %d; body: %s", path, resp.StatusCode, wantStatus, body)
	}
	if got, want := resp.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("GET %s: Content-Type got %q, want %q", path, got, want)
	}
	validateAgainstDocument(t, resp, []byte(body))
	if out != nil {
		decodeStrict(t, []byte(body), out)
	}
	return []byte(body)
}

// decodeStrict decodes JSON into out, failing on a field out does not have.
func decodeStrict(t *testing.T, body []byte, out any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		t.Fatalf("decode %s into %T: %v", body, out, err)
	}
}

// wantKeys fails unless the JSON object m has at least the keys want. That it has no others
// is the OpenAPI document's job (additionalProperties: false), checked by apiGet.
func wantKeys(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	for _, k := range want {
		if !slices.Contains(got, k) {
			t.Errorf("%s: keys got %q, want %q among them", what, got, k)
		}
	}
}

// wantExactKeys fails unless the JSON object m has exactly the keys want.
func wantExactKeys(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: keys got %q, want %q", what, got, want)
	}
}

func TestAPIEvent(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	event := testEvent(t, ts)
	venues, err := ts.Store.Venues(ctx, event.ID)
	if err != nil {
		t.Fatal(err)
	}

	// The exact shape, key by key.
	body := ts.apiGet(t, "/api/v1/event", http.StatusOK, nil)
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	wantKeys(t, "event", raw, "name", "date", "timezone", "venues")
	rawVenues, _ := raw["venues"].([]any)
	if len(rawVenues) == 0 {
		t.Fatalf("venues got %v, want a list of venues", raw["venues"])
	}
	v0, _ := rawVenues[0].(map[string]any)
	wantKeys(t, "venue", v0, "slug", "name", "city", "address", "capacity", "rooms", "slots")
	if rooms, _ := v0["rooms"].([]any); len(rooms) > 0 {
		wantKeys(t, "room", rooms[0].(map[string]any), "id", "name", "capacity")
	} else {
		t.Errorf("rooms got %v, want a list of rooms", v0["rooms"])
	}
	if slots, _ := v0["slots"].([]any); len(slots) > 0 {
		wantExactKeys(t, "slot", slots[0].(map[string]any), "id", "start", "end")
	} else {
		t.Errorf("slots got %v, want a list of slots", v0["slots"])
	}

	// The values, against the store.
	var got EventJSON
	decodeStrict(t, body, &got)
	if got.Name != event.Name || got.Theme != event.Theme || got.Date != "2027-02-03" || got.Timezone != "Europe/Amsterdam" {
		t.Errorf("event got name %q theme %q date %q timezone %q, want %q %q %q %q",
			got.Name, got.Theme, got.Date, got.Timezone, event.Name, event.Theme, "2027-02-03", "Europe/Amsterdam")
	}
	if len(got.Venues) != len(venues) {
		t.Fatalf("venues: got %d, want %d", len(got.Venues), len(venues))
	}
	for i, v := range venues {
		gv := got.Venues[i]
		for _, f := range []struct{ name, got, want string }{
			{"slug", gv.Slug, v.Slug}, {"name", gv.Name, v.Name}, {"city", gv.City, v.City},
			{"address", gv.Address, v.Address}, {"capacity", strconv.Itoa(gv.Capacity), strconv.Itoa(v.Capacity)},
			{"route_hint", gv.RouteHint, v.RouteHint},
		} {
			if f.got != f.want {
				t.Errorf("venue %d %s: got %q, want %q", i, f.name, f.got, f.want)
			}
		}
		if len(gv.Rooms) != len(v.Rooms) {
			t.Errorf("venue %s rooms: got %d, want %d", v.Slug, len(gv.Rooms), len(v.Rooms))
		} else {
			for j, r := range v.Rooms {
				g := gv.Rooms[j]
				if g.ID != r.ID || g.Name != r.Name || g.Capacity != r.Capacity || g.Accessibility != r.Accessibility {
					t.Errorf("venue %s room %d: got %d %q %d %q, want %d %q %d %q", v.Slug, j,
						g.ID, g.Name, g.Capacity, g.Accessibility, r.ID, r.Name, r.Capacity, r.Accessibility)
				}
			}
		}
		if len(gv.Slots) != len(v.Slots) {
			t.Errorf("venue %s slots: got %d, want %d", v.Slug, len(gv.Slots), len(v.Slots))
			continue
		}
		for j, s := range v.Slots {
			gs := gv.Slots[j]
			if gs.ID != s.ID {
				t.Errorf("venue %s slot %d: id got %d, want %d", v.Slug, j, gs.ID, s.ID)
			}
			for _, tc := range []struct {
				name, got string
				want      time.Time
			}{{"start", gs.Start, s.StartsAt}, {"end", gs.End, s.EndsAt}} {
				if !strings.HasPrefix(tc.got, "2027-02-03T") || !strings.HasSuffix(tc.got, "+01:00") {
					t.Errorf("venue %s slot %d %s: got %q, want RFC 3339 on 2027-02-03 with offset +01:00", v.Slug, j, tc.name, tc.got)
				}
				parsed, err := time.Parse(time.RFC3339, tc.got)
				if err != nil || !parsed.Equal(tc.want) {
					t.Errorf("venue %s slot %d %s: got %q (%v), want %s", v.Slug, j, tc.name, tc.got, err, tc.want.Format(time.RFC3339))
				}
			}
		}
	}
	// Spot check against the demo's own clock: Zwolle's first slot starts at 10:00 local time.
	if z := got.Venues[0]; z.Slug == "zwolle" && z.Slots[0].Start != "2027-02-03T10:00:00+01:00" {
		t.Errorf("zwolle first slot start: got %q, want %q", z.Slots[0].Start, "2027-02-03T10:00:00+01:00")
	}
}

func TestAPIVenueSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	venue := testVenue(t, ts, "zwolle")
	want, err := ts.Store.SessionsOfVenue(ctx, venue.ID)
	if err != nil {
		t.Fatal(err)
	}

	body := ts.apiGet(t, "/api/v1/venues/zwolle/sessions", http.StatusOK, nil)
	var raw []map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) == 0 {
		t.Fatal("sessions: got none, want the demo's")
	}
	wantKeys(t, "session", raw[0], "id", "title", "format", "abstract", "room", "slot_ids", "capacity", "speakers")
	// The demo keeps one session at zwolle without a room yet (issue #12 point 10): room null.
	sawNoRoom := false
	for _, r := range raw {
		if room, ok := r["room"].(map[string]any); ok {
			wantExactKeys(t, "session room", room, "id", "name")
		} else if r["room"] != nil {
			t.Errorf("session %v: room got %v, want an object or null", r["id"], r["room"])
		} else {
			sawNoRoom = true
		}
	}
	if !sawNoRoom {
		t.Error("no session without a room, want the demo's one with room null")
	}
	for _, r := range raw {
		if sp, _ := r["speakers"].([]any); len(sp) > 0 {
			wantExactKeys(t, "speaker", sp[0].(map[string]any), "name", "organisation")
			break
		}
	}

	var got []SessionJSON
	decodeStrict(t, body, &got)
	if len(got) != len(want) {
		t.Fatalf("sessions: got %d, want %d", len(got), len(want))
	}
	var sawTwoSlots, sawLimit, sawRoomCapacity bool
	for i, w := range want {
		g := got[i]
		what := fmt.Sprintf("session %d %q", w.ID, w.Title)
		if !w.Placed() {
			if g.ID != w.ID || g.Room != nil || len(g.SlotIDs) != 0 || g.Start != nil || g.Capacity != w.CapacityLimit {
				t.Errorf("%s without a room: got %+v, want room, slots and times empty, capacity %d", what, g, w.CapacityLimit)
			}
			continue
		}
		if g.ID != w.ID || g.Title != w.Title || g.Format != w.Format || g.Track != w.Track || g.Abstract != w.Abstract {
			t.Errorf("%s: got %d %q %q %q %q, want %d %q %q %q %q", what, g.ID, g.Title, g.Format, g.Track, g.Abstract,
				w.ID, w.Title, w.Format, w.Track, w.Abstract)
		}
		if g.Room == nil || g.Room.ID != w.Room.ID || g.Room.Name != w.Room.Name {
			t.Errorf("%s: room got %+v, want {ID:%d Name:%s}", what, g.Room, w.Room.ID, w.Room.Name)
		}
		if !slices.Equal(g.SlotIDs, w.SlotIDs()) {
			t.Errorf("%s: slot_ids got %v, want %v", what, g.SlotIDs, w.SlotIDs())
		}
		if len(w.Slots) == 2 {
			sawTwoSlots = true
			if len(g.SlotIDs) != 2 {
				t.Errorf("%s: two-slot session has slot_ids %v, want 2 ids", what, g.SlotIDs)
			}
		}
		wantCap := w.Room.Capacity
		if w.CapacityLimit > 0 {
			wantCap = w.CapacityLimit
			sawLimit = true
		} else {
			sawRoomCapacity = true
		}
		if g.Capacity != wantCap {
			t.Errorf("%s: capacity got %d, want %d (limit %d, room %d)", what, g.Capacity, wantCap, w.CapacityLimit, w.Room.Capacity)
		}
		loc := testEvent(t, ts).Location()
		if wantStart := w.StartsAt().In(loc).Format(time.RFC3339); g.Start == nil || *g.Start != wantStart {
			t.Errorf("%s: start got %v, want %q", what, deref(g.Start), wantStart)
		}
		if wantEnd := w.EndsAt().In(loc).Format(time.RFC3339); g.End == nil || *g.End != wantEnd {
			t.Errorf("%s: end got %v, want %q", what, deref(g.End), wantEnd)
		}
		var wantSpeakers []SpeakerJSON
		for _, sp := range w.Speakers {
			wantSpeakers = append(wantSpeakers, SpeakerJSON{Name: sp.Name, Organisation: sp.Organisation})
		}
		if !slices.Equal(g.Speakers, wantSpeakers) {
			t.Errorf("%s: speakers got %+v, want %+v", what, g.Speakers, wantSpeakers)
		}
	}
	if !sawTwoSlots || !sawLimit || !sawRoomCapacity {
		t.Errorf("demo at zwolle: got two-slot %v, capacity limit %v, room capacity %v; want all three covered", sawTwoSlots, sawLimit, sawRoomCapacity)
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].Start == nil {
			continue // unplaced sessions come first
		}
		a, b := deref(got[i-1].Start), deref(got[i].Start)
		if a > b {
			t.Errorf("order: session %d starts %s after session %d at %s, want by start time", got[i-1].ID, a, got[i].ID, b)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, tc := range []struct {
		name, method, path string
		status             int
		code               string
		validate           bool // the path and method are in the OpenAPI document
	}{
		{"unknown venue", http.MethodGet, "/api/v1/venues/atlantis/sessions", http.StatusNotFound, "not_found", true},
		{"unknown path", http.MethodGet, "/api/v1/whatever", http.StatusNotFound, "not_found", false},
		{"unknown nested path", http.MethodGet, "/api/v1/venues/zwolle/sessions/1", http.StatusNotFound, "not_found", false},
		{"wrong method", http.MethodPost, "/api/v1/event", http.StatusMethodNotAllowed, "method_not_allowed", false},
		{"wrong method on sessions", http.MethodDelete, "/api/v1/venues/zwolle/sessions", http.StatusMethodNotAllowed, "method_not_allowed", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, ts.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, body := ts.do(t, req, "Origin", ts.URL, "Sec-Fetch-Site", "same-origin")
			if resp.StatusCode != tc.status {
				t.Fatalf("%s %s: status got %d, want %d; body: %s", tc.method, tc.path, resp.StatusCode, tc.status, body)
			}
			if got, want := resp.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
				t.Errorf("Content-Type got %q, want %q", got, want)
			}
			var raw map[string]any
			if err := json.Unmarshal([]byte(body), &raw); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			wantExactKeys(t, "error body", raw, "error")
			e, _ := raw["error"].(map[string]any)
			wantExactKeys(t, "error", e, "code", "message", "fields")
			if got := e["code"]; got != tc.code {
				t.Errorf("code got %v, want %q", got, tc.code)
			}
			if msg, _ := e["message"].(string); msg == "" || strings.HasPrefix(msg, "[") {
				t.Errorf("message got %q, want a translated message", msg)
			}
			if fields, ok := e["fields"].(map[string]any); !ok || len(fields) != 0 {
				t.Errorf("fields got %v, want {}", e["fields"])
			}
			if tc.validate {
				validateAgainstDocument(t, resp, []byte(body))
			}
		})
	}

	t.Run("message follows the language", func(t *testing.T) {
		_, nl := ts.get(t, "/api/v1/whatever")
		_, en := ts.get(t, "/api/v1/whatever", "Accept-Language", "en")
		if nl == en {
			t.Errorf("error body: got the same %s for nl and en, want a translated message", nl)
		}
	})
}

// loadDocument parses and validates the OpenAPI document the server serves.
func loadDocument(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("load OpenAPI document: %v", err)
	}
	if err := doc.Validate(modelstest.Ctx()); err != nil {
		t.Fatalf("OpenAPI document is invalid: got %v, want no error", err)
	}
	return doc
}

var apiRouter = struct {
	sync.Mutex // tests run in parallel
	doc        *openapi3.T
	router     routers.Router
}{}

// documentRouter returns a router over the embedded OpenAPI document, built once.
func documentRouter(t *testing.T) routers.Router {
	t.Helper()
	apiRouter.Lock()
	defer apiRouter.Unlock()
	if apiRouter.router == nil {
		doc := loadDocument(t, openAPIDocument)
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatalf("router for the OpenAPI document: %v", err)
		}
		apiRouter.doc, apiRouter.router = doc, r
	}
	return apiRouter.router
}

// validateAgainstDocument fails unless the response fits what the OpenAPI document says the
// request's operation answers, including that its status is documented.
func validateAgainstDocument(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	req := resp.Request.Clone(modelstest.Ctx())
	// The document's server is "/", so match on the path alone, as the API sees it.
	req.URL = &url.URL{Path: resp.Request.URL.Path, RawQuery: resp.Request.URL.RawQuery}
	req.Host = ""
	route, params, err := documentRouter(t).FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: got no operation in the OpenAPI document (%v), want one", req.Method, req.URL.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.EnableFormatValidation(), openapi3.DisableSchemaErrorDetails()},
		},
	}
	if err := openapi3filter.ValidateResponse(modelstest.Ctx(), in); err != nil {
		t.Errorf("%s %s → %d: got a response that does not fit the OpenAPI document: %v\nbody: %s",
			req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	resp, body := ts.get(t, "/api/v1/openapi.json")
	wantStatus(t, resp, body, http.StatusOK)
	if !bytes.Equal([]byte(body), openAPIDocument) {
		t.Errorf("GET /api/v1/openapi.json: got %d bytes, want the embedded handlers/openapi.json (%d bytes)", len(body), len(openAPIDocument))
	}
	doc := loadDocument(t, []byte(body))
	if got, want := doc.OpenAPI, "3.0.3"; got != want {
		t.Errorf("openapi version got %q, want %q", got, want)
	}
	validateAgainstDocument(t, resp, []byte(body))

	resp, body = ts.get(t, "/healthz")
	validateAgainstDocument(t, resp, []byte(body))
	resp, body = ts.get(t, "/readyz")
	wantStatus(t, resp, body, http.StatusOK)
	validateAgainstDocument(t, resp, []byte(body))
}

// TestOpenAPIMatchesRoutes fails when a route of the API is missing from the document, or the
// document describes an operation no route serves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	documentRouter(t)
	doc := apiRouter.doc

	registered := map[string]bool{} // "GET /api/v1/venues/{slug}/sessions"
	for _, r := range ginRoutes() {
		if r.Path == "/healthz" || r.Path == "/readyz" || strings.HasPrefix(r.Path, "/api/v1/") {
			registered[r.Method+" "+ginPathToOpenAPI(r.Path)] = true
		}
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	for op := range registered {
		if !documented[op] {
			t.Errorf("route %s: got no operation for it in openapi.json, want it documented", op)
		}
	}
	for op := range documented {
		if !registered[op] {
			t.Errorf("openapi.json documents %s: got no such route in routes.go, want one", op)
		}
	}
	if len(registered) < 4 {
		t.Errorf("API routes found: got %v, want at least /healthz and three under /api/v1", registered)
	}
}

// ginPathToOpenAPI turns gin's "/venues/:slug" into OpenAPI's "/venues/{slug}".
func ginPathToOpenAPI(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if strings.HasPrefix(part, ":") || strings.HasPrefix(part, "*") {
			parts[i] = "{" + part[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

func TestAPIOnEmptyDatabase(t *testing.T) {
	t.Parallel()
	ts := newTestServerWith(t, modelstest.SQLite(t), false)
	ts.apiGet(t, "/api/v1/event", http.StatusNotFound, nil)
	ts.apiGet(t, "/api/v1/venues/zwolle/sessions", http.StatusNotFound, nil)
	resp, body := ts.get(t, "/")
	wantStatus(t, resp, body, http.StatusNotFound)
}

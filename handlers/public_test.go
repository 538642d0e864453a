package handlers

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// wantStatus fails the test unless resp has the wanted status.
func wantStatus(t *testing.T, resp *http.Response, body string, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status got %d, want %d; body:\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, excerpt(body))
	}
}

// wantContains fails the test for every want that body lacks.
func wantContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s: got a body without %q, want it in there; body:\n%s", what, want, excerpt(body))
		}
	}
}

// excerpt shortens a body for a failure message; the <main> part says most.
func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000] + "…"
	}
	return body
}

// testEvent returns the demo event.
func testEvent(t *testing.T, ts *testServer) models.Event {
	t.Helper()
	e, err := ts.Store.CurrentEvent(modelstest.Ctx())
	if err != nil {
		t.Fatalf("current event: %v", err)
	}
	return e
}

// testVenue returns a demo venue by slug.
func testVenue(t *testing.T, ts *testServer, slug string) models.Venue {
	t.Helper()
	v, err := ts.Store.VenueBySlug(modelstest.Ctx(), slug)
	if err != nil {
		t.Fatalf("venue %q: %v", slug, err)
	}
	return v
}

// testSessionByTitle returns the demo session with the given title.
func testSessionByTitle(t *testing.T, ts *testServer, title string) models.Session {
	t.Helper()
	ss, err := ts.Store.SessionsOfEvent(modelstest.Ctx(), testEvent(t, ts).ID)
	if err != nil {
		t.Fatalf("sessions of event: %v", err)
	}
	for _, s := range ss {
		if s.Title == title {
			return s
		}
	}
	t.Fatalf("no session titled %q", title)
	return models.Session{}
}

// addPlacedSession puts a new session in a new room at zwolle, in the first slot, so it
// clashes with nothing in the demo.
func addPlacedSession(t *testing.T, ts *testServer, title string, speakers ...models.SpeakerInput) models.Session {
	t.Helper()
	ctx := modelstest.Ctx()
	v := testVenue(t, ts, "zwolle")
	room, err := ts.Store.CreateRoom(ctx, v.ID, models.RoomInput{Name: "Testkamer " + strconv.Itoa(len(v.Rooms)), Capacity: 30})
	if err != nil {
		t.Fatalf("create room: %v", err)
	}
	s, err := ts.Store.CreateSession(ctx, testEvent(t, ts).ID, models.SessionInput{
		Title: title, Format: "workshop", Abstract: "Een sessie om te testen.",
		VenueID: v.ID, RoomID: room.ID, FirstSlotID: v.Slots[0].ID, SlotCount: 1, Speakers: speakers,
	})
	if err != nil {
		t.Fatalf("create session %q: %v", title, err)
	}
	// The public programme shows the published version: publish the new session.
	if _, err := ts.Store.PublishSchedule(ctx, testEvent(t, ts).ID, nil); err != nil {
		t.Fatalf("publish the schedule: %v", err)
	}
	return s
}

func TestHomeShowsEventAndVenues(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	resp, body := ts.get(t, "/")
	wantStatus(t, resp, body, http.StatusOK)
	if got, want := resp.Header.Get("Content-Type"), "text/html; charset=utf-8"; got != want {
		t.Errorf("Content-Type got %q, want %q", got, want)
	}
	wantContains(t, "home", body, `<html lang="nl"`, html.EscapeString(demo.EventName), "woensdag 3 februari 2027")
	for _, v := range demo.Venues {
		stored, err := ts.Store.VenueBySlug(modelstest.Ctx(), v.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Registered == 0 {
			t.Errorf("venue %s: no demo registrations, want seats left below capacity", v.Slug)
		}
		wantContains(t, "home, venue "+v.Slug, body,
			html.EscapeString(v.Name), html.EscapeString(v.Address),
			nlMsg(t, "venue.seats_left", "Count", stored.Capacity-stored.Registered), nlMsg(t, "venue.of_capacity", "Count", v.Capacity),
			`href="/programma/`+v.Slug+`"`)
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)

	t.Run("browser asks for English", func(t *testing.T) {
		resp, body := ts.get(t, "/", "Accept-Language", "en-GB,en;q=0.9")
		wantStatus(t, resp, body, http.StatusOK)
		zwolle, err := ts.Store.VenueBySlug(modelstest.Ctx(), "zwolle")
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, "home in English", body, `<html lang="en"`, "Wednesday 3 February 2027", fmt.Sprintf("%d seats left", zwolle.SeatsLeft()))
		if strings.Contains(body, "woensdag") {
			t.Errorf("English home page: got Dutch %q in it, want none", "woensdag")
		}
		if got, want := resp.Header.Get("Content-Language"), "en"; got != want {
			t.Errorf("Content-Language got %q, want %q", got, want)
		}
	})

	t.Run("unknown language gives Dutch", func(t *testing.T) {
		resp, body := ts.get(t, "/", "Accept-Language", "fr-FR,fr;q=0.9")
		wantStatus(t, resp, body, http.StatusOK)
		wantContains(t, "home for a French browser", body, `<html lang="nl"`, "woensdag 3 februari 2027")
	})

	t.Run("choice is remembered", func(t *testing.T) {
		browser := *ts
		browser.Client = ts.newClient(t)
		resp, body := browser.postForm(t, "/taal", url.Values{"lang": {"en"}, "terug": {"/programma/zwolle"}})
		wantStatus(t, resp, body, http.StatusSeeOther)
		if got, want := resp.Header.Get("Location"), "/programma/zwolle"; got != want {
			t.Errorf("Location got %q, want %q", got, want)
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "lang" {
				cookie = c
			}
		}
		if cookie == nil {
			t.Fatalf("cookies got %v, want one named lang", resp.Cookies())
		}
		if cookie.Value != "en" || cookie.MaxAge < 30*24*3600 || !cookie.HttpOnly || cookie.Path != "/" {
			t.Errorf("lang cookie got %+v, want value en, path /, HttpOnly, remembered for months", cookie)
		}
		// A Dutch browser still gets English: the choice beats Accept-Language.
		resp, body = browser.get(t, "/", "Accept-Language", "nl-NL,nl;q=0.9")
		wantStatus(t, resp, body, http.StatusOK)
		wantContains(t, "home after choosing English", body, `<html lang="en"`, "Wednesday 3 February 2027")

		resp, body = browser.postForm(t, "/taal", url.Values{"lang": {"nl"}, "terug": {"/"}})
		wantStatus(t, resp, body, http.StatusSeeOther)
		_, body = browser.get(t, "/", "Accept-Language", "en")
		wantContains(t, "home after choosing Dutch", body, `<html lang="nl"`, "woensdag 3 februari 2027")
	})

	for _, tc := range []struct{ name, back, want string }{
		{"local path", "/sessies/1?x=1", "/sessies/1?x=1"},
		{"protocol-relative", "//evil.example", "/"},
		{"absolute URL", "https://evil.example", "/"},
		{"backslash", `/\evil.example`, "/"},
		{"empty", "", "/"},
		{"header injection", "/\r\nSet-Cookie: x=1", "/"},
	} {
		t.Run("back to "+tc.name, func(t *testing.T) {
			resp, body := ts.postForm(t, "/taal", url.Values{"lang": {"en"}, "terug": {tc.back}})
			wantStatus(t, resp, body, http.StatusSeeOther)
			if got := resp.Header.Get("Location"); got != tc.want {
				t.Errorf("terug=%q: Location got %q, want %q", tc.back, got, tc.want)
			}
		})
	}

	t.Run("cross-origin switch is refused", func(t *testing.T) {
		resp, body := ts.postFormCrossOrigin(t, "/taal", url.Values{"lang": {"en"}, "terug": {"/"}})
		wantStatus(t, resp, body, http.StatusForbidden)
		for _, c := range resp.Cookies() {
			if c.Name == "lang" {
				t.Errorf("cross-origin POST /taal: got cookie %v, want none", c)
			}
		}
	})
}

func TestLanguageCookieSecure(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("secure=%v", secure), func(t *testing.T) {
			ts := newTestServerWith(t, newDemoStore(t), secure)
			resp, body := ts.postForm(t, "/taal", url.Values{"lang": {"en"}, "terug": {"/"}})
			wantStatus(t, resp, body, http.StatusSeeOther)
			for _, c := range resp.Cookies() {
				if c.Name == "lang" && c.Secure != secure {
					t.Errorf("lang cookie Secure: got %v, want %v", c.Secure, secure)
				}
			}
		})
	}
}

var (
	headerCellRE = regexp.MustCompile(`<th class="utrecht-table__header-cell" scope="col">([^<]*?) <span`)
	rowspanRE    = regexp.MustCompile(`<td class="utrecht-table__cell" rowspan="(\d+)">\s*<article class="session-card">\s*<h3[^>]*><a class="utrecht-link" href="/sessies/(\d+)"[^>]*>`)
)

func TestProgrammeGrid(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	resp, body := ts.get(t, "/programma/zwolle")
	wantStatus(t, resp, body, http.StatusOK)

	venue := testVenue(t, ts, "zwolle")
	var gotRooms []string
	for _, m := range headerCellRE.FindAllStringSubmatch(body, -1) {
		gotRooms = append(gotRooms, html.UnescapeString(m[1]))
	}
	var wantRooms []string
	for _, r := range venue.Rooms {
		wantRooms = append(wantRooms, r.Name)
	}
	slices.Sort(gotRooms)
	slices.Sort(wantRooms)
	if !slices.Equal(gotRooms, wantRooms) {
		t.Errorf("grid columns got %q, want every room of zwolle %q", gotRooms, wantRooms)
	}

	var twoSlot []string
	for _, s := range demo.Sessions {
		if s.Venue != "zwolle" {
			continue
		}
		wantContains(t, "programme zwolle", body, html.EscapeString(s.Title))
		if s.Slots == 2 {
			twoSlot = append(twoSlot, s.Title)
		}
	}
	if len(twoSlot) == 0 {
		t.Fatal("demo has no two-slot session at zwolle; got none, want at least one to test rowspan")
	}
	spans := map[string]string{} // session id → rowspan
	for _, m := range rowspanRE.FindAllStringSubmatch(body, -1) {
		spans[m[2]] = m[1]
	}
	for _, title := range twoSlot {
		s := testSessionByTitle(t, ts, title)
		if got, want := spans[strconv.Itoa(int(s.ID))], "2"; got != want {
			t.Errorf("session %d %q: rowspan got %q, want %q", s.ID, title, got, want)
		}
	}
	for _, s := range demo.Sessions {
		if s.Venue == "rotterdam" && strings.Contains(body, html.EscapeString(s.Title)) {
			t.Errorf("programme zwolle: got rotterdam session %q, want only zwolle's", s.Title)
		}
	}

	t.Run("index sends to the first venue", func(t *testing.T) {
		resp, body := ts.get(t, "/programma")
		wantStatus(t, resp, body, http.StatusSeeOther)
		if got, want := resp.Header.Get("Location"), "/programma/"+demo.Venues[0].Slug; got != want {
			t.Errorf("Location got %q, want %q", got, want)
		}
	})
}

func TestSessionPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	const title = "Open data in Overijssel: van dataset tot dienst"
	s := testSessionByTitle(t, ts, title)
	s, err := ts.Store.Session(modelstest.Ctx(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := ts.get(t, fmt.Sprintf("/sessies/%d", s.ID))
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "session page", body,
		html.EscapeString(title), html.EscapeString(s.Abstract),
		"Anouk Brinkman", "Provincie Overijssel", "Ömer Yıldız", "Gemeente Zwolle",
		"Hofzaal", "Provinciehuis Overijssel", "woensdag 3 februari 2027", "10:00–11:00",
		nlMsg(t, "venue.seats_left", "Count", 120-s.Confirmed), nlMsg(t, "format.presentation"))

	t.Run("capacity limit", func(t *testing.T) {
		s := testSessionByTitle(t, ts, "Pleio voor beginners: je eigen deelsite in twee uur")
		s, err := ts.Store.Session(modelstest.Ctx(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, body := ts.get(t, fmt.Sprintf("/sessies/%d", s.ID))
		left := nlMsg(t, "venue.seats_left", "Count", 20-s.Confirmed)
		wantContains(t, "two-slot session page", body, left, "10:00–12:15", "IJsselkamer")
	})
}

func TestNotFoundPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, path := range []string{
		"/programma/atlantis",
		"/sessies/999999",
		"/sessies/abc",
		"/sessies/-1",
		"/sessies/99999999999999999999",
		"/bestaat-niet",
	} {
		t.Run(path, func(t *testing.T) {
			resp, body := ts.get(t, path)
			wantStatus(t, resp, body, http.StatusNotFound)
			if got, want := resp.Header.Get("Content-Type"), "text/html; charset=utf-8"; got != want {
				t.Errorf("Content-Type got %q, want %q", got, want)
			}
			wantContains(t, path, body, nlMsg(t, "error.not_found.title"), `<html lang="nl"`)
		})
	}
	t.Run("in English", func(t *testing.T) {
		resp, body := ts.get(t, "/sessies/abc", "Accept-Language", "en")
		wantStatus(t, resp, body, http.StatusNotFound)
		wantContains(t, "English 404", body, `<html lang="en"`)
		if strings.Contains(body, nlMsg(t, "error.not_found.title")) {
			t.Errorf("English 404: got the Dutch heading, want English")
		}
	})
	t.Run("wrong method", func(t *testing.T) {
		resp, body := ts.postForm(t, "/programma/zwolle", url.Values{})
		wantStatus(t, resp, body, http.StatusMethodNotAllowed)
		wantContains(t, "405 page", body, nlMsg(t, "error.method_not_allowed_page.title"))
	})
}

func TestDataIsEscaped(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	const evil = `<script>alert(1)</script>`
	s := addPlacedSession(t, ts, evil, models.SpeakerInput{Name: `<img src=x onerror=alert(2)>`, Organisation: `"><b>vet</b>`})
	for _, path := range []string{fmt.Sprintf("/sessies/%d", s.ID), "/programma/zwolle"} {
		resp, body := ts.get(t, path)
		wantStatus(t, resp, body, http.StatusOK)
		wantContains(t, path, body, "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;")
		for _, raw := range []string{evil, "<img src=x", "<b>vet</b>"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s: got raw %q in the page, want it escaped", path, raw)
			}
		}
	}
}

func TestUnicodeNames(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	names := []string{"Zoë Ångström-Ñúñez", "Şükrü Öztürk"}
	s := addPlacedSession(t, ts, "Toegankelijk schrijven in het Fries en het Papiaments",
		models.SpeakerInput{Name: names[0], Organisation: "Gemeente Súdwest-Fryslân"},
		models.SpeakerInput{Name: names[1], Organisation: "Rijkswaterstaat"})
	for _, path := range []string{fmt.Sprintf("/sessies/%d", s.ID), "/programma/zwolle"} {
		resp, body := ts.get(t, path)
		wantStatus(t, resp, body, http.StatusOK)
		wantContains(t, path, body, names...)
	}
	_, body := ts.get(t, fmt.Sprintf("/sessies/%d", s.ID))
	wantContains(t, "session page", body, "Gemeente Súdwest-Fryslân")
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, path := range []string{"/", "/programma/zwolle", "/sessies/abc", "/api/v1/event", "/healthz"} {
		t.Run(path, func(t *testing.T) {
			resp, _ := ts.get(t, path)
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := resp.Header.Get(name); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy got %q, want it to contain %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") {
				t.Errorf("Content-Security-Policy got %q, want no 'unsafe-inline'", csp)
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Errorf("X-Request-Id: got none, want an id")
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	resp, body := ts.get(t, "/healthz")
	wantStatus(t, resp, body, http.StatusOK)
	if got, want := resp.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("Content-Type got %q, want %q", got, want)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	if want := map[string]any{"status": "ok"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("body got %v, want %v", got, want)
	}
}

// messageMarkerRE finds what Translator.T writes for a key it does not know: "[some.key]".
var messageMarkerRE = regexp.MustCompile(`\[[a-z_]+(\.[a-z0-9_]+)+\]`)

// TestEveryMessageKeyExists renders every page, in both languages, in its ordinary and its
// error states, and checks that no template asked for a message the catalogues lack.
func TestEveryMessageKeyExists(t *testing.T) {
	t.Parallel()
	store := newDemoStore(t)
	h, hh, err := newHandlerForTest(Config{Store: store, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	checkEveryFieldSet(t, h, "secure", "base", "keys", "trustedProxies", "observe", "sso", "security") // sso: nil without single sign-on; security: no security.txt without a contact
	ts := serve(t, store, hh)
	ctx := modelstest.Ctx()
	ses := testSessionByTitle(t, ts, "Pleio voor beginners: je eigen deelsite in twee uur")
	unplaced, err := store.CreateSession(ctx, testEvent(t, ts).ID, models.SessionInput{Title: "Nog in te plannen", Format: "other", SlotCount: 1})
	if err != nil {
		t.Fatalf("create unplaced session: %v", err)
	}
	zwolle := testVenue(t, ts, "zwolle")
	room, slot := zwolle.Rooms[0].ID, zwolle.Slots[0].ID

	v := zwolle.ID
	// Public pages and API paths; some answer 404 on purpose.
	gets := []string{
		"/", "/programma/zwolle", "/programma/rotterdam",
		fmt.Sprintf("/sessies/%d", ses.ID), fmt.Sprintf("/sessies/%d", unplaced.ID),
		"/sessies/abc", "/bestaat-niet", "/beheer/inloggen",
		"/api/v1/event", "/api/v1/venues/atlantis/sessions", "/api/v1/whatever", "/deur",
	}
	// The organisers' pages, which all answer 200 to an admin.
	adminGets := []string{
		"/beheer", "/beheer/evenement", "/beheer/locaties/nieuw",
		fmt.Sprintf("/beheer/locaties/%d", v), fmt.Sprintf("/beheer/locaties/%d/bewerken", v),
		fmt.Sprintf("/beheer/locaties/%d/zalen/nieuw", v), fmt.Sprintf("/beheer/zalen/%d", room),
		fmt.Sprintf("/beheer/locaties/%d/tijdvakken/nieuw", v), fmt.Sprintf("/beheer/tijdvakken/%d", slot),
		"/beheer/sessies", "/beheer/sessies/nieuw", fmt.Sprintf("/beheer/sessies/%d", ses.ID),
		fmt.Sprintf("/beheer/sessies/%d", unplaced.ID),
		"/beheer/binnenkomst", fmt.Sprintf("/beheer/locaties/%d/binnenkomst", v), fmt.Sprintf("/beheer/locaties/%d/apparaten", v),
		"/beheer/logboek", "/beheer/logboek?soort=registration&van=2027-01-01", // #16 audit
		"/beheer/toewijzing", // #19: a first-come event's explanation; TestAllocationReport* the rest
	}
	// Empty and nonsensical forms, so every page also renders its problems.
	badForm := url.Values{"capacity": {"-3"}, "start": {"25:00"}, "end": {"nu"}, "date": {"gisteren"},
		"email": {"geen-adres"}, "slot_count": {"7"}, "format": {"dans"}}
	posts := []string{
		"/beheer/evenement", "/beheer/locaties/nieuw", fmt.Sprintf("/beheer/locaties/%d/bewerken", v),
		fmt.Sprintf("/beheer/locaties/%d/zalen/nieuw", v), fmt.Sprintf("/beheer/zalen/%d", room),
		fmt.Sprintf("/beheer/locaties/%d/tijdvakken/nieuw", v), fmt.Sprintf("/beheer/tijdvakken/%d", slot),
		"/beheer/sessies/nieuw", fmt.Sprintf("/beheer/sessies/%d", ses.ID), fmt.Sprintf("/beheer/locaties/%d/apparaten", v),
	}
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			browser := *ts
			browser.Client = ts.newClient(t)
			check := func(what string, resp *http.Response, body string) {
				t.Helper()
				if resp.StatusCode >= 500 {
					t.Errorf("%s: status got %d, want below 500; body:\n%s", what, resp.StatusCode, excerpt(body))
				}
				if m := messageMarkerRE.FindAllString(body, -1); len(m) > 0 {
					t.Errorf("%s: got untranslated message keys %q, want none", what, m)
				}
			}
			al := []string{"Accept-Language", lang}
			// Signed out: the pages, the log-in page with a failed log-in, a refused cross-origin form.
			for _, p := range gets {
				resp, body := browser.get(t, p, al...)
				check("GET "+p, resp, body)
			}
			resp, body := browser.postForm(t, "/beheer/inloggen", url.Values{"email": {"niemand@example.nl"}, "password": {"fout wachtwoord!"}}, al...)
			check("failed log-in", resp, body)
			resp, body = browser.postForm(t, "/beheer/inloggen", url.Values{}, al...)
			check("empty log-in", resp, body)
			resp, body = browser.postFormCrossOrigin(t, "/taal", url.Values{"lang": {lang}}, al...)
			check("cross-origin form", resp, body)
			resp, body = browser.postForm(t, "/programma/zwolle", url.Values{}, al...)
			check("wrong method", resp, body)

			// A door account may not enter the organisers' area.
			browser.loginAs(t, models.RoleDoor, "zwolle")
			resp, body = browser.get(t, "/beheer", al...)
			check("forbidden", resp, body)

			browser.Client = ts.newClient(t)
			browser.loginAs(t, models.RoleAdmin, "")
			for _, p := range append(gets, adminGets...) {
				resp, body := browser.get(t, p, al...)
				check("GET "+p+" signed in", resp, body)
				if slices.Contains(adminGets, p) && resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s as admin: status got %d, want %d", p, resp.StatusCode, http.StatusOK)
				}
			}
			for _, p := range posts {
				resp, body := browser.postForm(t, p, badForm, al...)
				check("POST "+p, resp, body)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("POST %s with a bad form: status got %d, want %d", p, resp.StatusCode, http.StatusUnprocessableEntity)
				}
			}
			// A change that works, so the flash message is shown.
			resp, body = browser.postForm(t, fmt.Sprintf("/beheer/zalen/%d", room),
				url.Values{"name": {zwolle.Rooms[0].Name}, "capacity": {strconv.Itoa(zwolle.Rooms[0].Capacity)}}, al...)
			check("update room", resp, body)
			if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther && loc != "" {
				resp, body = browser.get(t, loc, al...)
				check("GET "+loc+" with flash", resp, body)
			} else {
				t.Errorf("update room: got status %d Location %q, want 303 with a Location; body:\n%s", resp.StatusCode, loc, excerpt(body))
			}
			resp, body = browser.postForm(t, "/beheer/uitloggen", url.Values{}, al...)
			check("log out", resp, body)
		})
	}
	if got := h.missingMessages(); len(got) != 0 {
		t.Errorf("message keys missing from the catalogues: got %q, want none", got)
	}
}

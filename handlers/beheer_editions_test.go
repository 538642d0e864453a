package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// editionFixture is the demo (the 2027 edition) and a copy of it on 2028 holding one thing of
// every kind an organiser route names by id.
type editionFixture struct {
	old, new models.Event
	// ids maps a route parameter to the id of a thing of the 2028 edition.
	ids     map[string]string
	session models.Session
}

func newEditionFixture(t *testing.T, store *models.Store) editionFixture {
	t.Helper()
	ctx := modelstest.Ctx()
	old, err := store.CurrentEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := store.CopyEvent(ctx, old.ID, models.CopyInput{Date: "2028-02-02", What: models.CopyParts})
	if err != nil {
		t.Fatal(err)
	}
	venues, err := store.Venues(ctx, e.ID)
	if err != nil || len(venues) == 0 {
		t.Fatalf("venues of the copy: %v, %v", venues, err)
	}
	v := venues[0]
	se := modelstest.Session(t, store, e.ID, models.SessionInput{Title: "Alleen in 2028", Format: "workshop",
		VenueID: v.ID, RoomID: v.Rooms[0].ID, FirstSlotID: v.Slots[0].ID, SlotCount: 1})
	var proposals []models.Proposal
	modelstest.Find(t, store, &proposals, modelstest.Where("event_id = ?", e.ID))
	if len(proposals) == 0 {
		t.Fatal("the copy has no proposals from the sessions")
	}
	person, err := store.RegisterFor(ctx, models.Actor{Kind: models.ActorSystem, Name: "test"}, models.RegistrationInput{
		Name: "Eva Nieuw", Email: "eva.nieuw@example.nl", Organisation: "Gemeente Testdorp", Lang: "nl",
		Venue: v.Slug, VenueID: v.ID, Consent: true}, false)
	if err != nil {
		t.Fatal(err)
	}
	device, _, err := store.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: "Deur 2028", Role: models.RoleDoor, VenueID: v.ID, VenueSlug: v.Slug})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := store.CreateMessage(ctx, e.ID, models.Actor{Kind: models.ActorSystem, Name: "test"},
		models.MessageInput{Audience: models.Audience{EventID: e.ID}, SubjectNL: "Hallo 2028", BodyNL: "Tot dan."})
	if err != nil {
		t.Fatal(err)
	}
	question, err := store.CreateSurveyQuestion(ctx, e.ID, models.SurveyQuestionInput{Kind: "text", Text: "Wat neem je mee?"})
	if err != nil {
		t.Fatal(err)
	}
	id := func(n uint) string { return strconv.FormatUint(uint64(n), 10) }
	return editionFixture{old: old, new: e, session: se, ids: map[string]string{
		"venue": id(v.ID), "room": id(v.Rooms[0].ID), "slot": id(v.Slots[0].ID), "session": id(se.ID), "question": id(question.ID),
		"proposal": id(proposals[0].ID), "id": id(person.Registration.ID), "device": id(device.ID), "message": id(msg.ID),
	}}
}

// notPerEdition are route parameters that name no thing of one edition: accounts, a
// decision's template by its name (in the edition worked on), personal links.
var notPerEdition = map[string]bool{"user": true, "decision": true, "lang": true, "token": true, "signin": true, "invitation": true}

var routeParam = regexp.MustCompile(`[:*]([a-z_]+)`)

// editionScopedRoutes lists the organiser GET routes that name a thing of an edition by id:
// every /beheer route, from the router, so a new one is covered without changing this test.
// A parameter the test does not know fails it: say whether it belongs to an edition.
func editionScopedRoutes(t *testing.T, f editionFixture) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range ginRoutes() {
		if r.Method != http.MethodGet || !(strings.HasPrefix(r.Path, "/beheer/") || r.Path == "/api/v1/registrations/:id") {
			continue
		}
		path, scoped := r.Path, false
		for _, m := range routeParam.FindAllStringSubmatch(r.Path, -1) {
			switch id, ok := f.ids[m[1]]; {
			case ok:
				path, scoped = strings.Replace(path, m[0], id, 1), true
			case notPerEdition[m[1]]:
			default:
				t.Errorf("route %s has the parameter %s, which this test does not know: add it to the fixture or to notPerEdition", r.Path, m[1])
			}
		}
		if scoped {
			out[r.Path] = path
		}
	}
	if len(out) < 15 {
		t.Errorf("only %d organiser routes name a thing by id: %v", len(out), out)
	}
	return out
}

// TestOrganiserRoutesScopedToEdition: an organiser working on the 2027 edition gets 404 for
// every organiser address naming a thing of 2028 (a venue, room, slot, session, proposal,
// person, device, message or survey question), and every answer names the edition worked on; once they switch
// to 2028, the same addresses answer.
func TestOrganiserRoutesScopedToEdition(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		ts := newTestServerWith(t, store, false)
		f := newEditionFixture(t, store)
		ts.loginAs(t, models.RoleAdmin, "")
		routes := editionScopedRoutes(t, f)
		for pattern, path := range routes {
			resp, _ := ts.get(t, path)
			if resp.StatusCode != http.StatusNotFound || resp.Header.Get(editionHeader) != "2027" {
				t.Errorf("working on 2027, GET %s (%s): status %d, %s %q; want 404 naming 2027", path, pattern, resp.StatusCode, editionHeader, resp.Header.Get(editionHeader))
			}
		}
		resp, _ := ts.postForm(t, "/beheer/editie", url.Values{"editie": {strconv.FormatUint(uint64(f.new.ID), 10)}, "terug": {"/beheer/sessies"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/sessies" {
			t.Fatalf("switch to 2028: status %d to %q, want 303 back to /beheer/sessies", resp.StatusCode, resp.Header.Get("Location"))
		}
		for pattern, path := range routes {
			resp, body := ts.get(t, path)
			if strings.HasSuffix(pattern, "/foto") || pattern == "/beheer/toewijzing/:venue/sessies.csv" {
				continue // the proposal has no photo; no venue has an allocation yet
			}
			if resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 500 || resp.Header.Get(editionHeader) != "2028" {
				t.Errorf("working on 2028, GET %s (%s): status %d, %s %q; want an answer naming 2028; body:\n%.400s", path, pattern, resp.StatusCode, editionHeader, resp.Header.Get(editionHeader), body)
			}
		}
		// The shell names the edition on every page, and the session list is 2028's.
		_, body := ts.get(t, "/beheer/sessies")
		if !strings.Contains(body, nlText(t, "edition.shell_name", "Year", 2028)) || !strings.Contains(body, "Alleen in 2028") {
			t.Errorf("the sessions page of 2028 does not name the edition or lacks its session")
		}
	})
}

// TestEditionFromRequest: an organiser API call chooses its edition with ?edition=YYYY and
// the answer names it; an unknown year is a 404; an account limited to one venue works on
// its venue's edition and cannot switch.
func TestEditionFromRequest(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newEditionFixture(t, ts.Store)
	token := organiserToken(t, ts, "")
	api := func(path string) (*http.Response, string) {
		return ts.withNewClient(t).get(t, path, "Authorization", "Bearer "+token)
	}
	resp, body := api("/api/v1/registrations?edition=2028")
	if resp.StatusCode != http.StatusOK || resp.Header.Get(editionHeader) != "2028" || !strings.Contains(body, "eva.nieuw@example.nl") {
		t.Errorf("registrations of 2028: status %d, edition %q, body %.300s", resp.StatusCode, resp.Header.Get(editionHeader), body)
	}
	resp, body = api("/api/v1/registrations")
	if resp.StatusCode != http.StatusOK || resp.Header.Get(editionHeader) != "2027" || strings.Contains(body, "eva.nieuw@example.nl") {
		t.Errorf("registrations without ?edition: status %d, edition %q; want 2027's, without 2028's person", resp.StatusCode, resp.Header.Get(editionHeader))
	}
	if resp, _ := api("/api/v1/registrations?edition=1999"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("?edition=1999: status %d, want 404", resp.StatusCode)
	}
	if resp, _ := api("/api/v1/registrations/" + f.ids["id"]); resp.StatusCode != http.StatusNotFound {
		t.Errorf("2028's person while working on 2027: status %d, want 404", resp.StatusCode)
	}
	if resp, _ := api("/api/v1/registrations/" + f.ids["id"] + "?edition=2028"); resp.StatusCode != http.StatusOK {
		t.Errorf("2028's person with ?edition=2028: status %d, want 200", resp.StatusCode)
	}

	venueScoped := ts.withNewClient(t)
	venueScoped.loginAs(t, models.RoleOrganiser, "zwolle") // the 2027 edition's Zwolle: current when the account is made
	resp, body = venueScoped.get(t, "/beheer/deelnemers")
	if resp.StatusCode != http.StatusOK || resp.Header.Get(editionHeader) != "2027" || strings.Contains(body, `action="/beheer/editie"`) {
		t.Errorf("a venue-scoped organiser: status %d, edition %q, switch shown %t; want 2027 and no switch",
			resp.StatusCode, resp.Header.Get(editionHeader), strings.Contains(body, `action="/beheer/editie"`))
	}
	if resp, _ := venueScoped.postForm(t, "/beheer/editie", url.Values{"editie": {strconv.FormatUint(uint64(f.new.ID), 10)}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a venue-scoped organiser switching edition: status %d, want 403", resp.StatusCode)
	}
}

// TestCopyEditionForm: /beheer/edities checks the copy (a date not after the copied edition's,
// or nothing chosen, is the form again with the problem, 422, in Dutch or English), shows a
// summary of what it will create and creates it only when confirmed; the new edition is
// unpublished, the organiser now works on it, and the site keeps the current edition.
func TestCopyEditionForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleAdmin, "")
	ctx := modelstest.Ctx()
	src, err := ts.Store.CurrentEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := ts.get(t, "/beheer/edities")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlText(t, "edition.state_current")) || !strings.Contains(body, `value="venues" checked`) {
		t.Fatalf("/beheer/edities: status %d, or without the current edition and the default parts", resp.StatusCode)
	}
	form := func(date string, what ...string) url.Values {
		return url.Values{"bron": {bhID(src.ID)}, "date": {date}, "what": what}
	}
	for _, tc := range []struct {
		name, lang string
		form       url.Values
		want       string
	}{
		{"before", "nl", form("2026-01-01", "venues"), nlText(t, "edition.date_not_after", "Date", src.Date)},
		{"same year", "nl", form("2027-12-01", "venues"), nlText(t, "edition.year_taken", "Year", "2027")},
		{"nothing", "nl", form("2028-02-02"), nlText(t, "edition.nothing_chosen")},
		{"in English", "en", form("2027-12-01", "venues"), "There is an edition in 2027 already"},
	} {
		resp, body := ts.postForm(t, "/beheer/edities/nieuw", tc.form, "Cookie", "lang="+tc.lang)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%s: status %d, want 422 saying %q", tc.name, resp.StatusCode, tc.want)
		}
	}
	resp, body = ts.postForm(t, "/beheer/edities/nieuw", form("2028-02-02", "slots", "tracks"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlText(t, "edition.count.venues", "Count", 2)) ||
		!strings.Contains(body, nlText(t, "edition.never")) || !strings.Contains(body, `action="/beheer/edities/nieuw/bevestigen"`) {
		t.Fatalf("the summary: status %d:\n%s", resp.StatusCode, body)
	}
	if n := modelstest.Count(t, ts.Store, &models.Event{}, modelstest.Q{}); n != 1 {
		t.Fatalf("%d events after the summary, want 1: nothing is created before confirming", n)
	}
	resp, _ = ts.postForm(t, "/beheer/edities/nieuw/bevestigen", url.Values{"bron": {bhID(src.ID)}, "date": {"2028-02-02"}, "what": {"venues", "slots", "tracks"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d, want 303", resp.StatusCode)
	}
	e, err := ts.Store.EditionByYear(ctx, 2028)
	if err != nil || e.Published() {
		t.Fatalf("edition 2028: %+v, %v; want it unpublished", e, err)
	}
	if n := modelstest.Count(t, ts.Store, &models.Room{}, modelstest.Where("venue_id IN (SELECT id FROM venues WHERE event_id = ?)", e.ID)); n != 0 {
		t.Errorf("%d rooms in a copy without rooms", n)
	}
	resp, body = ts.get(t, "/beheer/edities")
	if resp.Header.Get(editionHeader) != "2028" || !strings.Contains(body, nlText(t, "edition.created", "Year", 2028)) {
		t.Errorf("after the copy the organiser should work on 2028 (got %q) and read that it was made", resp.Header.Get(editionHeader))
	}
	if cur, _ := ts.Store.CurrentEvent(ctx); cur.ID != src.ID {
		t.Errorf("the current edition is %d after the copy, want %d", cur.ID, src.ID)
	}
	// Door staff and venue-limited organisers may not make editions.
	venueScoped := ts.withNewClient(t)
	venueScoped.loginAs(t, models.RoleOrganiser, "zwolle")
	if resp, _ := venueScoped.get(t, "/beheer/edities"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a venue-limited organiser on /beheer/edities: status %d, want 403", resp.StatusCode)
	}
	for _, p := range []string{"/beheer/edities/" + bhID(e.ID) + "/publiceren", "/beheer/edities/nieuw", "/beheer/edities/nieuw/bevestigen"} {
		if resp, _ := venueScoped.postForm(t, p, form("2029-02-02", "venues")); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a venue-limited organiser POST %s: status %d, want 403", p, resp.StatusCode)
		}
	}
	door := ts.withNewClient(t)
	door.loginAs(t, models.RoleDoor, "zwolle")
	if resp, _ := door.get(t, "/beheer/edities"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("door staff on /beheer/edities: status %d, want 403", resp.StatusCode)
	}
	if n := modelstest.Count(t, ts.Store, &models.Event{}, modelstest.Q{}); n != 2 {
		t.Errorf("%d events after refused requests, want 2", n)
	}
}

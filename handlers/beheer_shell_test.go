package handlers

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// shellRedirects are the routes that only lead on to a page of the first venue; the role
// tests (beheer_test.go) expect a redirect from them where other pages answer 200.
var shellRedirects = map[string]bool{"/beheer/rooster": true, "/beheer/locaties": true}

// shellLink is one link of the shell as a page shows it: where it leads and its aria-current.
type shellLink struct{ Href, Current string }

var (
	wideNavRE     = regexp.MustCompile(`(?s)<nav class="shell-nav shell-nav--wide".*?</nav>`)
	phoneMenuRE   = regexp.MustCompile(`(?s)<details class="shell-menu">.*?</details>`)
	venueSwitchRE = regexp.MustCompile(`(?s)<nav class="venue-switch".*?</nav>`)
	shellLinkRE   = regexp.MustCompile(`<a class="(?:shell-nav|venue-switch)__link" href="([^"]*)"(?: aria-current="([^"]*)")?>`)
)

// shellLinks lists the links of the part of body that re finds (nil when it is not there).
func shellLinks(t *testing.T, re *regexp.Regexp, body string) []shellLink {
	t.Helper()
	part := re.FindString(body)
	if part == "" {
		return nil
	}
	var out []shellLink
	for _, m := range shellLinkRE.FindAllStringSubmatch(part, -1) {
		out = append(out, shellLink{m[1], m[2]})
	}
	return out
}

func hrefs(links []shellLink) []string {
	var out []string
	for _, l := range links {
		out = append(out, l.Href)
	}
	return out
}

// TestShellNavigationPerRole: every organiser page has the navigation, holding only what the
// account's role may use, and the phone's menu holds the same links; door staff, who may use
// no organiser page, find the scan page in the navigation of the page that turns them away.
func TestShellNavigationPerRole(t *testing.T) {
	t.Parallel()
	store := newDemoStore(t)
	h, hh, err := newHandlerForTest(Config{Store: store, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, store, hh)
	// The messages page is another part of issue #15; the navigation names it once it exists.
	messages := func(before []string, after ...string) []string {
		if h.getRoutes["/beheer/berichten"] {
			before = append(before, "/beheer/berichten")
		}
		return append(before, after...)
	}
	// Every signed-in role has its own account page (#16), last in the navigation.
	account := func(links []string) []string {
		if h.getRoutes["/beheer/account"] {
			links = append(links, "/beheer/account")
		}
		return links
	}
	for _, tc := range []struct {
		name, role, venue, path string
		status                  int
		want                    []string
	}{
		{"admin", models.RoleAdmin, "", "/beheer", http.StatusOK,
			account(messages([]string{"/beheer", "/beheer/deelnemers", "/beheer/sessies", "/beheer/voorstellen"}, "/beheer/feedback", "/beheer/binnenkomst", "/beheer/evenement"))},
		{"organiser", models.RoleOrganiser, "", "/beheer/deelnemers", http.StatusOK,
			account(messages([]string{"/beheer", "/beheer/deelnemers", "/beheer/sessies", "/beheer/voorstellen"}, "/beheer/feedback", "/beheer/binnenkomst", "/beheer/evenement"))},
		// Not the event's settings, the publishing, the tracks or the decisions.
		{"venue organiser", models.RoleOrganiser, "rotterdam", "/beheer", http.StatusOK,
			account(messages([]string{"/beheer", "/beheer/deelnemers", "/beheer/sessies", "/beheer/voorstellen"}, "/beheer/binnenkomst", "/beheer/locaties"))},
		{"reviewer", models.RoleReviewer, "", "/beheer/voorstellen", http.StatusOK, account([]string{"/beheer/voorstellen"})},
		{"reviewer turned away", models.RoleReviewer, "", "/beheer/deelnemers", http.StatusForbidden, account([]string{"/beheer/voorstellen"})},
		{"door", models.RoleDoor, "zwolle", "/beheer", http.StatusForbidden, account([]string{"/deur"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			browser := *ts
			browser.Client = ts.newClient(t)
			browser.loginAs(t, tc.role, tc.venue)
			resp, body := browser.get(t, tc.path)
			if resp.StatusCode != tc.status {
				t.Fatalf("GET %s as %s: status %d, want %d", tc.path, tc.name, resp.StatusCode, tc.status)
			}
			wide := shellLinks(t, wideNavRE, body)
			if got := hrefs(wide); !slices.Equal(got, tc.want) {
				t.Errorf("GET %s as %s: the navigation's links = %q, want %q", tc.path, tc.name, got, tc.want)
			}
			if phone := shellLinks(t, phoneMenuRE, body); !slices.Equal(phone, wide) {
				t.Errorf("GET %s as %s: the phone's menu = %v, want the navigation's %v", tc.path, tc.name, phone, wide)
			}
			if home := regexp.MustCompile(`<a class="utrecht-link" href="([^"]*)"[^>]*>` + h.catalog.Translator("nl").T("nav.organisers") + `<`).FindStringSubmatch(body); home == nil || home[1] != tc.want[0] {
				t.Errorf("GET %s as %s: the header's link to the organiser area = %q, want %q", tc.path, tc.name, home, tc.want[0])
			}
		})
	}

	t.Run("signed out", func(t *testing.T) {
		browser := *ts
		browser.Client = ts.newClient(t)
		_, body := browser.get(t, "/beheer/inloggen")
		if strings.Contains(body, "shell-nav") {
			t.Error("the log-in page has the organiser area's navigation before anyone signed in")
		}
	})
}

// TestShellMarksTheCurrentPlace: the link to the page shown is aria-current="page", the
// section it lies in "true"; a section's own pages show only in that section; a page per
// venue has the venue switch, except for an account limited to one venue.
func TestShellMarksTheCurrentPlace(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleAdmin, "")
	zwolle, rotterdam := bhID(testVenue(t, ts, "zwolle").ID), bhID(testVenue(t, ts, "rotterdam").ID)
	_, list := ts.get(t, "/beheer/deelnemers")
	person := regexp.MustCompile(`href="(/beheer/deelnemers/\d+)"`).FindStringSubmatch(list)
	if person == nil {
		t.Fatal("the list of people links to nobody")
	}
	board := "/beheer/rooster/" + zwolle
	for _, tc := range []struct {
		path    string
		current []shellLink // the navigation's marked links, and the children shown
		venues  []shellLink
	}{
		{"/beheer", []shellLink{{"/beheer", "page"}}, nil},
		{"/beheer/deelnemers", []shellLink{{"/beheer/deelnemers", "page"}}, nil},
		{person[1], []shellLink{{"/beheer/deelnemers", "true"}}, nil},
		{"/beheer/sessies", []shellLink{{"/beheer/sessies", "true"}, {"/beheer/sessies", "page"}, {"/beheer/rooster", ""}, {"/beheer/programma", ""}}, nil},
		{board, []shellLink{{"/beheer/sessies", "true"}, {"/beheer/sessies", ""}, {"/beheer/rooster", "true"}, {"/beheer/programma", ""}},
			[]shellLink{{board, "page"}, {"/beheer/rooster/" + rotterdam, ""}}},
		{"/beheer/themas", []shellLink{{"/beheer/voorstellen", "true"}, {"/beheer/voorstellen", ""}, {"/beheer/themas", "page"}, {"/beheer/besluiten", ""}}, nil},
		{"/beheer/locaties/" + rotterdam + "/binnenkomst", []shellLink{{"/beheer/binnenkomst", "true"}, {"/beheer/binnenkomst", "true"}, {"/deur", ""}},
			[]shellLink{{"/beheer/locaties/" + zwolle + "/binnenkomst", ""}, {"/beheer/locaties/" + rotterdam + "/binnenkomst", "page"}}},
		{"/beheer/locaties/" + zwolle + "/apparaten", []shellLink{{"/beheer/binnenkomst", "true"}, {"/beheer/binnenkomst", ""}, {"/deur", ""}},
			[]shellLink{{"/beheer/locaties/" + zwolle + "/apparaten", "page"}, {"/beheer/locaties/" + rotterdam + "/apparaten", ""}}},
		{"/beheer/locaties/" + zwolle + "/behoeften", []shellLink{{"/beheer/deelnemers", "true"}},
			[]shellLink{{"/beheer/locaties/" + zwolle + "/behoeften", "page"}, {"/beheer/locaties/" + rotterdam + "/behoeften", ""}}},
		{"/beheer/evenement", []shellLink{{"/beheer/evenement", "true"}, {"/beheer/evenement", "page"}, {"/beheer/locaties", ""}}, nil},
		{"/beheer/zalen/" + bhID(testVenue(t, ts, "zwolle").Rooms[0].ID), []shellLink{{"/beheer/evenement", "true"}, {"/beheer/evenement", ""}, {"/beheer/locaties", "true"}}, nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := ts.get(t, tc.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d, want 200", tc.path, resp.StatusCode)
			}
			nav := shellLinks(t, wideNavRE, body)
			// The marked top item and every child shown (children follow their parent).
			var got []shellLink
			top := slices.IndexFunc(nav, func(l shellLink) bool { return l.Current != "" })
			if top >= 0 {
				got = append(got, nav[top])
				for _, l := range nav[top+1:] {
					if len(got) == len(tc.current) {
						break
					}
					got = append(got, l)
				}
			}
			if !slices.Equal(got, tc.current) {
				t.Errorf("GET %s: the marked place = %v, want %v", tc.path, got, tc.current)
			}
			if n := strings.Count(wideNavRE.FindString(body), `aria-current="page"`); n > 1 {
				t.Errorf("GET %s: %d links marked as the page, want at most 1", tc.path, n)
			}
			if got := shellLinks(t, venueSwitchRE, body); !slices.Equal(got, tc.venues) {
				t.Errorf("GET %s: the venue switch = %v, want %v", tc.path, got, tc.venues)
			}
		})
	}

	t.Run("children only in their section", func(t *testing.T) {
		_, body := ts.get(t, "/beheer/deelnemers")
		if got := hrefs(shellLinks(t, wideNavRE, body)); slices.Contains(got, "/beheer/rooster") || slices.Contains(got, "/beheer/themas") {
			t.Errorf("the people's page shows other sections' pages: %q", got)
		}
	})

	t.Run("venue organiser", func(t *testing.T) {
		browser := *ts
		browser.Client = ts.newClient(t)
		browser.loginAs(t, models.RoleOrganiser, "zwolle")
		_, body := browser.get(t, board)
		if got := shellLinks(t, venueSwitchRE, body); got != nil {
			t.Errorf("an organiser of one venue gets a venue switch: %v", got)
		}
		want := []string{"/beheer", "/beheer/deelnemers", "/beheer/sessies", "/beheer/sessies", "/beheer/rooster"}
		if got := hrefs(shellLinks(t, wideNavRE, body)); len(got) < len(want) || !slices.Equal(got[:len(want)], want) || slices.Contains(got, "/beheer/programma") {
			t.Errorf("the board's navigation for an organiser of one venue = %q, want it to start %q and not to offer publishing", got, want)
		}
	})
}

// TestShellLeadsToTheFirstVenue, on SQLite and PostgreSQL: the navigation's board and venues,
// pages per venue, lead to the first venue the account may manage, or to the dashboard while
// there is none; a reviewer may not use them.
func TestShellLeadsToTheFirstVenue(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, store *models.Store) {
		ctx := modelstest.Ctx()
		ts := newTestServerWith(t, store, false)
		ts.loginAs(t, models.RoleAdmin, "")
		for _, path := range []string{"/beheer/rooster", "/beheer/locaties"} {
			if resp, _ := ts.get(t, path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer" {
				t.Errorf("GET %s without an event: status %d Location %q, want 303 to /beheer", path, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		if _, body := ts.get(t, "/beheer"); !strings.Contains(body, nlMsg(t, "shell.no_venues")) {
			t.Errorf("the dashboard after the redirect does not say there are no venues:\n%s", excerpt(body))
		}
		event, err := store.CreateEvent(ctx, models.EventInput{Name: "Testdag", Date: "2027-02-03"})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, slug := range []string{"alfa", "beta"} {
			v, err := store.CreateVenue(ctx, event.ID, models.VenueInput{Slug: slug, Name: "Huis " + slug, City: "Stad", Address: "Straat 1", Capacity: 50})
			if err != nil {
				t.Fatalf("create venue %s: %v", slug, err)
			}
			ids[slug] = bhID(v.ID)
		}
		for _, tc := range []struct {
			role, venue, path string
			status            int
			location          string
		}{
			{models.RoleAdmin, "", "/beheer/rooster", http.StatusSeeOther, "/beheer/rooster/" + ids["alfa"]},
			{models.RoleAdmin, "", "/beheer/locaties", http.StatusSeeOther, "/beheer/locaties/" + ids["alfa"]},
			{models.RoleOrganiser, "beta", "/beheer/rooster", http.StatusSeeOther, "/beheer/rooster/" + ids["beta"]},
			{models.RoleOrganiser, "beta", "/beheer/locaties", http.StatusSeeOther, "/beheer/locaties/" + ids["beta"]},
			{models.RoleReviewer, "", "/beheer/rooster", http.StatusForbidden, ""},
		} {
			browser := *ts
			browser.Client = ts.newClient(t)
			browser.loginAs(t, tc.role, tc.venue)
			resp, _ := browser.get(t, tc.path)
			if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location {
				t.Errorf("GET %s as %s %s: status %d Location %q, want %d %q", tc.path, tc.role, tc.venue, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.location)
			}
		}
	})
}

// TestShellShowsOnlyPagesThatExist: an item shows once its page's route exists, and a section
// shows when one of its pages does, leading to the first of them.
func TestShellShowsOnlyPagesThatExist(t *testing.T) {
	t.Parallel()
	admin := models.User{Role: models.RoleAdmin}
	routes := map[string]bool{"/beheer": true, "/beheer/voorstellen": true, "/beheer/themas": true}
	h := &Handler{getRoutes: routes}
	got := func() []string {
		var out []string
		for _, it := range h.navItems(admin) {
			out = append(out, it.href)
		}
		return out
	}
	if got, want := got(), []string{"/beheer", "/beheer/voorstellen"}; !slices.Equal(got, want) {
		t.Errorf("navigation without a messages page = %q, want %q", got, want)
	}
	routes["/beheer/berichten"] = true
	if got, want := got(), []string{"/beheer", "/beheer/voorstellen", "/beheer/berichten"}; !slices.Equal(got, want) {
		t.Errorf("navigation with a messages page = %q, want %q", got, want)
	}
	delete(routes, "/beheer/voorstellen")
	if got, want := got(), []string{"/beheer", "/beheer/themas", "/beheer/berichten"}; !slices.Equal(got, want) {
		t.Errorf("navigation when the proposals' list is gone = %q, want %q", got, want)
	}
}

// TestShellItemsHavePages: every item of the navigation names a page the router serves, so a
// mistyped address cannot hide an item. The messages page is being built alongside (#15).
func TestShellItemsHavePages(t *testing.T) {
	t.Parallel()
	pages := pageRoutes(ginRoutes())
	for _, it := range shellItems {
		for _, k := range append([]shellItem{it}, it.children...) {
			if k.href != "" && !pages[k.href] && k.href != "/beheer/berichten" {
				t.Errorf("navigation item %q leads to %s, which has no GET route", k.key, k.href)
			}
		}
	}
}

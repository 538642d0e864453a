package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// setPreferenceMode puts the demo event in preference mode, with its window, allocation time
// and published seed.
func setPreferenceMode(t *testing.T, ts *testServer) models.Event {
	t.Helper()
	e := testEvent(t, ts)
	opens, closes, at := testNow.Add(-48*time.Hour), testNow.Add(48*time.Hour), testNow.Add(72*time.Hour)
	modelstest.Update(t, ts.Store, &models.Event{}, modelstest.Where("id = ?", e.ID), map[string]any{
		"signup_mode": models.SignupPreferences, "preferences_open_at": opens, "preferences_close_at": closes,
		"allocation_at": at, "allocation_seed": "beurs-AEX-2027-01-15",
	})
	return testEvent(t, ts)
}

// rankSessions registers n people at the venue, each ranking the venue's first placed
// sessions in one slot: the first of them first, the second second.
func rankSessions(t *testing.T, ts *testServer, v models.Venue, n int) []models.Session {
	t.Helper()
	ctx := modelstest.Ctx()
	all, err := ts.Store.SessionsOfVenue(ctx, v.ID)
	var sessions []models.Session
	for _, s := range all {
		if s.Placed() {
			sessions = append(sessions, s)
		}
	}
	if err != nil || len(sessions) < 2 {
		t.Fatalf("sessions of %s: %d (%v), want at least 2", v.Slug, len(sessions), err)
	}
	for i := range n {
		r := models.Registration{EventID: v.EventID, VenueID: v.ID, Email: fmt.Sprintf("rang%d@example.nl", i), Name: fmt.Sprintf("Rangschikker %d", i),
			Organisation: "Gemeente Zwolle", Lang: "nl", ConsentVersion: "1", ConsentAt: testNow, Status: models.StatusConfirmed}
		modelstest.Insert(t, ts.Store, &r)
		for rank, s := range sessions[:2] {
			modelstest.Insert(t, ts.Store, &models.Preference{RegistrationID: r.ID, SlotID: s.Slots[0].SlotID, Rank: rank + 1, SessionID: s.ID})
		}
	}
	return sessions
}

// allocate records an allocation of the venue as the allocation would: its tally and report.
func allocate(t *testing.T, ts *testServer, v models.Venue, sessions []models.Session) models.AllocationReport {
	t.Helper()
	report := models.AllocationReport{
		Ranks: []int{41, 12, 5},
		Sessions: []models.AllocationSessionReport{
			{SessionID: sessions[0].ID, Title: sessions[0].Title, Seats: 30, FirstChoice: 52, Demand: 60, Seated: 30, Waitlisted: 30},
			{SessionID: sessions[1].ID, Title: sessions[1].Title, Seats: 40, FirstChoice: 8, Demand: 55, Seated: 28, Waitlisted: 0},
		},
		Random:  models.AllocationBaseline{Orders: 100, First: 33.46, Second: 14.2, Third: 6.1, None: 6.24, Cost: 412.5},
		Optimal: false, Bound: 298,
	}
	js, err := json.Marshal(report)
	if err != nil {
		t.Fatal(err)
	}
	modelstest.Insert(t, ts.Store, &models.Allocation{EventID: v.EventID, VenueID: v.ID, Seed: "beurs-AEX-2027-01-15",
		RanAt: testNow, People: 60, First: 41, Second: 12, Third: 5, None: 2, Cost: 301, Report: string(js)})
	return report
}

// allocationCSVRoute is the per-session table's CSV, which a first-come event does not have.
const allocationCSVRoute = "/beheer/toewijzing/:venue/sessies.csv"

var tableCellRE = regexp.MustCompile(`<tr class="utrecht-table__row" data-session="(\d+)">(?s:(.*?))</tr>`)

// sessionCells returns a page's per-session table: by session id, the numbers by data-col.
func sessionCells(body string) map[string]map[string]string {
	out := map[string]map[string]string{}
	cell := regexp.MustCompile(`data-col="([a-z]+)">([^<]*)<`)
	for _, m := range tableCellRE.FindAllStringSubmatch(body, -1) {
		out[m[1]] = map[string]string{}
		for _, c := range cell.FindAllStringSubmatch(m[2], -1) {
			out[m[1]][c[1]] = c[2]
		}
	}
	return out
}

// TestAllocationReportBeforeAllocation: in preference mode, before the allocation, the report
// shows the window, the published seed and the demand as it stands, in both languages; the
// navigation leads to it; its CSV holds the same table.
func TestAllocationReportBeforeAllocation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	setPreferenceMode(t, ts)
	zwolle := testVenue(t, ts, "zwolle")
	sessions := rankSessions(t, ts, zwolle, 3)
	ts.loginAs(t, models.RoleOrganiser, "")
	for _, tc := range []struct{ lang, ranked, nav string }{
		{"nl", "3 mensen hebben voorkeuren opgegeven.", ">Toewijzing</a>"},
		{"en", "3 people have ranked sessions.", ">Allocation</a>"},
	} {
		resp, body := ts.get(t, "/beheer/toewijzing", "Accept-Language", tc.lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d, want 200:\n%s", tc.lang, resp.StatusCode, excerpt(body))
		}
		for _, want := range []string{tc.ranked, "beurs-AEX-2027-01-15", tc.nav, `href="/beheer/toewijzing/` + fmt.Sprint(zwolle.ID) + `/sessies.csv"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the report lacks %q", tc.lang, want)
			}
		}
		cells := sessionCells(body)
		first, second := cells[fmt.Sprint(sessions[0].ID)], cells[fmt.Sprint(sessions[1].ID)]
		if first["demand"] != "3" || first["first"] != "3" || second["demand"] != "3" || second["first"] != "0" {
			t.Errorf("%s: demand of the ranked sessions = %v and %v, want 3/3 and 3/0", tc.lang, first, second)
		}
		if first["seats"] != fmt.Sprint(sessions[0].Capacity()) {
			t.Errorf("%s: seats of %q = %q, want %d", tc.lang, sessions[0].Title, first["seats"], sessions[0].Capacity())
		}
		if _, ok := first["seated"]; ok || strings.Contains(body, "<svg") {
			t.Errorf("%s: before the allocation the report shows seats taken or a chart", tc.lang)
		}
	}

	resp, body := ts.get(t, fmt.Sprintf("/beheer/toewijzing/%d/sessies.csv", zwolle.ID))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if want := fmt.Sprintf("%s;3;3;%d", csvCell(sessions[0].Title), sessions[0].Capacity()); !strings.Contains(body, want) {
		t.Errorf("CSV lacks the row %q:\n%s", want, body)
	}
	if strings.Contains(body, "rang0@example.nl") || strings.Contains(body, "Rangschikker") {
		t.Error("the CSV holds personal data")
	}

	// The public programme says allocation is by preference, when, and the seed.
	for lang, want := range map[string]string{"nl": "Plaatsen worden verdeeld op voorkeur.", "en": "Seats are allocated by preference."} {
		_, body := ts.get(t, "/programma/zwolle", "Accept-Language", lang)
		for _, w := range []string{want, "beurs-AEX-2027-01-15", `id="op-voorkeur"`} {
			if !strings.Contains(body, w) {
				t.Errorf("programme %s lacks %q", lang, w)
			}
		}
	}
}

// TestAllocationReportAfterAllocation: after the allocation the report shows the tally, the
// cost, the seed, the chart with its table, the comparison with random first come, first
// served and per session who got in; the programme shows the public part, without names.
func TestAllocationReportAfterAllocation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	setPreferenceMode(t, ts)
	zwolle := testVenue(t, ts, "zwolle")
	sessions := rankSessions(t, ts, zwolle, 2)
	allocate(t, ts, zwolle, sessions)
	ts.loginAs(t, models.RoleAdmin, "")
	for _, tc := range []struct{ lang, sentence, average, note, bound string }{
		{"nl", "Met wie-het-eerst-komt in willekeurige volgorde (gemiddelde van 100 volgordes) kregen 33,5 mensen hun eerste keuze; nu 41.", ">33,5</td>", "Wie het eerst komt: 6,2<",
			"(kosten 301); geen verdeling kan minder kosten dan 298."},
		{"en", "With first come, first served in random order (average of 100 orders) 33.5 people got their first choice; now 41.", ">33.5</td>", "First come, first served: 6.2<",
			"(cost 301); no allocation can cost less than 298."},
	} {
		resp, body := ts.get(t, "/beheer/toewijzing", "Accept-Language", tc.lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d:\n%s", tc.lang, resp.StatusCode, excerpt(body))
		}
		for _, want := range []string{tc.sentence, tc.note, tc.bound, "beurs-AEX-2027-01-15", `<span class="figure__value">301</span>`, `<span class="figure__value">41</span>`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the report lacks %q", tc.lang, want)
			}
		}
		c, ok := chartsOnPage(t, body)[fmt.Sprintf("toewijzing-%d", zwolle.ID)]
		if !ok {
			t.Fatalf("%s: no chart of the allocation", tc.lang)
		}
		if c.Cells["first"]["allocation"] != 41 || c.Cells["none"]["allocation"] != 2 {
			t.Errorf("%s: chart table = %v, want 41 first choices and 2 none", tc.lang, c.Cells)
		}
		drawn := map[string]string{}
		for _, m := range c.Marks {
			drawn[m["data-row"]+"/"+m["data-col"]] = m["data-value"]
		}
		if drawn["first/allocation"] != "41" || drawn["first/random"] != "33" || drawn["third/random"] != "6" {
			t.Errorf("%s: drawn columns = %v, want first 41 against 33 (33,46 rounded), third random 6", tc.lang, drawn)
		}
		if !strings.Contains(body, tc.average) {
			t.Errorf("%s: the chart's table does not write the average with its decimal %q", tc.lang, tc.average)
		}
		if !strings.Contains(body, "<caption") || !strings.Contains(body, `scope="row"`) {
			t.Errorf("%s: the tables lack a caption or row headers", tc.lang)
		}
		cells := sessionCells(body)
		if got := cells[fmt.Sprint(sessions[0].ID)]; got["seated"] != "30" || got["waitlisted"] != "30" || got["demand"] != "60" || got["first"] != "52" {
			t.Errorf("%s: first session's row = %v, want demand 60, first 52, seated 30, waiting 30", tc.lang, got)
		}
	}

	resp, body := ts.get(t, fmt.Sprintf("/beheer/toewijzing/%d/sessies.csv", zwolle.ID), "Accept-Language", "en")
	if want := fmt.Sprintf("%s;60;52;30;30;30", csvCell(sessions[0].In("en").Title)); resp.StatusCode != http.StatusOK || !strings.Contains(body, want) || !strings.Contains(body, "Waiting list") {
		t.Errorf("CSV after the allocation: status %d, want the row %q and an English header:\n%s", resp.StatusCode, want, body)
	}

	for _, tc := range []struct{ lang, want string }{
		{"nl", "Zo is verdeeld: 60 mensen, 41 eerste keuze, 12 tweede, 5 derde, 2 geen; seed"},
		{"en", "This is how seats were allocated: 60 people, 41 first choice, 12 second, 5 third, 2 none; seed"},
	} {
		_, body := ts.get(t, "/programma/zwolle", "Accept-Language", tc.lang)
		for _, w := range []string{tc.want, "beurs-AEX-2027-01-15"} {
			if !strings.Contains(body, w) {
				t.Errorf("programme %s lacks %q", tc.lang, w)
			}
		}
		row := tableCellRE.FindStringSubmatch(body)
		if row == nil || row[1] != fmt.Sprint(sessions[0].ID) || !strings.Contains(row[2], ">60</td>") || !strings.Contains(row[2], ">30</td>") {
			t.Errorf("programme %s: first session's row %q, want demand 60 and 30 seats", tc.lang, row)
		}
		if strings.Contains(body, "Rangschikker") || strings.Contains(body, "rang0@example.nl") {
			t.Errorf("programme %s shows personal data", tc.lang)
		}
	}
	// Rotterdam has not been allocated: its programme still says when it will be.
	if _, body := ts.get(t, "/programma/rotterdam"); !strings.Contains(body, "Plaatsen worden verdeeld op voorkeur.") {
		t.Error("the programme of the venue not yet allocated does not say seats go by preference")
	}
}

// TestAllocationReportFCFS: an event that signs people up first come, first served explains
// there is no allocation and links to its settings; its navigation and programme are as before.
func TestAllocationReportFCFS(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleAdmin, "")
	resp, body := ts.get(t, "/beheer/toewijzing")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(body, "wie het eerst komt, het eerst maalt") || !strings.Contains(body, `href="/beheer/evenement"`) {
		t.Errorf("the report of a first-come event does not explain itself and link to the settings:\n%s", excerpt(body))
	}
	if strings.Contains(body, `href="/beheer/toewijzing"`) {
		t.Error("the navigation of a first-come event shows the allocation")
	}
	_, body = ts.get(t, "/programma/zwolle")
	if strings.Contains(body, "op-voorkeur") {
		t.Error("the programme of a first-come event shows a preference summary")
	}
	if resp, _ := ts.get(t, fmt.Sprintf("/beheer/toewijzing/%d/sessies.csv", testVenue(t, ts, "zwolle").ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("CSV of a first-come event: status %d, want 404", resp.StatusCode)
	}
}

// TestAllocationReportRoles: reviewers and door staff may not see the report; signed out
// leads to the sign-in; an organiser of one venue sees that venue only, and not another's CSV.
func TestAllocationReportRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	setPreferenceMode(t, ts)
	zwolle, rotterdam := testVenue(t, ts, "zwolle"), testVenue(t, ts, "rotterdam")
	if resp, _ := ts.get(t, "/beheer/toewijzing"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen") {
		t.Errorf("signed out: status %d to %q, want the sign-in", resp.StatusCode, resp.Header.Get("Location"))
	}
	for role, venue := range map[string]string{models.RoleReviewer: "", models.RoleDoor: "zwolle"} {
		browser := *ts
		browser.Client = ts.newClient(t)
		browser.loginAs(t, role, venue)
		for _, p := range []string{"/beheer/toewijzing", fmt.Sprintf("/beheer/toewijzing/%d/sessies.csv", zwolle.ID)} {
			if resp, _ := browser.get(t, p); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: status %d, want 403", role, p, resp.StatusCode)
			}
		}
	}
	browser := *ts
	browser.Client = ts.newClient(t)
	browser.loginAs(t, models.RoleOrganiser, "zwolle")
	_, body := browser.get(t, "/beheer/toewijzing")
	if !strings.Contains(body, fmt.Sprintf(`id="locatie-%d"`, zwolle.ID)) || strings.Contains(body, fmt.Sprintf(`id="locatie-%d"`, rotterdam.ID)) {
		t.Error("an organiser of Zwolle does not see Zwolle only")
	}
	if resp, _ := browser.get(t, fmt.Sprintf("/beheer/toewijzing/%d/sessies.csv", rotterdam.ID)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an organiser of Zwolle gets Rotterdam's CSV: status %d, want 403", resp.StatusCode)
	}
}

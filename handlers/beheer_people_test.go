package handlers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// peopleFixture is the demo plus a few people who test escaping, searching and formula
// injection, and organisers' API tokens.
type peopleFixture struct {
	ts                          *testServer
	script, formula             models.Registration // at Zwolle and Rotterdam
	token, zwolleToken, revoked string
}

func newPeopleFixture(t *testing.T) *peopleFixture {
	t.Helper()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	f := &peopleFixture{ts: ts}
	reg := func(in models.RegistrationInput) models.Registration {
		in.Lang, in.Consent = "nl", true
		res, err := ts.Store.Register(ctx, in)
		if err != nil {
			t.Fatalf("register %s: %v", in.Name, err)
		}
		return res.Registration
	}
	f.script = reg(models.RegistrationInput{Name: "<script>alert(1)</script> Zoë Testpersoon", Email: "zoe.script@example.nl",
		Organisation: "Gemeente Zwolle", Dietary: "veganistisch", Venue: "zwolle"})
	f.formula = reg(models.RegistrationInput{Name: "Formule Test", Email: "formule@example.nl",
		Organisation: `=HYPERLINK("http://evil.example")`, JobTitle: "+31 beleid", Venue: "rotterdam"})
	token := func(name, venue string) (models.APIToken, string) {
		tok, secret, err := ts.Store.CreateAPIToken(ctx, models.APITokenInput{Name: name, Role: models.RoleOrganiser, VenueSlug: venue})
		if err != nil {
			t.Fatalf("token %s: %v", name, err)
		}
		return tok, secret
	}
	_, f.token = token("Alles", "")
	_, f.zwolleToken = token("Zwolle", "zwolle")
	revoked, secret := token("Oud", "")
	if err := ts.Store.RevokeAPIToken(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	f.revoked = secret
	return f
}

// count is how many people the store finds for the audience: what the pages must agree with.
func (f *peopleFixture) count(t *testing.T, a models.Audience) int {
	t.Helper()
	page, err := f.ts.Store.People(modelstest.Ctx(), a, "", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func (f *peopleFixture) venue(t *testing.T, slug string) models.Venue {
	t.Helper()
	v, err := f.ts.Store.VenueBySlug(modelstest.Ctx(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPeopleRoles tries every role and kind of token on the list, the exports and the API
// list, also a venue-scoped organiser and token asking for another venue.
func TestPeopleRoles(t *testing.T) {
	t.Parallel()
	f := newPeopleFixture(t)
	ts := f.ts
	paths := []string{"/beheer/deelnemers", "/beheer/deelnemers/export.csv", "/beheer/deelnemers/export.xlsx", "/api/v1/registrations"}
	cases := []struct {
		name, role, venue, token string
		query                    string
		want                     [4]int
	}{
		{name: "signed out", want: [4]int{303, 303, 303, 401}},
		{name: "admin", role: models.RoleAdmin, want: [4]int{200, 200, 200, 200}},
		{name: "organiser", role: models.RoleOrganiser, want: [4]int{200, 200, 200, 200}},
		{name: "zwolle organiser", role: models.RoleOrganiser, venue: "zwolle", want: [4]int{200, 200, 200, 200}},
		{name: "zwolle organiser asks for rotterdam", role: models.RoleOrganiser, venue: "zwolle", query: "rotterdam", want: [4]int{200, 403, 403, 403}},
		{name: "reviewer", role: models.RoleReviewer, want: [4]int{403, 403, 403, 403}},
		{name: "door", role: models.RoleDoor, venue: "zwolle", want: [4]int{403, 403, 403, 403}},
		{name: "token", token: f.token, want: [4]int{200, 200, 200, 200}},
		{name: "zwolle token", token: f.zwolleToken, want: [4]int{200, 200, 200, 200}},
		{name: "zwolle token asks for rotterdam", token: f.zwolleToken, query: "rotterdam", want: [4]int{200, 403, 403, 403}},
		{name: "revoked token", token: f.revoked, want: [4]int{401, 401, 401, 401}},
		{name: "not a token", token: "dpo_verzonnen", want: [4]int{401, 401, 401, 401}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts.Client = ts.newClient(t)
			if tc.role != "" {
				ts.loginAs(t, tc.role, tc.venue)
			}
			for i, path := range paths {
				var headers []string
				if tc.token != "" {
					headers = []string{"Authorization", "Bearer " + tc.token}
				}
				if tc.query != "" {
					param := "locatie"
					if strings.HasPrefix(path, "/api/") {
						param = "venue"
					}
					path += "?" + param + "=" + tc.query
				}
				resp, body := ts.get(t, path, headers...)
				if resp.StatusCode != tc.want[i] {
					t.Errorf("GET %s: status got %d, want %d; body: %.300s", path, resp.StatusCode, tc.want[i], body)
				}
				if strings.HasPrefix(path, "/api/") {
					validateAgainstDocument(t, resp, []byte(body))
				}
				if resp.StatusCode == 200 && i == 0 && tc.venue == "zwolle" || tc.token == f.zwolleToken && i == 0 && resp.StatusCode == 200 {
					zwolle := f.venue(t, "zwolle")
					want := f.count(t, models.Audience{Scope: []uint{zwolle.ID}})
					if !strings.Contains(body, ">"+nlMsg(t, "people.count", "Count", want)+"<") {
						t.Errorf("scoped list: want %d mensen (only Zwolle)", want)
					}
					if strings.Contains(body, "Formule Test") || strings.Contains(body, `value="rotterdam"`) {
						t.Errorf("scoped list shows Rotterdam (a person or the venue choice)")
					}
					if tc.query != "" && !strings.Contains(body, nlMsg(t, "people.other_venue")) {
						t.Errorf("scoped list asked for Rotterdam: want the message next to the venue filter")
					}
				}
			}
		})
	}
}

// TestPeopleList checks search (accents, ticket codes), escaping, filters, bad input and
// pagination of /beheer/deelnemers.
func TestPeopleList(t *testing.T) {
	t.Parallel()
	f := newPeopleFixture(t)
	ts := f.ts
	ts.loginAs(t, models.RoleOrganiser, "")
	rows := regexp.MustCompile(`href="/beheer/deelnemers/(\d+)"`)

	t.Run("first page", func(t *testing.T) {
		_, body := ts.get(t, "/beheer/deelnemers")
		total := f.count(t, models.Audience{})
		if !strings.Contains(body, ">"+nlMsg(t, "people.count", "Count", total)+"<") {
			t.Errorf("want the total %d mensen", total)
		}
		if n := len(rows.FindAllString(body, -1)); n != peoplePerPage {
			t.Errorf("rows got %d, want %d", n, peoplePerPage)
		}
		if !strings.Contains(body, `href="/beheer/deelnemers?pagina=2"`) {
			t.Errorf("want a link to page 2")
		}
		for _, kind := range exportKinds {
			if !strings.Contains(body, "/beheer/deelnemers/export.xlsx") || (kind != exportRegistrations && !strings.Contains(body, "soort="+kind)) {
				t.Errorf("want an export link for %s", kind)
			}
		}
	})
	t.Run("search ignores accents and escapes names", func(t *testing.T) {
		_, body := ts.get(t, "/beheer/deelnemers?q=ZOE")
		want := f.count(t, models.Audience{Query: "zoë"})
		if want < 2 || !strings.Contains(body, ">"+nlMsg(t, "people.count", "Count", want)+"<") {
			t.Errorf("q=ZOE: want %d mensen (the demo's Zoës and the test person)", want)
		}
		if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; Zoë Testpersoon") {
			t.Errorf("the name with <script> is not escaped")
		}
	})
	t.Run("ticket code", func(t *testing.T) {
		key, err := ts.Store.EventKey(modelstest.Ctx(), f.script.EventID)
		if err != nil {
			t.Fatal(err)
		}
		code := tickets.ShortCode(tickets.NewSigner(key.PrivateKey).Payload(tickets.TicketFor(f.script, f.venue(t, "zwolle").TicketName())))
		typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
		_, body := ts.get(t, "/beheer/deelnemers?q="+strings.ReplaceAll(typed, " ", "+"))
		ids := rows.FindAllStringSubmatch(body, -1)
		if len(ids) != 1 || ids[0][1] != strconv.Itoa(int(f.script.ID)) || !strings.Contains(body, ">"+nlMsg(t, "people.count", "Count", 1)+"<") {
			t.Errorf("q=%q (code %s): want only registration %d, got %v", typed, code, f.script.ID, ids)
		}
	})
	t.Run("filters", func(t *testing.T) {
		zwolle := f.venue(t, "zwolle")
		ams := amsterdamForTest(t)
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, ams), time.Date(2026, 11, 23, 0, 0, 0, 0, ams)
		for query, a := range map[string]models.Audience{
			"status=geannuleerd":               {Status: models.StatusCancelled},
			"status=wachtlijst&locatie=zwolle": {Status: models.StatusWaitlisted, VenueID: zwolle.ID},
			"behoeften=1":                      {HasNeeds: true},
			"status=niet-binnen":               {Status: models.StatusNotArrived},
			"van=2026-01-01&tot=2026-11-22":    {From: &from, To: &to},
		} {
			_, body := ts.get(t, "/beheer/deelnemers?"+query)
			want := f.count(t, a)
			if !strings.Contains(body, ">"+nlMsg(t, "people.count", "Count", want)+"<") {
				t.Errorf("%s: want %d people", query, want)
			}
		}
		choices, err := ts.Store.SessionChoices(modelstest.Ctx(), f.script.EventID)
		if err != nil || len(choices) == 0 {
			t.Fatalf("session choices: %v", err)
		}
		var busiest models.SessionChoice
		most := -1
		for _, c := range choices {
			if n := f.count(t, models.Audience{SessionID: c.ID}); n > most {
				busiest, most = c, n
			}
		}
		_, body := ts.get(t, fmt.Sprintf("/beheer/deelnemers?sessie=%d", busiest.ID))
		if most < 2 || !strings.Contains(body, ">"+nlMsg(t, "people.count", "Count", most)+"<") || !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>`, busiest.ID)) {
			t.Errorf("sessie=%d: want %d mensen and the session chosen", busiest.ID, most)
		}
		_, body = ts.get(t, "/beheer/deelnemers?status=bevestigd&sorteer=nieuwste&pagina=2")
		if !strings.Contains(body, `href="/beheer/deelnemers?pagina=3&amp;sorteer=nieuwste&amp;status=bevestigd"`) {
			t.Errorf("page links must keep the filters and the sort")
		}
		if !strings.Contains(body, `export.csv?sorteer=nieuwste&amp;status=bevestigd"`) {
			t.Errorf("export links must carry the filters (without the page)")
		}
	})
	t.Run("bad input keeps what was typed", func(t *testing.T) {
		resp, body := ts.get(t, "/beheer/deelnemers?status=soms&van=gisteren&tot=2020-01-01&pagina=nul&sorteer=lengte&locatie=nergens&sessie=abc&behoeften=misschien")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status got %d, want 200", resp.StatusCode)
		}
		for _, want := range []string{`value="gisteren"`, nlMsg(t, "form.invalid_date"), nlMsg(t, "form.invalid_choice"),
			nlMsg(t, "form.not_a_number"), nlMsg(t, "form.unknown_venue"), `aria-invalid="true"`} {
			if !strings.Contains(body, want) {
				t.Errorf("bad input: want %q on the page", want)
			}
		}
		_, body = ts.get(t, "/beheer/deelnemers?van=2027-01-10&tot=2027-01-01")
		if !strings.Contains(body, nlMsg(t, "people.to_before_from")) {
			t.Errorf("tot before van: want a message")
		}
	})
}

// TestPeopleExports reads the exports back with encoding/csv and excelize and compares
// them with the database.
func TestPeopleExports(t *testing.T) {
	t.Parallel()
	f := newPeopleFixture(t)
	ts := f.ts
	ts.loginAs(t, models.RoleOrganiser, "")
	ctx := modelstest.Ctx()
	people := map[string]models.Person{}
	err := ts.Store.EachPerson(ctx, models.Audience{}, "", func(p models.Person) error {
		people[strconv.Itoa(int(p.ID))] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.CheckIn(ctx, models.CheckInInput{VenueID: f.script.VenueID, RegistrationID: f.script.ID, Door: "Ingang Oost"}); err != nil {
		t.Fatal(err)
	}

	t.Run("csv", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			comma rune
		}{{"", ';'}, {"?scheiding=komma", ','}} {
			resp, body := ts.get(t, "/beheer/deelnemers/export.csv"+tc.query)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if !regexp.MustCompile(`^attachment; filename="[a-z0-9-]+-alle-locaties-\d{4}-\d{2}-\d{2}-deelnemers\.csv"$`).MatchString(resp.Header.Get("Content-Disposition")) {
				t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
			}
			if !strings.HasPrefix(body, "\ufeff") {
				t.Fatalf("no BOM")
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
			r.Comma = tc.comma
			records, err := r.ReadAll()
			if err != nil {
				t.Fatalf("read CSV (%q): %v", tc.comma, err)
			}
			if len(records) != len(people)+1 || len(records[0]) != 12 || records[0][1] != nlText(t, "people.col.name") {
				t.Fatalf("CSV: %d records of %d columns, want %d of 12", len(records), len(records[0]), len(people)+1)
			}
			for _, rec := range records[1:] {
				p, ok := people[rec[0]]
				if !ok || rec[1] != p.Name || rec[2] != p.Email || strings.TrimPrefix(rec[3], "'") != p.Organisation {
					t.Errorf("row %q does not match the database: %+v", rec[:4], p)
				}
				if strings.ContainsAny(rec[3][:1]+rec[4][:min(1, len(rec[4]))], "=+-@") {
					t.Errorf("row %s: cell starts with a formula character: %q %q", rec[0], rec[3], rec[4])
				}
				if rec[0] == strconv.Itoa(int(f.formula.ID)) && (rec[3] != `'=HYPERLINK("http://evil.example")` || rec[4] != "'+31 beleid") {
					t.Errorf("formula cells got %q, %q; want a leading '", rec[3], rec[4])
				}
				if rec[0] == strconv.Itoa(int(f.script.ID)) && (rec[8] == "" || rec[9] != "Ingang Oost") {
					t.Errorf("checked-in person: got %q at %q", rec[8], rec[9])
				}
			}
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		resp, body := ts.get(t, "/beheer/deelnemers/export.xlsx?locatie=zwolle")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "-zwolle-") {
			t.Fatalf("status %d, disposition %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheet := x.GetSheetName(0)
		rowsOut, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		want := f.count(t, models.Audience{VenueID: f.script.VenueID})
		if len(rowsOut) != want+1 {
			t.Fatalf("XLSX rows got %d, want %d", len(rowsOut), want+1)
		}
		style, _ := x.GetCellStyle(sheet, "B1")
		st, err := x.GetStyle(style)
		if err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("header not bold: %+v %v", st, err)
		}
		tables, err := x.GetTables(sheet)
		if err != nil || len(tables) != 1 || tables[0].Range != fmt.Sprintf("A1:L%d", want+1) {
			t.Errorf("want one table (autofilter) over A1:L%d, got %+v %v", want+1, tables, err)
		}
		for i, row := range rowsOut[1:] {
			p := people[row[0]]
			if row[1] != p.Name || row[2] != p.Email {
				t.Errorf("row %d %q does not match %+v", i+2, row[:3], p)
			}
			cell := fmt.Sprintf("H%d", i+2)
			raw, _ := x.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			if _, err := strconv.ParseFloat(raw, 64); err != nil {
				t.Fatalf("%s registered at = %q: want a date serial number", cell, raw)
			}
			shown := p.CreatedAt.In(amsterdamForTest(t)).Format("2006-01-02 15:04")
			if row[7] != shown {
				t.Errorf("%s shows %q, want %q", cell, row[7], shown)
			}
			if id, _ := x.GetCellValue(sheet, fmt.Sprintf("A%d", i+2), excelize.Options{RawCellValue: true}); id != row[0] {
				t.Errorf("id cell %q", id)
			}
			if typ, _ := x.GetCellType(sheet, fmt.Sprintf("A%d", i+2)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("id cell type %v, want a number", typ)
			}
		}
	})
	t.Run("kinds", func(t *testing.T) {
		bookings := modelstest.Count(t, ts.Store, &models.Booking{}, modelstest.All)
		for kind, want := range map[string]int{exportSessions: int(bookings), exportCheckIns: 1, exportNeeds: f.count(t, models.Audience{HasNeeds: true})} {
			resp, body := ts.get(t, "/beheer/deelnemers/export.csv?scheiding=komma&soort="+kind, "Authorization", "Bearer "+f.token)
			records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
			if resp.StatusCode != 200 || err != nil || len(records) != want+1 {
				t.Errorf("%s: status %d, %d records (%v), want %d", kind, resp.StatusCode, len(records), err, want+1)
			}
		}
		resp, body := ts.get(t, "/beheer/deelnemers/export.csv?soort=alles", "Authorization", "Bearer "+f.token)
		if resp.StatusCode != 400 || !strings.Contains(body, `"soort"`) {
			t.Errorf("bad kind with a token: status %d, body %s", resp.StatusCode, body)
		}
		resp, _ = ts.get(t, "/beheer/deelnemers/export.csv?status=soms")
		if resp.StatusCode != 303 || !strings.Contains(resp.Header.Get("Location"), "status=soms") {
			t.Errorf("bad filter in the browser: status %d to %q, want back to the list", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func amsterdamForTest(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestRegistrationsAPIList walks every page of GET /api/v1/registrations with a cursor and
// checks the answers against the database and the OpenAPI document.
func TestRegistrationsAPIList(t *testing.T) {
	t.Parallel()
	f := newPeopleFixture(t)
	ts := f.ts
	seen := map[uint]bool{}
	cursor, pages := "", 0
	total := f.count(t, models.Audience{})
	for {
		path := "/api/v1/registrations?limit=37"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		resp, body := ts.apiCall(t, http.MethodGet, path, "", f.token)
		wantAPIStatus(t, resp, body, http.StatusOK)
		var page RegistrationListJSON
		decodeStrict(t, body, &page)
		if page.Total != total {
			t.Fatalf("total got %d, want %d", page.Total, total)
		}
		for _, it := range page.Items {
			if seen[it.ID] {
				t.Fatalf("registration %d on two pages", it.ID)
			}
			seen[it.ID] = true
			if it.ID == f.formula.ID && (it.Venue != "rotterdam" || it.JobTitle != "+31 beleid") {
				t.Errorf("item %+v", it)
			}
		}
		pages++
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if len(seen) != total || pages != (total+36)/37 {
		t.Errorf("walked %d people in %d pages, want %d in %d", len(seen), pages, total, (total+36)/37)
	}

	resp, body := ts.apiCall(t, http.MethodGet, "/api/v1/registrations?q=zoe&status=confirmed", "", f.zwolleToken)
	wantAPIStatus(t, resp, body, http.StatusOK)
	var page RegistrationListJSON
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	zwolle := f.venue(t, "zwolle")
	if want := f.count(t, models.Audience{Scope: []uint{zwolle.ID}, Query: "zoe", Status: models.StatusConfirmed}); page.Total != want || want == 0 {
		t.Errorf("q=zoe at Zwolle: total %d, want %d", page.Total, want)
	}
	for _, it := range page.Items {
		if it.Venue != "zwolle" {
			t.Errorf("a Zwolle token sees %s at %s", it.Name, it.Venue)
		}
	}

	for query, field := range map[string]string{"status=soms": "status", "limit=501": "limit", "cursor=abc": "cursor",
		"venue=nergens": "venue", "session=x": "session", "registered_from=gisteren": "registered_from"} {
		resp, body := ts.apiCall(t, http.MethodGet, "/api/v1/registrations?"+query, "", f.token)
		wantAPIStatus(t, resp, body, http.StatusBadRequest)
		wantAPIError(t, body, "invalid", field)
	}
	resp, body = ts.apiCall(t, http.MethodGet, "/api/v1/registrations?venue=rotterdam", "", f.zwolleToken)
	wantAPIStatus(t, resp, body, http.StatusForbidden)
	rotterdam := f.venue(t, "rotterdam")
	choices, _ := ts.Store.SessionChoices(modelstest.Ctx(), rotterdam.EventID)
	for _, c := range choices {
		if c.VenueID != nil && *c.VenueID == rotterdam.ID {
			resp, body = ts.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/registrations?session=%d", c.ID), "", f.zwolleToken)
			wantAPIStatus(t, resp, body, http.StatusForbidden)
			resp, body = ts.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/registrations?session=%d", c.ID), "", f.token)
			wantAPIStatus(t, resp, body, http.StatusOK)
			break
		}
	}
}

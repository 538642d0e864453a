package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ambtenaar20/dagplanner/importfile"
	"github.com/ambtenaar20/dagplanner/importfile/importfiletest"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

const importPage = "/beheer/deelnemers/importeren"

var importTokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// uploadImport posts a file to the import page as a browser does; venue is the venue's id.
func (ts *testServer) uploadImport(t *testing.T, venue uint, name string, data []byte, headers ...string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if venue != 0 {
		w.WriteField("locatie", fmt.Sprint(venue))
	}
	fw, err := w.CreateFormFile("bestand", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	req, err := http.NewRequest(http.MethodPost, ts.URL+importPage, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return ts.do(t, req, append([]string{"Origin", ts.URL, "Sec-Fetch-Site", "same-origin"}, headers...)...)
}

func venueBySlug(t *testing.T, ts *testServer, slug string) models.Venue {
	t.Helper()
	v, err := ts.Store.VenueBySlug(modelstest.Ctx(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// An organiser uploads a file, sees every row checked, presses Importeren, and the people are
// registered (and mailed) or updated; pressing it twice imports once.
func TestImportPageFlow(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := venueBySlug(t, ts, "zwolle")
	ts.loginAs(t, models.RoleOrganiser, "")

	resp, body := ts.get(t, importPage)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "import page", body, `enctype="multipart/form-data"`, `name="bestand"`, `name="locatie"`)

	// A Dutch Excel CSV: BOM, semicolons, a quoted newline, an address to update.
	existing := registerDemo(t, ts, "bestaand@example.nl")
	csv := "\ufeffNaam;E-mail;Organisatie;Dieet;Taal\r\n" +
		"Zoë <b>Bakker</b>;zoe@example.nl;Gemeente Zwolle;\"vegetarisch\nzonder noten\";en\r\n" +
		"Bestaand Bijgewerkt;BESTAAND@example.nl;Nieuwe organisatie;;\r\n"
	regs, outbox := countRows(t, ts, &models.Registration{}, ""), countRows(t, ts, &models.OutboxMessage{}, "")
	resp, body = ts.uploadImport(t, zwolle.ID, "afdeling.csv", []byte(csv))
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "preview", body, html.EscapeString("Zoë <b>Bakker</b>"), nlMsgUpTo(t, "import.counts", "Unchanged", "New", 1, "Updated", 1), "afdeling.csv")
	if strings.Contains(body, "<b>Bakker</b>") {
		t.Error("the preview shows a name unescaped")
	}
	m := importTokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no Importeren form on a clean preview:\n%s", excerpt(body))
	}
	if countRows(t, ts, &models.Registration{}, "") != regs || countRows(t, ts, &models.OutboxMessage{}, "") != outbox {
		t.Fatal("checking the file wrote something")
	}

	// Another browser (or a cross-site form) cannot use the token.
	other := ts.withNewClient(t)
	other.loginAs(t, models.RoleOrganiser, "")
	resp, body = other.postForm(t, importPage+"/bevestigen", url.Values{"token": {m[1]}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	resp, body = ts.postFormCrossOrigin(t, importPage+"/bevestigen", url.Values{"token": {m[1]}})
	wantStatus(t, resp, body, http.StatusForbidden)

	resp, body = ts.postForm(t, importPage+"/bevestigen", url.Values{"token": {m[1]}})
	bhExpectRedirect(t, resp, body, importPage)
	_, body = ts.get(t, importPage)
	wantContains(t, "after the import", body, nlMsg(t, "import.done", "Venue", zwolle.Name, "New", 1, "Updated", 1))
	if got := countRows(t, ts, &models.Registration{}, ""); got != regs+1 {
		t.Errorf("registrations = %d, want %d", got, regs+1)
	}
	var zoe models.Registration
	if err := modelstest.First(ts.Store, &zoe, modelstest.Where("email = ?", "zoe@example.nl")); err != nil || zoe.Dietary != "vegetarisch\nzonder noten" || zoe.Lang != "en" || zoe.VenueID != zwolle.ID {
		t.Errorf("imported %+v (%v)", zoe, err)
	}
	if n := countRows(t, ts, &models.OutboxMessage{}, "registration_id = ? AND kind = ? AND on_behalf = ?", zoe.ID, models.MailConfirmation, true); n != 1 {
		t.Errorf("confirmations on behalf for the new person = %d, want 1", n)
	}
	if got := countRows(t, ts, &models.OutboxMessage{}, ""); got != outbox+1 {
		t.Errorf("outbox grew by %d, want 1", got-outbox)
	}
	var upd models.Registration
	if err := modelstest.First(ts.Store, &upd, modelstest.Where("id = ?", existing)); err != nil {
		t.Fatal(err)
	}
	if upd.Name != "Bestaand Bijgewerkt" || upd.Organisation != "Nieuwe organisatie" {
		t.Errorf("updated registration = %+v", upd)
	}
	if n := countRows(t, ts, &models.AuditEntry{}, "action = ?", "registration.import"); n != 2 {
		t.Errorf("audit entries = %d, want 2", n)
	}

	// Pressing the button again imports nothing more.
	resp, body = ts.postForm(t, importPage+"/bevestigen", url.Values{"token": {m[1]}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	if got := countRows(t, ts, &models.Registration{}, ""); got != regs+1 {
		t.Errorf("a second press imported again: %d registrations", got)
	}
}

// registerDemo registers an address at the demo's Zwolle venue and returns its id.
func registerDemo(t *testing.T, ts *testServer, email string) uint {
	t.Helper()
	res, err := ts.Store.Register(modelstest.Ctx(), models.RegistrationInput{Name: "Bestaand", Email: email,
		Organisation: "Rijk", Venue: "zwolle", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Registration.ID
}

// Bad files give clear problems per row and column, in the organiser's language, and write
// nothing.
func TestImportPageProblems(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := venueBySlug(t, ts, "zwolle")
	ts.loginAs(t, models.RoleOrganiser, "")
	regs := countRows(t, ts, &models.Registration{}, "")
	xlsx := importXLSX(t, [][]string{{"Name", "Email", "Organisation"}, {"=1+1", "a@example.nl", "Rijk"}})
	for _, tc := range []struct {
		name, file string
		data       []byte
		lang       string
		wants      []string
	}{
		{"rows with problems", "lijst.csv", []byte("naam,email,organisatie\nJan,geen-adres,Rijk\nPiet,p@example.nl,\"=HYPERLINK(\"\"x\"\")\"\nJan,p@example.nl,Rijk\n"), "nl",
			[]string{nlMsg(t, "import.column.email") + ": " + nlMsg(t, "form.invalid_email"),
				nlMsg(t, "import.column.organisation") + ": " + nlMsg(t, "import.formula"),
				nlMsg(t, "import.column.email") + ": " + nlMsg(t, "import.duplicate_in_file", "Row", 3), nlMsg(t, "import.outcome.problem")}},
		{"the same in English", "lijst.csv", []byte("name,email,organisation\nJan,geen-adres,Rijk\n"), "en",
			[]string{"Email: ", "Cannot be imported"}},
		{"wrong columns", "lijst.csv", []byte("naam;telefoon\nJan;06\n"), "nl",
			[]string{nlMsg(t, "import.unknown_columns", "Columns", "telefoon"), nlMsg(t, "import.missing_columns", "Columns", "e-mail, organisatie (organisation)")}},
		{"not an XLSX", "lijst.xlsx", []byte("dit is tekst"), "nl", []string{nlMsg(t, "import.not_xlsx")}},
		{"an XLSX formula", "lijst.xlsx", xlsx, "en", []string{"Name: A formula is not imported"}},
		{"a zip bomb", "bom.xlsx", importfiletest.ZipBomb(t, 300), "nl", []string{nlMsg(t, "import.too_large_unpacked")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ts.uploadImport(t, zwolle.ID, tc.file, tc.data, "Cookie", "lang="+tc.lang)
			wantStatus(t, resp, body, http.StatusUnprocessableEntity)
			wantContains(t, tc.name, body, append(tc.wants, "error-summary")...)
			if importTokenRE.MatchString(body) {
				t.Error("a file with problems can be imported")
			}
		})
	}
	resp, body := ts.uploadImport(t, 0, "lijst.csv", []byte("naam,email,organisatie\nJan,j@example.nl,Rijk\n"))
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "no venue", body, nlMsg(t, "import.choose_venue"))
	if got := countRows(t, ts, &models.Registration{}, ""); got != regs {
		t.Errorf("registrations = %d, want %d: nothing written", got, regs)
	}
}

func importXLSX(t *testing.T, table [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	for r, row := range table {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if strings.HasPrefix(v, "=") {
				f.SetCellFormula("Sheet1", cell, v[1:])
			} else {
				f.SetCellValue("Sheet1", cell, v)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Only organisers import, and a venue-scoped organiser only into their venue.
func TestImportRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := venueBySlug(t, ts, "zwolle")
	csv := []byte("naam,email,organisatie\nJan,jan.rol@example.nl,Rijk\n")

	anon := ts.withNewClient(t)
	resp, _ := anon.get(t, importPage)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen") {
		t.Errorf("signed out: status %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, role := range []string{models.RoleReviewer, models.RoleDoor} {
		c := ts.withNewClient(t)
		c.loginAs(t, role, map[string]string{models.RoleDoor: "zwolle"}[role])
		resp, body := c.get(t, importPage)
		wantStatus(t, resp, body, http.StatusForbidden)
		resp, body = c.uploadImport(t, zwolle.ID, "a.csv", csv)
		wantStatus(t, resp, body, http.StatusForbidden)
	}
	scoped := ts.withNewClient(t)
	scoped.loginAs(t, models.RoleOrganiser, "rotterdam")
	resp, body := scoped.get(t, importPage)
	wantStatus(t, resp, body, http.StatusOK)
	if strings.Contains(body, fmt.Sprintf(`value="%d"`, zwolle.ID)) {
		t.Error("a Rotterdam organiser is offered Zwolle")
	}
	resp, body = scoped.uploadImport(t, zwolle.ID, "a.csv", csv)
	wantStatus(t, resp, body, http.StatusForbidden)
	if n := countRows(t, ts, &models.Registration{}, "email = ?", "jan.rol@example.nl"); n != 0 {
		t.Error("a refused import wrote")
	}
}

// The API imports a CSV or XLSX body: 200 with the report on a dry run or any problem
// (nothing written), 201 with the counts when imported.
func TestImportAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token := organiserToken(t, ts, "")
	csvType := []string{"Content-Type", "text/csv; charset=utf-8"}
	good := "name,email,organisation,language\nAnn Api,ann.api@example.nl,Rijk,en\nBob Api,bob.api@example.nl,Rijk,\n"
	regs := countRows(t, ts, &models.Registration{}, "")

	resp, body := ts.apiCall(t, http.MethodPost, "/api/v1/registrations/import?venue=zwolle&dry_run=true", good, token, csvType...)
	wantAPIStatus(t, resp, body, http.StatusOK)
	var report ImportReportJSON
	json.Unmarshal(body, &report)
	if report.Rows != 2 || report.Valid != 2 || report.New != 2 || len(report.Problems) != 0 || countRows(t, ts, &models.Registration{}, "") != regs {
		t.Errorf("dry run = %s, want 2 valid rows and nothing written", body)
	}

	bad := "naam;email;organisatie\nAnn;ann.api@example.nl;Rijk\nCarl;carl-zonder-at;Rijk\n"
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations/import?venue=zwolle&dry_run=false", bad, token, csvType...)
	wantAPIStatus(t, resp, body, http.StatusOK)
	json.Unmarshal(body, &report)
	if len(report.Problems) != 1 || report.Problems[0].Row != 3 || report.Problems[0].Field != "email" || report.Problems[0].Message == "" || countRows(t, ts, &models.Registration{}, "") != regs {
		t.Errorf("import with a bad row = %s, want one problem on row 3, email, and nothing written", body)
	}

	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations/import?venue=zwolle&dry_run=false", good, token, csvType...)
	wantAPIStatus(t, resp, body, http.StatusCreated)
	var done ImportDoneJSON
	json.Unmarshal(body, &done)
	if done.Created != 2 || countRows(t, ts, &models.Registration{}, "") != regs+2 {
		t.Errorf("import = %s, want 2 created", body)
	}
	var e models.AuditEntry
	if err := modelstest.First(ts.Store, &e, modelstest.Where("action = ?", "registration.import")); err != nil || e.ActorKind != models.ActorToken {
		t.Errorf("audit entry %+v (%v), want one naming the token", e, err)
	}
	again := strings.Replace(good, "Ann Api", "Ann Api-Bakker", 1)
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations/import?venue=zwolle", again, token, csvType...)
	wantAPIStatus(t, resp, body, http.StatusCreated)
	json.Unmarshal(body, &done)
	if done.Created != 0 || done.Updated != 1 || done.Unchanged != 1 {
		t.Errorf("import again = %s, want 1 updated, 1 unchanged", body)
	}

	xlsx := importXLSX(t, [][]string{{"Naam", "E-mail", "Organisatie"}, {"Xavier", "x.api@example.nl", "Rijk"}})
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations/import?venue=zwolle&dry_run=true", string(xlsx), token, "Content-Type", importfile.XLSXContentType)
	wantAPIStatus(t, resp, body, http.StatusOK)
	json.Unmarshal(body, &report)
	if report.Valid != 1 {
		t.Errorf("XLSX dry run = %s", body)
	}

	for _, tc := range []struct {
		name, path, body, token string
		headers                 []string
		want                    int
	}{
		{"no token", "/api/v1/registrations/import?venue=zwolle", good, "", csvType, http.StatusUnauthorized},
		{"a wrong token", "/api/v1/registrations/import?venue=zwolle", good, "dpo_nietgoed", csvType, http.StatusUnauthorized},
		{"another venue's token", "/api/v1/registrations/import?venue=zwolle", good, organiserToken(t, ts, "rotterdam"), csvType, http.StatusForbidden},
		{"unknown venue", "/api/v1/registrations/import?venue=nergens", good, token, csvType, http.StatusNotFound},
		{"JSON body", "/api/v1/registrations/import?venue=zwolle", `{"a":1}`, token, []string{"Content-Type", "application/json"}, http.StatusUnsupportedMediaType},
		{"bad dry_run", "/api/v1/registrations/import?venue=zwolle&dry_run=ja", good, token, csvType, http.StatusBadRequest},
		{"too large", "/api/v1/registrations/import?venue=zwolle", strings.Repeat("x", importfile.MaxBytes+1), token, csvType, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := ts.apiCall(t, http.MethodPost, tc.path, tc.body, tc.token, tc.headers...)
			wantAPIStatus(t, resp, body, tc.want)
		})
	}
}

// 10,000 rows are read and checked in one request; more are refused. (The demo venue has
// fewer places than that: the report says so, and nothing is written.)
func TestImportAPITenThousandRows(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token := organiserToken(t, ts, "")
	var b strings.Builder
	b.WriteString("naam;email;organisatie\n")
	for i := range models.MaxImportRows {
		fmt.Fprintf(&b, "Persoon %d;p%d@example.nl;Rijk\n", i, i)
	}
	regs := countRows(t, ts, &models.Registration{}, "")
	resp, body := ts.apiCall(t, http.MethodPost, "/api/v1/registrations/import?venue=zwolle&dry_run=true", b.String(), token, "Content-Type", "text/csv")
	wantAPIStatus(t, resp, body, http.StatusOK)
	var report ImportReportJSON
	json.Unmarshal(body, &report)
	if report.Rows != models.MaxImportRows || report.Valid != models.MaxImportRows || len(report.Problems) != 1 || report.Problems[0].Code != "import.not_enough_places" {
		t.Errorf("10,000 rows: rows %d, valid %d, problems %v", report.Rows, report.Valid, report.Problems)
	}
	b.WriteString("Een te veel;teveel@example.nl;Rijk\n")
	resp, body = ts.apiCall(t, http.MethodPost, "/api/v1/registrations/import?venue=zwolle", b.String(), token, "Content-Type", "text/csv")
	wantAPIStatus(t, resp, body, http.StatusOK)
	json.Unmarshal(body, &report)
	if len(report.Problems) != 1 || report.Problems[0].Code != "import.too_many_rows" || countRows(t, ts, &models.Registration{}, "") != regs {
		t.Errorf("10,001 rows: %v, want too many rows and nothing written", report.Problems)
	}
}

// A file of 10,000 rows is checked and every row shown; the demo venue has too few places
// for them, which the page says, and nothing is written.
func TestImportPageTenThousandRows(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := venueBySlug(t, ts, "zwolle")
	ts.loginAs(t, models.RoleOrganiser, "")
	var b strings.Builder
	b.WriteString("naam,email,organisatie\n")
	for i := range models.MaxImportRows {
		fmt.Fprintf(&b, "Persoon %d,p%d@example.nl,Rijk\n", i, i)
	}
	regs := countRows(t, ts, &models.Registration{}, "")
	resp, body := ts.uploadImport(t, zwolle.ID, "groot.csv", []byte(b.String()))
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "10,000 rows", body, "Persoon 0<", "Persoon 9999<", "p9999@example.nl", nlMsgUpTo(t, "import.not_enough_places", "Free", "New", 10000))
	if got := strings.Count(body, "<tr class=\"utrecht-table__row\">"); got != models.MaxImportRows+1 {
		t.Errorf("preview has %d table rows, want a header and 10,000", got)
	}
	if countRows(t, ts, &models.Registration{}, "") != regs {
		t.Error("a refused import wrote")
	}
}

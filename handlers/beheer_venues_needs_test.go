package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// registerWithNeeds registers someone at a venue with the given needs, seated in sessions.
func registerWithNeeds(t *testing.T, ts *testServer, venue, name, dietary, access string, sessions ...uint) models.Registration {
	t.Helper()
	res, err := ts.Store.Register(modelstest.Ctx(), models.RegistrationInput{
		Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.nl", Organisation: "Gemeente Kampen",
		Dietary: dietary, Accessibility: access, Venue: venue, Sessions: sessions, Consent: true,
	})
	if err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
	return res.Registration
}

func TestVenueNeedsPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	zwolle, rotterdam := testVenue(t, ts, "zwolle"), testVenue(t, ts, "rotterdam")
	registerWithNeeds(t, ts, "zwolle", "Koos Koriander", "Geen koriander", "")
	registerWithNeeds(t, ts, "zwolle", "Kees Koriander", " geen  KORIANDER ", "")
	registerWithNeeds(t, ts, "zwolle", "Script Kiddie", "<img src=x onerror=alert(1)>", "")
	registerWithNeeds(t, ts, "rotterdam", "Rob Rotterdam", "Alleen in Rotterdam", "")
	path := "/beheer/locaties/" + bhID(zwolle.ID) + "/behoeften"

	organiser := ts.withNewClient(t)
	organiser.loginAs(t, models.RoleOrganiser, "zwolle")
	resp, body := organiser.get(t, path)
	wantStatus(t, resp, body, http.StatusOK)
	if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "no-store") {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	wantContains(t, "needs page", body, nlMsg(t, "needs.why"), nlMsg(t, "needs.who"),
		"<strong>2</strong> Geen koriander", "&lt;img src=x onerror=alert(1)&gt;")
	if strings.Contains(body, "<img src=x") || strings.Contains(body, "Alleen in Rotterdam") {
		t.Error("the needs page shows an unescaped need, or another venue's")
	}

	// The counts against the database: every active registration at zwolle, classified.
	var regs []models.Registration
	modelstest.Find(t, ts.Store, &regs, modelstest.Where("venue_id = ? AND status = ?", zwolle.ID, models.RegistrationActive))
	want := map[string]int{}
	withNeeds := 0
	for _, r := range regs {
		if r.Dietary != "" || r.Accessibility != "" {
			withNeeds++
		}
		for _, kind := range []string{models.NeedDietary, models.NeedAccessibility} {
			text := r.Dietary
			if kind == models.NeedAccessibility {
				text = r.Accessibility
			}
			known, _ := models.ClassifyNeeds(kind, text)
			for _, k := range known {
				want[k]++
			}
		}
	}
	if len(want) < 4 {
		t.Errorf("the demo gives zwolle's people only %d kinds of need: %v", len(want), want)
	}
	catalog, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr := catalog.Translator(locale.Lang("nl"))
	for key, n := range want {
		wantContains(t, "needs page counts", body, fmt.Sprintf("<strong>%d</strong> %s</li>", n, tr.T("needs.kind."+key)))
	}
	wantContains(t, "needs page total", body, tr.T("needs.with_needs", "Count", withNeeds, "Registered", len(regs)))
	needs, err := ts.Store.VenueNeeds(ctx, zwolle.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(needs.Sessions) == 0 {
		t.Error("no session of zwolle has seated people with needs")
	}
	for _, s := range needs.Sessions {
		wantContains(t, "needs per session", body, fmt.Sprintf(`data-session="%d"`, s.SessionID))
	}

	// English too.
	resp, body = organiser.get(t, path, "Accept-Language", "en")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, "special categories of personal data") && !strings.Contains(body, nlMsg(t, "needs.why")) {
		t.Error("the needs page says nothing about why it shows these data")
	}

	// Another venue's organiser: 403, nothing shown.
	other := ts.withNewClient(t)
	other.loginAs(t, models.RoleOrganiser, "rotterdam")
	resp, body = other.get(t, path)
	wantStatus(t, resp, body, http.StatusForbidden)
	if strings.Contains(body, "koriander") {
		t.Error("the 403 page shows a need")
	}
	resp, body = other.get(t, "/beheer/locaties/"+bhID(rotterdam.ID)+"/behoeften")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "rotterdam's needs", body, "Alleen in Rotterdam")

	// The venue's page links to it.
	resp, body = organiser.get(t, "/beheer/locaties/"+bhID(zwolle.ID))
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "venue page", body, `href="`+path+`"`)
}

// TestNeedsNeverAtTheDoor checks that dietary and accessibility needs (special categories of
// personal data) are on none of what the door and attendees' badges carry: the door's list
// and answers, badges and the door list PDF.
func TestNeedsNeverAtTheDoor(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	ts := f.ts
	const secret = "GEHEIMEBEHOEFTE"
	r := registerWithNeeds(t, ts, "zwolle", "Bea Behoefte", "notenallergie "+secret, "rolstoel "+secret)
	leaks := func(what string, body string) {
		t.Helper()
		if strings.Contains(strings.ToUpper(body), secret) || strings.Contains(body, "notenallergie") {
			t.Errorf("%s carries a need", what)
		}
	}

	resp, b := ts.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle/checkin-list", "", f.tokens["Ingang Oost"])
	wantAPIStatus(t, resp, b, http.StatusOK)
	if !strings.Contains(string(b), "Bea Behoefte") {
		t.Fatal("the door's list lacks the person")
	}
	leaks("the door's list", string(b))

	raw, _ := json.Marshal(map[string]any{"registration": r.ID})
	resp, b = ts.apiCall(t, http.MethodPost, "/api/v1/checkins", string(raw), f.tokens["Ingang Oost"])
	wantAPIStatus(t, resp, b, http.StatusOK)
	leaks("the check-in answer", string(b))

	resp, body := ts.get(t, "/deur")
	wantStatus(t, resp, body, http.StatusOK)
	leaks("the door page", body)

	admin := ts.withNewClient(t)
	admin.loginAs(t, models.RoleAdmin, "")
	resp, body = admin.postForm(t, "/beheer/locaties/"+bhID(f.zwolle.ID)+"/badges.pdf", url.Values{"alleen": {"alle"}})
	text := squashSpace(ticketstest.PDFText(t, wantPDF(t, resp, body, "badges-zwolle-2027.pdf")))
	if !strings.Contains(text, "BeaBehoefte") {
		t.Fatal("the badges lack the person")
	}
	leaks("the badges", text)
	resp, body = admin.get(t, "/beheer/locaties/"+bhID(f.zwolle.ID)+"/deurlijst.pdf")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("door list: status %d", resp.StatusCode)
	}
	text = squashSpace(ticketstest.PDFText(t, []byte(body)))
	if !strings.Contains(text, "Behoefte") {
		t.Fatalf("the door list lacks the person:\n%s", text)
	}
	leaks("the door list", text)
}

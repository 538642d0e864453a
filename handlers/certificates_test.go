package handlers

import (
	"crypto/ed25519"
	"html"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/certificate"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// venueCertificatesRoute is the organisers' download of a venue's certificates.
const venueCertificatesRoute = "/beheer/locaties/:venue/certificaten.pdf"

// checkIn admits a registration at its venue's main door.
func checkIn(t *testing.T, ts *testServer, venueID, regID uint) {
	t.Helper()
	out, err := ts.Store.CheckIn(modelstest.Ctx(), models.CheckInInput{VenueID: venueID, RegistrationID: regID, Door: "Hoofdingang"})
	if err != nil || out.Result != models.CheckInAdmitted {
		t.Fatalf("check in %d: %s, %v; want admitted", regID, out.Result, err)
	}
}

// dutchHours is a number of hours as the Dutch certificate writes it: "1,5 uur".
func dutchHours(h float64) string {
	return strings.Replace(strconv.FormatFloat(h, 'f', -1, 64), ".", ",", 1) + " uur"
}

// wantInvalidCertificate checks that the page and the API both answer 404 for code.
func wantInvalidCertificate(t *testing.T, ts *testServer, what, code string) {
	t.Helper()
	resp, page := ts.get(t, "/certificaat/"+code)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, html.EscapeString(nlText(t, "certificate.invalid_title"))) {
		t.Errorf("%s: check page %d, want 404 saying %q:\n%s", what, resp.StatusCode, nlText(t, "certificate.invalid_title"), excerpt(page))
	}
	var got InvalidCertificateJSON
	ts.apiGet(t, "/api/v1/certificates/"+code, http.StatusNotFound, &got)
	if got.Valid || got.Error.Code != "not_found" || got.Error.Message == "" {
		t.Errorf("%s: API answered %+v, want valid false with code not_found and a message", what, got)
	}
}

// A certificate, from the personal link to the employer's check: none before the door;
// a real code names no one yet; after it, the PDF names the person, their session and hours, and its QR code leads to the
// check page, which (with the API) confirms it; a code with one character changed, made with
// another key or naming an erased registration is not valid.
func TestCertificateRoundTrip(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		ts := newTestServerWith(t, store, false)
		venue := testVenue(t, ts, "zwolle")
		talk := addPlacedSession(t, ts, "Open data in Überlingen")
		created := apiRegister(t, ts, registrationBody(t, []uint{talk.ID}, func(m map[string]any) {
			m["name"], m["organisation"], m["lang"] = "Zoë Ångström-Ñúñez", "Gemeente Ærø", "nl"
		}))
		pdfPath := created.BookingURL + "/certificaat.pdf"

		resp, body := ts.get(t, pdfPath)
		wantStatus(t, resp, body, http.StatusNotFound)
		wantContains(t, "certificate before the door", body, html.EscapeString(nlText(t, "certificate.not_yet.title")))
		_, page := ts.get(t, created.BookingURL)
		if strings.Contains(page, "certificaat") {
			t.Errorf("the booking page links to a certificate before the person came in")
		}

		key, err := store.EventKey(modelstest.Ctx(), venue.EventID)
		if err != nil {
			t.Fatal(err)
		}
		early := certificate.Sign(key.PrivateKey, certificate.Code{EventID: uint32(venue.EventID), RegistrationID: uint32(created.ID)})
		wantInvalidCertificate(t, ts, "a real code before the door", early)

		checkIn(t, ts, venue.ID, created.ID)
		_, page = ts.get(t, created.BookingURL)
		wantContains(t, "booking page after the door", page, `href="`+pdfPath+`"`, `href="/certificaat/`)

		resp, body = ts.get(t, pdfPath)
		pdf := wantPDF(t, resp, body, "certificaat-zwolle.pdf")
		att, err := store.AttendedSessions(modelstest.Ctx(), created.ID)
		if err != nil || len(att.Sessions) != 1 {
			t.Fatalf("attended: %+v, %v; want the one session", att, err)
		}
		text := ticketstest.PDFText(t, pdf)
		for _, want := range []string{"Zoë Ångström-Ñúñez", "Gemeente Ærø", talk.Title, venue.Name, dutchHours(att.Hours()),
			strings.ToUpper(nlText(t, "certificate.title"))} {
			if !strings.Contains(squashSpace(text), squashSpace(want)) {
				t.Errorf("certificate text lacks %q:\n%s", want, text)
			}
		}
		link := ticketstest.DecodeQR(t, ticketstest.Rasterise(t, pdf, 1, 150))
		code, ok := strings.CutPrefix(link, ts.URL+"/certificaat/")
		if !ok || len(code) != certificate.CodeLen {
			t.Fatalf("the QR code holds %q, want %s/certificaat/ and a code", link, ts.URL)
		}
		if !strings.Contains(squashSpace(text), code) {
			t.Errorf("certificate text lacks its code %s", code)
		}
		wantContains(t, "booking page", page, `href="/certificaat/`+code+`"`)

		resp, page = ts.get(t, "/certificaat/"+code)
		wantStatus(t, resp, page, http.StatusOK)
		wantContains(t, "check page", page, html.EscapeString(nlText(t, "certificate.valid")), html.EscapeString("Zoë Ångström-Ñúñez"),
			html.EscapeString(talk.Title), html.EscapeString(dutchHours(att.Hours())))
		if code != early {
			t.Errorf("the certificate's code %q is not the one signed before the door %q: one registration, one code", code, early)
		}
		if got := resp.Header.Get("X-Robots-Tag"); got != "noindex" {
			t.Errorf("check page X-Robots-Tag %q, want noindex: it names a person", got)
		}
		var got CertificateJSON
		ts.apiGet(t, "/api/v1/certificates/"+code, http.StatusOK, &got)
		if !got.Valid || got.Name != "Zoë Ångström-Ñúñez" || got.Venue != venue.Name || got.Date != "2027-02-03" ||
			got.Hours != math.Round(att.Hours()*100)/100 || len(got.Sessions) != 1 || got.Sessions[0].Title != talk.Title ||
			!got.Sessions[0].Start.Equal(att.Sessions[0].StartsAt) || !got.Sessions[0].End.Equal(att.Sessions[0].EndsAt) {
			t.Errorf("API answered %+v, want the person, the venue, the day, the session and %v hours", got, att.Hours())
		}
		if _, offset := got.Sessions[0].Start.Zone(); offset != 3600 {
			t.Errorf("session start %v, want it in the event's zone (UTC+1 in February)", got.Sessions[0].Start)
		}

		for _, at := range []int{0, 1, 7, 20, 60, len(code) - 1} {
			flipped := byte('a')
			if code[at] == 'a' {
				flipped = 'b'
			}
			wantInvalidCertificate(t, ts, "character "+strconv.Itoa(at)+" changed", code[:at]+string(flipped)+code[at+1:])
		}
		_, otherKey, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		forged := certificate.Sign(otherKey, certificate.Code{EventID: uint32(venue.EventID), RegistrationID: uint32(created.ID)})
		wantInvalidCertificate(t, ts, "signed with another key", forged)
		wantInvalidCertificate(t, ts, "another event", certificate.Sign(otherKey, certificate.Code{EventID: 999, RegistrationID: 1}))
		wantInvalidCertificate(t, ts, "not a code", "onzin")

		if _, err := store.EraseRegistration(modelstest.Ctx(), created.ID); err != nil {
			t.Fatal(err)
		}
		wantInvalidCertificate(t, ts, "erased", code)
	})
}

// The public checks are limited per client: 30 at once, then 429 with Retry-After, while
// another client still gets its answer. (The limiter refills only hourly here, so that a slow
// run cannot give a token back between the checks.)
func TestCertificateLookupsLimited(t *testing.T) {
	t.Parallel()
	ts := newProxiedServer(t, func(h *Handler) { h.certs.lookups = newKeyedLimiter(time.Hour, 30) })
	from := func(ip string) []string { return []string{"X-Forwarded-For", ip} }
	for i := range 30 {
		path := "/certificaat/onzin"
		if i%2 == 1 {
			path = "/api/v1/certificates/onzin"
		}
		if resp, body := ts.get(t, path, from("192.0.2.7")...); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("check %d: %d, want 404:\n%s", i+1, resp.StatusCode, excerpt(body))
		}
	}
	for _, path := range []string{"/certificaat/onzin", "/api/v1/certificates/onzin"} {
		resp, body := ts.get(t, path, from("192.0.2.7")...)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s after 30 checks: %d (Retry-After %q), want 429 with Retry-After:\n%s", path, resp.StatusCode,
				resp.Header.Get("Retry-After"), excerpt(body))
		}
	}
	if resp, body := ts.get(t, "/certificaat/onzin", from("192.0.2.8")...); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another client: %d, want its 404:\n%s", resp.StatusCode, excerpt(body))
	}
}

// An organiser's download of a venue's certificates has a page for everyone admitted at its
// door, each in the person's language, and nobody else: not the person who never came in,
// not another venue's. Only organisers of the venue get it; a venue where nobody came in yet
// says so instead.
func TestVenueCertificates(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		ts := newTestServerWith(t, store, false)
		zwolle, rotterdam := testVenue(t, ts, "zwolle"), testVenue(t, ts, "rotterdam")
		person := func(name, lang, venue string) RegistrationJSON {
			return apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) {
				m["name"], m["lang"], m["venue"] = name, lang, venue
			}))
		}
		in := []RegistrationJSON{person("Anna de Vries", "nl", "zwolle"), person("Bram Bakker", "en", "zwolle"), person("Chantal Öztürk", "nl", "zwolle")}
		for _, p := range in {
			checkIn(t, ts, zwolle.ID, p.ID)
		}
		absent := person("Daan Afwezig", "nl", "zwolle")
		elsewhere := person("Eva Elders", "nl", "rotterdam")
		checkIn(t, ts, rotterdam.ID, elsewhere.ID)
		path := "/beheer/locaties/" + idString(zwolle.ID) + "/certificaten.pdf"

		local := ts.withNewClient(t)
		local.loginAs(t, models.RoleOrganiser, "rotterdam")
		if resp, body := local.get(t, path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("rotterdam's organiser got zwolle's certificates: %d, want 403:\n%s", resp.StatusCode, excerpt(body))
		}
		if resp, _ := ts.get(t, path); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen") {
			t.Errorf("signed out: %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
		}

		ts.loginAs(t, models.RoleOrganiser, "")
		_, page := ts.get(t, "/beheer/locaties/"+idString(zwolle.ID))
		wantContains(t, "venue page", page, `href="`+path+`"`)
		resp, body := ts.get(t, path)
		pdf := wantPDF(t, resp, body, "certificaten-zwolle.pdf")
		if got := ticketstest.PDFPages(t, pdf); got != len(in) {
			t.Errorf("pages = %d, want %d: one per person who came in", got, len(in))
		}
		text := ticketstest.PDFStreamText(t, pdf)
		ticketstest.WantInOrder(t, "certificates by last name", text, "Bram Bakker", "Chantal Öztürk", "Anna de Vries")
		for _, other := range []string{absent.Name, elsewhere.Name} {
			if strings.Contains(text, other) {
				t.Errorf("the certificates include %s, who did not come in at zwolle", other)
			}
		}
		// Each page in its person's language: Bram's in English, the others' in Dutch.
		if n := strings.Count(text, "CERTIFICATE OF ATTENDANCE"); n != 1 {
			t.Errorf("%d English pages, want 1 (Bram's)", n)
		}
		if n := strings.Count(text, "BEWIJS VAN DEELNAME"); n != 2 {
			t.Errorf("%d Dutch pages, want 2", n)
		}

		// Once rotterdam's only attendee is erased, nobody there has a certificate: the
		// download goes back to the venue page, which says so.
		if _, err := store.EraseRegistration(modelstest.Ctx(), elsewhere.ID); err != nil {
			t.Fatal(err)
		}
		resp, _ = ts.get(t, "/beheer/locaties/"+idString(rotterdam.ID)+"/certificaten.pdf")
		if got, want := resp.Header.Get("Location"), "/beheer/locaties/"+idString(rotterdam.ID); resp.StatusCode != http.StatusSeeOther || got != want {
			t.Errorf("rotterdam without anyone in: %d to %q, want 303 to %q", resp.StatusCode, got, want)
		}
		_, page = ts.get(t, "/beheer/locaties/"+idString(rotterdam.ID))
		wantContains(t, "venue page after an empty download", page, html.EscapeString(nlText(t, "certificate.venue_none")))
	})
}

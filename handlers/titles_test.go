package handlers

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

var titleTag = regexp.MustCompile(`<title>(.*?)</title>`)

// pageTitle reads a page's <title>, unescaped.
func pageTitle(t *testing.T, body string) string {
	t.Helper()
	m := titleTag.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page has no <title>")
	}
	return html.UnescapeString(m[1])
}

// TestPageTitles checks that every page's title names the page and the event, in the
// page's language, and that pages point at the site's icon.
func TestPageTitles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	event, err := ts.Store.CurrentEvent(modelstest.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	venue := testVenue(t, ts, "zwolle")
	session := placedAt(t, ts, "zwolle") // a session on the public programme
	seen := map[string]string{}
	for _, tc := range []struct{ path, lang, want string }{
		{"/", "nl", event.Name},
		{"/programma/zwolle", "nl", nlText(t, "programme.title", "Venue", venue.Name) + " — " + event.Name},
		{"/programma/zwolle", "en", "Programme " + venue.NameIn("en") + " — " + event.Name},
		{"/sessies/" + idString(session.ID), "nl", session.Title + " — " + event.Name},
		{"/aanmelden", "nl", ""},
		{"/aanmelden/zwolle", "nl", ""},
		{"/privacy", "nl", ""},
		{"/beheer/inloggen", "nl", ""},
		{"/deur", "nl", ""},
		{"/bestaat-niet", "nl", ""},
	} {
		_, body := ts.get(t, tc.path, "Accept-Language", tc.lang)
		got := pageTitle(t, body)
		if tc.want != "" && got != tc.want {
			t.Errorf("GET %s (%s): <title> %q, want %q", tc.path, tc.lang, got, tc.want)
		}
		if tc.path != "/" && (!strings.HasSuffix(got, " — "+event.Name) || got == event.Name+" — "+event.Name) {
			t.Errorf("GET %s (%s): <title> %q does not name the page and then the event", tc.path, tc.lang, got)
		}
		if other, ok := seen[got]; ok && other != tc.path {
			t.Errorf("GET %s and %s share the <title> %q", tc.path, other, got)
		}
		seen[got] = tc.path
		if !strings.Contains(body, `<link rel="icon" href="`+staticURL(t, "favicon.svg")+`" type="image/svg+xml">`) {
			t.Errorf("GET %s: no link to the icon", tc.path)
		}
	}
}

// TestBookingShowsTicketCode checks that the booking page shows the code printed on the
// ticket, for typing in at the door when the QR code cannot be read.
func TestBookingShowsTicketCode(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token := registerByForm(t, ts, "zwolle", registrationValues("Ticket Houder", uniqueEmail("code"), nil))
	r := registrationOf(t, ts, token)
	key, err := ts.Store.EventKey(modelstest.Ctx(), r.Venue.EventID)
	if err != nil {
		t.Fatal(err)
	}
	code := tickets.ShortCode(tickets.NewSigner(key.PrivateKey).Payload(tickets.TicketFor(r, "zwolle")))

	resp, body := ts.get(t, "/boeking/"+token)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "booking page", body, nlMsg(t, "booking.ticket_code"), `<code class="utrecht-code">`+code+`</code>`,
		nlMsg(t, "booking.ticket_same_as_page"))
	// The ticket offered beside it describes itself, in the registration's language.
	resp, pdf := ts.get(t, "/boeking/"+token+"/ticket.pdf")
	wantStatus(t, resp, pdf, http.StatusOK)
	ticketstest.WantDescribed(t, "ticket", []byte(pdf), testEvent(t, ts).Name+" – Toegangsbewijs", "nl")
	_, en := ts.get(t, "/boeking/"+token, "Accept-Language", "en")
	wantContains(t, "booking page in English", en, "Ticket code", code)
}

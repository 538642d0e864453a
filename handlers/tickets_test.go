package handlers

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// The PDF helpers below are copied from tickets/tools_test.go: test helpers cannot be
// imported across packages.

// countQRs returns how many QR codes are found in img.
func countQRs(t *testing.T, img image.Image) int { return len(ticketstest.DecodeQRs(t, img)) }

// badgeCell returns cell c (0 to 7) of a badge sheet page rasterised at dpi: 2 × 4 badges
// of 95 × 65 mm centred on A4.
func badgeCell(img image.Image, c, dpi int) image.Image {
	dpmm := float64(dpi) / 25.4
	x, y := 10+float64(c%2)*95, 18.5+float64(c/2)*65
	r := image.Rect(int(x*dpmm), int(y*dpmm), int((x+95)*dpmm), int((y+65)*dpmm))
	return ticketstest.Crop(img, r)
}

// squashSpace removes all white space, since pdftotext -layout may split or pad lines.
func squashSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// wantPDF fails unless the response is a PDF download named filename.
func wantPDF(t *testing.T, resp *http.Response, body, filename string) []byte {
	t.Helper()
	wantStatus(t, resp, body, http.StatusOK)
	if got, want := resp.Header.Get("Content-Type"), "application/pdf"; got != want {
		t.Errorf("%s: Content-Type got %q, want %q", resp.Request.URL.Path, got, want)
	}
	if got := resp.Header.Get("Content-Disposition"); !strings.Contains(got, `filename="`+filename+`"`) {
		t.Errorf("%s: Content-Disposition got %q, want filename %q", resp.Request.URL.Path, got, filename)
	}
	if !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("%s: body starts with %q, want %%PDF-", resp.Request.URL.Path, body[:min(len(body), 16)])
	}
	return []byte(body)
}

// eventKeysJSON is the answer of GET /api/v1/event/keys.
type eventKeysJSON struct {
	Keys []EventKeyJSON `json:"keys"`
}

// publishedKey fetches the event's public key the way an offline verifier does: from the API
// alone, checked against the OpenAPI document.
func publishedKey(t *testing.T, ts *testServer) (EventKeyJSON, ed25519.PublicKey) {
	t.Helper()
	var got eventKeysJSON
	ts.apiGet(t, "/api/v1/event/keys", http.StatusOK, &got)
	if len(got.Keys) != 1 {
		t.Fatalf("keys: got %d, want 1: %+v", len(got.Keys), got.Keys)
	}
	k := got.Keys[0]
	pub, err := base64.StdEncoding.DecodeString(k.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("public_key %q: got %d bytes (%v), want %d bytes of standard base64", k.PublicKey, len(pub), err, ed25519.PublicKeySize)
	}
	sum := sha256.Sum256(pub)
	if want := hex.EncodeToString(sum[:8]); k.KeyID != want {
		t.Errorf("kid got %q, want %q (the first 8 bytes of the key's SHA-256)", k.KeyID, want)
	}
	if k.Algorithm != "Ed25519" || k.PayloadFormat != "DP1" {
		t.Errorf("alg %q payload_format %q, want Ed25519 and DP1", k.Algorithm, k.PayloadFormat)
	}
	return k, ed25519.PublicKey(pub)
}

// ticketPath is the API address of a registration's ticket.
func ticketPath(id uint) string { return "/api/v1/registrations/" + idString(id) + "/ticket.pdf" }

// getWithToken fetches path with a bearer token, as an app does ("" sends none).
func (ts *testServer) getWithToken(t *testing.T, path, token string) (*http.Response, string) {
	t.Helper()
	if token == "" {
		return ts.get(t, path)
	}
	return ts.get(t, path, "Authorization", "Bearer "+token)
}

func TestTicketRoundTrip(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	venue := testVenue(t, ts, "zwolle")
	_, pub := publishedKey(t, ts)
	verifier := tickets.NewVerifier(pub)

	open := addPlacedSession(t, ts, "Open data in Überlingen")
	full := addSmallSession(t, ts, "zwolle", 3, "Eén stoel: café")
	apiRegister(t, ts, registrationBody(t, []uint{full.ID}, nil)) // takes its only seat

	for i, tc := range []struct{ name, organisation string }{
		{"Zoë Ångström-Ñúñez", "Gemeente Ærø & Ängelholm"},
		{"Αλέξανδρος Παπαδόπουλος", "Δήμος Αθηναίων"},
		{"Дмитрий Шостакович", "Министерство культуры"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			created := apiRegister(t, ts, registrationBody(t, []uint{open.ID, full.ID}, func(m map[string]any) {
				m["name"], m["organisation"], m["lang"] = tc.name, tc.organisation, "nl"
			}))
			position := i + 1
			status := map[uint]BookingJSON{}
			for _, b := range created.Sessions {
				status[b.ID] = b
			}
			if got, want := status[open.ID], (BookingJSON{ID: open.ID, Status: models.BookingConfirmed}); got != want {
				t.Errorf("open session: got %+v, want %+v", got, want)
			}
			if got, want := status[full.ID], (BookingJSON{ID: full.ID, Status: models.BookingWaitlisted, Position: position}); got != want {
				t.Errorf("full session: got %+v, want %+v", got, want)
			}

			// The ticket through the API.
			resp, body := ts.getWithToken(t, ticketPath(created.ID), created.ManageToken)
			pdf := wantPDF(t, resp, body, "ticket-zwolle.pdf")
			if got, want := resp.Header.Get("Cache-Control"), "no-store"; got != want {
				t.Errorf("Cache-Control got %q, want %q", got, want)
			}
			if got, want := ticketstest.PDFPages(t, pdf), 1; got != want {
				t.Errorf("pages got %d, want %d", got, want)
			}
			layout := ticketstest.PDFText(t, pdf)
			if !strings.Contains(layout, tc.name) {
				t.Errorf("ticket text lacks the name %q exactly:\n%s", tc.name, layout)
			}
			text := squashSpace(layout)
			for _, want := range []string{tc.organisation, venue.Name, venue.Address, open.Title, full.Title,
				fmt.Sprintf("wachtlijst, plaats %d", position), strings.ToUpper(tickets.DutchLabels().Ticket)} {
				if !strings.Contains(text, squashSpace(want)) {
					t.Errorf("ticket text lacks %q:\n%s", want, layout)
				}
			}

			// The QR code, read by a real decoder, verified with only the published key.
			payload := ticketstest.DecodeQR(t, ticketstest.Rasterise(t, pdf, 1, 150))
			decoded, err := verifier.Verify(payload)
			if err != nil {
				t.Fatalf("Verify(%q) with the published key: %v", payload, err)
			}
			if want := (tickets.Ticket{ID: uint32(created.ID), Venue: "zwolle", Version: 1}); decoded != want {
				t.Errorf("decoded ticket got %+v, want %+v", decoded, want)
			}
			if code := tickets.ShortCode(payload); !strings.Contains(text, code) {
				t.Errorf("ticket text lacks the short code %s of its QR payload:\n%s", code, layout)
			}

			t.Run("tampered", func(t *testing.T) {
				for _, at := range []int{3, 40, 104, len(payload) - 1} {
					swapped := byte('A')
					if payload[at] == 'A' {
						swapped = 'B'
					}
					bad := payload[:at] + string(swapped) + payload[at+1:]
					if got, err := verifier.Verify(bad); !errors.Is(err, tickets.ErrInvalid) {
						t.Errorf("Verify(payload with character %d changed) = %+v, %v; want ErrInvalid", at, got, err)
					}
				}
				otherVenue := strings.TrimSuffix(payload, "ZWOLLE") + "ROTTERDAM"
				if got, err := verifier.Verify(otherVenue); !errors.Is(err, tickets.ErrInvalid) {
					t.Errorf("Verify(payload moved to ROTTERDAM) = %+v, %v; want ErrInvalid", got, err)
				}
				otherKey, _, err := ed25519.GenerateKey(nil)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := tickets.NewVerifier(otherKey).Verify(payload); !errors.Is(err, tickets.ErrInvalid) {
					t.Errorf("Verify with another event's key = %+v, %v; want ErrInvalid", got, err)
				}
			})

			// The booking page links to the same ticket.
			resp, page := ts.get(t, created.BookingURL)
			wantStatus(t, resp, page, http.StatusOK)
			link := created.TicketURL
			wantContains(t, "booking page", page, `href="`+link+`"`)
			resp, body = ts.get(t, link)
			linked := wantPDF(t, resp, body, "ticket-zwolle.pdf")
			if !strings.Contains(ticketstest.PDFText(t, linked), tc.name) {
				t.Errorf("ticket behind the booking link lacks the name %q", tc.name)
			}
			if got := ticketstest.DecodeQR(t, ticketstest.Rasterise(t, linked, 1, 150)); got != payload {
				t.Errorf("QR of the booking link's ticket got %q, want the API ticket's %q", got, payload)
			}
		})
	}
}

func TestTicketRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, pub := publishedKey(t, ts)
	a := apiRegister(t, ts, registrationBody(t, nil, nil))
	b := apiRegister(t, ts, registrationBody(t, nil, nil))

	resp, body := ts.getWithToken(t, ticketPath(a.ID), a.ManageToken)
	pdf := wantPDF(t, resp, body, "ticket-zwolle.pdf")
	decoded, err := tickets.NewVerifier(pub).Verify(ticketstest.DecodeQR(t, ticketstest.Rasterise(t, pdf, 1, 150)))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got := apiRegistration(t, ts, a.ID, a.ManageToken).TicketVersion; int(decoded.Version) != got || tickets.Superseded(decoded, uint16(got)) {
		t.Errorf("active registration: ticket version %d, current %d; want equal, not superseded", decoded.Version, got)
	}

	t.Run("API without the right token", func(t *testing.T) {
		for _, tc := range []struct{ name, path, token string }{
			{"no token", ticketPath(a.ID), ""},
			{"wrong token", ticketPath(a.ID), strings.Repeat("A", 43)},
			{"another registration's token", ticketPath(a.ID), b.ManageToken},
			{"own token, another id", ticketPath(b.ID), a.ManageToken},
			{"unknown id", ticketPath(999999), a.ManageToken},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp, body := ts.getWithToken(t, tc.path, tc.token)
				wantAPIStatus(t, resp, []byte(body), http.StatusNotFound)
				wantAPIError(t, []byte(body), "not_found", "")
			})
		}
	})

	t.Run("booking link with a wrong token", func(t *testing.T) {
		for _, token := range []string{strings.Repeat("A", 43), a.ManageToken[:len(a.ManageToken)-2] + "__"} {
			resp, body := ts.get(t, "/boeking/"+token+"/ticket.pdf")
			wantStatus(t, resp, body, http.StatusNotFound)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type got %q, want an HTML page", ct)
			}
		}
	})

	// Cancelled: no ticket any more, and the one already printed is superseded.
	resp, deleted := ts.apiCall(t, http.MethodDelete, "/api/v1/registrations/"+idString(a.ID), "", a.ManageToken)
	wantAPIStatus(t, resp, deleted, http.StatusNoContent)

	resp, body = ts.getWithToken(t, ticketPath(a.ID), a.ManageToken)
	wantAPIStatus(t, resp, []byte(body), http.StatusConflict)
	wantAPIError(t, []byte(body), "cancelled", "")

	resp, body = ts.get(t, a.TicketURL)
	wantStatus(t, resp, body, http.StatusConflict)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type got %q, want an HTML page", ct)
	}
	wantContains(t, "cancelled ticket page", body, nlMsg(t, "error.ticket_cancelled.title"))

	current := apiRegistration(t, ts, a.ID, a.ManageToken).TicketVersion
	if current != 2 {
		t.Errorf("ticket_version after cancelling got %d, want 2", current)
	}
	if !tickets.Superseded(decoded, uint16(current)) {
		t.Errorf("Superseded(%+v, %d) = false, want true: the ticket was printed before the cancellation", decoded, current)
	}

	// The other registration is untouched.
	resp, body = ts.getWithToken(t, ticketPath(b.ID), b.ManageToken)
	wantPDF(t, resp, body, "ticket-zwolle.pdf")
}

func TestEventKeysPublishedOnce(t *testing.T) {
	t.Parallel()
	store := newDemoStore(t)
	ts := newTestServerWith(t, store, false)
	first, pub := publishedKey(t, ts)
	second, _ := publishedKey(t, ts)
	restarted, _ := publishedKey(t, newTestServerWith(t, store, false))
	for _, tc := range []struct {
		name string
		got  EventKeyJSON
	}{{"second request", second}, {"after a restart", restarted}} {
		if tc.got != first {
			t.Errorf("%s: key got %+v, want the first %+v", tc.name, tc.got, first)
		}
	}
	stored, err := store.EventKey(modelstest.Ctx(), testEvent(t, ts).ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored.PublicKey, pub) || stored.KeyID() != first.KeyID {
		t.Errorf("published key %x (kid %s), want the stored %x (kid %s)", []byte(pub), first.KeyID, stored.PublicKey, stored.KeyID())
	}
	if n := countRows(t, ts, &models.EventKey{}, ""); n != 1 {
		t.Errorf("event keys stored: got %d, want 1", n)
	}

	t.Run("no event", func(t *testing.T) {
		empty := newTestServerWith(t, modelstest.SQLite(t), false)
		resp, body := empty.apiCall(t, http.MethodGet, "/api/v1/event/keys", "", "")
		wantAPIStatus(t, resp, body, http.StatusNotFound)
		wantAPIError(t, body, "not_found", "")
	})
}

func TestVenueBadgesAndDoorList(t *testing.T) {
	t.Parallel()
	// Both databases: "only new badges" compares stored times.
	eachDemo(t, func(t *testing.T, store *models.Store) {
		checkVenueDocuments(t, newTestServerWith(t, store, false))
	})
}

// checkVenueDocuments prints zwolle's badges (all, then only new ones) and door list as an
// admin, and checks who else may.
func checkVenueDocuments(t *testing.T, ts *testServer) {
	ctx := modelstest.Ctx()
	zwolle := testVenue(t, ts, "zwolle")
	_, pub := publishedKey(t, ts)
	verifier := tickets.NewVerifier(pub)
	admin := ts.withNewClient(t)
	admin.loginAs(t, models.RoleAdmin, "")
	badgesPath := "/beheer/locaties/" + bhID(zwolle.ID) + "/badges.pdf"
	doorListPath := "/beheer/locaties/" + bhID(zwolle.ID) + "/deurlijst.pdf"

	attendees, err := ts.Store.Attendees(ctx, zwolle.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	active := int(countRows(t, ts, &models.Registration{}, "venue_id = ? AND status = ?", zwolle.ID, models.RegistrationActive))
	if len(attendees) != active || active < 9 {
		t.Fatalf("attendees of zwolle: got %d, want the %d active registrations (more than a page)", len(attendees), active)
	}
	byID := map[uint32]models.Registration{}
	names := make([]string, 0, len(attendees))
	for _, r := range attendees {
		byID[uint32(r.ID)] = r
		names = append(names, r.Name)
	}
	tickets.SortByLastName(names)

	resp, body := admin.postForm(t, badgesPath, url.Values{"alleen": {"alle"}})
	sheet := wantPDF(t, resp, body, "badges-zwolle-2027.pdf")
	if got, want := ticketstest.PDFPages(t, sheet), (active+7)/8; got != want {
		t.Errorf("badge sheet pages got %d, want %d for %d attendees", got, want, active)
	}
	if testVenue(t, ts, "zwolle").BadgesPrintedAt == nil {
		t.Errorf("BadgesPrintedAt got nil after printing, want the time of the print")
	}
	first := squashSpace(ticketstest.PDFText(t, sheet, "-f", "1", "-l", "1"))
	for _, name := range names[:8] {
		if !strings.Contains(first, squashSpace(name)) {
			t.Errorf("badge page 1 lacks %q:\n%s", name, first)
		}
	}
	const dpi = 150
	img := ticketstest.Rasterise(t, sheet, 1, dpi)
	for c := range 8 {
		payload := ticketstest.DecodeQR(t, badgeCell(img, c, dpi))
		got, err := verifier.Verify(payload)
		if err != nil {
			t.Errorf("badge %d: Verify(%q) = %v", c, payload, err)
			continue
		}
		r, ok := byID[got.ID]
		if !ok || r.Name != names[c] || got.Venue != "zwolle" || int(got.Version) != r.TicketVersion {
			t.Errorf("badge %d: QR holds %+v (registration %q), want %q's current ticket at zwolle", c, got, r.Name, names[c])
		}
		if code := tickets.ShortCode(payload); !strings.Contains(first, code) {
			t.Errorf("badge %d: page lacks the code %s of its QR", c, code)
		}
	}
	if n := countQRs(t, img); n != 8 {
		t.Logf("multi-reader found %d of 8 QR codes on page 1 (each cell decoded on its own)", n)
	}

	// Only the people who registered since the last print.
	newcomer := apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) { m["name"] = "Ÿsbrand Østergaard-Ñúñez" }))
	resp, body = admin.postForm(t, badgesPath, url.Values{"alleen": {"nieuw"}})
	onlyNew := wantPDF(t, resp, body, "badges-zwolle-2027.pdf")
	if got := ticketstest.PDFPages(t, onlyNew); got != 1 {
		t.Errorf("new badges: pages got %d, want 1", got)
	}
	newText := squashSpace(ticketstest.PDFText(t, onlyNew))
	if !strings.Contains(newText, squashSpace(newcomer.Name)) {
		t.Errorf("new badges lack %q:\n%s", newcomer.Name, newText)
	}
	for _, name := range names[:8] {
		if strings.Contains(newText, squashSpace(name)) {
			t.Errorf("new badges hold %q, who was printed before", name)
		}
	}
	newImg := ticketstest.Rasterise(t, onlyNew, 1, dpi)
	if got, err := verifier.Verify(ticketstest.DecodeQR(t, badgeCell(newImg, 0, dpi))); err != nil || got != (tickets.Ticket{ID: uint32(newcomer.ID), Venue: "zwolle", Version: 1}) {
		t.Errorf("new badge QR: got %+v (%v), want registration %d at zwolle, version 1", got, err, newcomer.ID)
	}
	if n := countQRs(t, newImg); n != 1 {
		t.Errorf("new badges: QR codes on the page got %d, want 1", n)
	}

	// The door list: everyone, by last name, each with the code of their current ticket.
	key, err := ts.Store.EventKey(ctx, testEvent(t, ts).ID)
	if err != nil {
		t.Fatal(err)
	}
	signer := tickets.NewSigner(key.PrivateKey)
	attendees, err = ts.Store.Attendees(ctx, zwolle.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string][]string{} // the demo has namesakes
	names = names[:0]
	for _, r := range attendees {
		codes[r.Name] = append(codes[r.Name], tickets.ShortCode(signer.Payload(tickets.TicketFor(r, "zwolle"))))
		names = append(names, r.Name)
	}
	tickets.SortByLastName(names)
	resp, body = admin.get(t, doorListPath)
	list := ticketstest.PDFText(t, wantPDF(t, resp, body, "deurlijst-zwolle-2027.pdf"))
	// The list goes out gzipped to a client that takes it (Go's client does, and unpacks
	// it), whole with its length to one that does not; the same file either way.
	if !resp.Uncompressed {
		t.Errorf("door list: not gzipped for a client that accepts gzip")
	}
	plain, plainBody := admin.get(t, doorListPath, "Accept-Encoding", "identity")
	wantPDF(t, plain, plainBody, "deurlijst-zwolle-2027.pdf")
	if plain.Header.Get("Content-Encoding") != "" || plain.ContentLength != int64(len(plainBody)) {
		t.Errorf("door list without gzip: Content-Encoding %q, Content-Length %d for %d bytes; want none and the length",
			plain.Header.Get("Content-Encoding"), plain.ContentLength, len(plainBody))
	}
	if ticketstest.PDFText(t, []byte(plainBody)) != list {
		t.Errorf("door list without gzip differs from the gzipped one")
	}
	if want := fmt.Sprintf("%d deelnemers", len(attendees)); !strings.Contains(list, want) {
		t.Errorf("door list lacks %q", want)
	}
	pos := 0
	for _, name := range names {
		line := tickets.LastNameKey(name) + " "
		at := strings.Index(list[pos:], line)
		if at < 0 {
			t.Fatalf("door list lacks %q after the names sorted before it:\n%s", line, list)
		}
		at += pos
		end := at + strings.IndexByte(list[at:], '\n')
		if end < at {
			end = len(list)
		}
		i := slices.IndexFunc(codes[name], func(code string) bool { return strings.Contains(list[at:end], code) })
		if i < 0 {
			t.Errorf("door list line of %q = %q, want one of the codes %q", name, list[at:end], codes[name])
		} else {
			codes[name] = slices.Delete(codes[name], i, i+1)
		}
		pos = end
	}

	// A venue's own organiser stays at that venue; nobody prints from another site.
	printed := testVenue(t, ts, "zwolle").BadgesPrintedAt
	rotterdam := ts.withNewClient(t)
	rotterdam.loginAs(t, models.RoleOrganiser, "rotterdam")
	resp, body = rotterdam.postForm(t, badgesPath, url.Values{"alleen": {"alle"}})
	wantStatus(t, resp, body, http.StatusForbidden)
	resp, body = rotterdam.get(t, doorListPath)
	wantStatus(t, resp, body, http.StatusForbidden)
	resp, body = rotterdam.get(t, "/beheer/locaties/"+bhID(testVenue(t, ts, "rotterdam").ID)+"/deurlijst.pdf")
	wantPDF(t, resp, body, "deurlijst-rotterdam-2027.pdf")
	resp, body = admin.postFormCrossOrigin(t, badgesPath, url.Values{"alleen": {"alle"}})
	wantStatus(t, resp, body, http.StatusForbidden)
	if strings.HasPrefix(body, "%PDF") {
		t.Errorf("cross-origin POST: got a PDF, want none")
	}
	if got := testVenue(t, ts, "zwolle").BadgesPrintedAt; got == nil || !got.Equal(*printed) {
		t.Errorf("BadgesPrintedAt after refused prints got %v, want %v", got, printed)
	}
}

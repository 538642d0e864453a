package handlers

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

var (
	pairingQRRE    = regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)"`)
	pairingTokenRE = regexp.MustCompile(`<code class="pairing-token">(dpd_[a-z2-7]+)</code>`)
)

// TestPairDoorDevice pairs a phone the way an organiser does: make a code, show its QR code
// once, let the phone use it, and revoke it.
func TestPairDoorDevice(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	ts := f.ts.withNewClient(t)
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	devices := fmt.Sprintf("/beheer/locaties/%d/apparaten", f.zwolle.ID)

	// A name is needed; what was typed stays.
	resp, body := ts.postForm(t, devices, url.Values{"name": {"   "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "error-summary") {
		t.Fatalf("empty name: status %d, want 422 with the error summary", resp.StatusCode)
	}
	resp, body = ts.postForm(t, devices, url.Values{"name": {"Ingang <Noord>"}})
	bhExpectRedirect(t, resp, body, "")
	pairing := resp.Header.Get("Location")
	resp, body = ts.get(t, pairing)
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, html.EscapeString("Ingang <Noord>")) || strings.Contains(body, "Ingang <Noord>") {
		t.Errorf("pairing page does not show the name escaped")
	}
	m := pairingTokenRE.FindStringSubmatch(body)
	q := pairingQRRE.FindStringSubmatch(body)
	if m == nil || q == nil {
		t.Fatalf("pairing page lacks the token or the QR code:\n%s", excerpt(body))
	}
	token := m[1]
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(q[1]))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("QR image: %v", err)
	}
	link := ticketstest.DecodeQR(t, img)
	if !strings.HasSuffix(link, "/deur#token="+token) {
		t.Errorf("QR code holds %q, want the scan page's link with the token %s", link, token)
	}
	var stored models.DeviceToken
	if err := modelstest.First(f.ts.Store, &stored, modelstest.Where("name = ?", "Ingang <Noord>")); err != nil || strings.Contains(stored.Hash, token) || len(stored.Hash) != 64 {
		t.Errorf("stored device %+v (%v): want only a 64-hex hash of the token", stored, err)
	}

	// Shown once.
	_, again := ts.get(t, pairing)
	if strings.Contains(again, token) {
		t.Errorf("the token is shown a second time")
	}

	// The phone uses it; the organiser sees it was used, then revokes it.
	resp, b := f.ts.apiCall(t, http.MethodGet, "/api/v1/door", "", token)
	wantAPIStatus(t, resp, b, http.StatusOK)
	_, body = ts.get(t, devices)
	if !strings.Contains(body, html.EscapeString("Ingang <Noord>")) {
		t.Errorf("devices page does not list the new device")
	}
	resp, body = ts.postForm(t, fmt.Sprintf("/beheer/apparaten/%d/intrekken", stored.ID), url.Values{})
	bhExpectRedirect(t, resp, body, devices)
	resp, b = f.ts.apiCall(t, http.MethodGet, "/api/v1/door", "", token)
	wantAPIStatus(t, resp, b, http.StatusUnauthorized) // at once, although the device was cached

	// Another venue's organiser can neither see nor revoke it.
	other := f.ts.withNewClient(t)
	other.loginAs(t, models.RoleOrganiser, "rotterdam")
	resp, _ = other.get(t, devices)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("rotterdam organiser on zwolle's devices: status %d, want 403", resp.StatusCode)
	}
}

// TestArrivalsPages follows a morning at the door on the organisers' pages.
func TestArrivalsPages(t *testing.T) {
	t.Parallel()
	store := newDemoStore(t)
	f := newDoorFixture(t, store)
	ts := f.ts.withNewClient(t)
	ts.loginAs(t, models.RoleAdmin, "")
	venuePage := fmt.Sprintf("/beheer/locaties/%d/binnenkomst", f.zwolle.ID)
	registered := int(countRows(t, f.ts, &models.Registration{}, "venue_id = ? AND status = ?", f.zwolle.ID, models.RegistrationActive))

	_, body := ts.get(t, venuePage)
	if !strings.Contains(body, nlMsgUpTo(t, "beheer.arrivals.in_count", "Percent", "In", 0, "Registered", registered)) {
		t.Errorf("before the doors open: want 0 of %d in", registered)
	}
	if !strings.Contains(body, nlMsgUpTo(t, "beheer.arrivals.no_shows_later", "Time")) {
		t.Errorf("before the programme the no-show list is not shown yet")
	}

	regs := f.attendees(t, f.zwolle, 3)
	f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(regs[0], f.zwolle)})
	f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(regs[1], f.zwolle)})
	f.scan(t, "Ingang West", map[string]any{"code": f.payload(regs[2], f.zwolle)})
	// A ticket also scanned at the other door while it was offline.
	f.scan(t, "Ingang West", map[string]any{"code": f.payload(regs[0], f.zwolle), "scan_id": "w-1", "scanned_at": store.Now().UTC().Add(2 * time.Second).Format(time.RFC3339)})

	_, body = ts.get(t, "/beheer/binnenkomst")
	if !strings.Contains(body, nlMsgUpTo(t, "beheer.arrivals.in_count", "Percent", "In", 3, "Registered", registered)) {
		t.Errorf("overview: want 3 of %d in:\n%s", registered, excerpt(body))
	}
	_, body = ts.get(t, venuePage)
	for _, want := range []string{nlMsg(t, "beheer.arrivals.door_count", "Door", "Ingang Oost", "N", 2), nlMsg(t, "beheer.arrivals.door_count", "Door", "Ingang West", "N", 1),
		"<svg", "<rect", nlMsgUpTo(t, "beheer.arrivals.conflict", "Time", "Name", regs[0].Name, "Door", "Ingang West")} {
		if !strings.Contains(body, want) {
			t.Errorf("venue arrivals page lacks %q:\n%s", want, excerpt(body))
		}
	}

	// Once the programme has begun, the no-shows are listed: everyone but the three.
	store.SetClock(func() time.Time { return f.zwolle.Slots[0].StartsAt.Add(time.Minute) })
	defer store.SetClock(time.Now)
	ts.loginAs(t, models.RoleAdmin, "") // months later by the store's clock: the sign-in went idle
	_, body = ts.get(t, venuePage)
	want := nlMsg(t, "beheer.arrivals.no_shows_count", "Count", registered-3)
	if !strings.Contains(body, want) {
		t.Errorf("after the start: want %q:\n%s", want, excerpt(body))
	}
	if strings.Contains(body, "<td class=\"utrecht-table__cell\">"+html.EscapeString(regs[1].Name)+"</td>") {
		t.Errorf("%s came in but is listed as a no-show", regs[1].Name)
	}
}

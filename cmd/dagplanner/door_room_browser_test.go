package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// roomSession is a session a room's door may scan for, as GET /api/v1/door/sessions lists it.
type roomSession struct {
	ID        uint   `json:"id"`
	Title     string `json:"title"`
	Room      string `json:"room"`
	Capacity  int    `json:"capacity"`
	Confirmed int    `json:"confirmed"`
}

// roomInside reads who the server has scanned into a session's room.
func roomInside(t *testing.T, base, token string, session uint) []uint {
	t.Helper()
	var room struct {
		InRoom []uint `json:"in_room"`
	}
	if err := json.Unmarshal(fetch(t, fmt.Sprintf("%s/api/v1/door/sessions/%d", base, session), token), &room); err != nil {
		t.Fatal(err)
	}
	return room.InRoom
}

// TestDoorRoomKeyboard scans at the door of one session's room with the keyboard only: the
// room is chosen in the page's list with the arrow keys and every ticket code is typed. Each
// answer is said in words and an icon besides its colour; the page is axe clean in Dutch and
// English; a scan made offline is queued and, sent when the network is back, counts once.
func TestDoorRoomKeyboard(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, true)
	srv := startServer(t, "--db", db, "--demo")
	token := newDoorToken(t, db, "zwolle")

	// Before the day the door lists the sessions of the day's first slot: the next one.
	var list struct {
		Sessions []roomSession `json:"sessions"`
	}
	if err := json.Unmarshal(fetch(t, srv.URL+"/api/v1/door/sessions", token), &list); err != nil {
		t.Fatal(err)
	}
	var open []int
	for i, s := range list.Sessions {
		if s.Confirmed+2 <= s.Capacity {
			open = append(open, i)
		}
	}
	if len(open) < 2 {
		t.Fatalf("the door lists %+v: want two sessions with seats left", list.Sessions)
	}
	idx := open[0]
	here, other := list.Sessions[idx], list.Sessions[open[1]]
	anna := registerAttendee(t, srv.URL, "zwolle", "Anna Zaal", int(here.ID))
	olaf := registerAttendee(t, srv.URL, "zwolle", "Olaf Offline", int(here.ID))
	bert := registerAttendee(t, srv.URL, "zwolle", "Bert Elders", int(other.ID))
	nina := registerAttendee(t, srv.URL, "zwolle", "Nina Nergens")
	rob := registerAttendee(t, srv.URL, "rotterdam", "Rob Rotterdam")

	ctx := browsertest.New(t)
	openDoor(t, ctx, srv.URL, token)
	waitJS(t, ctx, `document.querySelectorAll('#door-room option').length > 2`, "the sessions to choose from")

	// The room, chosen with the arrow keys in the list (the first option is the venue's entrance).
	keys := []chromedp.Action[chromedp.Void]{chromedp.Focus("#door-room")}
	for range idx + 1 {
		keys = append(keys, chromedp.KeyEvent(kb.ArrowDown))
	}
	if err := chromedp.Do(doorStep(ctx), keys...); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`dagplannerDoor.room.chosen === %d && dagplannerDoor.room.state && !document.getElementById('door-room-status').hidden`, here.ID),
		"the chosen room with its figures")
	status, err := chromedp.Run(doorStep(ctx), chromedp.Evaluate[string](`document.getElementById('door-room-status').textContent`))
	if err != nil || !strings.Contains(status, here.Title) || !strings.Contains(status, here.Room) || !strings.Contains(status, "vrij voor mensen op de wachtlijst") {
		t.Errorf("the room's status says %q (%v), want %s in %s and the seats for the waiting list", status, err, here.Title, here.Room)
	}

	code := func(a attendee) string { return tickets.ShortCode(a.Payload) }
	for _, step := range []struct{ what, text, result, says string }{
		{"booked here", code(anna), "admitted", anna.Name + " mag naar binnen"},
		{"scanned again", code(anna), "warning", "is al binnen"},
		{"booked elsewhere", code(bert), "refused", other.Room},
		{"not booked now", code(nina), "refused", "geen plaats in deze sessie"},
		{"another venue", code(rob), "refused", "Niet aangemeld op deze locatie"},
	} {
		got := typeCode(t, ctx, step.text)
		if got.Result != step.result || !strings.Contains(got.Text, step.says) {
			t.Errorf("%s: the page says %q (%s), want %s with %q", step.what, got.Text, got.Result, step.result, step.says)
		}
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "nl: room door answers")
	screenshotWidths(t, ctx, "room-door")
	if in := roomInside(t, srv.URL, token, here.ID); !slices.Contains(in, anna.ID) {
		t.Errorf("the server has %v in the room, want Anna (%d)", in, anna.ID)
	}
	if visible(t, ctx, "#door-undo") {
		t.Error("a room's answer shows Undo, which is for the venue's entrance only")
	}

	// Offline: the page judges with its copy of the slot's bookings and queues the scan.
	waitJS(t, ctx, `navigator.serviceWorker.controller`, "the service worker to control the page")
	online := goOffline(t, ctx)
	got := typeCode(t, ctx, code(olaf))
	if got.Result != "admitted" || !strings.Contains(got.Text, olaf.Name+" mag naar binnen") || !strings.Contains(got.Text, "Offline gecontroleerd") {
		t.Fatalf("offline scan: the page says %q (%s), want in_session, checked offline", got.Text, got.Result)
	}
	if got := typeCode(t, ctx, code(olaf)); got.Result != "warning" || waitingCount(t, ctx) != 1 {
		t.Errorf("offline rescan: the page says %q (%s) with %d waiting, want already in with 1 waiting", got.Text, got.Result, waitingCount(t, ctx))
	}
	online()
	waitJS(t, ctx, `document.getElementById('door-waiting').dataset.count === '0' && document.getElementById('door-net').dataset.net === 'online'`, "the queue to be sent")
	in := roomInside(t, srv.URL, token, here.ID)
	n := 0
	for _, id := range in {
		if id == olaf.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("after the network came back the server has %v in the room, want Olaf (%d) once", in, olaf.ID)
	}
	if e := serverEntry(t, srv.URL, token, olaf.ID); e.CheckIn == nil {
		t.Errorf("the room's scan did not admit Olaf at the venue")
	}

	// English: the same page, the room still chosen.
	setLanguage(t, ctx, srv.URL, "en")
	navigate(t, ctx, srv.URL+"/deur")
	waitJS(t, ctx, scanReady+fmt.Sprintf(` && dagplannerDoor.room.chosen === %d && dagplannerDoor.room.state`, here.ID), "the scan page in English, in room mode")
	assertLang(t, ctx, "/deur", "en")
	if got := typeCode(t, ctx, code(anna)); got.Result != "warning" || !strings.Contains(got.Text, "is already in") {
		t.Errorf("en: the page says %q (%s), want already in", got.Text, got.Result)
	}
	if got := typeCode(t, ctx, code(rob)); got.Result != "refused" || !strings.Contains(got.Text, "Not registered at this venue") {
		t.Errorf("en: the page says %q (%s), want not registered", got.Text, got.Result)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "en: room door answers")
}

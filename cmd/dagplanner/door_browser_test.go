package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// TestDoorCamera shows a real ticket's QR code to the scan page through Chromium's fake camera
// (a Y4M video the test writes from the ticket PDF's QR code): the page reads it with the
// vendored zxing-wasm decoder, shows the green answer, and the server has the check-in.
func TestDoorCamera(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "e2e.db")
	srv := startServer(t, "--db", db, "--demo")
	token := newDoorToken(t, db, "zwolle")
	who := registerAttendee(t, srv.URL, "zwolle", "Camila Camera")

	ctx := browsertest.NewWithOptions(t, 800, 900, browsertest.FakeCamera(writeY4M(t, who.Payload))...)
	openDoor(t, ctx, srv.URL, token)
	before := currentAnswer(t, ctx).Seq
	if err := chromedp.Do(doorStep(ctx), chromedp.Click("#door-camera")); err != nil {
		t.Fatalf("start the camera: %v", err)
	}
	got := nextAnswer(t, ctx, before)
	if got.Result != "admitted" || !strings.Contains(got.Text, "Welkom, "+who.Name) {
		t.Fatalf("after showing the ticket to the camera the page says %q (%s), want admitted with %q", got.Text, got.Result, "Welkom, "+who.Name)
	}
	if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
		viewportScreenshot(t, ctx, filepath.Join(dir, "door-camera.png"))
	}

	// Headless Chromium on Linux has no BarcodeDetector of its own: then the page must have
	// used the zxing-wasm ponyfill, with its .wasm from this server (the CSP allows no other).
	var native bool
	decoder, err := chromedp.Run(doorStep(ctx), chromedp.Evaluate[string](`dagplannerDoor.decoder()`))
	if err == nil {
		native, err = chromedp.Run(doorStep(ctx), chromedp.Evaluate[bool](`'BarcodeDetector' in window`))
	}
	if err != nil {
		t.Fatal(err)
	}
	if want := map[bool]string{true: "native", false: "zxing-wasm"}[native]; decoder != want {
		t.Errorf("the camera used decoder %q, want %q (native BarcodeDetector: %v)", decoder, want, native)
	}

	entry := serverEntry(t, srv.URL, token, who.ID)
	if entry.CheckIn == nil || entry.CheckIn.Door != doorName {
		t.Errorf("the server's list has check-in %+v for %s, want one at %q", entry.CheckIn, who.Name, doorName)
	}
}

// TestDoorKeyboardWedge types into the scan page's field as a handheld scanner does (the QR
// text, then Enter) and as door staff do (a short code), and checks every answer the server
// can give, Undo, and the name search.
func TestDoorKeyboardWedge(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "e2e.db")
	srv := startServer(t, "--db", db, "--demo")
	token := newDoorToken(t, db, "zwolle")
	anna := registerAttendee(t, srv.URL, "zwolle", "Anna Scanner")
	bram := registerAttendee(t, srv.URL, "zwolle", "Bram Typer")
	rob := registerAttendee(t, srv.URL, "rotterdam", "Rob Rotterdam")

	ctx := browsertest.New(t)
	openDoor(t, ctx, srv.URL, token)

	check := func(what, text, result string, words ...string) {
		t.Helper()
		got := typeCode(t, ctx, text)
		if got.Result != result {
			t.Errorf("%s: the answer is %q (%s), want %s", what, got.Text, got.Result, result)
		}
		for _, w := range words {
			if !strings.Contains(got.Text, w) {
				t.Errorf("%s: the answer %q does not say %q", what, got.Text, w)
			}
		}
	}
	check("first scan", anna.Payload, "admitted", "Welkom, "+anna.Name, "Gemeente "+anna.Name)
	if !visible(t, ctx, "#door-undo") {
		t.Error("after an admission the Undo button is not shown")
	}
	check("second scan", anna.Payload, "warning", "Al binnen sinds", "via "+doorName)
	if visible(t, ctx, "#door-undo") {
		t.Error("after an already-checked-in answer the Undo button is still shown")
	}

	// The code printed on Bram's ticket, typed in lower case with a space, as people do.
	code := tickets.ShortCode(bram.Payload)
	typed := strings.ToLower(strings.Replace(code, "-", " ", 1))
	check("typed code", typed, "admitted", "Welkom, "+bram.Name)
	if e := serverEntry(t, srv.URL, token, bram.ID); e.CheckIn == nil {
		t.Fatalf("the server has no check-in for %s after the typed code", bram.Name)
	}

	// Undo takes Bram's check-in back on the server.
	before := currentAnswer(t, ctx).Seq
	if err := chromedp.Do(doorStep(ctx), chromedp.Click("#door-undo")); err != nil {
		t.Fatal(err)
	}
	if got := nextAnswer(t, ctx, before); got.Result != "info" || !strings.Contains(got.Text, bram.Name) {
		t.Errorf("after Undo the page says %q (%s), want that Bram's check-in is undone", got.Text, got.Result)
	}
	if e := serverEntry(t, srv.URL, token, bram.ID); e.CheckIn != nil {
		t.Errorf("after Undo the server still has check-in %+v for %s", e.CheckIn, bram.Name)
	}

	check("ticket of the other venue", rob.Payload, "refused", "Stadhuis Rotterdam")
	forged := anna.Payload[:20] + flip(anna.Payload[20]) + anna.Payload[21:]
	check("forged ticket", forged, "refused", "Ongeldig")
	check("unreadable text", "hallo", "refused", "Ongeldig")

	carla := registerAttendee(t, srv.URL, "zwolle", "Carla Cancelled")
	cancelRegistration(t, srv.URL, carla.ID, carla.Manage)
	check("cancelled registration", carla.Payload, "refused", "Geannuleerd")

	// The name search finds Bram (with or without accents) and checks him in by id.
	before = currentAnswer(t, ctx).Seq
	if err := chromedp.Do(doorStep(ctx), chromedp.SendKeys("#door-search", "bram typ")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#door-results button[data-registration="%d"]')`, bram.ID), "Bram in the search results")
	if err := chromedp.Do(doorStep(ctx), chromedp.Click(fmt.Sprintf(`#door-results button[data-registration="%d"]`, bram.ID))); err != nil {
		t.Fatal(err)
	}
	if got := nextAnswer(t, ctx, before); got.Result != "admitted" || !strings.Contains(got.Text, bram.Name) {
		t.Errorf("after tapping Bram in the search the page says %q (%s), want admitted", got.Text, got.Result)
	}
	if e := serverEntry(t, srv.URL, token, bram.ID); e.CheckIn == nil || e.CheckIn.Door != doorName {
		t.Errorf("after the name search the server has check-in %+v for Bram, want one at %q", e.CheckIn, doorName)
	}
}

// flip changes one character of a payload to another of the QR alphabet.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestDoorOffline pairs the page, lets it keep its copy of the list and the key, switches the
// browser's network off, scans, reloads (the service worker serves the page), and switches the
// network on again: the queued scan reaches the server exactly once.
func TestDoorOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "e2e.db")
	srv := startServer(t, "--db", db, "--demo")
	token := newDoorToken(t, db, "zwolle")
	olga := registerAttendee(t, srv.URL, "zwolle", "Olga Offline")
	wil := registerAttendee(t, srv.URL, "zwolle", "Wil Wachtrij")

	ctx := browsertest.New(t)
	openDoor(t, ctx, srv.URL, token)
	// The service worker must control the page, with the page and scripts in its cache.
	waitJS(t, ctx, `navigator.serviceWorker.controller`, "the service worker to control the page")

	online := goOffline(t, ctx)
	logAt := len(srv.Out.String()) // the browser's requests from here on must all fail
	got := typeCode(t, ctx, olga.Payload)
	if got.Result != "admitted" || !strings.Contains(got.Text, "Welkom, "+olga.Name) || !strings.Contains(got.Text, "Offline gecontroleerd") {
		t.Fatalf("offline scan: the page says %q (%s), want admitted with %q, checked offline", got.Text, got.Result, olga.Name)
	}
	waitJS(t, ctx, `document.getElementById('door-net').dataset.net === 'offline'`, "the page to say it is offline")
	if n := waitingCount(t, ctx); n != 1 {
		t.Errorf("after one offline scan the page says %d scans wait, want 1", n)
	}
	if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
		viewportScreenshot(t, ctx, filepath.Join(dir, "door-offline.png"))
	}

	// A reload without network: the service worker serves the page, IndexedDB the queue.
	if err := chromedp.Do(doorStep(ctx), chromedp.Reload()); err != nil {
		t.Fatalf("reload while offline: %v", err)
	}
	waitJS(t, ctx, scanReady+` && document.getElementById('door-waiting').dataset.count === '1'`, "the reloaded page with its queue")
	got = typeCode(t, ctx, olga.Payload)
	if got.Result != "warning" || !strings.Contains(got.Text, "via "+doorName) {
		t.Errorf("offline rescan of a queued ticket: the page says %q (%s), want already checked in via %s", got.Text, got.Result, doorName)
	}
	// Typed code, offline, then undone before it was ever sent: it leaves the queue.
	got = typeCode(t, ctx, tickets.ShortCode(wil.Payload))
	if got.Result != "admitted" || waitingCount(t, ctx) != 2 {
		t.Fatalf("offline typed code: the page says %q (%s) with %d waiting, want admitted with 2 waiting", got.Text, got.Result, waitingCount(t, ctx))
	}
	before := got.Seq
	if err := chromedp.Do(doorStep(ctx), chromedp.Click("#door-undo")); err != nil {
		t.Fatal(err)
	}
	if got := nextAnswer(t, ctx, before); got.Result != "info" || waitingCount(t, ctx) != 1 {
		t.Errorf("offline Undo: the page says %q (%s) with %d waiting, want undone with 1 waiting", got.Text, got.Result, waitingCount(t, ctx))
	}

	// Offline must have meant offline: the page came from the service worker and no scan
	// reached the server. (A GET of the list may slip out while the emulation is torn down
	// for the reload, and arrive cancelled; it changes nothing.)
	if lines := offlineLeaks(srv.Out.String()[logAt:]); len(lines) > 0 {
		t.Errorf("while the browser was offline the server still got %d requests:\n%s", len(lines), strings.Join(lines, "\n"))
	}

	online()
	waitJS(t, ctx, `document.getElementById('door-waiting').dataset.count === '0' && document.getElementById('door-net').dataset.net === 'online'`, "the queue to be sent")
	if e := serverEntry(t, srv.URL, token, olga.ID); e.CheckIn == nil || e.CheckIn.Door != doorName {
		t.Errorf("after the network came back the server has check-in %+v for %s, want one at %q", e.CheckIn, olga.Name, doorName)
	}
	if e := serverEntry(t, srv.URL, token, wil.ID); e.CheckIn != nil {
		t.Errorf("the scan undone offline reached the server anyway: %+v", e.CheckIn)
	}

	// Exactly once in the database: stop the server and count the rows.
	if err := srv.Stop(); err != nil {
		t.Fatalf("run returned %v after the context ended, want nil", err)
	}
	s, err := models.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for who, want := range map[attendee]int64{olga: 1, wil: 0} {
		var n int64
		if err := s.DB().Model(&models.CheckIn{}).Where("registration_id = ?", who.ID).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s has %d check-in rows in the database, want %d", who.Name, n, want)
		}
	}
}

// offlineLeaks picks the requests out of the server's log that an offline scan page must
// not make: a scan, or the page and its files instead of the service worker's copies.
func offlineLeaks(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "msg=request ") && (strings.Contains(l, "method=POST") || strings.Contains(l, "method=DELETE") ||
			strings.Contains(l, "path=/deur") || strings.Contains(l, "path=/static/")) {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestDoorAccessibility runs axe-core on every state of the scan page (pairing, a refused
// code, ready, admitted, already checked in, refused, search results), in Dutch and English,
// on a laptop and at phone size, and checks that the words follow the page's language.
func TestDoorAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "e2e.db")
	srv := startServer(t, "--db", db, "--demo")
	token := newDoorToken(t, db, "zwolle")
	words := map[string]struct{ welcome, already, invalid string }{
		"nl": {"Welkom, ", "Al binnen sinds", "Ongeldig ticket"},
		"en": {"Welcome, ", "Already checked in at", "Invalid ticket"},
	}
	sizes := []struct {
		name          string
		width, height int
	}{{"laptop", 1280, 900}, {"phone", 390, 844}}
	for _, size := range sizes {
		t.Run(size.name, func(t *testing.T) {
			ctx := browsertest.NewWithSize(t, size.width, size.height)
			for _, lang := range []string{"nl", "en"} {
				who := registerAttendee(t, srv.URL, "zwolle", "Axel "+size.name+" "+lang)
				setLanguage(t, ctx, srv.URL, lang)
				navigate(t, ctx, srv.URL+"/deur")
				waitJS(t, ctx, `document.getElementById('door').dataset.state === 'pair'`, "the pairing screen")
				assertLang(t, ctx, "/deur", lang)
				state := func(what string) {
					t.Helper()
					browsertest.AssertNoAxeViolationsHere(t, ctx, lang+" "+size.name+": "+what)
					if size.name == "phone" {
						assertNoSidewaysScroll(t, ctx, "/deur "+what)
					}
					if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
						viewportScreenshot(t, ctx, filepath.Join(dir, "door-"+size.name+"-"+lang+"-"+strings.ReplaceAll(what, " ", "-")+".png"))
					}
				}
				state("pairing")

				err := chromedp.Do(doorStep(ctx), chromedp.SendKeys("#door-token", "dpd_bestaatniet"), chromedp.Click(`#door-pair-form button[type="submit"]`))
				if err != nil {
					t.Fatal(err)
				}
				waitJS(t, ctx, `!document.getElementById('door-pair-problem').hidden`, "the refused device code")
				state("pairing refused")
				err = chromedp.Do(doorStep(ctx), chromedp.SendKeys("#door-token", token), chromedp.Click(`#door-pair-form button[type="submit"]`))
				if err != nil {
					t.Fatal(err)
				}
				waitJS(t, ctx, scanReady, "the paired scan page")
				state("ready")

				w := words[lang]
				for _, step := range []struct{ what, text, result, says string }{
					{"admitted", who.Payload, "admitted", w.welcome + who.Name},
					{"already in", who.Payload, "warning", w.already},
					{"refused", "hallo", "refused", w.invalid},
				} {
					got := typeCode(t, ctx, step.text)
					if got.Result != step.result || !strings.Contains(got.Text, step.says) {
						t.Errorf("%s %s: the page says %q (%s), want %s with %q", lang, step.what, got.Text, got.Result, step.result, step.says)
					}
					state(step.what)
				}
				if err := chromedp.Do(doorStep(ctx), chromedp.SendKeys("#door-search", "axel")); err != nil {
					t.Fatal(err)
				}
				waitJS(t, ctx, `document.querySelectorAll('#door-results button').length > 0`, "search results")
				state("search results")

				// Back to the pairing screen for the next language.
				if err := chromedp.Do(doorStep(ctx), chromedp.Click("#door-unpair")); err != nil {
					t.Fatal(err)
				}
				waitJS(t, ctx, `document.getElementById('door').dataset.state === 'pair'`, "the pairing screen after unpairing")
			}
		})
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
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
	check("second scan", anna.Payload, "warning", "Al binnen sinds", "via "+doorName)

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

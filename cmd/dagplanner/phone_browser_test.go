package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestPhoneCounterAndDangerousActions: at 390 px the ballot's counter stays in view while
// choosing down a long list, and cancelling a booking or withdrawing a proposal is drawn as a
// danger (red outline) with the safe choice as the primary action.
func TestPhoneCounterAndDangerousActions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	setVoting(t, db, time.Now().Add(24*time.Hour), 3, "example.nl")
	c := newClient(t)
	if status, body := postForm(t, c, srv.URL, "/stemmen", url.Values{"email": {"kiezer@example.nl"}}); status != http.StatusOK {
		t.Fatalf("ask for a ballot: status %d\n%s", status, body)
	}
	ballot := mailedLink(t, srv, "kiezer@example.nl", "/stemmen/stembiljet/")
	booking := registerViaAPI(t, srv.URL, "annuleer@example.nl")
	proposal := proposeViaAPI(t, srv.URL, "spreker@example.nl")
	shots := os.Getenv("DAGPLANNER_SCREENSHOTS")
	phone := browsertest.NewWithSize(t, 390, 844)
	setLanguage(t, phone, srv.URL, "nl")

	navigate(t, phone, srv.URL+ballot)
	// Tick the first proposal, then scroll to the last one: the counter is still on screen.
	at, err := chromedp.Run(timeout(phone), chromedp.Evaluate[[]float64](`new Promise(done => {
		const boxes = [...document.querySelectorAll('input[name="votes"]')];
		boxes[0].click();
		const last = boxes[boxes.length - 1].closest('li');
		scrollTo({top: last.getBoundingClientRect().top + scrollY - 200, behavior: 'instant'});
		requestAnimationFrame(() => requestAnimationFrame(() => {
			const r = document.getElementById('vote-counter').getBoundingClientRect();
			done([scrollY, r.top, r.bottom, innerHeight, boxes.length]);
		}));
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if at[4] < 5 || at[0] < 500 {
		t.Fatalf("the ballot has %v proposals and scrolled %v px; want a long list", at[4], at[0])
	}
	if at[1] < 0 || at[2] > at[3] {
		t.Errorf("scrolled to the last proposal, the counter is at %v–%v px of a %v px window, want in view", at[1], at[2], at[3])
	}
	if text := counterText(t, phone); text == "" {
		t.Error("the counter is empty")
	}
	if shots != "" {
		viewportScreenshot(t, phone, filepath.Join(shots, "phone-ballot.png"))
	}

	// A destructive button: red text and outline on white; the safe action is the primary one.
	danger := func(page, button, safe string) {
		t.Helper()
		navigate(t, phone, srv.URL+page)
		got, err := chromedp.Run(timeout(phone), chromedp.Evaluate[[]string](`(() => {
			const b = document.querySelector('`+button+`');
			if (!b) return ['missing'];
			const s = getComputedStyle(b);
			const safe = '`+safe+`' ? document.querySelector('`+safe+`') : null;
			return [s.color, s.backgroundColor, String(b.className.includes('primary-action')),
				safe ? String(safe.className.includes('primary-action')) : 'none'];
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"rgb(179, 0, 0)", "rgb(255, 255, 255)", "false"}; len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("%s: %s has colour, background, primary %q; want %q", page, button, got, want)
		}
		if safe != "" && (len(got) != 4 || got[3] != "true") {
			t.Errorf("%s: the safe action %s is not the primary action (%q)", page, safe, got)
		}
	}
	danger("/boeking/"+booking+"/annuleren", `main form button[type="submit"]`, `main form a[href="/boeking/`+booking+`"]`)
	if shots != "" {
		viewportScreenshot(t, phone, filepath.Join(shots, "phone-booking-cancel.png"))
	}
	danger("/boeking/"+booking, `main a[href="/boeking/`+booking+`/annuleren"]`, "")
	danger("/voorstel/"+proposal, `main form[action$="/intrekken"] button`, "")
	if shots != "" {
		if _, err := chromedp.Run(timeout(phone), chromedp.Evaluate[bool](`(scrollTo({top: document.getElementById('intrekken').getBoundingClientRect().top + scrollY - 100, behavior: 'instant'}), true)`)); err != nil {
			t.Fatal(err)
		}
		viewportScreenshot(t, phone, filepath.Join(shots, "phone-withdraw.png"))
	}
}

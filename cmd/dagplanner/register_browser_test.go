package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// zoe is typed letter by letter, so the round trip through the form, the database and the
// booking page must keep every accent and the order of the letters.
const zoe = "Zoë Ångström-Ñúñez"

// TestRegisterKeyboardOnly registers at a venue in Dutch and in English using nothing but the
// keyboard (Tab, arrow keys, Space, Enter and typing), checks each page on the way with axe,
// and cancels again. Set DAGPLANNER_SCREENSHOTS to a folder to keep screenshots.
func TestRegisterKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, true)
	srv := startServer(t, "--db", db, "--demo")
	catalog, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)

	emails := map[string]string{"nl": "zoe.toetsenbord@example.nl", "en": "zoe.keyboard@example.org"}
	for _, lang := range []string{"nl", "en"} {
		t.Run(lang, func(t *testing.T) {
			l, _ := locale.Parse(lang)
			tr := catalog.Translator(l)
			setLanguage(t, ctx, srv.URL, lang)
			registerByKeyboard(t, ctx, srv.URL, lang, emails[lang], tr)
		})
	}

	chooseFromSessionPage(t, ctx, srv.URL)

	// The browser saw the pages; the database must agree: one registration per address, by
	// the exact name typed, now cancelled with its seats given back.
	if err := srv.Stop(); err != nil {
		t.Fatalf("run returned %v after the context ended, want nil", err)
	}
	bg := modelstest.Ctx()
	s, err := models.Open(bg, db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	defer s.Close()
	for lang, email := range emails {
		var regs []models.Registration
		modelstest.Find(t, s, &regs, modelstest.Where("email = ?", email))
		if len(regs) != 1 {
			t.Errorf("%s: %d registrations for %s, want exactly 1", lang, len(regs), email)
			continue
		}
		r := regs[0]
		if r.Name != zoe || r.Lang != lang {
			t.Errorf("%s: stored name %q in language %q, want %q in %q", lang, r.Name, r.Lang, zoe, lang)
		}
		if r.Status != models.RegistrationCancelled || r.CancelledAt == nil {
			t.Errorf("%s: registration status %q (cancelled at %v), want %q with a time", lang, r.Status, r.CancelledAt, models.RegistrationCancelled)
		}
		if bookings := modelstest.Count(t, s, &models.Booking{}, modelstest.Where("registration_id = ?", r.ID)); bookings != 0 {
			t.Errorf("%s: the cancelled registration still holds %d bookings, want 0", lang, bookings)
		}
	}
}

// registerByKeyboard walks from the venue list to a cancelled booking in the current language.
func registerByKeyboard(t *testing.T, ctx context.Context, base, lang, email string, tr *locale.Translator) {
	shots := os.Getenv("DAGPLANNER_SCREENSHOTS")
	shot := func(name string) {
		if shots != "" {
			browsertest.Screenshot(t, ctx, filepath.Join(shots, lang+"-"+name+".png"))
		}
	}

	browsertest.AssertNoAxeViolations(t, ctx, base+"/aanmelden")
	tabTo(t, ctx, `main a[href="/aanmelden/zwolle"]`)
	pressAndWait(t, ctx, kb.Enter, `form[data-live-seats="zwolle"]`)
	assertAt(t, ctx, base+"/aanmelden/zwolle")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "registration form")
	shot("register-form")

	// Two sessions, picked with the arrow keys: each radio group is one Tab stop.
	var titles []string
	for _, group := range []string{"slot-1", "slot-2"} {
		tabTo(t, ctx, `input[type="radio"][name="`+group+`"]`)
		keys(t, ctx, kb.ArrowDown+kb.ArrowDown+" ")
		title, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](
			`(e => e.checked && e.name === '`+group+`' ? e.labels[0].textContent.trim() : '')(document.activeElement)`))
		if err != nil || title == "" {
			t.Fatalf("after the arrow keys in %s no session is focused and checked (%v)", group, err)
		}
		titles = append(titles, title)
	}

	// First attempt: no name and no consent, which the server must refuse and explain.
	tabTo(t, ctx, "#veld-email")
	keys(t, ctx, email)
	tabTo(t, ctx, "#veld-organisation")
	keys(t, ctx, "Gemeente Ølst & Wijhe")
	tabTo(t, ctx, `form[data-live-seats] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "registration form with errors")
	shot("register-form-errors")
	checkErrorSummary(t, ctx, []string{"#veld-name", "#veld-consent"})
	for sel, want := range map[string]string{"#veld-email": email, "#veld-organisation": "Gemeente Ølst & Wijhe", "#veld-name": ""} {
		if got, err := chromedp.Run(timeout(ctx), chromedp.Value(sel)); err != nil || got != want {
			t.Errorf("after the refused submit %s holds %q (%v), want %q", sel, got, err, want)
		}
	}
	kept, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](
		`['slot-1','slot-2'].map(g => { const r = document.querySelector('input[name="'+g+'"]:checked'); return r ? r.labels[0].textContent.trim() : '' })`))
	if err != nil || strings.Join(kept, "|") != strings.Join(titles, "|") {
		t.Errorf("after the refused submit the chosen sessions are %q (%v), want %q", kept, err, titles)
	}

	// Second attempt: fill in what was missing.
	tabTo(t, ctx, "#veld-name")
	keys(t, ctx, zoe)
	if got, err := chromedp.Run(timeout(ctx), chromedp.Value("#veld-name")); err != nil || got != zoe {
		t.Fatalf("the name field holds %q after typing (%v), want %q", got, err, zoe)
	}
	tabTo(t, ctx, "#veld-consent")
	keys(t, ctx, " ")
	if on, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.activeElement.checked`)); err != nil || !on {
		t.Fatalf("Space on the consent checkbox left it unticked (%v)", err)
	}
	tabTo(t, ctx, `form[data-live-seats] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `a[href$="/annuleren"]`)

	booking, err := chromedp.Run(timeout(ctx), chromedp.Location())
	if err != nil || !strings.HasPrefix(booking, base+"/boeking/") {
		t.Fatalf("after registering the browser is at %s (%v), want the booking page /boeking/…", booking, err)
	}
	text := pageText(t, ctx)
	for _, want := range append([]string{tr.T("register.done"), email, tr.T("booking.confirmed")}, titles...) {
		if !strings.Contains(text, want) {
			t.Errorf("the booking page does not show %q:\n%s", want, text)
		}
	}
	if name, err := chromedp.Run(timeout(ctx), chromedp.Text(".facts dd")); err != nil || name != zoe {
		t.Errorf("the booking page shows the name %q (%v), want exactly %q", name, err, zoe)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "booking page")
	shot("booking")

	tabTo(t, ctx, `main a[href$="/annuleren"]`)
	pressAndWait(t, ctx, kb.Enter, `form[action$="/annuleren"] button[type="submit"]`)
	assertAt(t, ctx, booking+"/annuleren")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "cancel confirmation")
	if text := pageText(t, ctx); !strings.Contains(text, zoe) {
		t.Errorf("the cancel page does not name %q:\n%s", zoe, text)
	}
	shot("booking-cancel")
	tabTo(t, ctx, `form[action$="/annuleren"] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".utrecht-alert--info")
	assertAt(t, ctx, booking)
	text = pageText(t, ctx)
	for _, want := range []string{tr.T("booking.cancelled"), tr.T("booking.is_cancelled")} {
		if !strings.Contains(text, want) {
			t.Errorf("after cancelling the page does not say %q:\n%s", want, text)
		}
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "cancelled booking")
}

// chooseFromSessionPage follows a session page's "register" action by keyboard (#12 point 21):
// the form opens with that session chosen, and an option's details open with Enter, without
// any script of ours.
func chooseFromSessionPage(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	navigate(t, ctx, base+"/programma/zwolle")
	path, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`document.querySelector('main a[href^="/sessies/"]').getAttribute('href')`))
	if err != nil || path == "" {
		t.Fatalf("no session link on the programme (%v)", err)
	}
	id := strings.TrimPrefix(path, "/sessies/")
	navigate(t, ctx, base+path)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "session page")
	tabTo(t, ctx, `main a[href^="/aanmelden/zwolle?sessie=`+id+`"]`)
	pressAndWait(t, ctx, kb.Enter, `form[data-live-seats="zwolle"]`)
	chosen, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.querySelector('input[type="radio"][value="`+id+`"]').checked`))
	if err != nil || !chosen {
		t.Errorf("the form opened from session %s's page does not have it chosen (%v)", id, err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "registration form with a session chosen")

	tabTo(t, ctx, `details.choice-details > summary`)
	keys(t, ctx, kb.Enter)
	open, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](
		`(d => d.open && d.querySelector('a[href^="/sessies/"]').offsetParent !== null)(document.activeElement.parentElement)`))
	if err != nil || !open {
		t.Errorf("Enter on an option's summary did not open its details with the link to its page (%v)", err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "registration form with details open")
}

// checkErrorSummary checks that a refused form puts the keyboard on its error summary, which
// links to each field in want.
func checkErrorSummary(t *testing.T, ctx context.Context, want []string) {
	t.Helper()
	onSummary, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.activeElement.matches('.error-summary')`))
	if err != nil {
		t.Fatal(err)
	}
	if !onSummary {
		// Without focus the summary must at least be the first thing Tab reaches in main.
		tabTo(t, ctx, "main a, main button, main input, main select, main textarea")
		on, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.activeElement.closest('.error-summary') !== null`))
		if err != nil || !on {
			t.Errorf("the refused form neither focuses its error summary nor reaches it first with Tab (%v)", err)
		}
	}
	links, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('.error-summary a')].map(a => a.getAttribute('href'))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		found := false
		for _, l := range links {
			found = found || l == w
		}
		if !found {
			t.Errorf("the error summary links to %q, want a link to %s", links, w)
		}
	}
}

// TestLiveSeatCounts checks that seats.js brings the seat counts on an open form up to date
// without disturbing what the visitor is doing, and that the page stays accessible.
func TestLiveSeatCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	srv := startDemo(t)
	ctx := browsertest.New(t)
	installPageClock(t, ctx)
	navigate(t, ctx, srv.URL+"/aanmelden/zwolle")

	const first = `document.querySelector('[data-seats-session]')`
	id, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](first+`.dataset.seatsSession`))
	if err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](first+`.textContent`))
	if err != nil {
		t.Fatal(err)
	}
	// The visitor is busy choosing in the first slot when the numbers change.
	tabTo(t, ctx, `input[type="radio"][name="slot-1"]`)
	keys(t, ctx, kb.ArrowDown)

	sessionID, err := strconv.Atoi(id)
	if err != nil {
		t.Fatalf("data-seats-session %q is not an id: %v", id, err)
	}
	registerViaAPI(t, srv.URL, "live.teller@example.org", sessionID)

	// 16 s pass on the page's clock: one refresh of seats.js, which runs every 15 s. The
	// refresh then asks the server, so the new count shows a moment later.
	advancePageClock(t, ctx, 16*time.Second)
	var after string
	for deadline := time.Now().Add(10 * time.Second); ; {
		after, err = chromedp.Run(timeout(ctx), chromedp.Evaluate[string](first+`.textContent`))
		if err != nil {
			t.Fatal(err)
		}
		if after != before || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if after == before {
		t.Errorf("the seat count of session %s still reads %q 16 s after a registration, want it updated", id, before)
	}
	var sessions []struct {
		ID        int `json:"id"`
		Remaining int `json:"remaining"`
	}
	getJSON(t, newClient(t), srv.URL, "/api/v1/venues/zwolle/sessions", &sessions)
	for _, s := range sessions {
		if s.ID == sessionID && !strings.Contains(after, fmt.Sprint(s.Remaining)) {
			t.Errorf("the seat count of session %d reads %q, want it to mention the API's %d", s.ID, after, s.Remaining)
		}
	}
	still, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](
		`document.activeElement.name === 'slot-1' && document.activeElement.checked && document.activeElement.value === '`+id+`'`))
	if err != nil || !still {
		t.Errorf("after the refresh the chosen radio lost its focus or its check (%v)", err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "form after a live seat update")
}

// keys types into whatever has the focus, one key event per character.
func keys(t *testing.T, ctx context.Context, s string) {
	t.Helper()
	if err := chromedp.Do(timeout(ctx), chromedp.KeyEvent(s)); err != nil {
		t.Fatalf("type %q: %v", s, err)
	}
}

// tabTo presses Tab until the focused element matches the CSS selector, and fails after as
// many presses as the page has elements that Tab could reach, and a few.
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	for range 80 {
		on, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](
			fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%q)`, sel)))
		if err != nil {
			t.Fatalf("read the focused element: %v", err)
		}
		if on {
			return
		}
		keys(t, ctx, kb.Tab)
	}
	t.Fatalf("80 presses of Tab never reached %s", sel)
}

// pressAndWait presses a key that loads another page, and waits for an element of that page.
func pressAndWait(t *testing.T, ctx context.Context, key, waitFor string) {
	t.Helper()
	if err := chromedp.Do(timeout(ctx), chromedp.KeyEvent(key), chromedp.WaitVisible(waitFor)); err != nil {
		at, _ := chromedp.Run(timeout(ctx), chromedp.Location())
		t.Fatalf("press %q and wait for %s (now at %s): %v", key, waitFor, at, err)
	}
}

func assertAt(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if at, err := chromedp.Run(timeout(ctx), chromedp.Location()); err != nil || at != want {
		t.Errorf("the browser is at %s (%v), want %s", at, err, want)
	}
}

// pageText is the text of the main region as the reader sees it.
func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(timeout(ctx), chromedp.Text("main"))
	if err != nil {
		t.Fatalf("read the page text: %v", err)
	}
	return text
}

// pageClock replaces the page's setInterval by a clock the test moves on with
// advancePageClock, so a test of something the page does every so many seconds need not
// wait for it. It runs in every document before the page's own scripts.
const pageClock = `(() => {
  let now = 0;
  const timers = [];
  window.setInterval = function (fn, ms, ...args) {
    timers.push({ fn, ms: Math.max(1, ms || 0), next: now + Math.max(1, ms || 0), args });
    return timers.length;
  };
  window.clearInterval = function (id) { if (timers[id - 1]) timers[id - 1].fn = null; };
  window.__advancePageClock = function (ms) {
    const end = now + ms;
    let ran = 0;
    for (;;) {
      const due = timers.filter(t => t.fn && t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      now = due.next;
      due.next += due.ms;
      due.fn(...due.args);
      ran++;
    }
    now = end;
    return ran;
  };
})();`

// installPageClock puts pageClock into every page the tab of ctx loads from now on.
func installPageClock(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(timeout(ctx), chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: pageClock})
		return err
	}))
	if err != nil {
		t.Fatalf("install the page clock: %v", err)
	}
}

// advancePageClock moves the page's clock on by d, running what setInterval planned for
// that time, and fails the test when nothing was planned.
func advancePageClock(t *testing.T, ctx context.Context, d time.Duration) {
	t.Helper()
	ran, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](fmt.Sprintf("window.__advancePageClock(%d)", d.Milliseconds())))
	if err != nil {
		t.Fatalf("advance the page clock: %v", err)
	}
	if ran == 0 {
		t.Fatalf("nothing on the page runs within %v of its clock", d)
	}
}

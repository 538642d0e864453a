package main

import (
	"context"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestPreferenceKeyboardOnly ranks sessions in preference mode (issue #19) with nothing but
// the keyboard: Tab to each drop-down, arrow keys to choose, Enter to send. A session chosen
// twice is refused with the choices kept; once fixed, the booking page shows the ranking.
// Axe checks the form, its error state and the booking page in Dutch and in English. Set
// DAGPLANNER_SCREENSHOTS to a folder to keep screenshots of the form at desktop and phone width.
func TestPreferenceKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	preferenceWindow(t, db)
	srv := startServer(t, "--db", db, "--demo")
	catalog, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	nl, en := catalog.Translator(locale.Dutch), catalog.Translator(locale.English)
	ctx := browsertest.New(t)
	form := srv.URL + "/aanmelden/zwolle"

	setLanguage(t, ctx, srv.URL, "nl")
	navigate(t, ctx, form)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "preference form (nl)")
	assertLang(t, ctx, "preference form", "nl")
	slots := rankSelects(t, ctx)
	screenshots(t, ctx, srv.URL, form)

	// First choice the second session, second choice the first; in the next slot the same
	// session first and second, which the server must refuse.
	choose := map[string]string{slots[0][0]: kb.ArrowDown + kb.ArrowDown, slots[0][1]: kb.ArrowDown,
		slots[1][0]: kb.ArrowDown, slots[1][1]: kb.ArrowDown}
	for _, name := range []string{slots[0][0], slots[0][1], slots[1][0], slots[1][1]} {
		tabTo(t, ctx, `select[name="`+name+`"]`)
		keys(t, ctx, choose[name])
	}
	chosen := selectValues(t, ctx)
	if chosen[slots[0][0]] == "" || chosen[slots[0][0]] == chosen[slots[0][1]] || chosen[slots[1][1]] != chosen[slots[1][0]] {
		t.Fatalf("after the arrow keys the drop-downs hold %v, want two sessions in the first slot and one twice in the next", chosen)
	}
	for sel, text := range map[string]string{"#veld-name": zoe, "#veld-email": "rang.toetsenbord@example.nl", "#veld-organisation": "Gemeente Keuzedorp"} {
		tabTo(t, ctx, sel)
		keys(t, ctx, text)
	}
	tabTo(t, ctx, "#veld-consent")
	keys(t, ctx, " ")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "preference form with errors (nl)")
	screenshot(t, ctx, "preference-errors")
	secondSlot := strings.TrimPrefix(strings.TrimSuffix(slots[1][0], "-1"), "voorkeur-")
	checkErrorSummary(t, ctx, []string{"#veld-preferences." + secondSlot})
	if text := pageText(t, ctx); !strings.Contains(text, nl.T("ranking.twice")) {
		t.Errorf("the refused form does not say %q:\n%s", nl.T("ranking.twice"), text)
	}
	if kept := selectValues(t, ctx); !sameValues(kept, chosen) {
		t.Errorf("after the refused submit the drop-downs hold %v, want %v", kept, chosen)
	}

	// Back to "none" for the second choice in the second slot, and send again.
	tabTo(t, ctx, `select[name="`+slots[1][1]+`"]`)
	keys(t, ctx, kb.ArrowUp)
	chosen[slots[1][1]] = ""
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `form[action$="/voorkeuren"]`)
	booking, err := chromedp.Run(timeout(ctx), chromedp.Location())
	if err != nil || !strings.HasPrefix(booking, srv.URL+"/boeking/") {
		t.Fatalf("after registering the browser is at %s (%v), want the booking page", booking, err)
	}
	if kept := selectValues(t, ctx); !sameValues(kept, chosen) {
		t.Errorf("the booking page's drop-downs hold %v, want the ranking sent: %v", kept, chosen)
	}
	if text := pageText(t, ctx); !strings.Contains(text, nl.T("ranking.yours")) || !strings.Contains(text, nl.T("register.done")) {
		t.Errorf("the booking page does not show the rankings and the welcome:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "booking page with rankings (nl)")
	screenshot(t, ctx, "preference-booking")

	// English: the booking page, then the form with a gap (a second choice without a first).
	setLanguage(t, ctx, srv.URL, "en")
	navigate(t, ctx, booking)
	assertLang(t, ctx, "booking page", "en")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "booking page with rankings (en)")
	navigate(t, ctx, form)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "preference form (en)")
	tabTo(t, ctx, `select[name="`+slots[0][1]+`"]`)
	keys(t, ctx, kb.ArrowDown)
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	if text := pageText(t, ctx); !strings.Contains(text, en.T("ranking.gap")) {
		t.Errorf("the refused English form does not say %q:\n%s", en.T("ranking.gap"), text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "preference form with errors (en)")
}

// preferenceWindow puts the demo event in db in preference mode, with the window open now.
func preferenceWindow(t *testing.T, db string) {
	t.Helper()
	s, err := models.Open(modelstest.Ctx(), db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	defer s.Close()
	now := time.Now().UTC()
	modelstest.Update(t, s, &models.Event{}, modelstest.All, map[string]any{
		"signup_mode": models.SignupPreferences, "preferences_open_at": now.Add(-time.Hour),
		"preferences_close_at": now.Add(48 * time.Hour), "allocation_at": now.Add(72 * time.Hour),
		"allocation_seed": "beursindex-AEX-slot", "preference_ranks": 3,
	})
}

// rankSelects lists the names of the page's drop-downs per slot that has sessions to rank.
func rankSelects(t *testing.T, ctx context.Context) [][]string {
	t.Helper()
	slots, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll('fieldset.preference-slot')].map(f => [...f.querySelectorAll('select')].map(s => s.name)).filter(l => l.length > 0)`))
	if err != nil || len(slots) < 2 || len(slots[0]) < 2 || len(slots[1]) < 2 {
		t.Fatalf("the preference form has drop-downs %v (%v), want at least two per slot in two slots", slots, err)
	}
	return slots
}

// selectValues reads every drop-down of the main form: name → value.
func selectValues(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	v, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll('main select[name^="voorkeur-"]')].map(s => [s.name, s.value]))`))
	if err != nil {
		t.Fatalf("read the drop-downs: %v", err)
	}
	return v
}

// sameValues reports whether got holds want's values (an absent drop-down counts as "").
func sameValues(got, want map[string]string) bool {
	for k, w := range want {
		if got[k] != w {
			return false
		}
	}
	return true
}

// screenshots keeps the form at desktop width (this tab) and at phone width when
// DAGPLANNER_SCREENSHOTS names a folder.
func screenshots(t *testing.T, ctx context.Context, base, url string) {
	t.Helper()
	dir := os.Getenv("DAGPLANNER_SCREENSHOTS")
	if dir == "" {
		return
	}
	browsertest.Screenshot(t, ctx, filepath.Join(dir, "preference-form-1280.png"))
	phone := browsertest.NewWithSize(t, 390, 844)
	setLanguage(t, phone, base, "nl")
	navigate(t, phone, url)
	assertNoSidewaysScroll(t, phone, "preference form on a phone")
	browsertest.Screenshot(t, phone, filepath.Join(dir, "preference-form-390.png"))
}

// screenshotWidths keeps the page in ctx at its own width (name-desktop.png) and as a phone
// shows it, 390 pixels wide (name-390.png), when DAGPLANNER_SCREENSHOTS names a folder. The
// phone's width is emulated in the same tab, so a signed-in page or a paired door stays so.
func screenshotWidths(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("DAGPLANNER_SCREENSHOTS")
	if dir == "" {
		return
	}
	browsertest.Screenshot(t, ctx, filepath.Join(dir, name+"-desktop.png"))
	err := chromedp.Do(timeout(ctx), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 1, Mobile: true})
		return err
	}))
	if err != nil {
		t.Fatalf("emulate a phone: %v", err)
	}
	browsertest.Screenshot(t, ctx, filepath.Join(dir, name+"-390.png"))
	err = chromedp.Do(timeout(ctx), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	}))
	if err != nil {
		t.Fatalf("stop emulating a phone: %v", err)
	}
}

// screenshot keeps the page in ctx as name.png when DAGPLANNER_SCREENSHOTS names a folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
		browsertest.Screenshot(t, ctx, filepath.Join(dir, name+".png"))
	}
}

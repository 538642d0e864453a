package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// shown reports whether the element sel is displayed: laid out, and not inside a closed
// <details> (checkVisibility, run by the DevTools protocol, also with the page's scripts off).
func shown(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	ok, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`(e => e !== null && e.checkVisibility())(document.querySelector(`+"`"+sel+"`"+`))`))
	if err != nil {
		t.Fatalf("is %s shown: %v", sel, err)
	}
	return ok
}

// assertPageFits checks that the page itself never scrolls sideways; wide tables scroll in
// their own regions.
func assertPageFits(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	w, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	if err != nil {
		t.Fatal(err)
	}
	if w[0] > w[1] {
		t.Errorf("%s: the page is %v px wide in a window of %v px, so it scrolls sideways", what, w[0], w[1])
	}
}

// TestShellInTheBrowser: the organiser area's shell in Chromium. On a phone the navigation is
// one menu button that opens without JavaScript and with the keyboard, and axe finds nothing
// wrong with it open in either language; on a wide screen the navigation is a column beside
// the page, the board uses the width (wider than the 846 px it had in one narrow column) and
// a form keeps its readable measure. Set DAGPLANNER_SCREENSHOTS to keep screenshots of the
// dashboard, the people, the board and a form at 1920, 1280 and 390 px.
func TestShellInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	srv := startDemo(t)
	password := demoPassword(t, srv.Out.String())
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, password)
	_, dashboard := get(t, c, srv.URL, "/beheer")
	venue := firstMatch(t, regexp.MustCompile(`href="/beheer/locaties/(\d+)"`), dashboard, "a venue")
	board := "/beheer/rooster/" + venue
	shots := os.Getenv("DAGPLANNER_SCREENSHOTS")

	t.Run("phone without JavaScript", func(t *testing.T) {
		phone := browsertest.NewWithSize(t, 390, 844)
		err := chromedp.Do(timeout(phone), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
		if err != nil {
			t.Fatalf("turn JavaScript off: %v", err)
		}
		// The scan page's script would leave "loading" at once: it stays, so no script runs.
		navigate(t, phone, srv.URL+"/deur")
		if state, err := chromedp.Run(timeout(phone), chromedp.AttributeValue("#door", "data-state")); err != nil || state.Value != "loading" {
			t.Fatalf("with JavaScript off the scan page's state is %q (%v), want loading: scripts still run", state.Value, err)
		}
		shellSignIn(t, phone, srv.URL, demoEmail, password)
		navigate(t, phone, srv.URL+"/beheer/deelnemers")
		if shown(t, phone, `.shell-nav--wide`) {
			t.Error("at 390 px the wide navigation column is shown")
		}
		if !shown(t, phone, `.shell-menu__button`) || shown(t, phone, `.shell-menu a[href="/beheer/sessies"]`) {
			t.Error("at 390 px the menu button is not shown, or the menu is open before anyone opened it")
		}
		if err := chromedp.Do(timeout(phone), chromedp.Click(`.shell-menu__button`)); err != nil {
			t.Fatalf("press the menu button: %v", err)
		}
		if !shown(t, phone, `.shell-menu a[href="/beheer/sessies"]`) {
			t.Fatal("without JavaScript the menu button does not open the menu")
		}
		current, err := chromedp.Run(timeout(phone), chromedp.AttributeValue(`.shell-menu a[href="/beheer/deelnemers"]`, "aria-current"))
		if err != nil || current.Value != "page" {
			t.Errorf("in the open menu the people's link has aria-current %q (%v), want page", current.Value, err)
		}
		if shots != "" {
			viewportScreenshot(t, phone, filepath.Join(shots, "shell-390-menu-open.png"))
		}
		err = chromedp.Do(timeout(phone), chromedp.Click(`.shell-menu a[href="/beheer/sessies"]`), chromedp.WaitReady(`.shell-menu a[href="/beheer/sessies"][aria-current]`))
		if err != nil {
			t.Errorf("follow the menu's link to the sessions: %v", err)
		}
		assertPageFits(t, phone, "sessions at 390 px")
	})

	t.Run("phone", func(t *testing.T) {
		phone := browsertest.NewWithSize(t, 390, 844)
		for _, lang := range []string{"nl", "en"} {
			setLanguage(t, phone, srv.URL, lang)
			shellSignIn(t, phone, srv.URL, demoEmail, password)
			for _, p := range []string{"/beheer", "/beheer/deelnemers", board, "/beheer/evenement"} {
				navigate(t, phone, srv.URL+p)
				assertPageFits(t, phone, p+" at 390 px")
				if err := chromedp.Do(timeout(phone), chromedp.Click(`.shell-menu__button`), chromedp.WaitVisible(`.shell-menu .shell-nav`)); err != nil {
					t.Fatalf("%s: open the menu: %v", p, err)
				}
				browsertest.AssertNoAxeViolationsHere(t, phone, lang+", menu open")
				assertLang(t, phone, p, lang)
			}
		}
		// By keyboard: Tab reaches the menu button, Enter opens it, and Tab goes on into it.
		navigate(t, phone, srv.URL+"/beheer/deelnemers")
		const onButton = `document.activeElement !== null && document.activeElement.matches('.shell-menu__button')`
		found := false
		for range 20 {
			if err := chromedp.Do(timeout(phone), chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatalf("press Tab: %v", err)
			}
			on, err := chromedp.Run(timeout(phone), chromedp.Evaluate[bool](onButton))
			if err != nil {
				t.Fatal(err)
			}
			if found = on; found {
				break
			}
		}
		if !found {
			t.Fatal("20 presses of Tab never reached the menu button")
		}
		if err := chromedp.Do(timeout(phone), chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		state, err := chromedp.Run(timeout(phone), chromedp.Evaluate[[]string](`[String(document.querySelector('.shell-menu').open),
			document.activeElement.getAttribute('href') || document.activeElement.tagName]`))
		if err != nil {
			t.Fatal(err)
		}
		if state[0] != "true" || state[1] != "/beheer" {
			t.Errorf("after Enter on the menu button and Tab: menu open %s, focus on %s; want open and on the first link, /beheer", state[0], state[1])
		}
		if shots != "" {
			viewportScreenshot(t, phone, filepath.Join(shots, "shell-390-menu-keyboard.png"))
		}
	})

	t.Run("wide", func(t *testing.T) {
		ctx := browsertest.NewWithSize(t, 1920, 1080)
		shellSignIn(t, ctx, srv.URL, demoEmail, password)
		navigate(t, ctx, srv.URL+board)
		got, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]float64](`[
			document.querySelector('.board-table').getBoundingClientRect().width,
			document.querySelector('.shell-nav--wide').getBoundingClientRect().width,
			document.querySelector('.shell-menu').getBoundingClientRect().width]`))
		if err != nil {
			t.Fatal(err)
		}
		if got[0] <= 846 {
			t.Errorf("at 1920 px the board's table is %v px wide, want wider than 846", got[0])
		}
		if got[1] == 0 || got[2] != 0 {
			t.Errorf("at 1920 px the navigation column is %v px wide and the menu button %v px; want the column, not the button", got[1], got[2])
		}
		navigate(t, ctx, srv.URL+"/beheer/evenement")
		form, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[float64](`document.querySelector('main form.form').getBoundingClientRect().width`))
		if err != nil {
			t.Fatal(err)
		}
		if rem := form / 16; rem > 40.5 {
			t.Errorf("at 1920 px the event form is %.1frem wide, want a readable measure of at most 40rem", rem)
		}
	})

	if shots == "" {
		return
	}
	for _, w := range []int{1920, 1280, 390} {
		ctx := browsertest.NewWithSize(t, w, 1000)
		shellSignIn(t, ctx, srv.URL, demoEmail, password)
		for name, p := range map[string]string{"dashboard": "/beheer", "people": "/beheer/deelnemers", "board": board, "form": "/beheer/evenement", "venue": "/beheer/locaties/" + venue} {
			navigate(t, ctx, srv.URL+p)
			viewportScreenshot(t, ctx, filepath.Join(shots, fmt.Sprintf("shell-%d-%s.png", w, name)))
		}
	}
}

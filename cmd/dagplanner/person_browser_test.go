package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestPersonKeyboardOnly: an organiser, with the keyboard only, opens a person's page,
// changes their session and cancels them (with the confirmation step), and axe finds nothing
// on any of the pages on the way.
func TestPersonKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := filepath.Join(t.TempDir(), "e2e.db")
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	password := demoPassword(t, srv.Out.String())
	open := firstOpenSession(t, srv.URL, "zwolle")
	person := "/beheer/deelnemers/" + registrationIDViaAPI(t, srv.URL, "hulp.nodig@example.org")
	ctx := browsertest.New(t)
	setLanguage(t, ctx, srv.URL, "nl")

	navigate(t, ctx, srv.URL+"/beheer/inloggen")
	tabTo(t, ctx, "#veld-email")
	keys(t, ctx, demoEmail)
	tabTo(t, ctx, "#veld-password")
	keys(t, ctx, password)
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `main a[href="/beheer/sessies"]`)

	// Give them a seat in the open session: Tab to its slot's "no session" choice, then the
	// arrow key moves the choice on, as in any radio group.
	navigate(t, ctx, srv.URL+person)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "person page")
	radio := fmt.Sprintf(`main form[action$="/sessies"] input[type="radio"][value="%d"]`, open.ID)
	name, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).name`, radio)))
	if err != nil || name == "" {
		t.Fatalf("no choice for session %d on the person page (%v)", open.ID, err)
	}
	tabTo(t, ctx, fmt.Sprintf(`input[name=%q]:checked`, name))
	for range 30 {
		on, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).checked`, radio)))
		if err != nil {
			t.Fatal(err)
		}
		if on {
			break
		}
		keys(t, ctx, kb.ArrowDown)
	}
	tabTo(t, ctx, `main form[action$="/sessies"] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `.utrecht-alert--ok`)
	if text := pageText(t, ctx); !strings.Contains(text, "De sessies zijn gewijzigd.") || !strings.Contains(text, open.Title) {
		t.Errorf("after changing the session the page does not show it:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "person page after a change")

	// Cancel: the link asks to confirm, with an optional reason.
	tabTo(t, ctx, `main a[href$="/annuleren"]`)
	pressAndWait(t, ctx, kb.Enter, `#veld-reason`)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "cancel confirmation")
	tabTo(t, ctx, "#veld-reason")
	keys(t, ctx, "belde af, ziek")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `.utrecht-alert--ok`)
	text := pageText(t, ctx)
	for _, want := range []string{"De aanmelding is geannuleerd.", "Geannuleerd", "belde af, ziek", "Sessies gewijzigd", "Annulering (door een organisator)"} {
		if !strings.Contains(text, want) {
			t.Errorf("after cancelling the page lacks %q:\n%s", want, text)
		}
	}
	assertAt(t, ctx, srv.URL+person)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "cancelled person")

	// At phone width, in both languages, the page of an active person has no sideways
	// scrolling and nothing for axe.
	other := "/beheer/deelnemers/" + registrationIDViaAPI(t, srv.URL, "telefoon@example.org")
	phone := browsertest.NewWithSize(t, 390, 844)
	for _, lang := range []string{"nl", "en"} {
		setLanguage(t, phone, srv.URL, lang)
		signIn(t, phone, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
		for _, p := range []string{other, other + "/annuleren", "/beheer/deelnemers/nieuw?locatie=zwolle"} {
			browsertest.AssertNoAxeViolations(t, phone, srv.URL+p)
			assertLang(t, phone, p, lang)
			assertNoSidewaysScroll(t, phone, lang+" "+p+" at 390 px")
		}
	}
}

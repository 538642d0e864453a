package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestPersonKeyboardOnly: an organiser, with the keyboard only, finds a person in the list
// of people, opens their page, changes their session and cancels them (with the confirmation
// step), and axe finds nothing on any of the pages on the way — in Dutch at desktop width and
// in English at phone width, where no page scrolls sideways.
func TestPersonKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false")
	password := demoPassword(t, srv.Out.String())
	open := firstOpenSession(t, srv.URL, "zwolle")
	for _, run := range []struct {
		lang          string
		width, height int
		changed       string // the flash message after changing the sessions
		cancelled     []string
	}{
		{"nl", 1280, 900, "De sessies zijn gewijzigd.", []string{"De aanmelding is geannuleerd.", "Geannuleerd", "Sessies gewijzigd", "Annulering (door een organisator)"}},
		{"en", 390, 844, "The sessions are changed.", []string{"The registration is cancelled.", "Cancelled", "Sessions changed", "Cancellation (by an organiser)"}},
	} {
		t.Run(fmt.Sprintf("%s at %d px", run.lang, run.width), func(t *testing.T) {
			email := "hulp.nodig." + run.lang + "@example.org"
			person := "/beheer/deelnemers/" + registrationIDViaAPI(t, srv.URL, email)
			ctx := browsertest.NewWithSize(t, run.width, run.height)
			setLanguage(t, ctx, srv.URL, run.lang)
			check := func(what string) {
				t.Helper()
				browsertest.AssertNoAxeViolationsHere(t, ctx, what)
				assertLang(t, ctx, what, run.lang)
				// A table may scroll in its own region (the list's, a person's e-mails and
				// log at phone width); the page itself never does.
				wide, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
				if err != nil || wide {
					t.Errorf("%s: the page scrolls sideways (%v)", what, err)
				}
			}

			navigate(t, ctx, srv.URL+"/beheer/inloggen")
			tabTo(t, ctx, "#veld-email")
			keys(t, ctx, demoEmail)
			tabTo(t, ctx, "#veld-password")
			keys(t, ctx, password)
			tabTo(t, ctx, `main form button[type="submit"]`)
			pressAndWait(t, ctx, kb.Enter, `main a[href="/beheer/sessies"]`)

			// Find them: from the dashboard to the list of people, search, open their page.
			tabTo(t, ctx, `main a[href="/beheer/deelnemers"]`)
			pressAndWait(t, ctx, kb.Enter, "#veld-q")
			check("list of people")
			tabTo(t, ctx, "#veld-q")
			keys(t, ctx, email)
			// The server fills in the field's value attribute with the search it answers.
			pressAndWait(t, ctx, kb.Enter, fmt.Sprintf(`#veld-q[value=%q]`, email))
			if text := pageText(t, ctx); !strings.Contains(text, email) {
				t.Errorf("the search for %s does not list them:\n%s", email, text)
			}
			check("list of people, searched")
			tabTo(t, ctx, fmt.Sprintf(`main a[href=%q]`, person))
			pressAndWait(t, ctx, kb.Enter, `main form[action$="/sessies"]`)
			assertAt(t, ctx, srv.URL+person)
			check("person page")

			// Give them a seat in the open session: Tab to its slot's "no session" choice,
			// then the arrow key moves the choice on, as in any radio group.
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
			if text := pageText(t, ctx); !strings.Contains(text, run.changed) || !strings.Contains(text, open.Title) {
				t.Errorf("after changing the session the page does not show it:\n%s", text)
			}
			check("person page after a change")

			// Cancel: the link asks to confirm, with an optional reason.
			tabTo(t, ctx, `main a[href$="/annuleren"]`)
			pressAndWait(t, ctx, kb.Enter, `#veld-reason`)
			check("cancel confirmation")
			tabTo(t, ctx, "#veld-reason")
			keys(t, ctx, "belde af, ziek")
			tabTo(t, ctx, `main form button[type="submit"]`)
			pressAndWait(t, ctx, kb.Enter, `.utrecht-alert--ok`)
			text := pageText(t, ctx)
			for _, want := range append(run.cancelled, "belde af, ziek") {
				if !strings.Contains(text, want) {
					t.Errorf("after cancelling the page lacks %q:\n%s", want, text)
				}
			}
			assertAt(t, ctx, srv.URL+person)
			check("cancelled person")
			navigate(t, ctx, srv.URL+"/beheer/deelnemers/nieuw?locatie=zwolle")
			check("register a person by hand")
		})
	}
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestSecondFactorKeyboardOnly runs two-step sign-in with nothing but the keyboard, on the
// demo as it starts (admins need a second factor): sign in, get sent to set it up, read the
// secret from the page and type the code, keep the recovery codes, sign out, sign in with
// password and code. In English: sign in with a recovery code, and after an operator's reset
// set it up again. Axe checks every page on the way, in both languages.
func TestSecondFactorKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	srv := startServerStrict(t, "--db", db, "--demo", "--demo-registrations=false")
	password := demoPassword(t, srv.Out.String())
	ctx := browsertest.New(t)
	var secret string
	var codes []string

	// enrol reads the secret from the page, types the current code and returns the secret and
	// the recovery codes.
	enrol := func(t *testing.T) (string, []string) {
		t.Helper()
		browsertest.AssertNoAxeViolationsHere(t, ctx, "setting up the second factor")
		secret, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`document.querySelector("#totp-secret").textContent`))
		if err != nil || secret == "" {
			t.Fatalf("no secret on the page (%v)", err)
		}
		secret = strings.ReplaceAll(secret, " ", "")
		code := modelstest.TOTP(t, secret, time.Now())
		tabTo(t, ctx, "#veld-code")
		keys(t, ctx, code)
		tabTo(t, ctx, `main form button[type="submit"]`)
		pressAndWait(t, ctx, kb.Enter, ".recovery-codes")
		browsertest.AssertNoAxeViolationsHere(t, ctx, "recovery codes")
		list, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](`[...document.querySelectorAll(".recovery-codes code")].map(e => e.textContent)`))
		if err != nil || len(list) != 10 {
			t.Fatalf("recovery codes on the page: %q (%v), want 10", list, err)
		}
		return secret, list
	}

	t.Run("nl: sign in, set up, sign out, sign in with a code", func(t *testing.T) {
		setLanguage(t, ctx, srv.URL, "nl")
		keyboardSignIn(t, ctx, srv.URL, demoEmail, password, "#totp-secret")
		assertAt(t, ctx, srv.URL+"/beheer/account/tweestaps")
		secret, codes = enrol(t)
		secretless, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[bool](`document.querySelector("#totp-secret") === null`))
		if err != nil || !secretless {
			t.Errorf("the recovery codes page shows the secret (%v)", err)
		}
		keyboardSignOut(t, ctx)

		keyboardSignIn(t, ctx, srv.URL, demoEmail, password, "#veld-code")
		assertAt(t, ctx, srv.URL+"/beheer/inloggen/tweede-stap")
		browsertest.AssertNoAxeViolationsHere(t, ctx, "second step")
		tabTo(t, ctx, "#veld-code")
		keys(t, ctx, "000000")
		tabTo(t, ctx, `main form[action="/beheer/inloggen/tweede-stap"] button[type="submit"]`)
		pressAndWait(t, ctx, kb.Enter, ".error-summary")
		browsertest.AssertNoAxeViolationsHere(t, ctx, "second step with a wrong code")
		tabTo(t, ctx, "#veld-code")
		keys(t, ctx, modelstest.TOTPStep(t, secret, time.Now().Unix()/30+1))
		tabTo(t, ctx, `main form[action="/beheer/inloggen/tweede-stap"] button[type="submit"]`)
		pressAndWait(t, ctx, kb.Enter, `main a[href="/beheer/sessies"]`)
		assertAt(t, ctx, srv.URL+"/beheer")
	})

	t.Run("en: a recovery code, then set up again after a reset", func(t *testing.T) {
		setLanguage(t, ctx, srv.URL, "en")
		browsertest.AssertNoAxeViolations(t, ctx, srv.URL+"/beheer/account/tweestaps")
		assertLang(t, ctx, "two-step page", "en")
		keyboardSignOut(t, ctx)
		keyboardSignIn(t, ctx, srv.URL, demoEmail, password, "#veld-recovery")
		browsertest.AssertNoAxeViolationsHere(t, ctx, "second step (en)")
		tabTo(t, ctx, "#veld-recovery")
		keys(t, ctx, codes[0])
		tabTo(t, ctx, `main section form button[type="submit"]`)
		pressAndWait(t, ctx, kb.Enter, `main a[href="/beheer/sessies"]`)

		var out bytes.Buffer
		args := []string{"user", "reset-2fa", "--db", db, "--email", demoEmail}
		if err := run(context.Background(), args, envMap(nil), strings.NewReader(""), &out); err != nil {
			t.Fatalf("dagplanner %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		keyboardSignOut(t, ctx)
		keyboardSignIn(t, ctx, srv.URL, demoEmail, password, "#totp-secret")
		assertLang(t, ctx, "setting up again", "en")
		enrol(t)
	})
}

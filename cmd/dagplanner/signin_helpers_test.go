package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/locale"
)

// Signing in from the tests.
//
// A server lets half its cores hash passwords at once (one on a two-core machine) and tells
// a sign-in that waited 3 s for a free slot to try again in a few seconds (login.busy, 503).
// Tests sign in side by side, under the race detector, with the demo admin's real argon2id
// hash, so that answer does come. The helpers below then do what the person would: wait the
// seconds the server asks and send the form again, a few times at most. Any other answer is
// the test's to judge.

// signInAttempts bounds the tries of one sign-in that the server keeps calling busy.
const signInAttempts = 5

// busyRetry is the wait the busy answer asks for (signInBusyRetry in handlers).
const busyRetry = 5 * time.Second

// busyMessages are the busy answer's text in both languages.
var busyMessages = sync.OnceValues(func() ([]string, error) {
	catalog, err := locale.Load()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range []locale.Lang{locale.Dutch, locale.English} {
		out = append(out, catalog.Translator(l).T("login.busy", "Count", int(busyRetry/time.Second)))
	}
	return out, nil
})

// saysBusy reports whether text holds the sign-in form's busy answer.
func saysBusy(t *testing.T, text string) bool {
	t.Helper()
	msgs, err := busyMessages()
	if err != nil {
		t.Fatalf("load the messages: %v", err)
	}
	for _, m := range msgs {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

// signIn fills in and submits the log-in form, then waits until waitFor appears.
func signIn(t *testing.T, ctx context.Context, base, email, password, waitFor string) {
	t.Helper()
	browserSignIn(t, ctx, email, waitFor, chromedp.WaitVisible(waitFor), sendSignInForm(t, ctx, base, email, password))
}

// sendSignInForm returns what fills in and sends the log-in form with the mouse.
func sendSignInForm(t *testing.T, ctx context.Context, base, email, password string) func() {
	return func() {
		t.Helper()
		err := chromedp.Do(timeout(ctx),
			chromedp.Navigate(base+"/beheer/inloggen"),
			chromedp.SendKeys("#veld-email", email),
			chromedp.SendKeys("#veld-password", password),
			chromedp.Click(`main form button[type="submit"]`),
		)
		if err != nil {
			t.Fatalf("send the log-in form as %s: %v", email, err)
		}
	}
}

// keyboardSignIn signs in with the keyboard alone and waits until waitFor appears.
func keyboardSignIn(t *testing.T, ctx context.Context, base, email, password, waitFor string) {
	t.Helper()
	browserSignIn(t, ctx, email, waitFor, chromedp.WaitVisible(waitFor), func() {
		navigate(t, ctx, base+"/beheer/inloggen")
		tabTo(t, ctx, "#veld-email")
		keys(t, ctx, email)
		tabTo(t, ctx, "#veld-password")
		keys(t, ctx, password)
		tabTo(t, ctx, `main form button[type="submit"]`)
		keys(t, ctx, kb.Enter)
	})
}

// shellSignIn signs in as signIn does and waits for the dashboard's navigation, present (if
// folded away) at every width. The sign-in form has the shell too when someone is signed in
// already, so it waits for the dashboard's own link, marked as the page.
func shellSignIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	const dashboard = `.shell-nav a[href="/beheer"][aria-current="page"]`
	browserSignIn(t, ctx, email, dashboard, chromedp.WaitReady(dashboard), sendSignInForm(t, ctx, base, email, password))
}

// browserSignIn runs submit, which sends the log-in form, until the page it leads to has
// waitFor (then waits with wait, which may ask for more, such as visibility) or an error
// summary that is not the busy answer. The busy answer is waited out and the form sent again.
func browserSignIn(t *testing.T, ctx context.Context, email, waitFor string, wait chromedp.Action[chromedp.Void], submit func()) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		submit()
		var summary string
		var found bool
		err := chromedp.Do(timeout(ctx),
			chromedp.WaitReady(chromedp.CSS(waitFor+", .error-summary")),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
				summary, err = chromedp.Evaluate[string](`(e => e ? e.innerText : "")(document.querySelector(".error-summary"))`)(ctx, tg)
				return err
			}),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
				found, err = chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(waitFor)+`) !== null`)(ctx, tg)
				return err
			}),
		)
		if err != nil {
			at, _ := chromedp.Run(timeout(ctx), chromedp.Location())
			t.Fatalf("sign in as %s in the browser (waiting for %s, now at %s): %v", email, waitFor, at, err)
		}
		if saysBusy(t, summary) && attempt < signInAttempts {
			t.Logf("sign-in %d as %s: the server is busy hashing other sign-ins; trying again in %s", attempt, email, busyRetry)
			time.Sleep(busyRetry)
			continue
		}
		if !found {
			t.Fatalf("sign in as %s in the browser: the page has no %s but says:\n%s", email, waitFor, summary)
		}
		if err := chromedp.Do(timeout(ctx), wait); err != nil {
			t.Fatalf("sign in as %s in the browser (waiting for %s): %v", email, waitFor, err)
		}
		return
	}
}

// login signs in over HTTP and fails the test unless it lands on the organisers' dashboard.
// A busy answer (503) is waited out as browserSignIn does.
func login(t *testing.T, c *http.Client, base, email, password string) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		status, body := postForm(t, c, base, "/beheer/inloggen", url.Values{"email": {email}, "password": {password}})
		if status == http.StatusServiceUnavailable && saysBusy(t, body) && attempt < signInAttempts {
			t.Logf("sign-in %d as %s: the server is busy hashing other sign-ins; trying again in %s", attempt, email, busyRetry)
			time.Sleep(busyRetry)
			continue
		}
		if status != http.StatusOK {
			t.Fatalf("log in as %s: status %d, want 200 (the dashboard after the redirect)\n%s", email, status, body)
		}
		return
	}
}

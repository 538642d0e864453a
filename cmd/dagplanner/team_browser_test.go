package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/cluster"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// inviteOverHTTP signs in as the demo's admin over HTTP, invites email as an organiser and
// returns the team page it lands on.
func inviteOverHTTP(t *testing.T, srv *testServer, email string) string {
	t.Helper()
	c := newClient(t)
	login(t, c, srv.URL, demoEmail, demoPassword(t, srv.Out.String()))
	status, body := postForm(t, c, srv.URL, "/beheer/team/uitnodigen", url.Values{"email": {email}, "role": {"organiser"}, "lang": {"nl"}})
	if status != http.StatusOK || !strings.Contains(body, email) {
		t.Fatalf("invite %s: status %d, want 200 (the team page after the redirect)\n%s", email, status, body)
	}
	return body
}

// mailedInvitation waits for the e-mail to recipient that the SMTP server received and
// returns the invitation link in its text.
func mailedInvitation(t *testing.T, m *cluster.MailServer, recipient string) string {
	t.Helper()
	re := regexp.MustCompile(`http://\S+/beheer/uitnodiging/[A-Za-z0-9_-]{43}`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, msg := range m.Messages() {
			if len(msg.To) == 1 && msg.To[0] == recipient {
				link := re.FindString(msg.Text)
				if link == "" {
					t.Fatalf("no invitation link in the e-mail to %s:\n%s", recipient, msg.Text)
				}
				return link
			}
		}
	}
	t.Fatalf("no e-mail to %s within 30 s", recipient)
	return ""
}

// TestTeamInvitationKeyboardOnly: with nothing but the keyboard, the demo's admin invites
// someone on the team page; the e-mail arrives at a real SMTP server; its link opens the
// accept page, which refuses a short password and then makes the account and signs it in;
// the new organiser sets up a TOTP app (organisers need a second factor), signs out, and signs
// in with the password and a code. axe checks every page on the way.
func TestTeamInvitationKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	mailSrv, err := cluster.StartMailServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mailSrv.Close)
	db := demoDB(t, false)
	srv := startServerEnv(t, map[string]string{"DAGPLANNER_SMTP": mailSrv.URL()},
		"--db", db, "--demo", "--demo-registrations=false")
	password := demoPassword(t, srv.Out.String())
	ctx := browsertest.New(t)
	setLanguage(t, ctx, srv.URL, "nl")

	keyboardSignIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)

	// The team is under the settings in the navigation: there with the keyboard.
	tabTo(t, ctx, `.shell-nav a[href="/beheer/evenement"]`)
	pressAndWait(t, ctx, kb.Enter, "#veld-name")
	tabTo(t, ctx, `.shell-nav a[href="/beheer/team"]`)
	pressAndWait(t, ctx, kb.Enter, "#veld-email")
	assertAt(t, ctx, srv.URL+"/beheer/team")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "team page")
	tabTo(t, ctx, "#veld-email")
	keys(t, ctx, "nieuw.teamlid@example.nl")
	tabTo(t, ctx, "#veld-role") // organiser is chosen already
	tabTo(t, ctx, `main form[action="/beheer/team/uitnodigen"] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, "main .utrecht-alert--ok")
	if text := pageText(t, ctx); !strings.Contains(text, "nieuw.teamlid@example.nl") {
		t.Errorf("the team page does not list the invitation:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "team page with an open invitation")

	link := mailedInvitation(t, mailSrv, "nieuw.teamlid@example.nl")
	keyboardSignOut(t, ctx) // the invited person is not signed in
	// The fixture let the demo's admin in with a password alone; organisers need a second
	// factor again from here, as they do by default.
	var out bytes.Buffer
	policy := []string{"user", "2fa-policy", "--db", db, "--role", "organiser", "--required=true"}
	if err := run(context.Background(), policy, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("dagplanner %s: %v\n%s", strings.Join(policy, " "), err, out.String())
	}
	navigate(t, ctx, link)
	browsertest.AssertNoAxeViolationsHere(t, ctx, "invitation page")
	tabTo(t, ctx, "#veld-password")
	keys(t, ctx, "te kort")
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "invitation page with a refused password")
	tabTo(t, ctx, "#veld-password")
	keys(t, ctx, "een lange zin als wachtwoord")
	// Signed in, the new organiser is asked to set up the second factor first.
	pressAndWait(t, ctx, kb.Enter, "#totp-secret")
	assertAt(t, ctx, srv.URL+"/beheer/account/tweestaps")
	if text := pageText(t, ctx); !strings.Contains(text, "Welkom in het team") {
		t.Errorf("the new organiser is not welcomed:\n%s", text)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "setting up the second factor after accepting")
	secret, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`document.querySelector("#totp-secret").textContent`))
	if err != nil || secret == "" {
		t.Fatalf("no secret on the page (%v)", err)
	}
	secret = strings.ReplaceAll(secret, " ", "")
	tabTo(t, ctx, "#veld-code")
	keys(t, ctx, modelstest.TOTP(t, secret, time.Now()))
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".recovery-codes")
	// Signing in again takes the password and a code from the app.
	keyboardSignOut(t, ctx)
	keyboardSignIn(t, ctx, srv.URL, "nieuw.teamlid@example.nl", "een lange zin als wachtwoord", "#veld-code")
	assertAt(t, ctx, srv.URL+"/beheer/inloggen/tweede-stap")
	tabTo(t, ctx, "#veld-code")
	keys(t, ctx, modelstest.TOTPStep(t, secret, time.Now().Unix()/30+1)) // the step enrolling used is spent
	tabTo(t, ctx, `main form[action="/beheer/inloggen/tweede-stap"] button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, `main a[href="/beheer/sessies"]`)
	assertAt(t, ctx, srv.URL+"/beheer")
	// An organiser has no team page, not in the settings' navigation nor by its address.
	navigate(t, ctx, srv.URL+"/beheer/evenement")
	if links := navLinks(t, ctx); !slices.Contains(links, "/beheer/locaties") || slices.Contains(links, "/beheer/team") {
		t.Errorf("the new organiser's settings navigation = %q, want the venues without the team", links)
	}
	navigate(t, ctx, srv.URL+"/beheer/team")
	if text := pageText(t, ctx); !strings.Contains(text, "Geen toegang") {
		t.Errorf("the team page for an organiser does not refuse:\n%s", text)
	}
	navigate(t, ctx, link)
	if text := pageText(t, ctx); !strings.Contains(text, "werkt niet meer") {
		t.Errorf("the used link does not say it no longer works:\n%s", text)
	}
}

// navLinks lists where the links of the organiser area's navigation lead.
func navLinks(t *testing.T, ctx context.Context) []string {
	t.Helper()
	links, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[[]string](`[...document.querySelectorAll(".shell-nav a")].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatalf("read the navigation: %v", err)
	}
	return links
}

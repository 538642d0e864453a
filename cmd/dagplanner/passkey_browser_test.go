package main

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
)

// TestPasskeysInTheBrowser: passkeys in Chromium with its virtual authenticator (CTAP 2.1,
// built in, resident keys, user verification that succeeds). The demo's admin adds a passkey
// on their passkey page, signs out, and signs in with it without a password; then, with a
// password sign-in that owes its second factor, uses it on the second-step page; then
// removes it, and a sign-in with it is refused with a message that says so. axe checks the
// pages with the passkey parts shown, in Dutch and English.
func TestPasskeysInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	// WebAuthn needs a domain name: the site is http://localhost:PORT, on a port chosen here.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	base := "http://localhost:" + strconv.Itoa(port)
	db := demoDB(t, true)
	srv := startServer(t, "--db", db, "--demo", "--addr", addr, "--base-url", base)
	password := demoPassword(t, srv.Out.String())

	ctx := browsertest.New(t)
	authenticator := addVirtualAuthenticator(t, ctx)
	dashboard := `.shell-nav a[href="/beheer"][aria-current="page"]`

	t.Run("register", func(t *testing.T) {
		shellSignIn(t, ctx, base, demoEmail, password)
		navigate(t, ctx, base+"/beheer/account/passkeys")
		if err := chromedp.Do(timeout(ctx), chromedp.WaitVisible("#veld-name")); err != nil {
			t.Fatalf("the add form stays hidden with JavaScript and a passkey-capable browser: %v", err)
		}
		browsertest.AssertNoAxeViolationsHere(t, ctx, "nl, passkey page")
		// Without a name the server says so next to the field, and nothing is created.
		err := chromedp.Do(timeout(ctx),
			chromedp.Click(`[data-passkey-form] button[type="submit"]`),
			chromedp.WaitVisible(`#veld-name-error`),
		)
		if err != nil {
			t.Fatalf("no error next to the empty name: %v", err)
		}
		if inv := attr(t, ctx, "#veld-name", "aria-invalid"); inv != "true" {
			t.Errorf("the empty name has aria-invalid %q, want true", inv)
		}
		err = chromedp.Do(timeout(ctx),
			chromedp.SendKeys("#veld-name", "Laptop"),
			chromedp.Click(`[data-passkey-form] button[type="submit"]`),
			chromedp.WaitVisible(`td[data-passkey-name]`),
		)
		if err != nil {
			t.Fatalf("add a passkey: %v (status: %q)", err, text(t, ctx, "[data-passkey-status]"))
		}
		if name := text(t, ctx, "td[data-passkey-name]"); name != "Laptop" {
			t.Errorf("the list shows %q, want Laptop", name)
		}
		creds := credentials(t, ctx, authenticator)
		if len(creds) != 1 || !creds[0].IsResidentCredential || creds[0].RpID != "localhost" {
			t.Fatalf("the authenticator holds %+v, want one discoverable credential for localhost", creds)
		}
		signOut(t, ctx)
	})

	t.Run("sign in without a password", func(t *testing.T) {
		navigate(t, ctx, base+"/beheer/inloggen?terug=/beheer/sessies")
		if err := chromedp.Do(timeout(ctx), chromedp.WaitVisible(`#passkey-signin button`)); err != nil {
			t.Fatalf("the passkey button stays hidden: %v", err)
		}
		browsertest.AssertNoAxeViolationsHere(t, ctx, "nl, sign-in page with passkey")
		err := chromedp.Do(timeout(ctx),
			chromedp.Click(`#passkey-signin button`),
			chromedp.WaitReady(`.shell-nav a[href="/beheer/sessies"][aria-current="page"]`),
		)
		if err != nil {
			t.Fatalf("sign in with the passkey: %v (status: %q)", err, text(t, ctx, "[data-passkey-status]"))
		}
		signOut(t, ctx)
	})

	t.Run("second step", func(t *testing.T) {
		// The admin has a passkey now, so a password sign-in owes a second factor: the second
		// step offers the passkey.
		err := chromedp.Do(timeout(ctx),
			chromedp.Navigate(base+"/beheer/inloggen"),
			chromedp.SendKeys("#veld-email", demoEmail),
			chromedp.SendKeys("#veld-password", password),
			chromedp.Submit("#veld-password"),
			chromedp.WaitVisible(`a[href="/beheer/inloggen/passkey"]`),
		)
		if err != nil {
			t.Fatalf("password sign-in to the second step: %v", err)
		}
		for _, lang := range []string{"nl", "en"} {
			setLanguage(t, ctx, base, lang)
			navigate(t, ctx, base+"/beheer/inloggen/passkey")
			if err := chromedp.Do(timeout(ctx), chromedp.WaitVisible(`#passkey-second button`)); err != nil {
				t.Fatalf("%s: the second step's button stays hidden: %v", lang, err)
			}
			assertLang(t, ctx, "second step", lang)
			browsertest.AssertNoAxeViolationsHere(t, ctx, lang+", second step")
		}
		err = chromedp.Do(timeout(ctx),
			chromedp.Click(`#passkey-second button`),
			chromedp.WaitReady(dashboard),
		)
		if err != nil {
			t.Fatalf("second step with the passkey: %v (status: %q)", err, text(t, ctx, "[data-passkey-status]"))
		}
		navigate(t, ctx, base+"/beheer/account/passkeys")
		if err := chromedp.Do(timeout(ctx), chromedp.WaitVisible("#veld-name")); err != nil {
			t.Fatal(err)
		}
		browsertest.AssertNoAxeViolationsHere(t, ctx, "en, passkey page")
		navigate(t, ctx, base+"/beheer/inloggen")
		setLanguage(t, ctx, base, "nl")
	})

	t.Run("removed", func(t *testing.T) {
		navigate(t, ctx, base+"/beheer/account/passkeys")
		if err := chromedp.Do(timeout(ctx), chromedp.Click(`form[action$="/verwijderen"] button`)); err != nil {
			t.Fatalf("remove the passkey: %v", err)
		}
		waitJS(t, ctx, `document.querySelector("main").innerText.includes("Laptop’ is verwijderd")`, "the flash message of the removal")
		if n := count(t, ctx, "td[data-passkey-name]"); n != 0 {
			t.Fatalf("after removing, the list has %d passkeys", n)
		}
		signOut(t, ctx)
		navigate(t, ctx, base+"/beheer/inloggen")
		err := chromedp.Do(timeout(ctx),
			chromedp.WaitVisible(`#passkey-signin button`),
			chromedp.Click(`#passkey-signin button`),
		)
		if err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.querySelector("[data-passkey-status]").textContent.includes("verwijderd")`, "the message that the passkey was removed")
		if shown(t, ctx, dashboard) {
			t.Error("a removed passkey signed in")
		}
		// The page told the authenticator the passkey is of no use here: it is gone from it.
		deadline := time.Now().Add(30 * time.Second)
		for len(credentials(t, ctx, authenticator)) != 0 {
			if time.Now().After(deadline) {
				t.Fatal("the authenticator still holds the removed passkey: signalUnknownCredential did not reach it")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// addVirtualAuthenticator gives the tab of ctx an authenticator like a laptop's built-in
// one: CTAP 2.1, resident keys, user verification that succeeds, presence without a touch.
func addVirtualAuthenticator(t *testing.T, ctx context.Context) webauthn.AuthenticatorID {
	t.Helper()
	var id webauthn.AuthenticatorID
	err := chromedp.Do(timeout(ctx), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, webauthn.Enable, webauthn.EnableParams{EnableUI: new(false)}); err != nil {
			return err
		}
		res, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
				Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true,
				HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
			}})
		id = res.AuthenticatorID
		return err
	}))
	if err != nil {
		t.Fatalf("add Chromium's virtual authenticator: %v", err)
	}
	return id
}

func credentials(t *testing.T, ctx context.Context, id webauthn.AuthenticatorID) []*webauthn.Credential {
	t.Helper()
	var out []*webauthn.Credential
	err := chromedp.Do(timeout(ctx), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: id})
		out = res.Credentials
		return err
	}))
	if err != nil {
		t.Fatalf("read the authenticator's credentials: %v", err)
	}
	return out
}

// signOut presses the footer's sign-out button and waits for the home page.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(timeout(ctx),
		chromedp.Click(`form[action="/beheer/uitloggen"] button`),
		chromedp.WaitNotPresent(`form[action="/beheer/uitloggen"]`),
	)
	if err != nil {
		t.Fatalf("sign out: %v", err)
	}
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	s, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`(e => e ? (e.getAttribute("`+name+`") || "") : "")(document.querySelector(`+"`"+sel+"`"+`))`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

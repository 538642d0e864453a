package handlers

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/sso"
)

// ssoUser is a person at the in-process identity provider whose ID token a test shapes:
// its address, whether that is verified, its amr claim, and any change to the standard
// claims (audience, expiry, nonce) that the provider would otherwise fill in correctly.
type ssoUser struct {
	email    string
	verified bool
	amr      []string
	mutate   func(*mockoidc.IDTokenClaims)
}

type ssoClaims struct {
	*mockoidc.IDTokenClaims
	Email         string   `json:"email,omitempty"`
	EmailVerified bool     `json:"email_verified"`
	AMR           []string `json:"amr,omitempty"`
}

func (u ssoUser) ID() string { return "sub-" + u.email }

func (u ssoUser) Userinfo([]string) ([]byte, error) { return []byte(`{"sub":"` + u.ID() + `"}`), nil }

func (u ssoUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.mutate != nil {
		u.mutate(base)
	}
	return &ssoClaims{IDTokenClaims: base, Email: u.email, EmailVerified: u.verified, AMR: u.amr}, nil
}

// lockedBuffer is a log destination the test reads while the server writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ssoTestServer is the site with single sign-on against an identity provider running in
// this process (mockoidc: discovery, JWKS, the code flow with PKCE), over real HTTP.
type ssoTestServer struct {
	*testServer
	idp *mockoidc.MockOIDC
	log *lockedBuffer
}

func newSSOTestServer(t *testing.T) *ssoTestServer {
	t.Helper()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatalf("start the identity provider: %v", err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	client := sso.New(sso.Config{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, Name: "Rijksportaal"})
	if err := client.Discover(context.Background()); err != nil {
		t.Fatalf("discovery: %v", err)
	}
	store := newDemoStore(t)
	logs := &lockedBuffer{}
	h, err := New(Config{Store: store, Logger: slog.New(slog.NewTextHandler(logs, nil)), SSO: client})
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	return &ssoTestServer{testServer: serve(t, store, h), idp: idp, log: logs}
}

// follow fetches an absolute URL (the provider's) with ts.Client, so its cookies stay.
func (ts *ssoTestServer) follow(t *testing.T, to string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ts.do(t, req)
}

// startFlow starts a sign-in at Dagplanner and returns the provider's authorisation URL.
func (ts *ssoTestServer) startFlow(t *testing.T, path string) *url.URL {
	t.Helper()
	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s: status %d, want 303; body:\n%s", path, resp.StatusCode, body)
	}
	to, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(to.String(), ts.idp.AuthorizationEndpoint()) {
		t.Fatalf("GET %s: Location %q, want the provider's authorisation endpoint", path, resp.Header.Get("Location"))
	}
	return to
}

// atProvider has the provider sign user in on the authorisation URL and returns the
// callback URL it sends the browser back to.
func (ts *ssoTestServer) atProvider(t *testing.T, authorize *url.URL, user ssoUser) string {
	t.Helper()
	ts.idp.QueueUser(user)
	resp, body := ts.follow(t, authorize.String())
	back := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(back, ts.URL+ssoCallbackPath+"?") {
		t.Fatalf("provider: status %d, Location %q; want 302 to the callback; body:\n%s", resp.StatusCode, back, body)
	}
	return back
}

// signIn runs the whole flow for user and returns Dagplanner's answer to the callback.
func (ts *ssoTestServer) signIn(t *testing.T, user ssoUser) (*http.Response, string) {
	t.Helper()
	return ts.follow(t, ts.atProvider(t, ts.startFlow(t, "/beheer/inloggen/sso"), user))
}

// assertSignedOut checks that the client is not signed in: /beheer sends it to the sign-in page.
func (ts *ssoTestServer) assertSignedOut(t *testing.T) {
	t.Helper()
	resp, _ := ts.get(t, "/beheer")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen") {
		t.Errorf("after a refused sign-in, /beheer: status %d to %q, want 303 to the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSSO(t *testing.T) {
	t.Parallel()
	ts := newSSOTestServer(t)
	ctx := context.Background()
	organiser, err := ts.Store.CreateUser(ctx, models.UserInput{Email: "olga@gemeente.example", Password: testPassword, Role: models.RoleOrganiser})
	if err != nil {
		t.Fatal(err)
	}
	good := ssoUser{email: "Olga@Gemeente.example", verified: true, amr: []string{"pwd"}}
	gone, err := ts.Store.CreateUser(ctx, models.UserInput{Email: "gert@gemeente.example", Password: testPassword, Role: models.RoleOrganiser})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Store.DeactivateUser(models.WithActor(ctx, models.Actor{Kind: models.ActorCLI, Name: "test"}), gone.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("sign-in page shows the button", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		resp, body := ts.get(t, "/beheer/inloggen?terug="+url.QueryEscape("/beheer/deelnemers?q=a&status=binnen"))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlMsg(t, "sso.button", "Name", "Rijksportaal")) ||
			!strings.Contains(body, `href="/beheer/inloggen/sso?terug=%2Fbeheer%2Fdeelnemers%3Fq%3Da%26status%3Dbinnen"`) {
			t.Errorf("sign-in page: status %d, want 200 with a link to sign in with Rijksportaal keeping terug; body:\n%s", resp.StatusCode, body)
		}
	})

	t.Run("code flow with PKCE signs in and returns to terug", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		authorize := ts.startFlow(t, "/beheer/inloggen/sso?terug=/beheer/sessies")
		q := authorize.Query()
		checks := map[string]string{"response_type": "code", "client_id": ts.idp.ClientID,
			"redirect_uri": ts.URL + ssoCallbackPath, "code_challenge_method": "S256"}
		for k, want := range checks {
			if got := q.Get(k); got != want {
				t.Errorf("authorisation request %s = %q, want %q", k, got, want)
			}
		}
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(k)) < 20 {
				t.Errorf("authorisation request %s = %q, want a long random value", k, q.Get(k))
			}
		}
		if !strings.Contains(" "+q.Get("scope")+" ", " openid ") {
			t.Errorf("scope = %q, want openid in it", q.Get("scope"))
		}
		callback := ts.atProvider(t, authorize, good)
		resp, body := ts.follow(t, callback)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/sessies" {
			t.Fatalf("callback: status %d to %q, want 303 to /beheer/sessies; body:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		// Signed in, but the provider did not say it asked for a second factor: an organiser
		// must set one up here first (the default policy).
		if resp, _ := ts.get(t, "/beheer/sessies"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != twoStepPath {
			t.Errorf("signed in through SSO without MFA, /beheer/sessies: status %d to %q, want 303 to %s",
				resp.StatusCode, resp.Header.Get("Location"), twoStepPath)
		}
		if resp, _ := ts.get(t, twoStepPath); resp.StatusCode != http.StatusOK {
			t.Errorf("signed in through SSO, %s: status %d, want 200", twoStepPath, resp.StatusCode)
		}
		if !strings.Contains(ts.log.String(), "method=sso ") || strings.Contains(ts.log.String(), "method=sso_mfa") {
			t.Errorf("log lacks a sign-in with method sso (and no sso_mfa):\n%s", ts.log.String())
		}
		cb, _ := url.Parse(callback)
		for _, secret := range []string{cb.Query().Get("code"), cb.Query().Get("state"), q.Get("nonce"), ts.idp.ClientSecret} {
			if strings.Contains(ts.log.String(), secret) {
				t.Errorf("the log holds a secret of the flow (%q):\n%s", secret, ts.log.String())
			}
		}

		t.Run("the callback replayed is refused", func(t *testing.T) {
			ts.Client = ts.newClient(t)
			resp, body := ts.follow(t, callback)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, nlMsg(t, "sso.state.title")) {
				t.Errorf("replayed callback: status %d, want 403 with the expired-attempt page; body:\n%s", resp.StatusCode, body)
			}
			ts.assertSignedOut(t)
		})
	})

	t.Run("amr with a second factor signs in as sso_mfa", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		mfa := good
		mfa.amr = []string{"pwd", "mfa"}
		if resp, body := ts.signIn(t, mfa); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer" {
			t.Fatalf("callback: status %d to %q, want 303 to /beheer; body:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if !strings.Contains(ts.log.String(), "method=sso_mfa") {
			t.Errorf("log lacks a sign-in with method sso_mfa:\n%s", ts.log.String())
		}
		// The provider's second factor counts: the organiser area opens at once.
		if resp, _ := ts.get(t, "/beheer/sessies"); resp.StatusCode != http.StatusOK {
			t.Errorf("signed in through SSO with MFA, /beheer/sessies: status %d, want 200", resp.StatusCode)
		}
	})

	t.Run("an open invitation is accepted, never an admin's", func(t *testing.T) {
		admin := models.WithActor(ctx, models.Actor{Kind: models.ActorCLI, Name: "test"})
		for _, in := range []models.InvitationInput{{Email: "nina@gemeente.example", Role: models.RoleReviewer, Lang: "nl"},
			{Email: "ada@gemeente.example", Role: models.RoleAdmin, Lang: "nl"}} {
			if _, err := ts.Store.Invite(admin, in); err != nil {
				t.Fatal(err)
			}
		}
		ts.Client = ts.newClient(t)
		if resp, body := ts.signIn(t, ssoUser{email: "Nina@Gemeente.example", verified: true}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the invited reviewer: status %d; body:\n%s", resp.StatusCode, body)
		}
		u, err := ts.Store.UserByEmail(ctx, "nina@gemeente.example")
		if err != nil || u.Role != models.RoleReviewer {
			t.Fatalf("the invited reviewer's account: %+v, %v", u, err)
		}
		if open, err := ts.Store.OpenInvitations(ctx); err != nil || len(open) != 1 || open[0].Email != "ada@gemeente.example" {
			t.Errorf("open invitations after the sign-in: %+v (%v), want only the admin's", open, err)
		}
		ts.Client = ts.newClient(t)
		if resp, body := ts.signIn(t, ssoUser{email: "ada@gemeente.example", verified: true, amr: []string{"mfa"}}); resp.StatusCode != http.StatusForbidden ||
			!strings.Contains(body, nlMsg(t, "sso.no_account.title")) {
			t.Errorf("an invited admin through single sign-on: status %d, want 403", resp.StatusCode)
		}
		if _, err := ts.Store.UserByEmail(ctx, "ada@gemeente.example"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("single sign-on made an admin account: %v", err)
		}
	})

	refused := []struct {
		name   string
		user   ssoUser
		status int
		page   string
		// audited: the refusal is written to the account's audit trail.
		audited string
		// logged: the reason the log gives.
		logged string
	}{
		{"wrong audience", withClaims(good, func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"een-andere-app"} }),
			http.StatusUnauthorized, nlMsg(t, "sso.invalid.title"), "", "expected audience"},
		{"several audiences without azp", withClaims(good, func(c *mockoidc.IDTokenClaims) { c.Audience = append(c.Audience, "een-andere-app") }),
			http.StatusUnauthorized, nlMsg(t, "sso.invalid.title"), "", "azp"},
		{"expired token", withClaims(good, func(c *mockoidc.IDTokenClaims) {
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Hour))
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
		}), http.StatusUnauthorized, nlMsg(t, "sso.invalid.title"), "", "token is expired"},
		{"wrong issuer", withClaims(good, func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://login.elders.example" }),
			http.StatusUnauthorized, nlMsg(t, "sso.invalid.title"), "", "different provider"},
		{"nonce mismatch", withClaims(good, func(c *mockoidc.IDTokenClaims) { c.Nonce = "een-andere-nonce" }),
			http.StatusUnauthorized, nlMsg(t, "sso.invalid.title"), "nonce_mismatch", "nonce mismatch"},
		{"unverified e-mail", ssoUser{email: good.email, verified: false, amr: []string{"mfa"}},
			http.StatusForbidden, nlMsg(t, "sso.unverified.title"), "email_unverified", "not verified"},
		{"unknown e-mail", ssoUser{email: "onbekend@gemeente.example", verified: true},
			http.StatusForbidden, nlMsg(t, "sso.no_account.title"), "", "no active account"},
		{"deactivated account", ssoUser{email: "gert@gemeente.example", verified: true, amr: []string{"mfa"}},
			http.StatusForbidden, nlMsg(t, "sso.no_account.title"), "", "no active account"},
		{"no e-mail", ssoUser{email: "", verified: true},
			http.StatusForbidden, nlMsg(t, "sso.no_account.title"), "", "no active account"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			ts.Client = ts.newClient(t)
			before, err := ts.Store.AuditTrail(ctx, models.SubjectUser, organiser.ID)
			if err != nil {
				t.Fatal(err)
			}
			logged := len(ts.log.String())
			resp, body := ts.signIn(t, tc.user)
			noMissingMessages(t, body)
			if got := ts.log.String()[logged:]; !strings.Contains(got, "sso sign-in refused") || !strings.Contains(got, tc.logged) {
				t.Errorf("log says:\n%s\nwant a refusal naming %q", got, tc.logged)
			}
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.page) || !strings.Contains(body, `href="/beheer/inloggen"`) {
				t.Errorf("status %d, want %d with %q and a link back to signing in; body:\n%s", resp.StatusCode, tc.status, tc.page, body)
			}
			ts.assertSignedOut(t)
			after, err := ts.Store.AuditTrail(ctx, models.SubjectUser, organiser.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.audited == "" && len(after) != len(before):
				t.Errorf("audit trail of the account grew from %d to %d entries, want no entry", len(before), len(after))
			case tc.audited != "" && len(after) != len(before)+1:
				t.Errorf("audit trail of the account grew from %d to %d entries, want one entry", len(before), len(after))
			case tc.audited != "":
				e := after[0]
				if e.Action != models.ActionSignInFailed || e.ActorKind != models.ActorAnonymous || e.DetailMap()["reason"] != tc.audited || e.DetailMap()["method"] != "sso" {
					t.Errorf("audit entry %s by %s, details %v; want %s by %s with reason %s", e.Action, e.ActorKind, e.DetailMap(),
						models.ActionSignInFailed, models.ActorAnonymous, tc.audited)
				}
			}
		})
	}

	t.Run("code bound to another PKCE challenge", func(t *testing.T) {
		// A code obtained with someone else's challenge (an intercepted authorisation
		// request) cannot be redeemed with this browser's verifier.
		ts.Client = ts.newClient(t)
		authorize := ts.startFlow(t, "/beheer/inloggen/sso")
		q := authorize.Query()
		q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier()))
		authorize.RawQuery = q.Encode()
		logged := len(ts.log.String())
		resp, body := ts.follow(t, ts.atProvider(t, authorize, good))
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, nlMsg(t, "sso.invalid.title")) {
			t.Errorf("status %d, want 401 with the failed page; body:\n%s", resp.StatusCode, body)
		}
		if got := ts.log.String()[logged:]; !strings.Contains(got, "code exchange failed") {
			t.Errorf("log says:\n%s\nwant a failed code exchange", got)
		}
		ts.assertSignedOut(t)
	})

	t.Run("forged state", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		callback, _ := url.Parse(ts.atProvider(t, ts.startFlow(t, "/beheer/inloggen/sso"), good))
		q := callback.Query()
		q.Set("state", "vervalst")
		callback.RawQuery = q.Encode()
		if resp, body := ts.follow(t, callback.String()); resp.StatusCode != http.StatusForbidden {
			t.Errorf("forged state: status %d, want 403; body:\n%s", resp.StatusCode, body)
		}
		ts.assertSignedOut(t)
	})

	t.Run("callback in another browser", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		callback := ts.atProvider(t, ts.startFlow(t, "/beheer/inloggen/sso"), good)
		ts.Client = ts.newClient(t) // the attacker's browser, without the flow
		if resp, body := ts.follow(t, callback); resp.StatusCode != http.StatusForbidden {
			t.Errorf("callback without the flow: status %d, want 403; body:\n%s", resp.StatusCode, body)
		}
		ts.assertSignedOut(t)
	})

	t.Run("provider refuses", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		state := ts.startFlow(t, "/beheer/inloggen/sso").Query().Get("state")
		resp, body := ts.get(t, ssoCallbackPath+"?error=access_denied&state="+url.QueryEscape(state))
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, nlMsg(t, "sso.refused.body", "Name", "Rijksportaal")) {
			t.Errorf("provider's error: status %d, want 401 with the refused page; body:\n%s", resp.StatusCode, body)
		}
		ts.assertSignedOut(t)
	})

	t.Run("English", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		resp, body := ts.get(t, ssoCallbackPath+"?code=x&state=y", "Accept-Language", "en")
		noMissingMessages(t, body)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "This sign-in attempt has expired") {
			t.Errorf("status %d, want 403 with the English page; body:\n%s", resp.StatusCode, body)
		}
	})

	// Last: the subtests above started fewer sign-ins than the limiter's burst (20) from
	// this client address; this one uses the rest up.
	t.Run("starts are limited per client", func(t *testing.T) {
		ts.Client = ts.newClient(t)
		var last int
		var body string
		for range 40 {
			var resp *http.Response
			resp, body = ts.get(t, "/beheer/inloggen/sso", "Accept-Language", "en")
			if last = resp.StatusCode; last != http.StatusSeeOther {
				break
			}
		}
		noMissingMessages(t, body)
		if last != http.StatusTooManyRequests || !strings.Contains(body, "Too many sign-ins with Rijksportaal") {
			t.Errorf("after many starts: status %d, want 429 with the English page; body:\n%s", last, body)
		}
	})
}

// noMissingMessages fails the test when body shows a message key the catalogues lack.
func noMissingMessages(t *testing.T, body string) {
	t.Helper()
	if m := messageMarkerRE.FindString(body); m != "" {
		t.Errorf("page shows the missing message %s", m)
	}
}

func withClaims(u ssoUser, mutate func(*mockoidc.IDTokenClaims)) ssoUser {
	u.mutate = mutate
	return u
}

// TestSSONotConfigured: without DAGPLANNER_OIDC_* the routes do not exist for anyone and the
// sign-in page has no button.
func TestSSONotConfigured(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, path := range []string{"/beheer/inloggen/sso", ssoCallbackPath + "?code=x&state=y"} {
		if resp, body := ts.get(t, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404; body:\n%s", path, resp.StatusCode, body)
		}
	}
	if _, body := ts.get(t, "/beheer/inloggen"); strings.Contains(body, "/beheer/inloggen/sso") || strings.Contains(body, "login-sso") {
		t.Errorf("sign-in page without SSO shows an SSO button:\n%s", body)
	}
}

// TestSSOUnavailable: a provider that cannot be reached at start-up leaves the site working;
// the button says single sign-on is unavailable and starting one answers 503.
func TestSSOUnavailable(t *testing.T) {
	t.Parallel()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	issuer := idp.Issuer()
	idp.Shutdown() // nothing listens there any more
	client := sso.New(sso.Config{Issuer: issuer, ClientID: "dagplanner", ClientSecret: "geheim", Name: "Rijksportaal"})
	if err := client.Discover(context.Background()); err == nil {
		t.Fatal("discovery against a stopped provider succeeded")
	}
	store := newDemoStore(t)
	h, err := New(Config{Store: store, Logger: discardLogger(), SSO: client})
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, store, h)
	if resp, body := ts.get(t, "/beheer/inloggen"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(body, nlMsg(t, "sso.button_unavailable", "Name", "Rijksportaal")) || strings.Contains(body, `href="/beheer/inloggen/sso`) {
		t.Errorf("sign-in page: status %d, want 200 saying Rijksportaal is unavailable, without the link; body:\n%s", resp.StatusCode, body)
	}
	for _, lang := range []string{"nl", "en"} {
		resp, body := ts.get(t, "/beheer/inloggen/sso", "Accept-Language", lang)
		noMissingMessages(t, body)
		want := map[string]string{"nl": nlMsg(t, "sso.unavailable.title", "Name", "Rijksportaal"), "en": "Signing in with Rijksportaal is not possible right now"}[lang]
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, want) {
			t.Errorf("start (%s): status %d, want 503 saying %q; body:\n%s", lang, resp.StatusCode, want, body)
		}
	}
	if resp, body := ts.get(t, ssoCallbackPath+"?code=x&state=y"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("callback: status %d, want 503; body:\n%s", resp.StatusCode, body)
	}
}

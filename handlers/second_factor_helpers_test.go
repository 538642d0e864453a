package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

const secondStepURL = "/beheer/inloggen/tweede-stap"

// enrolTOTP gives u a TOTP second factor, as the command line would, and returns its secret.
func enrolTOTP(t *testing.T, store *models.Store, u models.User) string {
	t.Helper()
	key, err := models.NewTOTPKey("Test", u.Email)
	if err != nil {
		t.Fatal(err)
	}
	ctx := models.WithActor(context.Background(), models.Actor{Kind: models.ActorCLI, Name: "test"})
	if _, err := store.EnableTOTP(ctx, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), store.Now())); err != nil {
		t.Fatalf("enrol %s: %v", u.Email, err)
	}
	return key.Secret()
}

// nextTOTP is the code of the next time step: accepted (a clock a step ahead is allowed) and
// never the step enrolment or an earlier sign-in used.
func nextTOTP(t *testing.T, store *models.Store, secret string) string {
	t.Helper()
	return modelstest.TOTPStep(t, secret, store.Now().Unix()/30+1)
}

// signInAs signs ts.Client in as u the way the default policy asks: admins and organisers
// with their password and a code from their authenticator app (they are given one first),
// reviewers and door staff with their password (#16 2fa). It returns the last answer.
func (ts *testServer) signInAs(t *testing.T, u models.User) (*http.Response, string) {
	t.Helper()
	strong := u.Role == models.RoleAdmin || u.Role == models.RoleOrganiser
	var secret string
	if strong {
		secret = enrolTOTP(t, ts.Store, u)
	}
	resp, body := ts.postForm(t, "/beheer/inloggen", url.Values{"email": {u.Email}, "password": {testPassword}})
	if !strong {
		return resp, body
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != secondStepURL {
		t.Fatalf("log in as %s: status %d at %q, want 303 at %q; body:\n%s", u.Email, resp.StatusCode, resp.Header.Get("Location"), secondStepURL, body)
	}
	return ts.postForm(t, secondStepURL, url.Values{"code": {nextTOTP(t, ts.Store, secret)}})
}

// TestPasswordAloneAddsNoFactorBesideOne: a session that began with a password alone (a
// reviewer, whose role needs no second factor) may set one up while the account has none; once
// the account has one, that session can add neither an app nor a passkey beside it: the TOTP
// page sends it to the second step, the passkey registration answers 403.
func TestPasswordAloneAddsNoFactorBesideOne(t *testing.T) {
	t.Parallel()
	ts := passkeyServer(t)
	u := ts.loginAs(t, models.RoleReviewer, "")
	// With no factor yet, this session may begin registering a passkey.
	resp, body := ts.postJSON(t, "/beheer/account/passkeys/registratie/begin", `{"name":"Laptop"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a first passkey from a password session: %d %s", resp.StatusCode, body)
	}
	enrolTOTP(t, ts.Store, u) // in another browser, say, after a sign-in with both steps
	resp, body = ts.postJSON(t, "/beheer/account/passkeys/registratie/begin", `{"name":"Telefoon"}`)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "second_factor_required") {
		t.Errorf("a passkey beside the app from a password session: %d %s, want 403 second_factor_required", resp.StatusCode, body)
	}
	resp, _ = ts.postForm(t, "/beheer/account/tweestaps", url.Values{"code": {"123456"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != secondStepURL {
		t.Errorf("enrolling again from a password session: %d to %q, want 303 to the second step", resp.StatusCode, resp.Header.Get("Location"))
	}
}

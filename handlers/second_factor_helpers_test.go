package handlers

import (
	"context"
	"net/http"
	"net/url"
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

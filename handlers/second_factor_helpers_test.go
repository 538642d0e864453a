package handlers

import (
	"context"
	"testing"
	"time"

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
	if _, err := store.EnableTOTP(ctx, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), time.Now())); err != nil {
		t.Fatalf("enrol %s: %v", u.Email, err)
	}
	return key.Secret()
}

// nextTOTP is the code of the next time step: accepted (a clock a step ahead is allowed) and
// never the step enrolment or an earlier sign-in used.
func nextTOTP(t *testing.T, secret string) string {
	t.Helper()
	return modelstest.TOTPStep(t, secret, time.Now().Unix()/30+1)
}

package models_test

import (
	"errors"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestSetPassword(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := models.WithActor(ctx, models.Actor{Kind: models.ActorCLI}) // as the command line does
		must(s.CreateUser(ctx, models.UserInput{Email: "anna@example.nl", Password: "het oude wachtwoord", Role: models.RoleAdmin}))
		if err := s.SetPassword(ctx, " Anna@Example.NL ", "het nieuwe wachtwoord"); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		if _, err := s.Authenticate(ctx, "anna@example.nl", "het nieuwe wachtwoord"); err != nil {
			t.Errorf("Authenticate with the new password: %v, want the account", err)
		}
		if _, err := s.Authenticate(ctx, "anna@example.nl", "het oude wachtwoord"); !errors.Is(err, models.ErrInvalidCredentials) {
			t.Errorf("Authenticate with the old password: got %v, want ErrInvalidCredentials", err)
		}

		var verr *models.ValidationError
		if err := s.SetPassword(ctx, "anna@example.nl", "te kort"); !errors.As(err, &verr) || verr.Problems["password"].Key != "form.password_too_short" {
			t.Errorf("SetPassword with a short password: got %v, want a validation error on password", err)
		}
		if _, err := s.Authenticate(ctx, "anna@example.nl", "het nieuwe wachtwoord"); err != nil {
			t.Errorf("a refused SetPassword changed the password: %v", err)
		}
		if err := s.SetPassword(ctx, "niemand@example.nl", "een lang wachtwoord"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("SetPassword for an unknown address: got %v, want ErrNotFound", err)
		}
	})
}

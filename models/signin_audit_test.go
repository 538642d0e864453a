package models_test

import (
	"errors"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestUserByEmail(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		u := must(s.CreateUser(ctx, models.UserInput{Email: "bram@example.nl", Password: "een lang wachtwoord", Role: models.RoleReviewer}))
		got, err := s.UserByEmail(ctx, " Bram@Example.NL ")
		if err != nil || got.ID != u.ID {
			t.Errorf("UserByEmail(differently written) = %d, %v; want account %d", got.ID, err, u.ID)
		}
		if _, err := s.UserByEmail(ctx, "niemand@example.nl"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("UserByEmail(unknown) error = %v, want ErrNotFound", err)
		}
	})
}

func TestRecordSignInFailure(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		u := must(s.CreateUser(ctx, models.UserInput{Email: "cees@example.nl", Password: "een lang wachtwoord", Role: models.RoleOrganiser}))
		if err := s.RecordSignInFailure(noActor, u.ID, "sso", "email_unverified"); err == nil {
			t.Fatal("RecordSignInFailure without an actor succeeded, want an error")
		}
		if trail := must(s.AuditTrail(ctx, models.SubjectUser, u.ID)); len(trail) != 0 {
			t.Fatalf("a refused record wrote %d entries, want none", len(trail))
		}
		actx := models.WithActor(ctx, models.Actor{Kind: models.ActorAnonymous, Name: "192.0.2.7"})
		if err := s.RecordSignInFailure(actx, u.ID, "sso", "email_unverified"); err != nil {
			t.Fatalf("RecordSignInFailure: %v", err)
		}
		trail := must(s.AuditTrail(ctx, models.SubjectUser, u.ID))
		if len(trail) != 1 {
			t.Fatalf("audit trail has %d entries, want 1", len(trail))
		}
		e := trail[0]
		if e.Action != models.ActionSignInFailed || e.ActorKind != models.ActorAnonymous || e.ActorName != "192.0.2.7" || e.ActorID != nil {
			t.Errorf("entry = %s by %s %q (id %v), want %s by %s %q without id", e.Action, e.ActorKind, e.ActorName, e.ActorID,
				models.ActionSignInFailed, models.ActorAnonymous, "192.0.2.7")
		}
		if d := e.DetailMap(); d["method"] != "sso" || d["reason"] != "email_unverified" || len(d) != 2 {
			t.Errorf("details = %v, want method sso and reason email_unverified only", d)
		}
	})
}

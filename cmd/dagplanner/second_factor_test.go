package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestSecondFactorCommands runs "user 2fa-policy" and "user reset-2fa" on a database, and
// checks what they changed and wrote to the audit trail (#16 2fa).
func TestSecondFactorCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	ctx := context.Background()
	add := []string{"user", "add", "--db", db, "--email", "anna@example.nl", "--role", "admin", "--password-stdin"}
	if err := run(ctx, add, envMap(nil), strings.NewReader("het eerste wachtwoord\n"), &syncBuffer{}); err != nil {
		t.Fatalf("user add: %v", err)
	}
	var out syncBuffer
	if err := run(ctx, []string{"user", "2fa-policy", "--db", db, "--role", "organiser,reviewer", "--required=false"}, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("user 2fa-policy: %v\n%s", err, out.String())
	}
	if err := run(ctx, []string{"user", "2fa-policy", "--db", db, "--role", "baas"}, envMap(nil), strings.NewReader(""), &out); err == nil || !strings.Contains(err.Error(), "each role must be one of") {
		t.Errorf("user 2fa-policy --role baas: %v, want a refusal naming the roles", err)
	}

	store, err := models.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	policy, err := store.SecondFactorPolicy(ctx)
	if err != nil || !policy[models.RoleAdmin] || policy[models.RoleOrganiser] || policy[models.RoleReviewer] || policy[models.RoleDoor] {
		t.Errorf("policy after the command: %v (%v), want admin only", policy, err)
	}
	states, err := store.SecondFactorStates(ctx)
	if err != nil || len(states) != 1 {
		t.Fatalf("accounts: %v (%v)", states, err)
	}
	u := states[0].User
	key, err := models.NewTOTPKey("Test", u.Email)
	if err != nil {
		t.Fatal(err)
	}
	cli := models.WithActor(ctx, models.Actor{Kind: models.ActorCLI, Name: "test"})
	if _, err := store.EnableTOTP(cli, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), time.Now())); err != nil {
		t.Fatal(err)
	}
	out = syncBuffer{}
	if err := run(ctx, []string{"user", "reset-2fa", "--db", db, "--email", "Anna@Example.nl"}, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("user reset-2fa: %v", err)
	}
	if !strings.Contains(out.String(), "removed the second factor of anna@example.nl") {
		t.Errorf("user reset-2fa printed %q", out.String())
	}
	if has, err := store.HasSecondFactor(ctx, u.ID); err != nil || has {
		t.Errorf("after user reset-2fa: HasSecondFactor = %v, %v; want false", has, err)
	}
	trail, err := store.AuditTrail(ctx, models.SubjectUser, u.ID)
	if err != nil || len(trail) != 2 || trail[0].Action != "second_factor.reset" || trail[0].ActorKind != models.ActorCLI {
		t.Errorf("audit trail: %+v (%v), want the command line's reset on top", trail, err)
	}
	for _, tc := range []struct{ email, want string }{{"", "--email is required"}, {"bob@example.nl", "no account for bob@example.nl"}} {
		if err := run(ctx, []string{"user", "reset-2fa", "--db", db, "--email", tc.email}, envMap(nil), strings.NewReader(""), &syncBuffer{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("user reset-2fa --email %q: %v, want %q", tc.email, err, tc.want)
		}
	}
}

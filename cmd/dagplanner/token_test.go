package main

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// tokenLine is all that "token add" may print: the token and a line end, so that
// TOKEN=$(dagplanner token add …) works.
var tokenLine = regexp.MustCompile(`^dpd_[a-z2-7]{52}\n$`)

func TestTokenAddAndRevoke(t *testing.T) {
	ctx := modelstest.Ctx()
	db := filepath.Join(t.TempDir(), "doors.db")
	store, err := models.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, store, demo.Options{NoRegistrations: true}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	var out syncBuffer
	args := []string{"token", "add", "--db", db, "--role", "door", "--venue", "zwolle", "--name", "Ingang Oost"}
	if err := run(ctx, args, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("token add: %v", err)
	}
	if !tokenLine.MatchString(out.String()) {
		t.Fatalf("token add printed %q, want only the token on one line", out.String())
	}
	token := strings.TrimSpace(out.String())

	store, err = models.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	dev, err := store.DeviceTokenBySecret(ctx, token)
	if err != nil || dev.Name != "Ingang Oost" || dev.Venue.Slug != "zwolle" || dev.Role != models.RoleDoor {
		t.Fatalf("the printed token gives device %+v (%v), want Ingang Oost at zwolle", dev, err)
	}

	out = syncBuffer{}
	if err := run(ctx, []string{"token", "revoke", "--db", db, "--venue", "zwolle", "--name", "Ingang Oost"}, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("token revoke: %v", err)
	}
	if _, err := store.DeviceTokenBySecret(ctx, token); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("after revoke the token still works (%v)", err)
	}

	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"reviewer role", []string{"token", "add", "--db", db, "--role", "reviewer", "--venue", "zwolle", "--name", "X"}, "--role must be door or organiser"},
		{"organiser at unknown venue", []string{"token", "add", "--db", db, "--role", "organiser", "--venue", "atlantis", "--name", "X"}, "--venue names no venue"},
		{"no venue", []string{"token", "add", "--db", db, "--role", "door", "--name", "X"}, "--venue"},
		{"unknown venue", []string{"token", "add", "--db", db, "--role", "door", "--venue", "atlantis", "--name", "X"}, "--venue names no venue"},
		{"no name", []string{"token", "add", "--db", db, "--role", "door", "--venue", "zwolle"}, "--name is required"},
		{"revoke unknown", []string{"token", "revoke", "--db", db, "--venue", "zwolle", "--name", "Nergens"}, "no active token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out syncBuffer
			err := run(ctx, tc.args, envMap(nil), strings.NewReader(""), &out)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.wantErr)
			}
			if strings.Contains(out.String(), "dpd_") || strings.Contains(out.String(), "dpo_") {
				t.Errorf("a failed token add printed a token: %q", out.String())
			}
		})
	}
}

// An organiser's API token acts with its role and, with --venue, for that venue only; it
// is printed alone on its line and revoked by name.
func TestOrganiserTokenAddAndRevoke(t *testing.T) {
	ctx := modelstest.Ctx()
	db := filepath.Join(t.TempDir(), "tokens.db")
	store, err := models.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, store, demo.Options{NoRegistrations: true}); err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	organiserLine := regexp.MustCompile(`^dpo_[a-z2-7]{52}\n$`)
	add := func(args ...string) string {
		t.Helper()
		var out syncBuffer
		full := append([]string{"token", "add", "--db", db, "--role", "organiser"}, args...)
		if err := run(ctx, full, envMap(nil), strings.NewReader(""), &out); err != nil {
			t.Fatalf("token add %q: %v", args, err)
		}
		if !organiserLine.MatchString(out.String()) {
			t.Fatalf("token add printed %q, want only a dpo_ token on one line", out.String())
		}
		return strings.TrimSpace(out.String())
	}
	scoped, everywhere := add("--venue", "zwolle", "--name", "Intranet Zwolle"), add("--name", "Intranet")

	zwolle, err := store.VenueBySlug(ctx, "zwolle")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := store.APITokenBySecret(ctx, scoped)
	if err != nil || tok.Role != models.RoleOrganiser || tok.VenueID == nil || *tok.VenueID != zwolle.ID {
		t.Fatalf("the scoped token gives %+v (%v), want an organiser for zwolle", tok, err)
	}
	if u := tok.AsUser(); !u.CanManageVenue(zwolle.ID) || u.CanManageEvent() {
		t.Errorf("the scoped token's account %+v should manage zwolle only", u)
	}
	tok, err = store.APITokenBySecret(ctx, everywhere)
	if err != nil || tok.VenueID != nil || !tok.AsUser().CanManageEvent() {
		t.Fatalf("the unscoped token gives %+v (%v), want an organiser for every venue", tok, err)
	}
	if _, err := store.DeviceTokenBySecret(ctx, everywhere); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("an organiser's token opens the door API as a device (%v)", err)
	}

	var out syncBuffer
	if err := run(ctx, []string{"token", "revoke", "--db", db, "--name", "Intranet"}, envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("token revoke: %v", err)
	}
	if _, err := store.APITokenBySecret(ctx, everywhere); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("after revoke the token still works (%v)", err)
	}
	if _, err := store.APITokenBySecret(ctx, scoped); err != nil {
		t.Errorf("revoking %q also revoked another token: %v", "Intranet", err)
	}
}

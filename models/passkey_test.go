package models_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// passkeyUser makes an account and a context in which it acts.
func passkeyUser(t *testing.T, s *models.Store, email string) (models.User, models.Actor) {
	t.Helper()
	u := must(s.CreateUser(ctx, models.UserInput{Email: email, Password: "een lang wachtwoord", Role: models.RoleOrganiser}))
	return u, models.Actor{Kind: models.ActorUser, ID: u.ID, Name: u.Email}
}

func passkeyInput(userID uint, name string, id byte) models.PasskeyInput {
	return models.PasskeyInput{UserID: userID, Name: name, CredentialID: []byte{id, 1, 2, 3}, PublicKey: []byte{0xa5, id},
		SignCount: 1, UserVerified: true, BackupEligible: true, Transports: []string{"internal", "hybrid"}, AttestationFormat: "none"}
}

// trailActions lists the actions of the account's audit trail, oldest first.
func trailActions(t *testing.T, s *models.Store, userID uint) []string {
	t.Helper()
	var out []string
	trail := must(s.AuditTrail(ctx, "user", userID))
	for i := len(trail) - 1; i >= 0; i-- {
		out = append(out, trail[i].Action)
	}
	return out
}

func TestPasskeyHandle(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		anna, _ := passkeyUser(t, s, "anna@example.nl")
		bram, _ := passkeyUser(t, s, "bram@example.nl")
		h1 := must(s.PasskeyHandle(ctx, anna.ID))
		if len(h1) != 32 {
			t.Fatalf("handle has %d bytes, want 32", len(h1))
		}
		if h2 := must(s.PasskeyHandle(ctx, anna.ID)); !bytes.Equal(h1, h2) {
			t.Errorf("the handle changed between calls: %x, then %x", h1, h2)
		}
		hb := must(s.PasskeyHandle(ctx, bram.ID))
		if bytes.Equal(h1, hb) {
			t.Error("two accounts got the same handle")
		}
		if got := must(s.PasskeyOwner(ctx, hb)); got != bram.ID {
			t.Errorf("PasskeyOwner(bram's handle) = %d, want %d", got, bram.ID)
		}
		if _, err := s.PasskeyOwner(ctx, []byte("unknown")); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("PasskeyOwner(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestPasskeyAddListRemove(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		anna, a := passkeyUser(t, s, "anna@example.nl")
		bram, b := passkeyUser(t, s, "bram@example.nl")
		actx, bctx := models.WithActor(ctx, a), models.WithActor(ctx, b)

		if has := must(s.HasPasskey(ctx, anna.ID)); has {
			t.Error("HasPasskey before any was added = true")
		}
		laptop := must(s.AddPasskey(actx, passkeyInput(anna.ID, "  Laptop ", 1)))
		if laptop.Name != "Laptop" || laptop.SignCount != 1 || laptop.Transports != "internal,hybrid" {
			t.Errorf("stored passkey = %+v, want the name trimmed, counter 1 and the transports", laptop)
		}
		must(s.AddPasskey(actx, passkeyInput(anna.ID, "Telefoon", 2)))
		must(s.AddPasskey(bctx, passkeyInput(bram.ID, "Sleutel", 3)))
		if has := must(s.HasPasskey(ctx, anna.ID)); !has {
			t.Error("HasPasskey after adding = false")
		}

		// The same credential twice is a conflict and writes no entry.
		if _, err := s.AddPasskey(bctx, passkeyInput(bram.ID, "Nog eens", 3)); !errors.Is(err, models.ErrConflict) {
			t.Errorf("adding a stored credential again: %v, want ErrConflict", err)
		}
		// A name is required and short; a bad input writes nothing.
		var verr *models.ValidationError
		if _, err := s.AddPasskey(actx, passkeyInput(anna.ID, "   ", 4)); !errors.As(err, &verr) || verr.Problems["name"].Key != "form.required" {
			t.Errorf("adding without a name: %v, want a validation error on name", err)
		}
		long := string(bytes.Repeat([]byte("é"), 101))
		if _, err := s.AddPasskey(actx, passkeyInput(anna.ID, long, 5)); !errors.As(err, &verr) || verr.Problems["name"].Key != "form.too_long" {
			t.Errorf("adding with a 101-character name: %v, want form.too_long", err)
		}
		// Without an actor nothing is stored: the trail could not say who did it.
		if _, err := s.AddPasskey(noActor, passkeyInput(anna.ID, "Anoniem", 6)); err == nil {
			t.Error("adding without an actor succeeded")
		}
		if _, err := s.PasskeyByCredential(ctx, []byte{6, 1, 2, 3}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a refused AddPasskey stored the passkey: %v", err)
		}

		list := must(s.Passkeys(ctx, anna.ID))
		if len(list) != 2 || list[0].Name != "Laptop" || list[1].Name != "Telefoon" {
			t.Fatalf("anna's passkeys = %+v, want Laptop and Telefoon", list)
		}

		// Bram cannot remove Anna's passkey.
		if _, err := s.RemovePasskey(bctx, bram.ID, laptop.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("removing another account's passkey: %v, want ErrNotFound", err)
		}
		removed := must(s.RemovePasskey(actx, anna.ID, laptop.ID))
		if removed.RemovedAt == nil || removed.Name != "Laptop" {
			t.Errorf("removed passkey = %+v, want RemovedAt set", removed)
		}
		if _, err := s.RemovePasskey(actx, anna.ID, laptop.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("removing it twice: %v, want ErrNotFound", err)
		}
		if list := must(s.Passkeys(ctx, anna.ID)); len(list) != 1 || list[0].Name != "Telefoon" {
			t.Errorf("after removing: %+v, want only Telefoon", list)
		}
		// A removed passkey is still found by its credential, so sign-in can say why it fails.
		if p := must(s.PasskeyByCredential(ctx, laptop.CredentialID)); p.RemovedAt == nil {
			t.Error("PasskeyByCredential of a removed passkey has no RemovedAt")
		}

		want := []string{models.AuditPasskeyAdded, models.AuditPasskeyAdded, models.AuditPasskeyRemoved}
		if got := trailActions(t, s, anna.ID); !slices.Equal(got, want) {
			t.Errorf("anna's trail = %v, want %v", got, want)
		}
		trail := must(s.AuditTrail(ctx, "user", anna.ID))
		if d := trail[0].DetailMap(); d["name"] != "Laptop" || trail[0].ActorID == nil || *trail[0].ActorID != anna.ID {
			t.Errorf("removal entry = %+v (details %v), want anna as actor and the name", trail[0], d)
		}
		if got := trailActions(t, s, bram.ID); len(got) != 1 {
			t.Errorf("bram's trail = %v, want one entry (the refused duplicate wrote none)", got)
		}
	})
}

func TestUsePasskey(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		anna, a := passkeyUser(t, s, "anna@example.nl")
		actx := models.WithActor(ctx, a)
		p := must(s.AddPasskey(actx, passkeyInput(anna.ID, "Laptop", 1)))

		if err := s.UsePasskey(actx, p, models.PasskeyUse{SignCount: 1, NewCount: 5, BackupState: true, Step: "passkey", Address: "192.0.2.1"}); err != nil {
			t.Fatalf("UsePasskey: %v", err)
		}
		got := must(s.PasskeyByCredential(ctx, p.CredentialID))
		if got.SignCount != 5 || got.LastUsedAt == nil || !got.BackupState {
			t.Errorf("after use: %+v, want counter 5, last used set, backup state", got)
		}
		// The same counter again (a signature used twice at once) is a conflict, and no entry.
		if err := s.UsePasskey(actx, p, models.PasskeyUse{SignCount: 1, NewCount: 5}); !errors.Is(err, models.ErrConflict) {
			t.Errorf("using it with the old counter: %v, want ErrConflict", err)
		}
		must(s.RemovePasskey(actx, anna.ID, p.ID))
		if err := s.UsePasskey(actx, got, models.PasskeyUse{SignCount: 5, NewCount: 6}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("using a removed passkey: %v, want ErrNotFound", err)
		}
		if err := s.RecordPasskeyFailure(ctx, models.PasskeyFailure{UserID: anna.ID, PasskeyID: p.ID, Reason: "removed", Step: "passkey", Address: "192.0.2.1"}); err != nil {
			t.Fatalf("RecordPasskeyFailure: %v", err)
		}
		want := []string{models.AuditPasskeyAdded, models.AuditPasskeySignIn, models.AuditPasskeyRemoved, models.AuditPasskeySignInFailed}
		if got := trailActions(t, s, anna.ID); !slices.Equal(got, want) {
			t.Errorf("trail = %v, want %v", got, want)
		}
		trail := must(s.AuditTrail(ctx, "user", anna.ID))
		failed := trail[0]
		if failed.ActorKind != "anonymous" || failed.ActorID != nil || failed.DetailMap()["reason"] != "removed" {
			t.Errorf("failure entry = %+v, want an anonymous actor and the reason", failed)
		}
		if d := trail[2].DetailMap(); d["step"] != "passkey" || d["address"] != "192.0.2.1" {
			t.Errorf("sign-in entry details = %v, want step and address", d)
		}
		// A failure with an unknown credential has no account.
		must(0, s.RecordPasskeyFailure(ctx, models.PasskeyFailure{Reason: "unknown", Step: "passkey"}))
		if got := must(s.AuditTrail(ctx, "user", 0)); len(got) != 1 || got[0].Action != models.AuditPasskeySignInFailed {
			t.Errorf("trail of unknown credentials = %+v, want one failure", got)
		}
	})
}

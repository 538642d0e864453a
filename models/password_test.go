package models_test

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"gorm.io/gorm"
)

func TestBreachedPasswords(t *testing.T) {
	t.Parallel()
	if n := models.BreachedListSize(); n < 90000 {
		t.Fatalf("BreachedListSize() = %d, want about 100,000", n)
	}
	for _, pw := range []string{"123456", "password", "qwertyqwerty", "QwertyQwerty", "1QAZ2WSX3EDC", "leavemealone"} {
		if !models.IsBreached(pw) {
			t.Errorf("IsBreached(%q) = false, want true", pw)
		}
	}
	for _, pw := range []string{rand.Text(), "een lang wachtwoord", "correct horse battery staple"} {
		if models.IsBreached(pw) {
			t.Errorf("IsBreached(%q) = true, want false", pw)
		}
	}
	cases := []struct {
		password, problem string
	}{
		{"qwertyqwerty", "form.password_breached"},
		{"LeaveMeAlone", "form.password_breached"},
		{"elf tekens!", "form.password_too_short"}, // 11 characters
		{"ëlf tékens!", "form.password_too_short"}, // 11 characters, 13 bytes
		{"twaalf tekns", ""},
		{strings.Repeat("x", 1001), "form.too_long"},
		{rand.Text(), ""},
	}
	for _, tc := range cases {
		in := models.UserInput{Email: "anna@example.nl", Password: tc.password, Role: models.RoleAdmin}
		if got := in.Validate()["password"].Key; got != tc.problem {
			t.Errorf("Validate() with password %q: problem %q, want %q", tc.password, got, tc.problem)
		}
	}
}

// userAuditCount counts the audit entries with action about user id.
func userAuditCount(t *testing.T, s *models.Store, action string, id uint) int {
	t.Helper()
	var n int64
	if err := s.DB().Model(&models.AuditEntry{}).Where("action = ? AND subject_kind = ? AND subject_id = ?", action, models.SubjectUser, id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// frozenClock puts the store's clock at a fixed moment that the test moves.
func frozenClock(s *models.Store) *time.Time {
	now := time.Date(2027, time.January, 20, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	return &now
}

func TestSignIns(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		t.Parallel()
		now := frozenClock(s)
		anna := must(s.CreateUser(ctx, models.UserInput{Email: "anna@example.nl", Password: "een lang wachtwoord", Role: models.RoleAdmin}))
		a1 := must(s.StartSignIn(ctx, anna, models.SignInInput{Method: "password", UserAgent: "Firefox", Address: "192.0.2.1"}))
		a2 := must(s.StartSignIn(ctx, anna, models.SignInInput{Method: "reset", UserAgent: "Chrome", Address: "192.0.2.2"}))
		a3 := must(s.StartSignIn(ctx, anna, models.SignInInput{Method: "password", UserAgent: "Safari", Address: "192.0.2.3"}))
		if got := userAuditCount(t, s, models.AuditSignIn, anna.ID); got != 3 {
			t.Errorf("sign-in audit entries = %d, want 3", got)
		}
		if got := len(must(s.SignInsOf(ctx, anna.ID, time.Hour))); got != 3 {
			t.Errorf("SignInsOf = %d sign-ins, want 3", got)
		}

		// Last seen moves at most once a minute.
		*now = now.Add(30 * time.Second)
		if si := must(s.ActiveSignIn(ctx, anna.ID, a1.ID, time.Hour)); !si.LastSeenAt.Equal(a1.LastSeenAt) {
			t.Errorf("after 30s LastSeenAt = %v, want unchanged %v", si.LastSeenAt, a1.LastSeenAt)
		}
		*now = now.Add(40 * time.Second)
		if si := must(s.ActiveSignIn(ctx, anna.ID, a1.ID, time.Hour)); !si.LastSeenAt.Equal(*now) {
			t.Errorf("after 70s LastSeenAt = %v, want %v", si.LastSeenAt, *now)
		}
		// Another account's sign-in is not found.
		if _, err := s.ActiveSignIn(ctx, anna.ID+1000, a1.ID, time.Hour); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ActiveSignIn of another account: %v, want ErrNotFound", err)
		}

		// Idle: a2 and a3 were last seen 70s ago; with an idle time of one minute they are gone.
		if _, err := s.ActiveSignIn(ctx, anna.ID, a2.ID, time.Minute); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("idle ActiveSignIn: %v, want ErrNotFound", err)
		}
		if got := len(must(s.SignInsOf(ctx, anna.ID, time.Minute))); got != 1 {
			t.Errorf("SignInsOf with idle 1m = %d, want 1 (the one just seen)", got)
		}

		actx := models.WithActor(ctx, models.Actor{Kind: models.ActorUser, ID: anna.ID, Name: anna.Email})
		if err := s.EndSignIn(actx, anna.ID, a2.ID, models.SignInEnded); err != nil {
			t.Fatalf("EndSignIn: %v", err)
		}
		if err := s.EndSignIn(actx, anna.ID, a2.ID, models.SignInEnded); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("EndSignIn twice: %v, want ErrNotFound", err)
		}
		if _, err := s.ActiveSignIn(ctx, anna.ID, a2.ID, time.Hour); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ActiveSignIn of an ended sign-in: %v, want ErrNotFound", err)
		}
		if got := userAuditCount(t, s, models.AuditSignInEnded, anna.ID); got != 1 {
			t.Errorf("sign-in ended audit entries = %d, want 1", got)
		}

		// EndSignInsOf keeps the one named.
		if err := s.EndSignInsOf(actx, anna.ID, a3.ID); err != nil {
			t.Fatalf("EndSignInsOf: %v", err)
		}
		left := must(s.SignInsOf(ctx, anna.ID, time.Hour))
		if len(left) != 1 || left[0].ID != a3.ID {
			t.Errorf("after EndSignInsOf(except a3) left %+v, want only a3", left)
		}
		if got := userAuditCount(t, s, models.AuditSignInEnded, anna.ID); got != 2 {
			t.Errorf("sign-in ended audit entries = %d, want 2 (one more, for a1)", got)
		}
		if err := s.EndSignInsOf(actx, anna.ID, 0); err != nil {
			t.Fatalf("EndSignInsOf(0): %v", err)
		}
		if got := len(must(s.SignInsOf(ctx, anna.ID, time.Hour))); got != 0 {
			t.Errorf("after EndSignInsOf(0) %d sign-ins left, want 0", got)
		}
		// Without an actor nothing is ended: the trail must say who did it.
		a4 := must(s.StartSignIn(ctx, anna, models.SignInInput{Method: "password"}))
		if err := s.EndSignInsOf(noActor, anna.ID, 0); err == nil {
			t.Errorf("EndSignInsOf without an actor succeeded")
		}
		if _, err := s.ActiveSignIn(ctx, anna.ID, a4.ID, time.Hour); err != nil {
			t.Errorf("a refused EndSignInsOf ended a sign-in: %v", err)
		}
		// However busy, a sign-in ends after SignInLifetime.
		started := *now
		for now.Add(59 * time.Minute).Before(started.Add(models.SignInLifetime)) {
			*now = now.Add(59 * time.Minute)
			if _, err := s.ActiveSignIn(ctx, anna.ID, a4.ID, time.Hour); err != nil {
				t.Fatalf("ActiveSignIn %v after signing in, in use all along: %v", now.Sub(started), err)
			}
		}
		*now = started.Add(models.SignInLifetime)
		if _, err := s.ActiveSignIn(ctx, anna.ID, a4.ID, time.Hour); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ActiveSignIn after %v: %v, want ErrNotFound", models.SignInLifetime, err)
		}
		if got := len(must(s.SignInsOf(ctx, anna.ID, time.Hour))); got != 0 {
			t.Errorf("SignInsOf after the lifetime = %d, want 0", got)
		}
	})
}

func TestFailedSignInsAudited(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		t.Parallel()
		anna := must(s.CreateUser(ctx, models.UserInput{Email: "anna@example.nl", Password: "een lang wachtwoord", Role: models.RoleAdmin}))
		if _, err := s.Authenticate(ctx, "anna@example.nl", "verkeerd wachtwoord"); !errors.Is(err, models.ErrInvalidCredentials) {
			t.Fatalf("Authenticate with a wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "onbekend@example.nl", "een lang wachtwoord"); !errors.Is(err, models.ErrInvalidCredentials) {
			t.Fatalf("Authenticate with an unknown address: %v", err)
		}
		if got := userAuditCount(t, s, models.AuditSignInFailed, anna.ID); got != 1 {
			t.Errorf("failed sign-ins of anna = %d, want 1", got)
		}
		if got := userAuditCount(t, s, models.AuditSignInFailed, 0); got != 1 {
			t.Errorf("failed sign-ins of no account = %d, want 1", got)
		}
		var entries []models.AuditEntry
		must(0, s.DB().Where("action = ?", models.AuditSignInFailed).Find(&entries).Error)
		for _, e := range entries {
			if strings.Contains(e.Details+e.ActorName, "onbekend") || strings.Contains(e.Details, "wachtwoord") {
				t.Errorf("audit entry keeps what was typed: %+v", e)
			}
			if e.ActorKind != models.ActorAnonymous {
				t.Errorf("failed sign-in actor = %q, want %q", e.ActorKind, models.ActorAnonymous)
			}
		}
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		t.Parallel()
		anna := must(s.CreateUser(ctx, models.UserInput{Email: "anna@example.nl", Password: "het oude wachtwoord", Role: models.RoleOrganiser}))
		here := must(s.StartSignIn(ctx, anna, models.SignInInput{Method: "password"}))
		there := must(s.StartSignIn(ctx, anna, models.SignInInput{Method: "password"}))
		var verr *models.ValidationError
		if err := s.ChangePassword(ctx, anna.ID, "niet het wachtwoord", "het nieuwe wachtwoord", here.ID); !errors.As(err, &verr) || verr.Problems["current"].Key == "" {
			t.Fatalf("ChangePassword with a wrong current password: %v, want a problem on current", err)
		}
		if err := s.ChangePassword(ctx, anna.ID, "het oude wachtwoord", "qwertyqwerty", here.ID); !errors.As(err, &verr) || verr.Problems["password"].Key != "form.password_breached" {
			t.Fatalf("ChangePassword to a breached password: %v, want form.password_breached", err)
		}
		if got := userAuditCount(t, s, models.AuditPasswordChanged, anna.ID); got != 0 {
			t.Errorf("refused changes wrote %d audit entries, want 0", got)
		}
		if err := s.ChangePassword(ctx, anna.ID, "het oude wachtwoord", "het nieuwe wachtwoord", here.ID); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if _, err := s.Authenticate(ctx, "anna@example.nl", "het nieuwe wachtwoord"); err != nil {
			t.Errorf("Authenticate with the new password: %v", err)
		}
		if _, err := s.ActiveSignIn(ctx, anna.ID, here.ID, time.Hour); err != nil {
			t.Errorf("the browser that changed the password was signed out: %v", err)
		}
		if _, err := s.ActiveSignIn(ctx, anna.ID, there.ID, time.Hour); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another browser is still signed in: %v", err)
		}
		if got := userAuditCount(t, s, models.AuditPasswordChanged, anna.ID); got != 1 {
			t.Errorf("password changed audit entries = %d, want 1", got)
		}
		assertNoSecrets(t, s, "het nieuwe wachtwoord", "het oude wachtwoord")
	})
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		t.Parallel()
		now := frozenClock(s)
		anna := must(s.CreateUser(ctx, models.UserInput{Email: "anna@example.nl", Password: "het oude wachtwoord", Role: models.RoleAdmin}))
		signedIn := must(s.StartSignIn(ctx, anna, models.SignInInput{Method: "password"}))

		// A known address gets one e-mail, an unknown none.
		must(0, s.RequestPasswordReset(ctx, " Anna@Example.nl ", "en"))
		must(0, s.RequestPasswordReset(ctx, "niemand@example.nl", "nl"))
		var mails []models.OutboxMessage
		must(0, s.DB().Where("kind = ?", models.MailPasswordReset).Find(&mails).Error)
		if len(mails) != 1 || mails[0].Recipient != "anna@example.nl" || mails[0].Lang != "en" {
			t.Fatalf("reset e-mails %+v, want one to anna@example.nl in English", mails)
		}

		token := must(s.NewPasswordResetToken(ctx, anna.ID))
		// Only the hash is stored.
		var rows []models.PasswordResetToken
		must(0, s.DB().Find(&rows).Error)
		if len(rows) != 1 || rows[0].Hash == token || strings.Contains(rows[0].Hash, token) || len(rows[0].Hash) != 64 {
			t.Fatalf("stored tokens %+v, want one SHA-256 that is not the token", rows)
		}
		if got := must(s.PasswordResetAccount(ctx, token)); got.ID != anna.ID {
			t.Errorf("PasswordResetAccount = user %d, want %d", got.ID, anna.ID)
		}

		var verr *models.ValidationError
		if _, err := s.ResetPassword(ctx, token, "te kort"); !errors.As(err, &verr) {
			t.Errorf("ResetPassword with a short password: %v, want a validation error", err)
		}
		u, err := s.ResetPassword(ctx, token, "het nieuwe wachtwoord")
		if err != nil || u.ID != anna.ID {
			t.Fatalf("ResetPassword = %d, %v; want anna", u.ID, err)
		}
		if _, err := s.Authenticate(ctx, "anna@example.nl", "het nieuwe wachtwoord"); err != nil {
			t.Errorf("Authenticate with the new password: %v", err)
		}
		if _, err := s.ActiveSignIn(ctx, anna.ID, signedIn.ID, time.Hour); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the sign-in from before the reset is still active: %v", err)
		}
		// Single use.
		if _, err := s.ResetPassword(ctx, token, "nog een ander wachtwoord"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ResetPassword with a used link: %v, want ErrNotFound", err)
		}
		if _, err := s.PasswordResetAccount(ctx, token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("PasswordResetAccount with a used link: %v, want ErrNotFound", err)
		}
		if got := userAuditCount(t, s, models.AuditPasswordReset, anna.ID); got != 1 {
			t.Errorf("password reset audit entries = %d, want 1", got)
		}

		// Expiry after one hour, by the store's clock.
		late := must(s.NewPasswordResetToken(ctx, anna.ID))
		*now = now.Add(models.PasswordResetTTL - time.Second)
		must(s.PasswordResetAccount(ctx, late))
		*now = now.Add(time.Second)
		if _, err := s.PasswordResetAccount(ctx, late); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("PasswordResetAccount after an hour: %v, want ErrNotFound", err)
		}
		if _, err := s.ResetPassword(ctx, late, "nog een ander wachtwoord"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ResetPassword after an hour: %v, want ErrNotFound", err)
		}
		must(0, s.DeleteExpiredPasswordResets(ctx))
		var left int64
		must(0, s.DB().Model(&models.PasswordResetToken{}).Count(&left).Error)
		if left != 0 {
			t.Errorf("%d reset tokens left after DeleteExpiredPasswordResets, want 0", left)
		}
		if _, err := s.ResetPassword(ctx, "not-a-token", "nog een ander wachtwoord"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ResetPassword with a malformed token: %v, want ErrNotFound", err)
		}
		assertNoSecrets(t, s, token, late, "het nieuwe wachtwoord")
	})
}

// assertNoSecrets fails when an audit entry holds any of secrets.
func assertNoSecrets(t *testing.T, s *models.Store, secrets ...string) {
	t.Helper()
	var entries []models.AuditEntry
	must(0, s.DB().Session(&gorm.Session{}).Find(&entries).Error)
	for _, e := range entries {
		for _, secret := range secrets {
			if strings.Contains(e.Details+e.Reason+e.ActorName, secret) {
				t.Errorf("audit entry %d (%s) holds a secret", e.ID, e.Action)
			}
		}
	}
}

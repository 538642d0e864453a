package models_test

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// Tests of the TOTP second factor (#16 2fa): codes computed by hand (RFC 6238) and by
// Debian's oathtool, replays, recovery codes, the policy, resets and their audit entries.

var cliActor = models.Actor{Kind: models.ActorCLI, Name: "test"}

// oathtool computes the TOTP code of a base32 secret at a moment with Debian's oathtool.
func oathtool(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	out, err := exec.Command("oathtool", "--totp", "-b", "--now", at.UTC().Format("2006-01-02 15:04:05 UTC"), secret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v (install Debian's oathtool; scripts/test does)", err)
	}
	return strings.TrimSpace(string(out))
}

// newEnrolment makes an account and a TOTP key for it.
func newEnrolment(t *testing.T, s *models.Store, email, role string) (models.User, *otp.Key) {
	t.Helper()
	u := must(s.CreateUser(ctx, models.UserInput{Email: email, Password: "een lang wachtwoord", Role: role}))
	key, err := models.NewTOTPKey("Dagplanner Test", email)
	if err != nil {
		t.Fatal(err)
	}
	return u, key
}

func TestTOTPCodesMatchRFC6238AndOathtool(t *testing.T) {
	t.Parallel()
	// RFC 6238 appendix B's SHA-1 vectors are eight digits of the key "12345678901234567890";
	// the six-digit codes are their last six digits.
	const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for _, tc := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		at := time.Unix(tc.unix, 0)
		if got := modelstest.TOTP(t, rfcSecret, at); got != tc.want {
			t.Errorf("hand-made TOTP at %d = %s, want %s (RFC 6238)", tc.unix, got, tc.want)
		}
		if got := oathtool(t, rfcSecret, at); got != tc.want {
			t.Errorf("oathtool at %d = %s, want %s (RFC 6238)", tc.unix, got, tc.want)
		}
	}
	key, err := models.NewTOTPKey("Dagplanner Test", "anna@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if key.Issuer() != "Dagplanner Test" || key.AccountName() != "anna@example.nl" || !strings.HasPrefix(key.URL(), "otpauth://totp/") {
		t.Errorf("key URL %q: want otpauth://totp/ with issuer and account", key.URL())
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	if a, b := modelstest.TOTP(t, key.Secret(), at), oathtool(t, key.Secret(), at); a != b {
		t.Errorf("for a generated key: hand-made code %s, oathtool %s", a, b)
	}
}

func TestTOTPEnrolVerifyAndReplay(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		now := time.Date(2026, 12, 7, 9, 0, 10, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		actx := models.WithActor(ctx, cliActor)
		u, key := newEnrolment(t, s, "anna@example.nl", models.RoleOrganiser)
		if has := must(s.HasSecondFactor(ctx, u.ID)); has {
			t.Fatalf("HasSecondFactor before enrolment = true")
		}
		wrong := fmt.Sprintf("%06d", (must(atoi(oathtool(t, key.Secret(), now)))+1)%1_000_000)
		if _, err := s.EnableTOTP(actx, u.ID, key.Secret(), wrong); !errors.Is(err, models.ErrWrongCode) {
			t.Fatalf("EnableTOTP with a wrong code: %v, want ErrWrongCode", err)
		}
		codes, err := s.EnableTOTP(actx, u.ID, key.Secret(), oathtool(t, key.Secret(), now))
		if err != nil {
			t.Fatalf("EnableTOTP: %v", err)
		}
		if len(codes) != models.RecoveryCodeCount {
			t.Errorf("recovery codes: got %d, want %d", len(codes), models.RecoveryCodeCount)
		}
		if !must(s.HasSecondFactor(ctx, u.ID)) {
			t.Errorf("HasSecondFactor after enrolment = false")
		}
		if _, err := s.EnableTOTP(actx, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), now)); !errors.Is(err, models.ErrConflict) {
			t.Errorf("a second enrolment: %v, want ErrConflict", err)
		}

		// The code used for enrolment cannot sign in; the next step's code can, once.
		if err := s.VerifyTOTP(ctx, u.ID, modelstest.TOTP(t, key.Secret(), now)); !errors.Is(err, models.ErrCodeUsed) {
			t.Errorf("VerifyTOTP with the enrolment's code: %v, want ErrCodeUsed", err)
		}
		now = now.Add(30 * time.Second)
		code := modelstest.TOTP(t, key.Secret(), now)
		if err := s.VerifyTOTP(ctx, u.ID, code); err != nil {
			t.Fatalf("VerifyTOTP with the current code: %v", err)
		}
		if err := s.VerifyTOTP(ctx, u.ID, code); !errors.Is(err, models.ErrCodeUsed) {
			t.Errorf("VerifyTOTP replayed: %v, want ErrCodeUsed", err)
		}
		// An earlier step's code, though within the skew, is older than the last used one.
		if err := s.VerifyTOTP(ctx, u.ID, modelstest.TOTP(t, key.Secret(), now.Add(-30*time.Second))); !errors.Is(err, models.ErrCodeUsed) {
			t.Errorf("VerifyTOTP with the previous step's code: %v, want ErrCodeUsed", err)
		}
		// Far outside the window, and not six digits: wrong.
		for _, c := range []string{modelstest.TOTP(t, key.Secret(), now.Add(5*time.Minute)), "12345", "abcdef", ""} {
			if err := s.VerifyTOTP(ctx, u.ID, c); !errors.Is(err, models.ErrWrongCode) {
				t.Errorf("VerifyTOTP(%q): %v, want ErrWrongCode", c, err)
			}
		}

		// Two sign-ins racing with the same fresh code: exactly one passes.
		now = now.Add(30 * time.Second)
		code = oathtool(t, key.Secret(), now)
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Add(1)
			go func() { defer wg.Done(); results[i] = s.VerifyTOTP(ctx, u.ID, code) }()
		}
		wg.Wait()
		passed := 0
		for _, err := range results {
			switch {
			case err == nil:
				passed++
			case !errors.Is(err, models.ErrCodeUsed):
				t.Errorf("racing VerifyTOTP: %v, want nil or ErrCodeUsed", err)
			}
		}
		if passed != 1 {
			t.Errorf("racing sign-ins with one code: %d passed, want 1", passed)
		}
	})
}

func atoi(s string) (int, error) {
	var n int
	_, err := fmt.Sscanf(s, "%d", &n)
	return n, err
}

func TestSecretsAndRecoveryCodesAreNotStoredInTheClear(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		actx := models.WithActor(ctx, cliActor)
		u, key := newEnrolment(t, s, "bert@example.nl", models.RoleAdmin)
		codes := must(s.EnableTOTP(actx, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), time.Now())))
		db := s.DB()
		var secrets [][]byte
		if err := db.Table("second_factors").Pluck("secret", &secrets).Error; err != nil {
			t.Fatal(err)
		}
		if len(secrets) != 1 {
			t.Fatalf("second_factors rows: %d, want 1", len(secrets))
		}
		if strings.Contains(string(secrets[0]), key.Secret()) || strings.Contains(strings.ToUpper(string(secrets[0])), key.Secret()) {
			t.Errorf("the stored secret contains the TOTP secret in the clear")
		}
		var hashes []string
		if err := db.Table("recovery_codes").Where("user_id = ?", u.ID).Pluck("hash", &hashes).Error; err != nil {
			t.Fatal(err)
		}
		if len(hashes) != models.RecoveryCodeCount {
			t.Fatalf("recovery code rows: %d, want %d", len(hashes), models.RecoveryCodeCount)
		}
		for _, h := range hashes {
			for _, c := range codes {
				if strings.Contains(h, c) || strings.Contains(h, strings.ReplaceAll(c, "-", "")) {
					t.Errorf("recovery code %q stored in the clear", c)
				}
			}
		}
		var audit []models.AuditEntry
		if err := db.Where("subject_kind = ? AND subject_id = ?", models.SubjectUser, u.ID).Find(&audit).Error; err != nil {
			t.Fatal(err)
		}
		if len(audit) != 1 || audit[0].Action != "second_factor.enabled" {
			t.Fatalf("audit entries after enrolment: %+v, want one second_factor.enabled", audit)
		}
		for _, c := range codes {
			if strings.Contains(audit[0].Details, c) || strings.Contains(audit[0].Details, key.Secret()) {
				t.Errorf("the audit entry holds a secret: %s", audit[0].Details)
			}
		}
	})
}

func TestRecoveryCodesAreSingleUse(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		actx := models.WithActor(ctx, cliActor)
		u, key := newEnrolment(t, s, "carla@example.nl", models.RoleOrganiser)
		other, otherKey := newEnrolment(t, s, "dirk@example.nl", models.RoleOrganiser)
		codes := must(s.EnableTOTP(actx, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), time.Now())))
		otherCodes := must(s.EnableTOTP(actx, other.ID, otherKey.Secret(), modelstest.TOTP(t, otherKey.Secret(), time.Now())))

		if _, err := s.UseRecoveryCode(actx, u.ID, otherCodes[0]); !errors.Is(err, models.ErrWrongCode) {
			t.Errorf("another account's recovery code: %v, want ErrWrongCode", err)
		}
		// Typed in capitals, with spaces for dashes: the same code.
		typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
		left, err := s.UseRecoveryCode(actx, u.ID, typed)
		if err != nil || left != models.RecoveryCodeCount-1 {
			t.Fatalf("UseRecoveryCode(%q) = %d, %v; want %d, nil", typed, left, err, models.RecoveryCodeCount-1)
		}
		if _, err := s.UseRecoveryCode(actx, u.ID, codes[3]); !errors.Is(err, models.ErrWrongCode) {
			t.Errorf("the same recovery code again: %v, want ErrWrongCode", err)
		}
		if got := must(s.RecoveryCodesLeft(ctx, u.ID)); got != models.RecoveryCodeCount-1 {
			t.Errorf("RecoveryCodesLeft = %d, want %d", got, models.RecoveryCodeCount-1)
		}
		trail := must(s.AuditTrail(ctx, models.SubjectUser, u.ID))
		if len(trail) != 2 || trail[0].Action != "second_factor.recovery_code_used" || trail[0].ActorName != "test" {
			t.Errorf("audit trail of the account: %+v, want the use on top of the enrolment", trail)
		}
		// A failed use writes nothing.
		if _, err := s.UseRecoveryCode(actx, u.ID, "0000-0000-0000-0000"); !errors.Is(err, models.ErrWrongCode) {
			t.Errorf("a made-up code: %v, want ErrWrongCode", err)
		}
		if got := len(must(s.AuditTrail(ctx, models.SubjectUser, u.ID))); got != 2 {
			t.Errorf("audit entries after a failed use: %d, want 2", got)
		}
	})
}

func TestSecondFactorPolicyAndReset(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		actx := models.WithActor(ctx, cliActor)
		policy := must(s.SecondFactorPolicy(ctx))
		want := map[string]bool{models.RoleAdmin: true, models.RoleOrganiser: true, models.RoleReviewer: false, models.RoleDoor: false}
		for role, w := range want {
			if policy[role] != w {
				t.Errorf("default policy for %s = %v, want %v", role, policy[role], w)
			}
			if got := must(s.RoleRequiresSecondFactor(ctx, role)); got != w {
				t.Errorf("RoleRequiresSecondFactor(%s) = %v, want %v", role, got, w)
			}
		}
		if err := s.SetSecondFactorPolicy(noActor, map[string]bool{models.RoleReviewer: true}); err == nil {
			t.Errorf("SetSecondFactorPolicy without an actor succeeded; want it refused")
		}
		if must(s.RoleRequiresSecondFactor(ctx, models.RoleReviewer)) {
			t.Errorf("a refused policy change was stored")
		}
		if err := s.SetSecondFactorPolicy(actx, map[string]bool{models.RoleReviewer: true, models.RoleOrganiser: false, models.RoleAdmin: true}); err != nil {
			t.Fatal(err)
		}
		if !must(s.RoleRequiresSecondFactor(ctx, models.RoleReviewer)) || must(s.RoleRequiresSecondFactor(ctx, models.RoleOrganiser)) {
			t.Errorf("policy after the change: %v", must(s.SecondFactorPolicy(ctx)))
		}
		policyTrail := must(s.AuditTrail(ctx, "installation", 0))
		if len(policyTrail) != 1 || policyTrail[0].Action != "second_factor.policy" {
			t.Fatalf("audit after a policy change: %+v, want one second_factor.policy", policyTrail)
		}
		if d := policyTrail[0].DetailMap(); d["reviewer"] != "false → true" || d["organiser"] != "true → false" || d["admin"] != nil {
			t.Errorf("policy audit details %v, want reviewer and organiser before → after, not admin", d)
		}

		u, key := newEnrolment(t, s, "eva@example.nl", models.RoleOrganiser)
		must(s.EnableTOTP(actx, u.ID, key.Secret(), modelstest.TOTP(t, key.Secret(), time.Now())))
		admin := models.Actor{Kind: models.ActorUser, ID: 99, Name: "admin@example.nl"}
		if err := s.ResetSecondFactor(models.WithActor(ctx, admin), u.ID); err != nil {
			t.Fatalf("ResetSecondFactor: %v", err)
		}
		if must(s.HasSecondFactor(ctx, u.ID)) || must(s.RecoveryCodesLeft(ctx, u.ID)) != 0 {
			t.Errorf("after a reset the account still has its second factor or codes")
		}
		trail := must(s.AuditTrail(ctx, models.SubjectUser, u.ID))
		if len(trail) != 2 || trail[0].Action != "second_factor.reset" || trail[0].ActorName != admin.Name {
			t.Errorf("audit trail after the reset: %+v, want second_factor.reset by %s on top", trail, admin.Name)
		}
		if err := s.ResetSecondFactor(models.WithActor(ctx, admin), u.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("resetting again: %v, want ErrNotFound", err)
		}
		if got := len(must(s.AuditTrail(ctx, models.SubjectUser, u.ID))); got != 2 {
			t.Errorf("audit entries after a reset of nothing: %d, want 2", got)
		}
		states := must(s.SecondFactorStates(ctx))
		if len(states) != 1 || states[0].Enrolled {
			t.Errorf("SecondFactorStates = %+v, want eva, not enrolled", states)
		}
	})
}

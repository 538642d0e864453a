package modelstest

import (
	"sync"
	"testing"

	"github.com/alexedwards/argon2id"
	"github.com/ambtenaar20/dagplanner/models"
)

// quickParams make an argon2id hash as cheap as argon2id allows. A hash names its own
// parameters, so signing in with such an account runs the real check, only quicker: tests
// that sign in as one of many accounts to test something else need not spend a second of
// CPU (under -race) on each hash. Tests of passwords and sign-ins themselves make their
// accounts with Store.CreateUser.
var quickParams = &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// quickHashes holds one quick hash per password, made on first use.
var quickHashes sync.Map // password → hash

// QuickPasswordHash returns an argon2id hash of password with the cheapest parameters,
// made once per password and test binary.
func QuickPasswordHash(t testing.TB, password string) string {
	t.Helper()
	if h, ok := quickHashes.Load(password); ok {
		return h.(string)
	}
	h, err := argon2id.CreateHash(password, quickParams)
	if err != nil {
		t.Fatalf("hash password: %v", err)
	}
	actual, _ := quickHashes.LoadOrStore(password, h)
	return actual.(string)
}

// QuickUser stores an account as Store.CreateUser does (the same checks of the input, the
// venue looked up by its slug), except that its password hash is QuickPasswordHash's.
func QuickUser(t testing.TB, s *models.Store, in models.UserInput) models.User {
	t.Helper()
	if p := in.Validate(); len(p) > 0 {
		t.Fatalf("account %s: %v", in.Email, p)
	}
	u := models.User{Email: models.NormalizeEmail(in.Email), Role: in.Role, PasswordHash: QuickPasswordHash(t, in.Password)}
	if in.VenueSlug != "" {
		v, err := s.VenueBySlug(Ctx(), in.VenueSlug)
		if err != nil {
			t.Fatalf("account %s: venue %q: %v", in.Email, in.VenueSlug, err)
		}
		u.VenueID = &v.ID
	}
	if err := s.DB().WithContext(Ctx()).Create(&u).Error; err != nil {
		t.Fatalf("create account %s: %v", u.Email, err)
	}
	return u
}

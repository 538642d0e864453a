package certificate_test

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/certificate"
)

func newKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func TestCodeRoundTrip(t *testing.T) {
	pub, priv := newKey(t)
	for _, want := range []certificate.Code{{EventID: 1, RegistrationID: 1}, {EventID: 7, RegistrationID: 25000},
		{EventID: 1<<32 - 1, RegistrationID: 1<<32 - 1}} {
		code := certificate.Sign(priv, want)
		if len(code) != certificate.CodeLen {
			t.Errorf("Sign(%+v) is %d characters, want %d", want, len(code), certificate.CodeLen)
		}
		if strings.Trim(code, "abcdefghijklmnopqrstuvwxyz234567") != "" {
			t.Errorf("Sign(%+v) = %q, want lower-case base 32 only", want, code)
		}
		got, err := certificate.Verify(pub, code)
		if err != nil || got != want {
			t.Errorf("Verify(Sign(%+v)) = %+v, %v; want it back", want, got, err)
		}
		if ev, err := certificate.EventOf(code); err != nil || ev != want.EventID {
			t.Errorf("EventOf(Sign(%+v)) = %d, %v; want %d", want, ev, err, want.EventID)
		}
	}
}

// Changing any one character of a code, to any other character of the alphabet or outside
// it, makes it invalid: there is one spelling per code and the signature covers the rest.
func TestCodeTampered(t *testing.T) {
	pub, priv := newKey(t)
	code := certificate.Sign(priv, certificate.Code{EventID: 3, RegistrationID: 42})
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	for i := range code {
		for _, r := range alphabet + "A0=-" {
			if byte(r) == code[i] {
				continue
			}
			bad := code[:i] + string(r) + code[i+1:]
			if got, err := certificate.Verify(pub, bad); !errors.Is(err, certificate.ErrInvalid) {
				t.Fatalf("Verify(code with character %d changed to %q) = %+v, %v; want ErrInvalid", i, r, got, err)
			}
		}
	}
	otherPub, _ := newKey(t)
	for name, bad := range map[string]string{
		"upper case": strings.ToUpper(code), "shorter": code[:len(code)-1], "longer": code + "a",
		"padded": code + "===", "empty": "",
	} {
		if got, err := certificate.Verify(pub, bad); !errors.Is(err, certificate.ErrInvalid) {
			t.Errorf("Verify(%s) = %+v, %v; want ErrInvalid", name, got, err)
		}
	}
	if got, err := certificate.Verify(otherPub, code); !errors.Is(err, certificate.ErrInvalid) {
		t.Errorf("Verify with another event's key = %+v, %v; want ErrInvalid", got, err)
	}
	if _, err := certificate.EventOf(strings.ToUpper(code)); !errors.Is(err, certificate.ErrInvalid) {
		t.Errorf("EventOf(upper case) error = %v, want ErrInvalid", err)
	}
}

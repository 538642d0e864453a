package modelstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TOTP computes the RFC 6238 code (HMAC-SHA1, 30-second steps, six digits) of a base32
// secret at a moment, by hand: tests check Dagplanner's codes against it rather than
// against the library Dagplanner uses.
func TOTP(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	return TOTPStep(t, secret, at.Unix()/30)
}

// TOTPStep is TOTP for a time step (Unix time divided by 30).
func TOTPStep(t testing.TB, secret string, step int64) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.ReplaceAll(secret, " ", "")))
	if err != nil {
		t.Fatalf("TOTP secret %q is not base32: %v", secret, err)
	}
	mac := hmac.New(sha1.New, key)
	mac.Write(binary.BigEndian.AppendUint64(nil, uint64(step)))
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f // RFC 4226 dynamic truncation
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000)
}

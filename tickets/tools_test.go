package tickets_test

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"github.com/ambtenaar20/dagplanner/tickets"
)

// testKey returns a fixed event key pair.
func testKey(seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

func newRenderer(t testing.TB) *tickets.Renderer {
	t.Helper()
	r, err := tickets.NewRenderer()
	if err != nil {
		t.Fatalf("NewRenderer() error = %v", err)
	}
	return r
}

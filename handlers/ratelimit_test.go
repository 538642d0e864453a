package handlers

import (
	"testing"
	"time"
)

func TestKeyedLimiter(t *testing.T) {
	t.Parallel()
	l := newKeyedLimiter(time.Hour, 3)
	for i := range 3 {
		if !l.Allow("anna@example.nl") {
			t.Fatalf("attempt %d refused, want the first 3 allowed", i+1)
		}
	}
	if l.Allow("anna@example.nl") {
		t.Error("4th attempt allowed, want refused")
	}
	if !l.Allow("piet@example.nl") {
		t.Error("another address refused, want its own allowance")
	}
}

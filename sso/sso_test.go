package sso

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
)

func TestMultiFactor(t *testing.T) {
	tests := []struct {
		amr  []string
		want bool
	}{
		{nil, false},
		{[]string{"pwd"}, false},
		{[]string{"pwd", "kba"}, false},
		{[]string{"pwd", "mfa"}, true},
		{[]string{"pwd", "otp"}, true},
		{[]string{"hwk"}, true},
		{[]string{"swk", "pin"}, true},
		{[]string{"fido"}, true},
		{[]string{"MFA"}, false}, // amr values are case-sensitive (RFC 8176)
	}
	for _, tc := range tests {
		if got := (Identity{AMR: tc.amr}).MultiFactor(); got != tc.want {
			t.Errorf("MultiFactor(amr %q) = %v, want %v", tc.amr, got, tc.want)
		}
	}
}

func TestConfig(t *testing.T) {
	full := Config{Issuer: "https://login.example.nl/realms/gemeente", ClientID: "dagplanner", ClientSecret: "heel-geheim"}
	if err := full.Validate(); err != nil || !full.Configured() {
		t.Errorf("complete config: Validate() = %v, Configured() = %v; want nil, true", err, full.Configured())
	}
	if (Config{}).Configured() {
		t.Error("empty config is Configured, want not")
	}
	for _, missing := range []string{"DAGPLANNER_OIDC_ISSUER", "DAGPLANNER_OIDC_CLIENT_ID", "DAGPLANNER_OIDC_CLIENT_SECRET"} {
		c := full
		switch missing {
		case "DAGPLANNER_OIDC_ISSUER":
			c.Issuer = ""
		case "DAGPLANNER_OIDC_CLIENT_ID":
			c.ClientID = ""
		default:
			c.ClientSecret = ""
		}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), missing) {
			t.Errorf("without %s: Validate() = %v, want an error naming it", missing, err)
		}
	}
	if s := full.String(); strings.Contains(s, "heel-geheim") {
		t.Errorf("String() = %q shows the secret", s)
	}
	if got := New(full).Name(); got != "login.example.nl" {
		t.Errorf("Name() without DAGPLANNER_OIDC_NAME = %q, want the issuer's host", got)
	}
}

// TestKeepDiscovering: a provider that was down at start-up is used once it is up.
func TestKeepDiscovering(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there for now
	c := New(Config{Issuer: "http://" + addr + mockoidc.IssuerBase, ClientID: "dagplanner", ClientSecret: "geheim"})
	if err := c.Discover(context.Background()); err == nil || c.Ready() {
		t.Fatalf("discovery with nothing listening: %v, ready %v; want an error, not ready", err, c.Ready())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.KeepDiscovering(ctx, 10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	t.Cleanup(func() { cancel(); <-done })

	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if ln, err = net.Listen("tcp", addr); err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	select {
	case <-done: // KeepDiscovering returns once discovery succeeded
	case <-time.After(30 * time.Second):
		t.Fatal("KeepDiscovering did not return within 30s of the provider coming up")
	}
	if !c.Ready() {
		t.Error("KeepDiscovering returned, but the client is not ready")
	}
	if _, to, err := c.Start("http://127.0.0.1/terug", "/"); err != nil || !strings.HasPrefix(to, idp.AuthorizationEndpoint()) {
		t.Errorf("Start after discovery: %q, %v; want the provider's authorisation endpoint", to, err)
	}
}

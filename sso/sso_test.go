package sso

import (
	"strings"
	"testing"
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

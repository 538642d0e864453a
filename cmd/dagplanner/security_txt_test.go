package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

// TestServeFlagsSecurityTxt: security.txt's contact, expiry and policy come from flags with
// DAGPLANNER_* defaults, and a wrong or incomplete setting stops the server at start-up.
func TestServeFlagsSecurityTxt(t *testing.T) {
	t.Parallel()
	cfg, err := parseServeFlags(nil, envMap(nil), io.Discard)
	if err != nil || len(cfg.SecurityTxt.Contacts) != 0 {
		t.Errorf("default: contacts %q (%v), want none", cfg.SecurityTxt.Contacts, err)
	}
	expires := time.Now().AddDate(0, 3, 0).Format(time.DateOnly)
	env := envMap(map[string]string{
		"DAGPLANNER_SECURITY_CONTACT": "mailto:security@gemeente.example, https://gemeente.example/cvd",
		"DAGPLANNER_SECURITY_EXPIRES": expires,
		"DAGPLANNER_SECURITY_POLICY":  "https://gemeente.example/cvd-beleid",
	})
	cfg, err = parseServeFlags(nil, env, io.Discard)
	st := cfg.SecurityTxt
	if err != nil || len(st.Contacts) != 2 || st.Contacts[1] != "https://gemeente.example/cvd" ||
		st.Expires.Format(time.DateOnly) != expires || st.Policy != "https://gemeente.example/cvd-beleid" {
		t.Errorf("from the environment: %+v (%v)", st, err)
	}
	rfc3339 := time.Now().AddDate(0, 2, 0).In(time.FixedZone("CET", 3600)).Truncate(time.Second)
	cfg, err = parseServeFlags([]string{"--security-contact", "mailto:cert@provincie.example", "--security-expires", rfc3339.Format(time.RFC3339)},
		envMap(map[string]string{"DAGPLANNER_SECURITY_CONTACT": "mailto:security@gemeente.example"}), io.Discard)
	if err != nil || strings.Join(cfg.SecurityTxt.Contacts, ",") != "mailto:cert@provincie.example" || !cfg.SecurityTxt.Expires.Equal(rfc3339) {
		t.Errorf("the flags over the environment: %+v (%v), want expiry %v", cfg.SecurityTxt, err, rfc3339)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--security-contact", "security@gemeente.example"}, "mailto: or https:"},
		{[]string{"--security-contact", "mailto:security@gemeente.example", "--security-expires", "volgend jaar"}, "--security-expires"},
		{[]string{"--security-contact", "mailto:security@gemeente.example", "--security-expires", "2020-01-01"}, "has passed"},
		{[]string{"--security-policy", "https://gemeente.example/cvd-beleid"}, "need --security-contact"},
	} {
		if _, err := parseServeFlags(tc.args, envMap(nil), io.Discard); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one with %q", tc.args, err, tc.want)
		}
	}
}

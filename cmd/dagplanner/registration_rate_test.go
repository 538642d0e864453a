package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeFlagsRegistrationThrottle: the throttle on registrations per client address is a
// burst of 100, then 30 a minute, unless the flags or the environment say otherwise.
func TestServeFlagsRegistrationThrottle(t *testing.T) {
	cfg, err := parseServeFlags(nil, envMap(nil), io.Discard)
	if err != nil || cfg.RegistrationBurst != 100 || cfg.RegistrationRate != 30 {
		t.Errorf("default got burst %d, rate %d (%v); want 100 and 30", cfg.RegistrationBurst, cfg.RegistrationRate, err)
	}
	cfg, err = parseServeFlags(nil, envMap(map[string]string{"DAGPLANNER_REGISTRATION_BURST": "500", "DAGPLANNER_REGISTRATION_RATE": "120"}), io.Discard)
	if err != nil || cfg.RegistrationBurst != 500 || cfg.RegistrationRate != 120 {
		t.Errorf("from the environment got burst %d, rate %d (%v); want 500 and 120", cfg.RegistrationBurst, cfg.RegistrationRate, err)
	}
	_, err = parseServeFlags([]string{"--registration-rate", "0"}, envMap(nil), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--registration-rate") {
		t.Errorf("a rate of 0 got %v, want an error naming the flag", err)
	}
}

// TestRegistrationThrottleFromFlags runs the program with a burst of 2: the third
// registration from one client address is answered 429 with Retry-After.
func TestRegistrationThrottleFromFlags(t *testing.T) {
	s := startServer(t, "--db", demoDB(t, false), "--demo", "--demo-registrations=false",
		"--registration-burst", "2", "--registration-rate", "1")
	registerViaAPI(t, s.URL, "een@example.nl")
	registerViaAPI(t, s.URL, "twee@example.nl")
	body, _ := json.Marshal(map[string]any{"name": "Drie", "email": "drie@example.nl", "organisation": "Gemeente Test",
		"venue": "zwolle", "sessions": []int{}, "consent": true})
	resp, err := http.Post(s.URL+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third registration: status %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

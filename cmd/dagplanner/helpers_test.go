package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer that the server goroutine writes to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envMap turns a map into a getenv function, so tests never read the real environment.
func envMap(m map[string]string) func(string) string {
	return func(key string) string { return m[key] }
}

// testServer is one run of the whole program, serving HTTP on a free port.
type testServer struct {
	URL    string      // e.g. http://127.0.0.1:41234
	Out    *syncBuffer // everything run wrote to stdout: log lines and the demo message
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// The text handler quotes the message: msg="dagplanner listening" addr=127.0.0.1:41234.
var listeningRE = regexp.MustCompile(`dagplanner listening"? addr=(\S+)`)

// startServer runs the program with --addr 127.0.0.1:0 and the given extra arguments, waits
// until /healthz answers 200 and stops the program when the test ends.
//
// With --demo, the demo's admin signs in with a password alone: the fixture turns off the
// second factor that admins and organisers need by default (#16 2fa), with the command an
// operator would use, so that tests about other things sign in as before. The tests of the
// second factor, and the demo's own test, use startServerStrict and meet the default policy.
func startServer(t *testing.T, args ...string) *testServer {
	t.Helper()
	return startServerEnv(t, nil, args...)
}

// startServerEnv is startServer with environment variables (DAGPLANNER_SMTP and the like).
func startServerEnv(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	s := startServerStrictEnv(t, env, args...)
	if i := slices.Index(args, "--db"); i >= 0 && i+1 < len(args) && slices.Contains(args, "--demo") {
		var out bytes.Buffer
		cmd := []string{"user", "2fa-policy", "--db", args[i+1], "--role", "admin,organiser", "--required=false"}
		if err := run(context.Background(), cmd, envMap(nil), strings.NewReader(""), &out); err != nil {
			t.Fatalf("dagplanner %s: %v\n%s", strings.Join(cmd, " "), err, out.String())
		}
	}
	return s
}

// startServerStrict is startServer with the installation's second-factor policy untouched.
func startServerStrict(t *testing.T, args ...string) *testServer {
	t.Helper()
	return startServerStrictEnv(t, nil, args...)
}

// startServerStrictEnv is startServerStrict with environment variables.
func startServerStrictEnv(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &testServer{Out: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	if i := slices.Index(args, "--db"); i >= 0 && i+1 < len(args) && slices.Contains(args, "--demo") {
		if out, ok := demoOutputs.Load(args[i+1]); ok {
			s.Out.Write([]byte(out.(string))) // a copy of demoDB's: the message loading it printed
		}
	}
	argv := append([]string{"--addr", "127.0.0.1:0"}, args...)
	go func() { s.done <- run(ctx, argv, envMap(env), strings.NewReader(""), s.Out) }()
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("run returned %v after the context ended, want nil", err)
		}
	})

	// Starting includes migrations and, with --demo, loading the demo: allow generously, as
	// a safety net and not a measure (loading the demo into PostgreSQL on a machine whose
	// two cores run the whole suite has taken over a minute).
	const startLimit = 3 * time.Minute
	deadline := time.Now().Add(startLimit)
	for s.URL == "" {
		if m := listeningRE.FindStringSubmatch(s.Out.String()); m != nil {
			s.URL = "http://" + m[1]
			break
		}
		select {
		case err := <-s.done:
			s.done <- err // Stop reads it again
			t.Fatalf("run ended before listening: %v\noutput:\n%s", err, s.Out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q log line within %v; output:\n%s", "dagplanner listening", startLimit, s.Out.String())
		}
	}
	for {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz never answered 200 (last: %v, %v)", resp, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop ends the program's context and returns what run returned; later calls return the same.
func (s *testServer) Stop() error {
	s.once.Do(func() {
		s.cancel()
		select {
		case s.err = <-s.done:
		case <-time.After(30 * time.Second):
			s.err = errors.New("run did not return within 30s of the context ending")
		}
	})
	return s.err
}

// startDemo starts the program on a fresh SQLite file with the demo loaded (a copy of
// demoDB's).
func startDemo(t *testing.T) *testServer {
	t.Helper()
	return startServer(t, "--db", demoDB(t, true), "--demo")
}

var demoPasswordRE = regexp.MustCompile(`(?m)^\s*password:\s*(\S+)\s*$`)

// demoPassword returns the admin password the demo printed.
func demoPassword(t *testing.T, out string) string {
	t.Helper()
	m := demoPasswordRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no demo password in the output:\n%s", out)
	}
	return m[1]
}

// newClient returns an HTTP client that keeps cookies, as a browser would.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

// get fetches base+path and returns the status and body.
func get(t *testing.T, c *http.Client, base, path string) (int, string) {
	t.Helper()
	resp, err := c.Get(base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

// postForm posts a form with the server's own Origin, as a browser on the site would, and
// follows the redirect; it returns the final status and body.
func postForm(t *testing.T, c *http.Client, base, path string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: read body: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

// firstMatch returns the first submatch of re in s, failing the test when there is none.
func firstMatch(t *testing.T, re *regexp.Regexp, s, what string) string {
	t.Helper()
	m := re.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s (%s) in the page", what, re)
	}
	return m[1]
}

// registerViaAPI registers email at the Zwolle venue through the JSON API, for the given
// session ids, and returns the token of the personal link /boeking/TOKEN.
func registerViaAPI(t *testing.T, base, email string, sessions ...int) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"name": "Test Deelnemer", "email": email, "organisation": "Gemeente Test",
		"venue": "zwolle", "sessions": sessions, "consent": true})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /api/v1/registrations: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		ManageToken string `json:"manage_token"`
	}
	if resp.StatusCode != http.StatusCreated {
		text, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST /api/v1/registrations for %s = %d, want 201\n%s", email, resp.StatusCode, text)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.ManageToken == "" {
		t.Fatalf("POST /api/v1/registrations: no manage_token in the answer (%v)", err)
	}
	return out.ManageToken
}

// proposeViaAPI submits a proposal by email through the JSON API, naming the co-speakers,
// and returns its edit token, the token of the personal link /voorstel/TOKEN.
func proposeViaAPI(t *testing.T, base, email string, coSpeakers ...string) string {
	t.Helper()
	body, err := json.Marshal(map[string]any{"title": "Toegankelijk schrijven", "summary": "Kort.", "description": "Lang.",
		"format": "workshop", "slots": 1, "max_participants": 20, "venues": []string{"zwolle"}, "needs": []string{"projector", "Een ringleiding"},
		"speaker":     map[string]any{"name": "Test Spreker", "email": email, "organisation": "Gemeente Test", "bio": "Een korte bio."},
		"co_speakers": coSpeakers, "consent": true})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/api/v1/proposals", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /api/v1/proposals: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		EditToken string `json:"edit_token"`
	}
	if resp.StatusCode != http.StatusCreated {
		text, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST /api/v1/proposals for %s = %d, want 201\n%s", email, resp.StatusCode, text)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.EditToken == "" {
		t.Fatalf("POST /api/v1/proposals: no edit_token in the answer (%v)", err)
	}
	return out.EditToken
}

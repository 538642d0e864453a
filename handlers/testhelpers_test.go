package handlers

import (
	"fmt"
	htmltemplate "html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// testNow is the frozen "today" the demo is loaded with; the demo event then falls on
// Wednesday 3 February 2027.
var testNow = time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)

// testPassword is the password of every account loginAs creates.
const testPassword = "een lang wachtwoord"

// testServer is the whole site behind a real HTTP server, on a real database with the demo
// event loaded.
type testServer struct {
	URL    string
	Store  *models.Store
	Client *http.Client // keeps cookies, never follows redirects
	server *httptest.Server
}

// newTestServer starts the site on a fresh SQLite database holding the demo event.
func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerWith(t, newDemoStore(t), false)
}

// demoTemplate is a SQLite file holding the demo event, loaded once per test binary: each test
// gets its own copy (newDemoStore), which is much quicker than loading the demo again.
var demoTemplate struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// TestMain removes the demo template after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
	}
	os.Exit(code)
}

// newDemoStore opens a fresh SQLite database holding the demo event: a copy of the template,
// so tests never see each other's changes.
func newDemoStore(t *testing.T) *models.Store {
	t.Helper()
	demoTemplate.once.Do(func() {
		ctx := modelstest.Ctx()
		if demoTemplate.dir, demoTemplate.err = os.MkdirTemp("", "dagplanner-demo-"); demoTemplate.err != nil {
			return
		}
		demoTemplate.path = filepath.Join(demoTemplate.dir, "demo.db")
		store, err := models.Open(ctx, "file:"+demoTemplate.path)
		if err != nil {
			demoTemplate.err = err
			return
		}
		demoTemplate.err = demo.Load(ctx, store, demo.Options{Now: testNow})
		if err := store.Close(); demoTemplate.err == nil {
			demoTemplate.err = err
		}
	})
	if demoTemplate.err != nil {
		t.Fatalf("load demo: %v", demoTemplate.err)
	}
	return modelstest.SQLiteCopy(t, demoTemplate.path)
}

// discardLogger drops every log line.
func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestServerWith starts the site on store, which the caller has filled (or not).
func newTestServerWith(t *testing.T, store *models.Store, secureCookies bool) *testServer {
	t.Helper()
	logger := discardLogger()
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	h, err := New(Config{Store: store, Logger: logger, SecureCookies: secureCookies})
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	return serve(t, store, h)
}

// serve puts h behind a real HTTP server on a loopback port.
func serve(t *testing.T, store *models.Store, h http.Handler) *testServer {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ts := &testServer{URL: srv.URL, Store: store, server: srv}
	ts.Client = ts.newClient(t)
	return ts
}

// newClient returns another browser: its own cookie jar, no redirects followed.
func (ts *testServer) newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// do sends req with the headers (name/value pairs) and returns the response with its body read.
func (ts *testServer) do(t *testing.T, req *http.Request, headers ...string) (*http.Response, string) {
	t.Helper()
	if len(headers)%2 != 0 {
		t.Fatalf("headers must be name/value pairs, got %q", headers)
	}
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := ts.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return resp, string(body)
}

// get fetches path; headers are name/value pairs.
func (ts *testServer) get(t *testing.T, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ts.do(t, req, headers...)
}

// postForm posts form to path the way a browser does from a page of this site
// (Origin and Sec-Fetch-Site: same-origin); headers, name/value pairs, override those.
func (ts *testServer) postForm(t *testing.T, path string, form url.Values, headers ...string) (*http.Response, string) {
	t.Helper()
	hdrs := append([]string{"Origin", ts.URL, "Sec-Fetch-Site", "same-origin"}, headers...)
	return ts.post(t, path, form, hdrs...)
}

// postFormCrossOrigin posts form to path as a browser does when another site's page submits it.
func (ts *testServer) postFormCrossOrigin(t *testing.T, path string, form url.Values, headers ...string) (*http.Response, string) {
	t.Helper()
	hdrs := append([]string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, headers...)
	return ts.post(t, path, form, hdrs...)
}

func (ts *testServer) post(t *testing.T, path string, form url.Values, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return ts.do(t, req, headers...)
}

var userSeq atomic.Int64

// loginAs creates an account with role (limited to venueSlug unless it is "") and signs
// ts.Client in with it. It returns the account.
func (ts *testServer) loginAs(t *testing.T, role string, venueSlug string) models.User {
	t.Helper()
	email := fmt.Sprintf("%s-%d@example.nl", role, userSeq.Add(1))
	u, err := ts.Store.CreateUser(modelstest.Ctx(), models.UserInput{
		Email: email, Password: testPassword, Role: role, VenueSlug: venueSlug,
	})
	if err != nil {
		t.Fatalf("create user %s (%s, venue %q): %v", email, role, venueSlug, err)
	}
	resp, body := ts.signInAs(t, u)
	if got, want := resp.StatusCode, http.StatusSeeOther; got != want {
		t.Fatalf("log in as %s: status got %d, want %d; body:\n%s", role, got, want, body)
	}
	want := "/beheer"
	switch role {
	case models.RoleDoor:
		want = "/deur" // door staff go straight to the scan page
	case models.RoleReviewer:
		want = "/beheer/voorstellen" // reviewers to the proposals
	}
	if got := resp.Header.Get("Location"); got != want {
		t.Fatalf("log in as %s: Location got %q, want %q", role, got, want)
	}
	return u
}

// testLogWriter sends log lines to t.Log.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// organiserToken makes an organiser's API token, for one venue (its slug) or for all ("").
func organiserToken(t *testing.T, ts *testServer, venue string) string {
	t.Helper()
	_, secret, err := ts.Store.CreateAPIToken(modelstest.Ctx(), models.APITokenInput{Name: "Koppeling " + venue, Role: models.RoleOrganiser, VenueSlug: venue})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// --- Dutch copy by message key ---

// nlCatalog is the message catalogue that nlText and nlMsg look Dutch copy up in.
var nlCatalog = sync.OnceValues(locale.Load)

// nlEscape escapes text as a page's html/template does in running text.
var nlEscape = htmltemplate.Must(htmltemplate.New("").Parse("{{.}}"))

// nlText returns the Dutch text of the message key, rendered with args (alternating
// name/value pairs, as the templates' T takes them), and fails the test on a key that
// nl.toml lacks. Tests check the site's copy through it, so that a copy edit in nl.toml does
// not break them while a wrong key does.
func nlText(t testing.TB, key string, args ...any) string {
	t.Helper()
	s, err := nlLookup(false, key, args...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// nlMsg is nlText as a page shows it: HTML-escaped.
func nlMsg(t testing.TB, key string, args ...any) string {
	t.Helper()
	s, err := nlLookup(true, key, args...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// nlMsgVar is nlMsg for tables declared outside a test: on a key that nl.toml lacks it
// panics, which fails the whole test binary.
func nlMsgVar(key string, args ...any) string {
	s, err := nlLookup(true, key, args...)
	if err != nil {
		panic(err)
	}
	return s
}

// nlLookup returns the Dutch text of key with args, HTML-escaped as a page's html/template
// escapes running text if escape is set.
func nlLookup(escape bool, key string, args ...any) (string, error) {
	c, err := nlCatalog()
	if err != nil {
		return "", err
	}
	tr := c.Translator(locale.Dutch)
	if !tr.Has(key) {
		return "", fmt.Errorf("message key %q is not in nl.toml", key)
	}
	s := tr.T(key, args...)
	if !escape {
		return s, nil
	}
	var b strings.Builder
	if err := nlEscape.Execute(&b, s); err != nil {
		return "", err
	}
	return b.String(), nil
}

package handlers

import (
	"context"
	"fmt"
	htmltemplate "html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
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

// demoDB makes databases holding the demo event, loaded once per test binary and database
// kind: each test gets its own copy, which is much quicker than loading the demo again.
var demoDB = modelstest.NewFilled(func(ctx context.Context, s *models.Store) error {
	return demo.Load(ctx, s, demo.Options{Now: testNow})
})

// TestMain removes the demo templates after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	demoDB.Close()
	poolDemoDB.Close()
	os.Exit(code)
}

// newDemoStore opens a fresh SQLite database holding the demo event: a copy of the template,
// so tests never see each other's changes.
func newDemoStore(t *testing.T) *models.Store {
	t.Helper()
	return demoDB.SQLite(t)
}

// eachDemo runs fn on a fresh copy of the demo on SQLite and on PostgreSQL, as subtests
// named "sqlite" and "postgres".
func eachDemo(t *testing.T, fn func(t *testing.T, store *models.Store)) {
	t.Helper()
	demoDB.Each(t, fn)
}

// discardLogger drops every log line.
func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestServerWith starts the site on store, which the caller has filled (or not).
func newTestServerWith(t *testing.T, store *models.Store, secureCookies bool) *testServer {
	t.Helper()
	return newTestServerConfig(t, Config{Store: store, SecureCookies: secureCookies})
}

// newTestServerConfig starts the site with cfg, for tests that need a configuration the
// others do not give. Without a Store it runs on a fresh copy of the demo; without a Logger
// it logs nothing (with -v: warnings, to the test's log).
func newTestServerConfig(t *testing.T, cfg Config) *testServer {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = newDemoStore(t)
	}
	if cfg.Logger == nil {
		cfg.Logger = discardLogger()
		if testing.Verbose() {
			cfg.Logger = slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
		}
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	return serve(t, cfg.Store, h)
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
		Jar: jar,
		// A safety net, not a measure: under -race, with the tests in parallel on a busy
		// machine, a page of badges for a whole venue can take longer than half a minute.
		Timeout: 3 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// withNewClient returns the same server seen by another browser, with its own cookies.
func (ts *testServer) withNewClient(t *testing.T) *testServer {
	t.Helper()
	other := *ts
	other.Client = ts.newClient(t)
	return &other
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
	// A quick hash: the sign-in below still checks it with argon2id, in a fraction of the
	// time (the tests of passwords and sign-ins make their accounts with CreateUser).
	u := modelstest.QuickUser(t, ts.Store, models.UserInput{
		Email: email, Password: testPassword, Role: role, VenueSlug: venueSlug,
	})
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

// nlTextVar is nlText for tables declared outside a test: on a key that nl.toml lacks it
// panics, which fails the whole test binary.
func nlTextVar(key string, args ...any) string {
	s, err := nlLookup(false, key, args...)
	if err != nil {
		panic(err)
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

// nlArgMark stands in for an argument whose value a test cannot know, so that nlMsgUpTo can
// cut the message where it would go.
const nlArgMark = "\u2063NLARG\u2063"

// nlMarkFor returns the stand-in value for the argument name and how it shows in the text. A
// Count picks the plural form, so it must be a number: one no test expects, in the "other"
// form (whose text before the number the messages share with the "one" form).
func nlMarkFor(name string) (value any, mark string) {
	if name == "Count" {
		return 987654321, "987654321"
	}
	return nlArgMark, nlArgMark
}

// nlMsgUpTo is nlMsg cut where the value of the argument name goes: for a message one of
// whose values the test cannot know (a parser's own words), the text up to it is checked.
func nlMsgUpTo(t testing.TB, key, name string, args ...any) string {
	t.Helper()
	before, _ := nlMsgCut(t, key, name, args...)
	return before
}

// nlMsgAfter is nlMsg from just after the value of the argument name to the end: the rest
// of a message whose earlier values the test cannot know.
func nlMsgAfter(t testing.TB, key, name string, args ...any) string {
	t.Helper()
	_, after := nlMsgCut(t, key, name, args...)
	return after
}

// nlMsgCut is nlMsg in two, before and after the value of the argument name.
func nlMsgCut(t testing.TB, key, name string, args ...any) (before, after string) {
	t.Helper()
	value, mark := nlMarkFor(name)
	before, after, found := strings.Cut(nlMsg(t, key, append(args, name, value)...), mark)
	if !found {
		t.Fatalf("message %q does not use the argument %q", key, name)
	}
	return before, after
}

// nlCountPattern is a regular expression for the Dutch text of key with a Count, in either
// plural form and HTML-escaped as a page shows it; the number is the only non-empty
// submatch. On a key that nl.toml lacks it panics.
func nlCountPattern(key string) string {
	one, other := regexp.QuoteMeta(nlMsgVar(key, "Count", 1)), regexp.QuoteMeta(nlMsgVar(key, "Count", 987654321))
	if !strings.Contains(one, "1") || !strings.Contains(other, "987654321") {
		panic(fmt.Sprintf("message %q does not show its Count", key))
	}
	return "(?:" + strings.Replace(other, "987654321", `(\d+)`, 1) + "|" + strings.Replace(one, "1", "(1)", 1) + ")"
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

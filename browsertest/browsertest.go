// Package browsertest runs pages of Dagplanner in headless Chromium for tests:
// accessibility checks with axe-core, and screenshots for debugging.
//
// The browser is Chromium's headless shell, the Debian package chromium-headless-shell
// (the same engine as the browser, without its user interface), or the path in the
// environment variable DAGPLANNER_CHROMIUM; without either, the full browser of the package
// chromium. scripts/test installs the shell and sets the variable.
package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core 4.14.1 (MPL-2.0, see AXE-LICENSE.txt).
//
//go:embed axe.min.js
var axeSource string

// DefaultWidth and DefaultHeight are the window size of New.
const (
	DefaultWidth  = 1280
	DefaultHeight = 900
)

// actionTimeout limits one call of Axe or Screenshot, so that a page that
// never finishes loading fails the test instead of hanging until the
// go test timeout.
const actionTimeout = 90 * time.Second

// axeTags are the rule tags that Axe runs: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one axe-core rule that fails on a page.
type Violation struct {
	ID      string          `json:"id"`      // rule id, such as "image-alt"
	Impact  string          `json:"impact"`  // "minor", "moderate", "serious" or "critical"
	Help    string          `json:"help"`    // one-line description of the rule
	HelpURL string          `json:"helpUrl"` // Deque University page of the rule
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that fails a rule.
type ViolationNode struct {
	// Target holds the CSS selectors of the element. An element inside an
	// iframe or a shadow root has one selector per level, and each such
	// level is joined with " >>> ".
	Target         []string `json:"target"`
	HTML           string   `json:"html"`           // snippet of the element's HTML
	FailureSummary string   `json:"failureSummary"` // axe's explanation of how to fix it
}

// chromiumPath returns the Chromium binary to run: DAGPLANNER_CHROMIUM, else Chromium's
// headless shell (Debian's chromium-headless-shell, which scripts/test installs: the same
// engine without the browser's user interface, so quicker to start and to run), else the
// full browser.
func chromiumPath() string {
	if p := os.Getenv("DAGPLANNER_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat(headlessShell); err == nil {
		return headlessShell
	}
	return "/usr/bin/chromium"
}

// headlessShell is where Debian's package chromium-headless-shell puts the shell.
const headlessShell = "/usr/bin/chromium-headless-shell"

// New starts a headless Chromium with a 1280x900 window and returns a chromedp
// context for one tab of it. The browser stops when the test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	return NewWithSize(t, DefaultWidth, DefaultHeight)
}

// NewWithSize is New with a window and viewport of width x height CSS pixels,
// for example NewWithSize(t, 390, 844) for a phone.
func NewWithSize(t testing.TB, width, height int) context.Context {
	t.Helper()
	return NewWithOptions(t, width, height)
}

// FakeCamera returns the Chromium options that replace the camera by the Y4M video at path
// (YUV4MPEG2, C420) and grant pages camera access without asking, for NewWithOptions.
func FakeCamera(path string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", path),
	}
}

// NewWithOptions is NewWithSize with extra Chromium options, such as those of FakeCamera.
// Without extra options, in a test binary whose TestMain calls Main, the tab is in the
// binary's shared browser (see Main); otherwise, and always with extra options, it is the
// first tab of a browser of its own.
func NewWithOptions(t testing.TB, width, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if len(extra) == 0 && shared.on.Load() {
		return newSharedTab(t, width, height)
	}

	path := chromiumPath()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("browsertest: Chromium not found at %s (DAGPLANNER_CHROMIUM): %v\n"+
			"Run the tests with scripts/test, which installs the Debian package chromium-headless-shell.", path, err)
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), allocatorOptions(path, width, height, extra)...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		allocCancel() // waits for the browser to exit and its directory to go
	})

	// Start the browser now, without a timeout (a timeout on the first run
	// would stop the whole browser when it ends), so that a broken Chromium
	// fails here with its output, and not in the first check.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("browsertest: start Chromium %s: %v", path, err)
	}
	return ctx
}

// allocatorOptions are the Chromium options of a browser with a window of width x height.
func allocatorOptions(path string, width, height int, extra []chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // Chromium refuses to run as root with the sandbox
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// Keep Chromium off the network: the test machine has no internet.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-pings", true),
		chromedp.WindowSize(width, height),
		// No UserDataDir option: chromedp then makes a fresh temporary
		// user data directory, and removes it (after it kills Chromium's
		// leftover helper processes) when the browser stops.
	)
	return append(opts, extra...)
}

// shared is the one browser of a test binary whose TestMain calls Main.
var shared struct {
	on     atomic.Bool // Main runs the tests
	mu     sync.Mutex
	ctx    context.Context // the browser's first tab, once started
	cancel func()          // stops the browser
	err    error           // why it did not start
}

// Main runs the tests of a package with one Chromium for all of them, and returns the exit
// code for os.Exit: call it from TestMain. Starting a browser costs more than most pages, so
// New and NewWithSize then open each tab in a browser context of its own in that browser —
// its own cookies, storage, cache and permissions, like a private window — instead of
// starting one. NewWithOptions with extra options still starts its own. The browser stops
// when the tests end.
func Main(m *testing.M) int {
	shared.on.Store(true)
	defer func() {
		shared.mu.Lock()
		defer shared.mu.Unlock()
		if shared.cancel != nil {
			shared.cancel()
		}
	}()
	return m.Run()
}

// newSharedTab opens a tab of width x height in a new browser context of the shared
// browser, starting the browser first if no test has yet. The tab and its browser context
// go when the test ends.
func newSharedTab(t testing.TB, width, height int) context.Context {
	t.Helper()
	browser, err := sharedBrowser()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab; without a timeout, as for a browser of its own.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("browsertest: open a tab in the shared Chromium: %v", err)
	}
	return ctx
}

// sharedBrowser returns the first tab of the shared browser, starting it when needed.
func sharedBrowser() (context.Context, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.ctx != nil || shared.err != nil {
		return shared.ctx, shared.err
	}
	path := chromiumPath()
	if _, err := os.Stat(path); err != nil {
		shared.err = fmt.Errorf("no Chromium at %s (DAGPLANNER_CHROMIUM; scripts/test installs the Debian package chromium-headless-shell): %w", path, err)
		return nil, shared.err
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), allocatorOptions(path, DefaultWidth, DefaultHeight, nil)...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		allocCancel()
		shared.err = fmt.Errorf("start Chromium %s: %v", path, err)
		return nil, shared.err
	}
	shared.ctx = ctx
	shared.cancel = func() {
		cancel()
		allocCancel() // waits for the browser to exit and its directory to go
	}
	return ctx, nil
}

// Axe loads url in the tab of ctx, runs axe-core with the WCAG 2.0/2.1 A and AA
// rules on it, and returns the violations. It fails the test when the page
// does not load or axe does not run.
func Axe(t testing.TB, ctx context.Context, url string) []Violation {
	t.Helper()

	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()

	err := chromedp.Do(ctx,
		// A Content-Security-Policy of the page must not stop axe.
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
			return err
		}),
		chromedp.Navigate(url),
		chromedp.WaitReady(chromedp.CSS("body")),
	)
	if err != nil {
		t.Fatalf("browsertest: load %s: %v", url, err)
	}

	return AxeHere(t, ctx, url)
}

// AxeHere runs axe-core with the WCAG 2.0/2.1 A and AA rules on the page the tab of ctx
// shows now, without loading it again: for a page that a form's POST rendered. label names
// the page in failures.
func AxeHere(t testing.TB, ctx context.Context, label string) []Violation {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()

	// The page's Content-Security-Policy was in force when it loaded; axe is injected
	// through the DevTools protocol, which the policy must not stop either.
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	}))
	if err != nil {
		t.Fatalf("browsertest: %s: %v", label, err)
	}
	if err := injectAxe(ctx); err != nil {
		t.Fatalf("browsertest: inject axe-core into %s: %v", label, err)
	}

	tags := `'` + strings.Join(axeTags, `','`) + `'`
	script := `axe.run(document, {runOnly: {type: 'tag', values: [` + tags + `]}, resultTypes: ['violations']})
	.then(r => r.violations.map(v => ({
		id: v.id,
		impact: v.impact || '',
		help: v.help,
		helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
			html: n.html,
			failureSummary: n.failureSummary || ''
		}))
	})))`
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](script,
		func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	if err != nil {
		t.Fatalf("browsertest: run axe-core on %s: %v", label, err)
	}
	if violations == nil {
		violations = []Violation{}
	}
	return violations
}

// injectAxe makes axe-core available in the tab's document. It loads axe from a URL, not by
// evaluating its source: V8 keeps the compiled code of a script it loaded from the network in
// the browser context's cache, so every check after the first in a tab skips compiling axe's
// 650 kB again (about 150 ms of a busy core each, measured). A document that has axe already
// (checked twice) keeps it. Where the page's Content-Security-Policy was in force when it
// loaded, and so blocks the script, the source is evaluated instead.
func injectAxe(ctx context.Context) error {
	url, err := axeURL()
	if err != nil {
		return err
	}
	load := `new Promise(done => {
		if (window.axe) { done(true); return; }
		const s = document.createElement('script');
		s.src = ` + strconv.Quote(url) + `;
		s.onload = () => { s.remove(); done(true); };
		s.onerror = () => { s.remove(); done(false); };
		document.head.appendChild(s);
	})`
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](load, func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	if err != nil || loaded {
		return err
	}
	_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource))
	return err
}

// axeServer serves axeSource to the browser, one per test process.
var axeServer struct {
	once sync.Once
	url  string
	err  error
}

// axeURL starts the server of axe-core's source, once, and returns the script's URL. The
// server lives as long as the test process; it serves one static file on the loopback.
func axeURL() (string, error) {
	axeServer.once.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			axeServer.err = fmt.Errorf("serve axe-core: %w", err)
			return
		}
		srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			// Cacheable, so that the browser context keeps the script and its compiled code.
			w.Header().Set("Cache-Control", "public, max-age=86400, immutable")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			_, _ = io.WriteString(w, axeSource)
		})}
		go func() { _ = srv.Serve(ln) }()
		axeServer.url = "http://" + ln.Addr().String() + "/axe-4.14.1.min.js"
	})
	return axeServer.url, axeServer.err
}

// AssertNoAxeViolationsHere runs AxeHere and reports each violation with t.Errorf, naming
// the page by its current URL and what.
func AssertNoAxeViolationsHere(t testing.TB, ctx context.Context, what string) {
	t.Helper()
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("browsertest: %s: %v", what, err)
	}
	for _, v := range AxeHere(t, ctx, url+" ("+what+")") {
		t.Errorf("%s", FormatViolation(url+" ("+what+")", v))
	}
}

// AssertNoAxeViolations runs Axe on url and reports each violation with
// t.Errorf.
func AssertNoAxeViolations(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	for _, v := range Axe(t, ctx, url) {
		t.Errorf("%s", FormatViolation(url, v))
	}
}

// FormatViolation returns a readable report of one violation on url.
func FormatViolation(url string, v Violation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe: %s: rule %q (%s): %s\n", url, v.ID, v.Impact, v.Help)
	if v.HelpURL != "" {
		fmt.Fprintf(&b, "    see %s\n", v.HelpURL)
	}
	for i, n := range v.Nodes {
		fmt.Fprintf(&b, "    node %d: %s\n", i+1, strings.Join(n.Target, ", "))
		fmt.Fprintf(&b, "        html: %s\n", n.HTML)
		if n.FailureSummary != "" {
			fmt.Fprintf(&b, "        %s\n", strings.ReplaceAll(n.FailureSummary, "\n", "\n        "))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// Screenshot saves a PNG of the whole page in the tab of ctx (beyond the
// viewport) to path, and creates the directory of path when it is missing.
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()

	ctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 = PNG
	if err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
}

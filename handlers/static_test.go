package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ambtenaar20/dagplanner/templates"
)

// staticURL is the fingerprinted address pages use for a static file.
func staticURL(t *testing.T, name string) string {
	t.Helper()
	a, err := templates.StaticAssets()
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.URL(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestStaticFiles checks how static files are served: fingerprinted URLs cached for a year,
// plain names revalidated, both with an ETag and gzipped for clients that accept it, the
// right types (WebAssembly too), and no directory listings.
func TestStaticFiles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, home := ts.get(t, "/")
	css := staticURL(t, "vendor/utrecht/used.css")
	if !strings.Contains(home, `href="`+css+`"`) {
		t.Fatalf("the home page does not load the fingerprinted %s", css)
	}

	for _, tc := range []struct {
		path, contentType, cacheControl string
	}{
		{css, "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{staticURL(t, "site.css"), "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{staticURL(t, "vendor/door/zxing_reader.wasm"), "application/wasm", "public, max-age=31536000, immutable"},
		{"/static/vendor/utrecht/index.css", "text/css; charset=utf-8", "no-cache"},
		{"/static/door/camera.js", "text/javascript; charset=utf-8", "no-cache"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			plain, _ := ts.get(t, tc.path, "Accept-Encoding", "identity")
			resp, zipped := ts.get(t, tc.path, "Accept-Encoding", "br, gzip;q=0.8")
			for _, r := range []*http.Response{plain, resp} {
				if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != tc.contentType || r.Header.Get("Cache-Control") != tc.cacheControl {
					t.Fatalf("GET %s = %d %q %q, want 200 %q %q", tc.path, r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"), tc.contentType, tc.cacheControl)
				}
				if r.Header.Get("Vary") != "Accept-Encoding" || r.Header.Get("ETag") == "" {
					t.Errorf("GET %s: Vary %q, ETag %q; want Vary: Accept-Encoding and an ETag", tc.path, r.Header.Get("Vary"), r.Header.Get("ETag"))
				}
			}
			if plain.Header.Get("Content-Encoding") != "" || resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q without gzip, %q with; want none and gzip", plain.Header.Get("Content-Encoding"), resp.Header.Get("Content-Encoding"))
			}
			if plain.Header.Get("ETag") == resp.Header.Get("ETag") {
				t.Error("the gzipped and the plain file share an ETag")
			}
			unzipped := gunzip(t, zipped)
			_, identity := ts.get(t, tc.path, "Accept-Encoding", "identity")
			if unzipped != identity || len(zipped) >= len(identity) {
				t.Errorf("the gzipped file (%d bytes) does not unpack to the file (%d bytes)", len(zipped), len(identity))
			}
			again, body := ts.get(t, tc.path, "Accept-Encoding", "gzip", "If-None-Match", resp.Header.Get("ETag"))
			if again.StatusCode != http.StatusNotModified || body != "" {
				t.Errorf("GET %s with its ETag = %d with %d bytes, want 304 and no body", tc.path, again.StatusCode, len(body))
			}
		})
	}

	// Images are compressed already; the favicon also answers at the address browsers guess.
	for path, ct := range map[string]string{staticURL(t, "door/icon-192.png"): "image/png", "/favicon.ico": "image/x-icon", staticURL(t, "favicon.svg"): "image/svg+xml"} {
		resp, _ := ts.get(t, path, "Accept-Encoding", "gzip")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ct {
			t.Errorf("GET %s = %d %q, want 200 %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), ct)
		}
	}

	// No directory is listed, and no made-up name is found.
	for _, path := range []string{"/static/", "/static/vendor/", "/static/vendor/utrecht/", "/static/door", "/static/nope.css", "/static/site.000000000000.css"} {
		if resp, body := ts.get(t, path); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "site.css") {
			t.Errorf("GET %s = %d, want 404 without a listing", path, resp.StatusCode)
		}
	}
}

// TestPagesGzipped checks that pages come gzipped to browsers that accept it, and whole
// to those that do not.
func TestPagesGzipped(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	plain, whole := ts.get(t, "/programma/zwolle", "Accept-Encoding", "identity")
	resp, zipped := ts.get(t, "/programma/zwolle", "Accept-Encoding", "gzip, deflate, br")
	if plain.Header.Get("Content-Encoding") != "" || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q without gzip, %q with; want none and gzip", plain.Header.Get("Content-Encoding"), resp.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
		t.Errorf("Vary %q lacks Accept-Encoding", resp.Header.Values("Vary"))
	}
	if got := gunzip(t, zipped); got != whole || len(zipped) > len(whole)/3 {
		t.Errorf("the gzipped page (%d bytes) does not unpack to the page (%d bytes), or barely shrinks", len(zipped), len(whole))
	}
}

func gunzip(t *testing.T, s string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(s))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(b)
}

// browser fetches pages and the static files they load the way a browser does: it accepts
// gzip, keeps what it was allowed to keep, and revalidates the rest with the ETag. It counts
// the bytes that come over the wire, headers included.
type browser struct {
	base   string
	client *http.Client
	wire   *atomic.Int64
	fresh  map[string]bool   // immutable copies: not asked for again
	etags  map[string]string // copies to revalidate
}

func newBrowser(base string) *browser {
	wire := new(atomic.Int64)
	dialer := &net.Dialer{}
	tr := &http.Transport{DisableCompression: true, DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		return countingConn{c, wire}, err
	}}
	return &browser{base: base, client: &http.Client{Transport: tr}, wire: wire, fresh: map[string]bool{}, etags: map[string]string{}}
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

var pageAssets = regexp.MustCompile(`<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"`)

// visit opens a page and loads its static files; it returns the bytes received.
func (b *browser) visit(t *testing.T, path string) int64 {
	t.Helper()
	before := b.wire.Load()
	page := b.fetch(t, path)
	for _, m := range pageAssets.FindAllStringSubmatch(page, -1) {
		if !b.fresh[m[1]] {
			b.fetch(t, m[1])
		}
	}
	return b.wire.Load() - before
}

func (b *browser) fetch(t *testing.T, path string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	if etag := b.etags[path]; etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	if strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		b.fresh[path] = true
	}
	if etag := resp.Header.Get("ETag"); etag != "" {
		b.etags[path] = etag
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return string(body)
}

// TestStaticTransfer measures what a visitor downloads: the home page with everything it
// loads on a first visit, then a second page and the home page again, with the browser's
// cache. The second page must come in under 40 KB in all. Run with -v to see the figures.
func TestStaticTransfer(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	b := newBrowser(ts.URL)
	first := b.visit(t, "/")
	second := b.visit(t, "/programma")
	repeat := b.visit(t, "/")
	t.Logf("home page, first visit: %d bytes; /programma next: %d bytes; home page again: %d bytes", first, second, repeat)
	if second >= 40*1024 || repeat >= 40*1024 {
		t.Errorf("a second page transfers %d bytes and the home page again %d, want under 40 KB each", second, repeat)
	}
	if len(b.fresh) == 0 {
		t.Error("the browser could keep none of the home page's static files")
	}
}

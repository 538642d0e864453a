package handlers

import (
	"encoding/json"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var doorMessagesRE = regexp.MustCompile(`(?s)<script type="application/json" id="door-messages">(.*?)</script>`)

// TestDoorPage checks the scan page's response: the site's CSP plus 'wasm-unsafe-eval' (and
// only there), and the script's messages in the page's language with their placeholders.
func TestDoorPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	home, _ := ts.get(t, "/")
	siteCSP := home.Header.Get("Content-Security-Policy")
	if strings.Contains(siteCSP, "wasm-unsafe-eval") {
		t.Errorf("the site's own pages allow 'wasm-unsafe-eval': %s", siteCSP)
	}

	for _, tc := range []struct{ lang, welcome, title string }{
		{"nl", nlText(t, "door.welcome", "Name", "{Name}"), nlMsg(t, "door.title")},
		{"en", "Welcome, {Name}", "Check-in"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			resp, body := ts.get(t, "/deur?locatie=zwolle", "Cookie", "lang="+tc.lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /deur = %d, want 200", resp.StatusCode)
			}
			want := strings.Replace(siteCSP, "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1)
			if got := resp.Header.Get("Content-Security-Policy"); got != want || got == siteCSP {
				t.Errorf("CSP of /deur = %q, want %q", got, want)
			}
			if !strings.Contains(body, `<html lang="`+tc.lang+`"`) || !strings.Contains(body, ">"+tc.title+"</h1>") {
				t.Errorf("the page is not in %s with the heading %q", tc.lang, tc.title)
			}
			m := doorMessagesRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no door-messages script element in the page")
			}
			var msgs map[string]string
			if err := json.Unmarshal([]byte(m[1]), &msgs); err != nil {
				t.Fatalf("door-messages is not JSON: %v\n%s", err, m[1])
			}
			for key, names := range doorMessages {
				got := msgs[key]
				if got == "" || strings.HasPrefix(got, "[") || strings.Contains(got, "{{") {
					t.Errorf("message %s = %q, want a translation", key, got)
				}
				for _, n := range names {
					if !strings.Contains(got, "{"+n+"}") {
						t.Errorf("message %s = %q has no placeholder {%s}", key, got, n)
					}
				}
			}
			if msgs["door.welcome"] != tc.welcome {
				t.Errorf("door.welcome = %q, want %q", msgs["door.welcome"], tc.welcome)
			}
			// The language switch and the log-in link come back to this venue's door page.
			if !strings.Contains(body, `name="terug" value="/deur?locatie=zwolle"`) {
				t.Error("the language switch does not return to /deur?locatie=zwolle")
			}
			if !strings.Contains(html.UnescapeString(body), `href="/beheer/inloggen?terug=%2Fdeur%3Flocatie%3Dzwolle"`) {
				t.Error("the log-in link does not return to /deur?locatie=zwolle")
			}
		})
	}
}

// TestDoorOfflineFiles checks what makes the page installable and offline: the service
// worker's headers, the manifest and its icons, and that every file the worker caches exists.
func TestDoorOfflineFiles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)

	resp, sw := ts.get(t, "/deur/sw.js")
	for name, want := range map[string]string{
		"Content-Type": "text/javascript; charset=utf-8", "Service-Worker-Allowed": "/deur", "Cache-Control": "no-cache",
	} {
		if got := resp.Header.Get(name); resp.StatusCode != http.StatusOK || got != want {
			t.Errorf("GET /deur/sw.js = %d with %s %q, want 200 with %q", resp.StatusCode, name, got, want)
		}
	}
	shell := regexp.MustCompile(`(?s)var SHELL = \[(.*?)\];`).FindStringSubmatch(sw)
	if shell == nil {
		t.Fatal("no SHELL list in sw.js")
	}
	urls := regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(shell[1], -1)
	if len(urls) < 10 {
		t.Fatalf("sw.js caches %d files, want the page, its scripts, styles and decoders", len(urls))
	}
	for _, u := range urls {
		if resp, _ := ts.get(t, u[1]); resp.StatusCode != http.StatusOK {
			t.Errorf("the service worker caches %s, which answers %d", u[1], resp.StatusCode)
		}
	}

	// The page names its manifest and stylesheet in its head, where browsers look for them.
	_, page := ts.get(t, "/deur")
	head, _, _ := strings.Cut(page, "</head>")
	for _, want := range []string{`<link rel="manifest" href="/deur/manifest.webmanifest">`, `<link rel="stylesheet" href="` + staticURL(t, "door/door.css") + `">`} {
		if !strings.Contains(head, want) {
			t.Errorf("the head of /deur lacks %s", want)
		}
	}
	// Every static file the page loads, and every decoder its camera script may load, is one
	// the worker keeps, at the same fingerprinted address: offline, nothing else answers.
	for _, m := range regexp.MustCompile(`(?:src|href|data-[a-z-]+)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(shell[1], `"`+m[1]+`"`) {
			t.Errorf("/deur loads %s, which the service worker does not keep", m[1])
		}
	}

	resp, body := ts.get(t, "/deur/manifest.webmanifest")
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "application/manifest+json" {
		t.Fatalf("GET /deur/manifest.webmanifest = %d %q, want 200 application/manifest+json", resp.StatusCode, ct)
	}
	var manifest struct {
		StartURL string `json:"start_url"`
		Scope    string `json:"scope"`
		Display  string `json:"display"`
		Icons    []struct {
			Src, Sizes, Type string
		} `json:"icons"`
	}
	if err := json.Unmarshal([]byte(body), &manifest); err != nil {
		t.Fatalf("the manifest is not JSON: %v", err)
	}
	if manifest.StartURL != "/deur" || manifest.Scope != "/deur" || manifest.Display != "standalone" {
		t.Errorf("manifest start_url %q, scope %q, display %q; want /deur, /deur, standalone", manifest.StartURL, manifest.Scope, manifest.Display)
	}
	sizes := map[string]bool{}
	for _, icon := range manifest.Icons {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+icon.Src, nil)
		r, err := ts.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(r.Body)
		r.Body.Close()
		if err != nil {
			t.Errorf("icon %s: %v", icon.Src, err)
			continue
		}
		b := img.Bounds()
		if got := fmt.Sprintf("%dx%d", b.Dx(), b.Dy()); got != icon.Sizes {
			t.Errorf("icon %s is %s, the manifest says %s", icon.Src, got, icon.Sizes)
		}
		sizes[icon.Sizes] = true
	}
	if !sizes["192x192"] || !sizes["512x512"] {
		t.Errorf("manifest icons %v, want 192x192 and 512x512", sizes)
	}
}

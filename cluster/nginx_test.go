package cluster

import (
	"context"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestNginxServesTheShippedSite renders deploy/nginx/dagplanner.conf in front of a stand-in
// backend, and checks that nginx -t passes and nginx then proxies with the right headers,
// redirects plain HTTP, and keeps /metrics closed.
func TestNginxServesTheShippedSite(t *testing.T) {
	if _, err := os.Stat(NginxBinary); err != nil {
		t.Skipf("no nginx at %s (scripts/test installs it)", NginxBinary)
	}
	seen := make(chan http.Header, 10)
	backend := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Clone()
		h.Set("X-Host", r.Host)
		seen <- h
		w.Write([]byte("ok " + r.URL.Path))
	})}
	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		l, err := newListener(addr)
		if err == nil {
			backend.Serve(l)
		}
	}()
	t.Cleanup(func() { backend.Close() })

	n, err := StartNginx(context.Background(), t.TempDir(), "../deploy/nginx/dagplanner.conf", []string{addr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: n.TLS},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := client.Get(n.URL + "/programma")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /programma through nginx = %d, want 200", resp.StatusCode)
	}
	h := <-seen
	if got := h.Get("X-Forwarded-Proto"); got != "https" {
		t.Errorf("X-Forwarded-Proto = %q, want https", got)
	}
	if got := h.Get("X-Forwarded-For"); got != "127.0.0.1" {
		t.Errorf("X-Forwarded-For = %q, want 127.0.0.1", got)
	}
	if got := h.Get("X-Host"); got != "127.0.0.1" { // $host: the name asked for, without the port
		t.Errorf("Host = %q, want 127.0.0.1", got)
	}

	resp, err = client.Get(n.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /metrics through nginx = %d, want 403", resp.StatusCode)
	}

	resp, err = client.Get(n.HTTPURL + "/aanmelden?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(loc, "https://") || !strings.HasSuffix(loc, "/aanmelden?x=1") {
		t.Errorf("GET over plain HTTP = %d to %q, want 301 to https://…/aanmelden?x=1", resp.StatusCode, loc)
	}
}

func TestRenderSiteFailsOnAnUnknownSite(t *testing.T) {
	_, err := RenderSite("server { listen 8080; }", SiteOptions{Upstreams: []string{"127.0.0.1:1"}})
	if err == nil {
		t.Fatal("RenderSite of a site without the expected lines succeeded, want an error")
	}
}

func newListener(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

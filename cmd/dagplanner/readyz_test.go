package main

import (
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// cuttableProxy forwards TCP connections to target until it is cut: then it drops every
// connection and refuses new ones, as a database that went away would, until restored.
type cuttableProxy struct {
	listener net.Listener
	target   string
	mu       sync.Mutex
	down     bool
	conns    map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *cuttableProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cuttableProxy{listener: l, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { l.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *cuttableProxy) serve() {
	for {
		client, err := p.listener.Accept()
		if err != nil {
			return
		}
		go p.forward(client)
	}
}

func (p *cuttableProxy) forward(client net.Conn) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		client.Close()
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, server) {
		return
	}
	go func() { io.Copy(server, client); server.Close() }()
	io.Copy(client, server)
	client.Close()
}

// track remembers a pair of connections to drop on a cut; it closes them and reports false
// when the proxy was cut meanwhile.
func (p *cuttableProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		if p.down {
			c.Close()
			continue
		}
		p.conns[c] = true
	}
	return !p.down
}

func (p *cuttableProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *cuttableProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// waitStatus polls base+path until it answers want, failing the test after 20 seconds.
func waitStatus(t *testing.T, base, path string, want int) {
	t.Helper()
	var got int
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(base + path)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if got = resp.StatusCode; got == want {
			return
		}
	}
	t.Fatalf("GET %s answered %d for 20s, want %d", path, got, want)
}

// TestReadyzFollowsTheDatabase cuts the connection between Dagplanner and PostgreSQL: /readyz
// answers 503 while it is cut and 200 again once it is back.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	dsn, err := url.Parse(modelstest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := startProxy(t, dsn.Host)
	dsn.Host = proxy.listener.Addr().String()
	srv := startServer(t, "--db", dsn.String())
	waitStatus(t, srv.URL, "/readyz", http.StatusOK)

	proxy.cut()
	waitStatus(t, srv.URL, "/readyz", http.StatusServiceUnavailable)
	proxy.restore()
	waitStatus(t, srv.URL, "/readyz", http.StatusOK)
}

// TestReadyzOnSQLite: ready once started, and not when the migrations table is behind.
func TestReadyzOnSQLite(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "ready.db")
	srv := startServer(t, "--db", db)
	waitStatus(t, srv.URL, "/readyz", http.StatusOK)
	// As if a newer program had not migrated it yet: the newest migration's row is gone.
	raw, err := sql.Open("sqlite3", db+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("DELETE FROM schema_migrations WHERE id = (SELECT max(id) FROM schema_migrations)"); err != nil {
		t.Fatal(err)
	}
	status, body := get(t, newClient(t), srv.URL, "/readyz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "migrations not current") {
		t.Errorf("GET /readyz with a migration missing = %d %s, want 503 saying the migrations are not current", status, body)
	}
}

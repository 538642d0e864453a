package main

import (
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

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
	proxy := modelstest.StartTCPCut(t, dsn.Host)
	dsn.Host = proxy.Addr()
	srv := startServer(t, "--db", dsn.String())
	waitStatus(t, srv.URL, "/readyz", http.StatusOK)

	proxy.Cut()
	waitStatus(t, srv.URL, "/readyz", http.StatusServiceUnavailable)
	proxy.Mend()
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

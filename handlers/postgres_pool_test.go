package handlers

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// postgresDemoServer serves the PostgreSQL database at dsn (a copy of poolDemoDB, perhaps
// reached through a proxy), with at most maxConns connections, and no registration throttle:
// the tests below are one client address making many registrations.
func postgresDemoServer(t *testing.T, dsn string, maxConns int) *testServer {
	t.Helper()
	store, err := models.OpenWith(modelstest.Ctx(), dsn, models.Options{MaxConns: maxConns})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { store.Close() })
	logger := discardLogger()
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	h, err := New(Config{Store: store, Logger: logger, RegistrationBurst: 100000, RegistrationsPerMinute: 100000})
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	return serve(t, store, h)
}

// poolDemoDB is the demo at five times its capacities without registrations, for the pool
// tests: loaded once into a template (loading it through the outage test's proxy took minutes
// on a busy machine), each test gets a copy.
var poolDemoDB = modelstest.NewFilled(func(ctx context.Context, s *models.Store) error {
	return demo.Load(ctx, s, demo.Options{Now: testNow, NoRegistrations: true, Scale: 5})
})

// postRegistration registers one person at Zwolle through the API and returns the answer's
// status, its Retry-After header and body.
func postRegistration(client *http.Client, base string, i int) (int, string, string, error) {
	body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("Deelnemer %d", i), "email": fmt.Sprintf("pool%d@example.nl", i),
		"organisation": "Gemeente Test", "venue": "zwolle", "consent": true})
	resp, err := client.Post(base+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), string(text), nil
}

// withApplicationName names the connections of a DSN, so that pg_stat_activity tells them apart.
func withApplicationName(t *testing.T, dsn, name string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// A rush with many more clients than the pool has connections: every request waits for a
// connection and succeeds, and the process never holds more connections than it may.
func TestRushWaitsForThePool(t *testing.T) {
	t.Parallel()
	const maxConns, clients, perClient = 4, 60, 5
	dsn := withApplicationName(t, poolDemoDB.PostgresDSN(t), "pooltest")
	ts := postgresDemoServer(t, dsn, maxConns)

	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var peak atomic.Int64
	stop := make(chan struct{})
	var sampling sync.WaitGroup
	sampling.Go(func() {
		for {
			var n int64
			if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'pooltest' AND pid <> pg_backend_pid()`).Scan(&n); err == nil && n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})

	statuses := make(chan int, clients*perClient)
	var rush sync.WaitGroup
	for c := range clients {
		rush.Go(func() {
			client := &http.Client{Timeout: time.Minute}
			for i := range perClient {
				status, _, body, err := postRegistration(client, ts.URL, c*perClient+i)
				if err != nil {
					t.Errorf("registration: %v", err)
					return
				}
				if status != http.StatusCreated {
					t.Errorf("registration answered %d, want 201: %s", status, body)
				}
				statuses <- status
			}
		})
	}
	rush.Wait()
	close(stop)
	sampling.Wait()
	close(statuses)
	if n := len(statuses); n != clients*perClient {
		t.Errorf("%d answers, want %d", n, clients*perClient)
	}
	// The sampling connection of this test is not counted: it names itself the same, but is
	// its own backend; the pool's connections are the store's readers and writers.
	if p := peak.Load(); p > maxConns || p == 0 {
		t.Errorf("peak connections of the process = %d, want 1..%d", p, maxConns)
	}
	var stored int64
	if err := admin.QueryRow(`SELECT COUNT(*) FROM registrations`).Scan(&stored); err != nil || stored != clients*perClient {
		t.Errorf("registrations stored = %d (%v), want %d", stored, err, clients*perClient)
	}
}

// When the database cannot be reached, a registration is answered 503 with Retry-After —
// never 500 — writes nothing, and goes through once the database is back.
func TestDatabaseOutageIs503(t *testing.T) {
	t.Parallel()
	dsn := poolDemoDB.PostgresDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := modelstest.StartTCPCut(t, u.Host)
	u.Host = proxy.Addr()
	ts := postgresDemoServer(t, u.String(), 4)
	if status, _, body, err := postRegistration(ts.Client, ts.URL, 1); err != nil || status != http.StatusCreated {
		t.Fatalf("registration before the outage = %d (%v), want 201: %s", status, err, body)
	}

	proxy.Cut()
	status, retryAfter, body, err := postRegistration(ts.Client, ts.URL, 2)
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusServiceUnavailable || retryAfter == "" {
		t.Errorf("registration during the outage = %d with Retry-After %q, want 503 with a Retry-After: %s", status, retryAfter, body)
	}
	var apiErr APIError
	if err := json.Unmarshal([]byte(body), &apiErr); err != nil || apiErr.Error.Code != "unavailable" {
		t.Errorf("503 body = %s, want the API error with code unavailable", body)
	}
	resp, page := ts.get(t, "/aanmelden/zwolle", "Accept-Language", "nl")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("registration page during the outage = %d, want 503 with a Retry-After", resp.StatusCode)
	} else if !bytes.Contains([]byte(page), []byte(nlMsg(t, "error.unavailable.body"))) {
		t.Errorf("the 503 page does not say when to try again:\n%s", page)
	}

	proxy.Mend()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _, body, err = postRegistration(ts.Client, ts.URL, 2)
		if err == nil && status == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("registration after the outage = %d (%v), want 201: %s", status, err, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var regs, registered int
	if err := admin.QueryRow(`SELECT (SELECT COUNT(*) FROM registrations), (SELECT registered FROM venues WHERE slug = 'zwolle')`).Scan(&regs, &registered); err != nil {
		t.Fatal(err)
	}
	if regs != 2 || registered != 2 {
		t.Errorf("after the outage: %d registrations and %d places taken, want 2 and 2 (nothing half-written)", regs, registered)
	}
}

package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ambtenaar20/dagplanner/cluster"
)

// rushTarget is what the registration rush runs against: one process, or -instances
// processes behind nginx (rendered from deploy/nginx/dagplanner.conf), on one database, with
// an SMTP server that receives their e-mails and, on PostgreSQL, a sampler of connections.
type rushTarget struct {
	base   string       // where the rush goes: nginx, or the only process
	client *http.Client // for the checks before and after the rush
	procs  *cluster.Cluster
	proxy  *cluster.Nginx
	mail   *cluster.MailServer
	conns  *cluster.ConnSampler // nil on SQLite
	stops  []func()
}

// buildServer builds the dagplanner binary into dir unless cfg.bin names one.
func buildServer(ctx context.Context, cfg *config, dir string) error {
	if cfg.bin != "" {
		return nil
	}
	cfg.bin = filepath.Join(dir, "dagplanner")
	build := exec.CommandContext(ctx, "go", "build", "-o", cfg.bin, "./cmd/dagplanner")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build server: %w", err)
	}
	return nil
}

// freshDatabase points cfg.db at a new database: a SQLite file in dir by default, or a
// database with a random name on the PostgreSQL server that -db names, dropped by drop.
func freshDatabase(ctx context.Context, cfg *config, dir string) (drop func(), err error) {
	if cfg.db == "" {
		cfg.db = filepath.Join(dir, "loadtest.db")
		return func() {}, nil
	}
	if dbKind(cfg.db) != "PostgreSQL" {
		return func() {}, nil
	}
	fresh, dropDB, err := cluster.CreateDatabase(ctx, cfg.db)
	if err != nil {
		return nil, err
	}
	cfg.db = fresh
	return func() {
		if err := dropDB(); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest: drop the run's database:", err)
		}
	}, nil
}

func startRushTarget(ctx context.Context, cfg *config, dir string) (_ *rushTarget, err error) {
	t := &rushTarget{}
	defer func() {
		if err != nil {
			t.stop()
		}
	}()
	if err := buildServer(ctx, cfg, dir); err != nil {
		return nil, err
	}
	drop, err := freshDatabase(ctx, cfg, dir)
	if err != nil {
		return nil, err
	}
	t.stops = append(t.stops, drop)
	if t.mail, err = cluster.StartMailServer(); err != nil {
		return nil, err
	}
	t.stops = append(t.stops, t.mail.Close)
	args := []string{"--demo", "--demo-scale", strconv.Itoa(cfg.scale), "--demo-registrations=false", "--log-format", "json"}
	if cfg.instances > 1 {
		// nginx names the client in X-Forwarded-For; the throttle per address must see it.
		args = append(args, "--trusted-proxies", "127.0.0.1")
	}
	t.procs, err = cluster.New(cluster.Config{N: cfg.instances, Command: []string{cfg.bin}, Args: args, DB: cfg.db, Dir: dir,
		Env: []string{"DAGPLANNER_SMTP=" + t.mail.URL()}})
	if err != nil {
		return nil, err
	}
	t.stops = append(t.stops, t.procs.Stop)
	if err := t.procs.StartAll(ctx); err != nil {
		return nil, err
	}
	t.base = t.procs.URL(0)
	transport := &http.Transport{MaxIdleConns: cfg.c * 2, MaxIdleConnsPerHost: cfg.c * 2, IdleConnTimeout: time.Minute}
	if cfg.instances > 1 {
		nginxDir := filepath.Join(dir, "nginx")
		if err := os.Mkdir(nginxDir, 0o755); err != nil {
			return nil, err
		}
		if t.proxy, err = cluster.StartNginx(ctx, nginxDir, cfg.site, t.procs.Addrs()); err != nil {
			return nil, err
		}
		t.stops = append(t.stops, t.proxy.Stop)
		t.base = t.proxy.URL
		transport.TLSClientConfig = t.proxy.TLS.Clone()
	}
	t.client = &http.Client{Timeout: 30 * time.Second, Transport: transport}
	if dbKind(cfg.db) == "PostgreSQL" {
		if t.conns, err = cluster.SampleConns(cfg.db); err != nil {
			return nil, err
		}
		t.stops = append(t.stops, func() { t.conns.Stop() })
	}
	return t, nil
}

// stop ends everything in reverse order of starting.
func (t *rushTarget) stop() {
	for i := len(t.stops) - 1; i >= 0; i-- {
		t.stops[i]()
	}
	t.stops = nil
}

// pids are the running processes' ids.
func (t *rushTarget) pids() []int {
	var pids []int
	for i := range t.procs.Addrs() {
		if pid := t.procs.Pid(i); pid != 0 {
			pids = append(pids, pid)
		}
	}
	return pids
}

// peakRSS is the largest high-water mark of the processes' memory.
func (t *rushTarget) peakRSS() int64 {
	var peak int64
	for _, pid := range t.pids() {
		peak = max(peak, peakRSS(pid))
	}
	return peak
}

// cpu is the CPU time of the running processes together.
func (t *rushTarget) cpu() time.Duration {
	var sum time.Duration
	for _, pid := range t.pids() {
		sum += cpuTime(pid)
	}
	return sum
}

// killer SIGKILLs process 1 after d and restarts it; wait returns what happened.
type killer struct {
	wg     sync.WaitGroup
	report string
	err    error
}

func killAfter(ctx context.Context, t *rushTarget, d time.Duration) *killer {
	k := &killer{}
	k.wg.Go(func() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
		start := time.Now()
		if k.err = t.procs.Kill(0); k.err != nil {
			return
		}
		k.err = t.procs.Start(ctx, 0)
		k.report = fmt.Sprintf("SIGKILL to %s after %s, healthy again %.1f s later", cluster.AppName(0), d, time.Since(start).Seconds())
	})
	return k
}

func (k *killer) wait() (string, error) {
	k.wg.Wait()
	return k.report, k.err
}

// waitForMail waits, at most limit, until every acknowledged registration's address has
// received an e-mail; it returns the e-mails per acknowledged address.
func waitForMail(ctx context.Context, m *cluster.MailServer, acks []ack, limit time.Duration) (perAck map[string]int, others int, waited time.Duration) {
	start := time.Now()
	for {
		got := m.PerRecipient()
		missing := slices.ContainsFunc(acks, func(a ack) bool { return got[a.email] == 0 })
		if !missing || time.Since(start) > limit || ctx.Err() != nil {
			perAck = map[string]int{}
			for _, a := range acks {
				perAck[a.email] = got[a.email]
				delete(got, a.email)
			}
			for _, n := range got {
				others += n
			}
			return perAck, others, time.Since(start)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// counterMismatches compares the counters Dagplanner keeps (venues.registered,
// sessions.confirmed and sessions.waiting) with the rows they count, straight in the database.
func counterMismatches(ctx context.Context, dsn string) (int, error) {
	driver := "sqlite3"
	if dbKind(dsn) == "PostgreSQL" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n, m int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM venues v WHERE v.registered <>
		(SELECT count(*) FROM registrations r WHERE r.venue_id = v.id AND r.status = 'active')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("compare venue counters: %w", err)
	}
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sessions s WHERE s.confirmed <>
		(SELECT count(*) FROM bookings b WHERE b.session_id = s.id AND b.status = 'confirmed') OR s.waiting <>
		(SELECT count(*) FROM bookings b WHERE b.session_id = s.id AND b.status = 'waitlisted')`).Scan(&m)
	if err != nil {
		return 0, fmt.Errorf("compare session counters: %w", err)
	}
	return n + m, nil
}

// formatConns prints the peak connections per process, "n/a" on SQLite.
func formatConns(peak map[string]int, n int) string {
	if peak == nil {
		return "n/a (SQLite)"
	}
	var parts []string
	for i := range n {
		parts = append(parts, fmt.Sprintf("%s %d", cluster.AppName(i), peak[cluster.AppName(i)]))
	}
	return strings.Join(parts, ", ")
}

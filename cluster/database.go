package cluster

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// CreateDatabase creates a database with a random name on the PostgreSQL server that dsn
// names and returns its DSN; drop removes it again (closing any connection left).
func CreateDatabase(ctx context.Context, dsn string) (fresh string, drop func() error, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, fmt.Errorf("parse database URL: %v", err.(*url.Error).Err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, err
	}
	var b [6]byte
	rand.Read(b[:])
	name := "dagplanner_load_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop = func() error {
		defer admin.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := admin.ExecContext(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

// ConnSampler samples pg_stat_activity every 100 ms and keeps the peak number of
// connections to one database per application_name (so per process).
type ConnSampler struct {
	mu   sync.Mutex
	peak map[string]int
	stop context.CancelFunc
	done chan struct{}
}

// SampleConns starts sampling the connections to the database that dsn names, through a
// connection of its own (application_name dagplanner-sampler, not counted). Stop ends it.
func SampleConns(dsn string) (*ConnSampler, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %v", err.(*url.Error).Err)
	}
	q := u.Query()
	q.Set("application_name", "dagplanner-sampler")
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	s := &ConnSampler{peak: map[string]int{}, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		defer db.Close()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			s.sample(ctx, db)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return s, nil
}

func (s *ConnSampler) sample(ctx context.Context, db *sql.DB) {
	rows, err := db.QueryContext(ctx, `SELECT application_name, count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY application_name`)
	if err != nil {
		return // a missed sample, e.g. while the server is busy; the next one counts
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int
		if rows.Scan(&name, &n) == nil {
			s.mu.Lock()
			s.peak[name] = max(s.peak[name], n)
			s.mu.Unlock()
		}
	}
}

// Stop ends the sampling and returns the peak connections per application_name.
func (s *ConnSampler) Stop() map[string]int {
	s.stop()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// Package modelstest opens real databases for tests: a SQLite file in a temp dir, and a
// fresh database on the PostgreSQL server named by DAGPLANNER_TEST_POSTGRES.
//
// Migrating a database from empty takes most of a second on SQLite and seconds on
// PostgreSQL, and most tests want a fresh one. So the migrations run once: per test binary
// into a SQLite template that each test gets a copy of, and per migration set into a
// PostgreSQL template database that each test's database is created from. The tests of the
// migrations themselves use PostgresDSN (an empty database) or their own file.
package modelstest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	_ "github.com/jackc/pgx/v5/stdlib" // the driver gorm's postgres dialect uses
)

// DefaultPostgres is used when DAGPLANNER_TEST_POSTGRES is unset: the local server CI runs.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// SQLite opens a store on a new, migrated SQLite file in t's temp dir.
func SQLite(t testing.TB) *models.Store {
	t.Helper()
	return open(t, "file:"+MigratedSQLiteFile(t))
}

// MigratedSQLiteFile writes a copy of the migrated template into t's temp dir and returns
// its path: a database as models.Open leaves a new file, for a test that opens it itself
// (or starts the program on it).
func MigratedSQLiteFile(t testing.TB) string {
	t.Helper()
	tmpl, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("migrated SQLite template: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(dst, tmpl.data, 0o600); err != nil {
		t.Fatalf("copy the migrated SQLite template: %v", err)
	}
	return dst
}

// SQLiteCopy opens a store on a copy, in t's temp dir, of the SQLite file at path (a closed
// store's file): tests that each need the same filled database copy one made once instead of
// filling their own.
func SQLiteCopy(t testing.TB, path string) *models.Store {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	dst := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(dst, src, 0o600); err != nil {
		t.Fatalf("copy %s: %v", path, err)
	}
	return open(t, "file:"+dst)
}

// PostgresDSN creates an empty throw-away database and returns its DSN; it is dropped after
// the test. Tests of the migrations start from it; others want MigratedPostgresDSN.
// Without a reachable server the test is skipped, unless DAGPLANNER_REQUIRE_POSTGRES=1 (set by
// scripts/test), where it fails: CI must never pass by skipping PostgreSQL.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return postgresDSN(t, false)
}

// MigratedPostgresDSN creates a throw-away database with every migration done and returns
// its DSN; it is dropped after the test. It is a copy of a template database (see the
// package comment), so it costs a fraction of migrating.
func MigratedPostgresDSN(t testing.TB) string {
	t.Helper()
	return postgresDSN(t, true)
}

func postgresDSN(t testing.TB, migrated bool) string {
	t.Helper()
	base := os.Getenv("DAGPLANNER_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse DAGPLANNER_TEST_POSTGRES: %v", err)
	}
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(context.Background())
	}
	if err != nil {
		if os.Getenv("DAGPLANNER_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at %s: %v", redact(base), err)
		}
		t.Skipf("no PostgreSQL at %s (run scripts/test to start one): %v", redact(base), err)
	}
	name := "dagplanner_test_" + randomHex()
	if migrated {
		err = createFromTemplate(context.Background(), admin, u, name)
	} else {
		_, err = admin.Exec("CREATE DATABASE " + name)
	}
	if err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	return withDatabase(u, name)
}

// withDatabase returns the DSN u with its database replaced by name.
func withDatabase(u *url.URL, name string) string {
	c := *u
	c.Path = "/" + name
	return c.String()
}

func randomHex() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Postgres opens a store on a fresh, migrated PostgreSQL database.
func Postgres(t testing.TB) *models.Store {
	t.Helper()
	return open(t, MigratedPostgresDSN(t))
}

// Each runs fn once per database kind, as subtests named "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachShared runs fn once per database kind with two stores on one database, as two
// Dagplanner processes sharing it would have.
func EachShared(t *testing.T, fn func(t *testing.T, a, b *models.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		dsn := "file:" + MigratedSQLiteFile(t)
		fn(t, open(t, dsn), open(t, dsn))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := MigratedPostgresDSN(t)
		fn(t, open(t, dsn), open(t, dsn))
	})
}

func open(t testing.TB, dsn string) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", redact(dsn), err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable DSN)"
	}
	return u.Redacted()
}

// Actor is who the tests act as: Store methods that change something write an audit entry
// naming the actor in their context, and refuse to without one.
var Actor = models.Actor{Kind: models.ActorCLI, Name: "test"}

// Ctx is a context that names Actor, for tests that call the Store directly.
func Ctx() context.Context {
	return models.WithActor(context.Background(), Actor)
}

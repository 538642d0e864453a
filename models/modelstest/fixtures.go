package modelstest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/jackc/pgx/v5/pgconn"
)

// quickParams make an argon2id hash as cheap as argon2id allows. A hash names its own
// parameters, so signing in with such an account runs the real check, only quicker: tests
// that sign in as one of many accounts to test something else need not spend a second of
// CPU (under -race) on each hash. Tests of passwords and sign-ins themselves make their
// accounts with Store.CreateUser.
var quickParams = &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// quickHashes holds one quick hash per password, made on first use.
var quickHashes sync.Map // password → hash

// QuickPasswordHash returns an argon2id hash of password with the cheapest parameters,
// made once per password and test binary.
func QuickPasswordHash(t testing.TB, password string) string {
	t.Helper()
	if h, ok := quickHashes.Load(password); ok {
		return h.(string)
	}
	h, err := argon2id.CreateHash(password, quickParams)
	if err != nil {
		t.Fatalf("hash password: %v", err)
	}
	actual, _ := quickHashes.LoadOrStore(password, h)
	return actual.(string)
}

// QuickUser stores an account as Store.CreateUser does (the same checks of the input, the
// venue looked up by its slug), except that its password hash is QuickPasswordHash's.
func QuickUser(t testing.TB, s *models.Store, in models.UserInput) models.User {
	t.Helper()
	if p := in.Validate(); len(p) > 0 {
		t.Fatalf("account %s: %v", in.Email, p)
	}
	u := models.User{Email: models.NormalizeEmail(in.Email), Role: in.Role, PasswordHash: QuickPasswordHash(t, in.Password)}
	if in.VenueSlug != "" {
		v, err := s.VenueBySlug(Ctx(), in.VenueSlug)
		if err != nil {
			t.Fatalf("account %s: venue %q: %v", in.Email, in.VenueSlug, err)
		}
		u.VenueID = &v.ID
	}
	if err := s.DB().WithContext(Ctx()).Create(&u).Error; err != nil {
		t.Fatalf("create account %s: %v", u.Email, err)
	}
	return u
}

// Filled makes databases that start out holding what one fill function put in (the demo
// event, say): fill runs once per test binary and database kind, into a template that every
// test then gets its own copy of — a copy of a closed SQLite file, and on PostgreSQL a
// database created from a template database. A copy costs a fraction of filling again.
// Make one per fill in a package variable and Close it from TestMain.
type Filled struct {
	fill   func(ctx context.Context, s *models.Store) error
	sqlite struct {
		once sync.Once
		dir  string
		data []byte
		err  error
	}
	pg struct {
		once  sync.Once
		admin *sql.DB
		base  *url.URL
		name  string
		err   error
	}
}

// NewFilled returns a Filled whose databases hold what fill puts in; fill gets a context
// naming Actor.
func NewFilled(fill func(ctx context.Context, s *models.Store) error) *Filled {
	return &Filled{fill: fill}
}

// SQLite opens a store on a copy, in t's temp dir, of the filled SQLite template.
func (f *Filled) SQLite(t testing.TB) *models.Store {
	t.Helper()
	f.sqlite.once.Do(func() { f.sqlite.dir, f.sqlite.data, f.sqlite.err = f.fillSQLite() })
	if f.sqlite.err != nil {
		t.Fatalf("fill the SQLite template: %v", f.sqlite.err)
	}
	dst := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(dst, f.sqlite.data, 0o600); err != nil {
		t.Fatalf("copy the filled SQLite template: %v", err)
	}
	return open(t, "file:"+dst)
}

func (f *Filled) fillSQLite() (dir string, data []byte, err error) {
	if dir, err = os.MkdirTemp("", "dagplanner-filled-"); err != nil {
		return "", nil, err
	}
	path := filepath.Join(dir, "template.db")
	s, err := models.Open(context.Background(), "file:"+path)
	if err != nil {
		return dir, nil, err
	}
	err = f.fill(Ctx(), s)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return dir, nil, err
	}
	// Closing the last connection folds the write-ahead log into the file; the copies are
	// of the file alone.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return dir, nil, fmt.Errorf("%s-wal is left with %d bytes after closing", path, fi.Size())
	}
	data, err = os.ReadFile(path)
	return dir, data, err
}

// Postgres opens a store on a new PostgreSQL database created from the filled template
// database; it is dropped after the test. Without a server it skips or fails as PostgresDSN.
func (f *Filled) Postgres(t testing.TB) *models.Store {
	t.Helper()
	return open(t, f.PostgresDSN(t))
}

// PostgresDSN creates a new PostgreSQL database from the filled template database and
// returns its URL, for a test that opens it its own way (through a proxy, with its own pool
// settings); it is dropped after the test. Without a server it skips or fails as PostgresDSN.
func (f *Filled) PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("DAGPLANNER_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	f.pg.once.Do(func() { f.pg.err = f.fillPostgres(base) })
	if f.pg.admin == nil { // no server
		if os.Getenv("DAGPLANNER_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at %s: %v", redact(base), f.pg.err)
		}
		t.Skipf("no PostgreSQL at %s (run scripts/test to start one): %v", redact(base), f.pg.err)
	}
	if f.pg.err != nil {
		t.Fatalf("fill the PostgreSQL template: %v", f.pg.err)
	}
	name := "dagplanner_test_" + filledHex()
	if err := execWhenUnused(f.pg.admin, "CREATE DATABASE "+name+" TEMPLATE "+f.pg.name); err != nil {
		t.Fatalf("create database %s from %s: %v", name, f.pg.name, err)
	}
	t.Cleanup(func() { f.pg.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u := *f.pg.base
	u.Path = "/" + name
	return u.String()
}

// fillPostgres makes the template database: created, migrated and filled under its own
// name, closed, and marked a template nobody connects to.
func (f *Filled) fillPostgres(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("parse DAGPLANNER_TEST_POSTGRES: %w", err)
	}
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(context.Background())
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		return err
	}
	f.pg.admin, f.pg.base = admin, u
	f.pg.name = "dagplanner_filled_" + filledHex()
	if _, err := admin.Exec("CREATE DATABASE " + f.pg.name); err != nil {
		return err
	}
	dsn := *u
	dsn.Path = "/" + f.pg.name
	s, err := models.Open(context.Background(), dsn.String())
	if err != nil {
		return err
	}
	err = f.fill(Ctx(), s)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// A connection of the closed pool may still be on its way out.
	if _, err := admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", f.pg.name); err != nil {
		return err
	}
	return execWhenUnused(admin, "ALTER DATABASE "+f.pg.name+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
}

// Each runs fn once per database kind on a filled store, as subtests named "sqlite" and
// "postgres" (as the package's Each does on empty ones).
func (f *Filled) Each(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, f.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, f.Postgres(t)) })
}

// Close removes the templates: the SQLite file and the PostgreSQL template database.
func (f *Filled) Close() {
	if f.sqlite.dir != "" {
		os.RemoveAll(f.sqlite.dir)
	}
	if f.pg.admin != nil {
		if f.pg.name != "" {
			f.pg.admin.Exec("ALTER DATABASE " + f.pg.name + " WITH IS_TEMPLATE false")
			f.pg.admin.Exec("DROP DATABASE IF EXISTS " + f.pg.name + " WITH (FORCE)")
		}
		f.pg.admin.Close()
	}
}

// execWhenUnused runs stmt on admin, trying again for a while as long as PostgreSQL answers
// that a database it needs "is being accessed by other users": a connection that was just
// ended, or one of the server's own workers, may hold it for a moment.
func execWhenUnused(admin *sql.DB, stmt string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := admin.Exec(stmt)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func filledHex() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// attendeeSeq numbers the attendees Attendee registers, so their addresses differ.
var attendeeSeq atomic.Int64

// Attendee registers a new person at the venue with slug for sessions, as the public form
// does (a seat in each, or a place on its waiting list), and returns the registration and
// its token. The store's clock must be in the event's registration window.
func Attendee(t testing.TB, s *models.Store, venueSlug string, sessions ...uint) models.RegistrationResult {
	t.Helper()
	n := attendeeSeq.Add(1)
	res, err := s.Register(Ctx(), models.RegistrationInput{
		Name: fmt.Sprintf("Deelnemer %d", n), Email: fmt.Sprintf("deelnemer-%d@example.nl", n),
		Organisation: "Gemeente Testdorp", Lang: "nl", Venue: venueSlug, Sessions: sessions, Consent: true,
	})
	if err != nil {
		t.Fatalf("register at %s for sessions %v: %v", venueSlug, sessions, err)
	}
	return res
}

// Session creates a session of the event and returns it as Store.Session reads it back:
// with its room and slots.
func Session(t testing.TB, s *models.Store, eventID uint, in models.SessionInput) models.Session {
	t.Helper()
	created, err := s.CreateSession(Ctx(), eventID, in)
	if err != nil {
		t.Fatalf("create session %q: %v", in.Title, err)
	}
	se, err := s.Session(Ctx(), created.ID)
	if err != nil {
		t.Fatalf("read session %q back: %v", in.Title, err)
	}
	return se
}

package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNotFound reports that the requested row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict reports that a write clashes with a row that already exists.
var ErrConflict = errors.New("conflict")

// ErrInvalidCredentials reports a failed log-in without saying which half was wrong.
var ErrInvalidCredentials = errors.New("invalid e-mail address or password")

// Store gives access to Dagplanner's database. It is safe for concurrent use.
//
// Each method's doc comment names the sentinel errors it returns (wrapped: test them with
// errors.Is) and whether input it refuses is a *ValidationError; any write returns ErrClosed
// once the store is closed, and IsUnavailable reports a database that could not be reached.
type Store struct {
	db *gorm.DB
	// wdb is the connection writes go through. On SQLite it is a single connection: SQLite
	// has one writer at a time anyway, and one connection keeps its page cache and prepared
	// statements warm. On PostgreSQL it is the same pool as db.
	wdb    *gorm.DB
	now    func() time.Time
	sqlite bool
	group  groupCommit // batches concurrent writes; see write
	stmts  statements  // the registration rush's prepared statements
	// placements remembers where sessions are, for checking registrations' choices.
	placements placementCache
	// venues remembers venues' registration details for a second (venue_cache.go).
	venues venueCache
	// installationKey holds the installation's key once read: it never changes, and every
	// e-mail's Message-ID asks for it.
	installationKey atomic.Pointer[string]
	stats           stats // what it committed, for /metrics; see stats.go
}

// DefaultMaxConns is how many PostgreSQL connections one process opens at most, unless
// Options says otherwise. PostgreSQL allows 100 by default and keeps 3 for the superuser:
// four processes at 20 leave room for psql, pg_dump and a monitoring agent.
const DefaultMaxConns = 20

// Options tune how the store uses its database.
type Options struct {
	// MaxConns bounds the PostgreSQL connections of this process, the writer's included;
	// 0 is DefaultMaxConns. A request that finds them all busy waits for one. (SQLite has
	// its own fixed pool: one writer and a few readers.)
	MaxConns int
}

// Open connects to the database named by dsn and brings its schema up to date. A dsn that
// starts with postgres:// or postgresql:// selects PostgreSQL; anything else is a SQLite
// file path, optionally prefixed with "file:".
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if opt.MaxConns <= 0 {
		opt.MaxConns = DefaultMaxConns
	}
	if opt.MaxConns < 2 {
		return nil, fmt.Errorf("at least 2 database connections are needed (one writes, one reads), got %d", opt.MaxConns)
	}
	dialector, err := dialectorFor(dsn)
	if err != nil {
		return nil, err
	}
	config := &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		// Statements are prepared once per connection and reused: the hot paths run the same
		// few statements thousands of times.
		PrepareStmt: true,
		NowFunc:     func() time.Time { return time.Now().UTC() },
		// Table names as gorm derives them, derived once per process (see rememberedNames).
		NamingStrategy: rememberedNames{},
	}
	db, err := gorm.Open(dialector, config)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := &Store{db: db, wdb: db, now: time.Now, sqlite: !IsPostgres(dsn)}
	s.group.init(writeLanes(s.sqlite, opt.MaxConns))
	if !s.sqlite {
		if err := s.boundPool(opt.MaxConns); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.migrateAlone(ctx, dsn); err != nil {
		s.Close()
		return nil, err
	}
	if s.sqlite {
		if err := s.openWriter(dialector, config); err != nil {
			s.Close()
			return nil, err
		}
	} else if err := s.openPostgresWriter(dsn, config); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.prepareStatements(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openWriter gives SQLite writes their own single connection and bounds the read pool, so a
// rush of requests cannot open hundreds of connections, each with its own cache.
func (s *Store) openWriter(dialector gorm.Dialector, config *gorm.Config) error {
	readers, err := s.db.DB()
	if err != nil {
		return err
	}
	n := max(8, 4*runtime.NumCPU())
	readers.SetMaxOpenConns(n)
	readers.SetMaxIdleConns(n)
	readers.SetConnMaxIdleTime(0) // keep them: a fresh SQLite connection must first read the schema
	if err := warmReaders(readers, n); err != nil {
		return fmt.Errorf("open database readers: %w", err)
	}
	wdb, err := gorm.Open(dialector, config)
	if err != nil {
		return fmt.Errorf("open database writer: %w", err)
	}
	writer, err := wdb.DB()
	if err != nil {
		return err
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	// The writer never checkpoints the WAL itself: a checkpoint copies pages back into the
	// database file and fsyncs, which would stall every write behind it. Checkpoints run on
	// a reading connection instead (see checkpointSoon).
	// PRAGMAs that answer with a row are read to the end: a statement left mid-result keeps
	// a read transaction open on its connection, which would then see an old snapshot.
	var pages int
	if err := wdb.Raw("PRAGMA wal_autocheckpoint = 0").Scan(&pages).Error; err != nil {
		return fmt.Errorf("configure database writer: %w", err)
	}
	s.wdb = wdb
	return nil
}

// migrationLockKey names the PostgreSQL advisory lock held while migrating.
const migrationLockKey = 0x64616771

// migrateAlone brings the schema up to date. On PostgreSQL several processes may start at
// once (a deploy restarting them all): each waits for the others' migrations on a
// session-level advisory lock, held on a connection of its own outside the bounded pool,
// and then finds them done.
func (s *Store) migrateAlone(ctx context.Context, dsn string) error {
	if s.sqlite {
		return s.migrate(ctx)
	}
	lockDB, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	defer lockDB.Close()
	conn, err := lockDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("migrate database: wait for other processes: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	return s.migrate(ctx)
}

// writeLanes is how many writers commit side by side: one on SQLite, which has one writer
// anyway; on PostgreSQL up to four, a quarter of the connections at most.
func writeLanes(sqlite bool, maxConns int) int {
	if sqlite {
		return 1
	}
	return max(1, min(4, maxConns/4))
}

// boundPool caps the PostgreSQL readers' pool, so that with the writers' connections the
// process stays within maxConns.
// Unbounded (database/sql's default), a rush opened more connections than the server
// allows and locked every other client out; and with only two idle connections kept, every
// burst paid for starting new server processes. So all the connections stay open once made.
func (s *Store) boundPool(maxConns int) error {
	readers, err := s.db.DB()
	if err != nil {
		return err
	}
	n := maxConns - writeLanes(false, maxConns)
	readers.SetMaxOpenConns(n)
	readers.SetMaxIdleConns(n)
	readers.SetConnMaxIdleTime(5 * time.Minute)
	readers.SetConnMaxLifetime(time.Hour) // let PostgreSQL's backends start afresh now and then
	return nil
}

// openPostgresWriter gives PostgreSQL's writers a connection each, like SQLite's writer: a
// writer commits the writes that wait together in one transaction (see groupcommit.go), so
// a rush's registrations stop queueing one by one on the venue's row lock.
//
// The writers' connections plan their statements once (plan_cache_mode force_generic_plan).
// They run the same few statements, all by primary key or unique key, thousands of times;
// by default PostgreSQL plans a prepared statement afresh at every execution until it trusts
// a generic plan, and for the registration's one statement it never did: planning it again
// took a third of the writer's time (measured: 1,337 against 912 registrations a second).
func (s *Store) openPostgresWriter(dsn string, config *gorm.Config) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("open database writer: %w", err)
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_generic_plan")
	}
	u.RawQuery = q.Encode()
	wdb, err := gorm.Open(postgres.Open(u.String()), config)
	if err != nil {
		return fmt.Errorf("open database writer: %w", err)
	}
	writer, err := wdb.DB()
	if err != nil {
		return err
	}
	lanes := len(s.group.lanes)
	writer.SetMaxOpenConns(lanes)
	writer.SetMaxIdleConns(lanes)
	writer.SetConnMaxIdleTime(0)
	s.wdb = wdb
	return nil
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func dialectorFor(dsn string) (gorm.Dialector, error) {
	if IsPostgres(dsn) {
		return postgres.Open(dsn), nil
	}
	return sqlite.Open(sqliteDSN(dsn)), nil
}

// sqliteBusyTimeout is how many milliseconds a connection waits for a lock (see also
// checkpointSoon, which shortens it for a moment).
const sqliteBusyTimeout = "10000"

// sqliteDSN adds the settings every pooled connection needs. They live in the DSN, not in a
// one-off PRAGMA, because database/sql opens new connections whenever it likes.
func sqliteDSN(dsn string) string {
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		params = url.Values{}
	}
	defaults := map[string]string{
		"_journal_mode": "WAL",
		"_foreign_keys": "on",
		"_busy_timeout": sqliteBusyTimeout,
		"_synchronous":  "NORMAL",
		// Writers take the lock when their transaction begins, so two transactions never
		// deadlock by both upgrading a read lock.
		"_txlock": "immediate",
	}
	for k, v := range defaults {
		if params.Get(k) == "" {
			params.Set(k, v)
		}
	}
	return "file:" + path + "?" + params.Encode()
}

// warmReaders opens all n reading connections at start-up and has each read the schema.
// Otherwise the first burst of requests (registration opening, the doors opening) pays for
// opening them, and the slowest one percent of a rush were all in its first 100 ms.
func warmReaders(db *sql.DB, n int) error {
	ctx := context.Background()
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		var count int
		if err := c.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&count); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the database connections.
func (s *Store) Close() error {
	s.stopWriter()
	s.closeStatements()
	if s.wdb != nil && s.wdb != s.db {
		if w, err := s.wdb.DB(); err == nil {
			w.Close()
		}
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Now is the store's clock: the time the registration window and the jobs go by.
func (s *Store) Now() time.Time { return s.now() }

// SetClock replaces the store's clock; tests use it to freeze time.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// DB exposes the underlying connection for tests and migrations tooling. Whoever takes it
// may change anything, so the store forgets what it remembers of venues.
func (s *Store) DB() *gorm.DB {
	s.venues.forget()
	return s.db
}

// notFound turns gorm's record-not-found into ErrNotFound, with context.
func notFound(err error, what string, id any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s %v: %w", what, id, ErrNotFound)
	}
	return fmt.Errorf("%s %v: %w", what, id, err)
}

// Package models holds Dagplanner's data: the gorm types, their validation and the Store
// through which every database read and write goes.
package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
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
type Store struct {
	db     *gorm.DB
	now    func() time.Time
	sqlite bool
	group  groupCommit // batches concurrent writes on SQLite; see write
}

// Open connects to the database named by dsn and brings its schema up to date. A dsn that
// starts with postgres:// or postgresql:// selects PostgreSQL; anything else is a SQLite
// file path, optionally prefixed with "file:".
func Open(ctx context.Context, dsn string) (*Store, error) {
	dialector, err := dialectorFor(dsn)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		// Statements are prepared once per connection and reused: the hot paths run the same
		// few statements thousands of times.
		PrepareStmt: true,
		NowFunc:     func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := &Store{db: db, now: time.Now, sqlite: !IsPostgres(dsn)}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
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
		"_busy_timeout": "10000",
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

// Close releases the database connections.
func (s *Store) Close() error {
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

// SetClock replaces the store's clock; tests use it to freeze time.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// DB exposes the underlying connection for tests and migrations tooling.
func (s *Store) DB() *gorm.DB { return s.db }

// notFound turns gorm's record-not-found into ErrNotFound, with context.
func notFound(err error, what string, id any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s %v: %w", what, id, ErrNotFound)
	}
	return fmt.Errorf("%s %v: %w", what, id, err)
}

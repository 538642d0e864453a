package modelstest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/mattn/go-sqlite3" // reads the template's schema
)

// templateFormat is part of every template's fingerprint: bump it to retire all templates
// when the way they are made changes.
const templateFormat = "1"

// templatePrefix starts the name of every PostgreSQL template database, which ends in 16
// hexadecimal digits of the fingerprint; scripts/test drops them when it starts.
const templatePrefix = "dagplanner_tmpl_"

// sqliteTmpl is a migrated SQLite database, made once per test binary.
type sqliteTmpl struct {
	data []byte // the file, as models.Open and Close leave it
	// fingerprint identifies the migration set: a hash of the migration ids and of the
	// schema they make. It names the PostgreSQL template.
	fingerprint string
}

var sqliteTemplate = sync.OnceValues(func() (sqliteTmpl, error) {
	dir, err := os.MkdirTemp("", "dagplanner-modelstest-")
	if err != nil {
		return sqliteTmpl{}, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	s, err := models.Open(context.Background(), "file:"+path)
	if err != nil {
		return sqliteTmpl{}, err
	}
	if err := s.Close(); err != nil {
		return sqliteTmpl{}, err
	}
	// The last connection to close folds the write-ahead log into the file; the copies must
	// not need it.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return sqliteTmpl{}, fmt.Errorf("%s-wal is left with %d bytes after closing", path, fi.Size())
	}
	fp, err := schemaFingerprint(path)
	if err != nil {
		return sqliteTmpl{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return sqliteTmpl{}, err
	}
	return sqliteTmpl{data: data, fingerprint: fp}, nil
})

// schemaFingerprint hashes the migration ids and the schema of the SQLite database at path.
// A migration that is still being written may change without a new id; the schema it makes
// on SQLite then changes the fingerprint too. (A change that shows on PostgreSQL alone does
// not: scripts/test drops the templates when it starts.)
func schemaFingerprint(path string) (string, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return "", err
	}
	defer db.Close()
	h := sha256.New()
	fmt.Fprintf(h, "format %s\n", templateFormat)
	for _, q := range []string{
		"SELECT id FROM schema_migrations ORDER BY id",
		"SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_schema ORDER BY type, name",
	} {
		rows, err := db.Query(q)
		if err != nil {
			return "", fmt.Errorf("fingerprint the schema: %w", err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return "", err
			}
			fmt.Fprintln(h, line)
		}
		if err := rows.Close(); err != nil {
			return "", err
		}
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// templateLockKey names the PostgreSQL advisory lock (in the server's maintenance database)
// that test binaries hold while one of them makes a template, so the others wait and use it.
const templateLockKey = 0x64617470

// pgTemplate remembers the template this process made sure of.
var pgTemplate struct {
	sync.Mutex
	name string
}

// createFromTemplate creates the database name as a copy of the migrated template on the
// server of admin, making the template first when it is missing.
func createFromTemplate(ctx context.Context, admin *sql.DB, base *url.URL, name string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		tmpl, err := ensureTemplate(ctx, admin, base)
		if err != nil {
			return err
		}
		_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl)
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			return nil
		case time.Now().After(deadline):
			return err
		case errors.As(err, &pgErr) && pgErr.Code == "3D000":
			// The template is gone (scripts/test dropped an older set's while we ran):
			// make it again.
			pgTemplate.Lock()
			pgTemplate.name = ""
			pgTemplate.Unlock()
		case errors.As(err, &pgErr) && pgErr.Code == "55006":
			// "source database is being accessed by other users": nothing of ours
			// connects to a template, but the server's own workers may for a moment.
			time.Sleep(50 * time.Millisecond)
		default:
			return err
		}
	}
}

// ensureTemplate returns the name of the template database of this migration set, making
// it when no test binary has yet. It is made under a fresh name, migrated, closed, marked a
// template that accepts no connections, and only then renamed to its own name, so a
// template that exists is always complete.
func ensureTemplate(ctx context.Context, admin *sql.DB, base *url.URL) (string, error) {
	pgTemplate.Lock()
	defer pgTemplate.Unlock()
	if pgTemplate.name != "" {
		return pgTemplate.name, nil
	}
	sqlite, err := sqliteTemplate()
	if err != nil {
		return "", fmt.Errorf("migrated SQLite template (which names the PostgreSQL one): %w", err)
	}
	name := templatePrefix + sqlite.fingerprint
	exists := func() (bool, error) {
		var n int
		err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1 AND datistemplate", name).Scan(&n)
		return n > 0, err
	}
	if ok, err := exists(); err != nil || ok {
		if ok {
			pgTemplate.name = name
		}
		return name, err
	}

	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return "", fmt.Errorf("wait for other test binaries making the template: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", templateLockKey)
	if ok, err := exists(); err != nil || ok {
		if ok {
			pgTemplate.name = name
		}
		return name, err
	}

	building := name + "_" + randomHex()
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", fmt.Errorf("create template %s: %w", building, err)
	}
	if err := makeTemplate(ctx, conn, base, building, name); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
		return "", fmt.Errorf("make template %s: %w", name, err)
	}
	pgTemplate.name = name
	return name, nil
}

// makeTemplate migrates the empty database building and turns it into the template name.
func makeTemplate(ctx context.Context, conn *sql.Conn, base *url.URL, building, name string) error {
	s, err := models.Open(ctx, withDatabase(base, building))
	if err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	// A connection of the closed pools may still be on its way out.
	if _, err := conn.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", building); err != nil {
		return err
	}
	for _, stmt := range []string{
		"ALTER DATABASE " + building + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
		"ALTER DATABASE " + building + " RENAME TO " + name,
	} {
		if err := execWhenFree(ctx, conn, stmt); err != nil {
			return err
		}
	}
	return nil
}

// execWhenFree runs stmt, trying again for a few seconds while the database it changes is
// still "being accessed by other users" (a terminated connection takes a moment to go).
func execWhenFree(ctx context.Context, conn *sql.Conn, stmt string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := conn.ExecContext(ctx, stmt)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

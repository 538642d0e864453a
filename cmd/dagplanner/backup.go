package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
)

// backup implements "dagplanner backup --to FILE". SQLite: a consistent copy made while the
// server runs (VACUUM INTO). PostgreSQL: pg_dump in its custom format, for pg_restore; without
// pg_dump on the PATH it says how to run it and fails. It never overwrites a file.
func backup(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner backup", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	to := fs.String("to", "", "the backup file to create; an existing file is never overwritten (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to FILE is required")
	}
	if err := mustNotExist(*to); err != nil {
		return err
	}
	if models.IsPostgres(*db) {
		return pgDump(ctx, *db, *to, stdout)
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.BackupSQLite(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up to %s. To restore: stop Dagplanner, copy this file over %s (and remove %s-wal and %s-shm), start it again.\n", *to, *db, *db, *db)
	return nil
}

func mustNotExist(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s: %w", path, models.ErrBackupExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// pgDump runs pg_dump in its custom format. The password goes to pg_dump in PGPASSWORD, not
// on its command line, where other users of the machine could read it.
func pgDump(ctx context.Context, dsn, to string, stdout io.Writer) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("backup: --db is not a URL: %w", err)
	}
	password, hasPassword := u.User.Password()
	if hasPassword {
		u.User = url.User(u.User.Username())
	}
	pgdump, err := exec.LookPath("pg_dump")
	if err != nil {
		fmt.Fprintf(stdout, `pg_dump was not found on the PATH. Install PostgreSQL's client tools (Debian: apt install postgresql-client,
the same major version as the server or newer) and run:
  pg_dump --format=custom --file %s --dbname '%s'
Restore into an empty database with:
  pg_restore --no-owner --dbname 'postgres://…/NEWDB' %s
`, to, u.Redacted(), to)
		return errors.New("backup: pg_dump not found")
	}
	cmd := exec.CommandContext(ctx, pgdump, "--format=custom", "--file", to, "--dbname", u.String())
	cmd.Env = os.Environ()
	if hasPassword {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("backup: pg_dump: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	fmt.Fprintf(stdout, "Backed up to %s with pg_dump. To restore into an empty database: pg_restore --no-owner --dbname 'postgres://…/NEWDB' %s\n", to, to)
	return nil
}

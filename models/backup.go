package models

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrBackupExists reports a backup file that is already there: a backup never overwrites.
var ErrBackupExists = errors.New("backup file already exists")

// ErrBackupUnsupported reports a backup asked of PostgreSQL, which pg_dump does better.
var ErrBackupUnsupported = errors.New("the store backs up SQLite only; use pg_dump for PostgreSQL")

// BackupSQLite writes a consistent copy of the SQLite database to the new file path. It runs
// while the server runs: VACUUM INTO reads one snapshot, so writes made meanwhile are either
// wholly in the copy or not at all, and it blocks no writer.
// It returns ErrBackupUnsupported on PostgreSQL, and ErrBackupExists when a file is already at the
// path.
func (s *Store) BackupSQLite(ctx context.Context, path string) error {
	if !s.sqlite {
		return ErrBackupUnsupported
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("back up to %s: %w", path, ErrBackupExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	return nil
}

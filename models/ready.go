package models

import (
	"context"
	"errors"
	"fmt"
)

// ErrMigrationsBehind reports a database whose schema is not the one this program expects.
var ErrMigrationsBehind = errors.New("database migrations are not current")

// Ready reports whether the store can serve: the database answers and its newest applied
// migration is the newest this program knows. A load balancer sends no traffic to a process
// that is not ready.
// It returns ErrMigrationsBehind when the database lacks the newest migration.
func (s *Store) Ready(ctx context.Context) error {
	var last string
	err := s.db.WithContext(ctx).Raw("SELECT id FROM schema_migrations ORDER BY id DESC LIMIT 1").Scan(&last).Error
	if err != nil {
		return fmt.Errorf("ready: %w", err)
	}
	// Migration ids start with their date, so the newest sorts last.
	if want := migrations[len(migrations)-1].ID; last != want {
		return fmt.Errorf("ready: newest migration is %q, want %q: %w", last, want, ErrMigrationsBehind)
	}
	return nil
}

package models

import (
	"context"

	"gorm.io/gorm"
)

// WriteAuditAlone writes one audit entry in a transaction of its own, outside group commit,
// as a writer of another lane or another process does: tests use it to make writers race.
func (s *Store) WriteAuditAlone(ctx context.Context, by Actor, rec AuditRecord) error {
	db := s.db // PostgreSQL: a pool, so writers really run side by side
	if s.sqlite {
		db = s.wdb // SQLite: its one writer connection
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return writeAudit(tx, s.now(), by, rec)
	})
}

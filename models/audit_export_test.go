package models

import (
	"context"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
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

// MigrateTo brings the empty database at dsn up to migration id and no further, as an older
// version of Dagplanner left it, and lets fill put that version's rows in: a test of the
// next migration then opens it with Open.
func MigrateTo(ctx context.Context, dsn, id string, fill func(db *gorm.DB) error) error {
	dialector, err := dialectorFor(dsn)
	if err != nil {
		return err
	}
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard, NamingStrategy: rememberedNames{}})
	if err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	m := gormigrate.New(db.WithContext(ctx), &gormigrate.Options{TableName: "schema_migrations", IDColumnName: "id",
		IDColumnSize: 255, UseTransaction: true, ValidateUnknownMigrations: true}, migrations)
	if err := m.MigrateTo(id); err != nil {
		return err
	}
	return fill(db.WithContext(ctx))
}

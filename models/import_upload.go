package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// importUploadTTL is how long a checked upload waits for the organiser to press "Importeren".
const importUploadTTL = time.Hour

// ImportUpload is a file an organiser uploaded and checked, kept in the database (not in one
// process's memory, so that any process behind the proxy can import it) between the preview
// and the import. Its id is the SHA-256 of a random token that only the organiser's page has.
type ImportUpload struct {
	ID        string `gorm:"size:64;primaryKey"`
	ActorKind string `gorm:"size:20;not null"`
	ActorID   uint   `gorm:"not null"`
	VenueID   uint   `gorm:"not null"`
	FileName  string `gorm:"size:200;not null;default:''"`
	RowsJSON  string `gorm:"type:text;not null"`
	CreatedAt time.Time
	ExpiresAt time.Time `gorm:"not null;index"`
}

// SaveImportUpload keeps checked rows for an hour and returns the token that imports them.
// Expired uploads are removed on the way.
func (s *Store) SaveImportUpload(ctx context.Context, by Actor, venueID uint, fileName string, rows []ImportRow) (string, error) {
	data, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("save import: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now().UTC()
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("expires_at < ?", now).Delete(&ImportUpload{}).Error; err != nil {
			return err
		}
		return tx.Create(&ImportUpload{ID: hashToken(token), ActorKind: by.Kind, ActorID: by.ID, VenueID: venueID,
			FileName: truncate(fileName, 200), RowsJSON: string(data), CreatedAt: now, ExpiresAt: now.Add(importUploadTTL)}).Error
	})
	if err != nil {
		return "", fmt.Errorf("save import: %w", err)
	}
	return token, nil
}

// SavedImport is an upload as kept: where it goes, the file's name and its rows.
type SavedImport struct {
	VenueID  uint
	FileName string
	Rows     []ImportRow
}

// findUpload reads the actor's unexpired upload with token; anything else is ErrNotFound.
func findUpload(db *gorm.DB, by Actor, token string, now time.Time) (SavedImport, error) {
	if len(token) < 20 || len(token) > 100 {
		return SavedImport{}, fmt.Errorf("import upload: %w", ErrNotFound)
	}
	var up ImportUpload
	err := db.Where("id = ? AND actor_kind = ? AND actor_id = ? AND expires_at > ?", hashToken(token), by.Kind, by.ID, now).First(&up).Error
	if err != nil {
		return SavedImport{}, notFound(err, "import upload", "")
	}
	out := SavedImport{VenueID: up.VenueID, FileName: up.FileName}
	if err := json.Unmarshal([]byte(up.RowsJSON), &out.Rows); err != nil {
		return SavedImport{}, fmt.Errorf("import upload: %w", err)
	}
	return out, nil
}

// SavedImport returns the actor's upload with token, if it has not expired.
// It returns ErrNotFound when the token leads to no upload of this account (or it has expired).
func (s *Store) SavedImport(ctx context.Context, by Actor, token string) (SavedImport, error) {
	return findUpload(s.db.WithContext(ctx), by, token, s.now().UTC())
}

// ImportSaved imports the actor's upload with token (see ImportRegistrations) and removes it,
// in one transaction: pressing the button twice imports once. An upload that is gone or
// expired is ErrNotFound.
func (s *Store) ImportSaved(ctx context.Context, by Actor, token string) (ImportResult, error) {
	var res ImportResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		up, err := findUpload(tx, by, token, s.now().UTC())
		if err != nil {
			return err
		}
		if res, err = s.importTx(tx, by, up.VenueID, up.Rows); err != nil {
			return err
		}
		return tx.Delete(&ImportUpload{}, "id = ?", hashToken(token)).Error
	})
	if err == nil || errors.Is(err, errImportRefused) {
		return res, nil
	}
	return ImportResult{}, fmt.Errorf("import saved upload: %w", err)
}

// migrateImports adds the table that keeps checked uploads between preview and import.
func migrateImports(tx *gorm.DB) error {
	type ImportUpload struct {
		ID        string `gorm:"size:64;primaryKey"`
		ActorKind string `gorm:"size:20;not null"`
		ActorID   uint   `gorm:"not null"`
		VenueID   uint   `gorm:"not null"`
		FileName  string `gorm:"size:200;not null;default:''"`
		RowsJSON  string `gorm:"type:text;not null"`
		CreatedAt time.Time
		ExpiresAt time.Time `gorm:"not null;index"`
	}
	return tx.Migrator().CreateTable(&ImportUpload{})
}

package models

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Installation holds what tells this installation (this database) apart from every other
// one: a random key made once and kept. Mail uses it so that Message-IDs never repeat
// across installations.
type Installation struct {
	ID        uint   `gorm:"primaryKey;autoIncrement:false"`
	Key       string `gorm:"size:32;not null"`
	CreatedAt time.Time
}

// installationRow is the id of the one row.
const installationRow = 1

// InstallationKey returns the installation's random key (32 lower-case base32 characters,
// 160 bits), creating it the first time. Two processes asking at once get the same key: the
// second insert is ignored and the stored key is read back.
func (s *Store) InstallationKey(ctx context.Context) (string, error) {
	if k := s.installationKey.Load(); k != nil {
		return *k, nil
	}
	key, err := s.readInstallationKey(ctx)
	if err == nil {
		s.installationKey.Store(&key)
	}
	return key, err
}

func (s *Store) readInstallationKey(ctx context.Context) (string, error) {
	var in Installation
	err := s.db.WithContext(ctx).First(&in, installationRow).Error
	if err == nil {
		return in.Key, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fmt.Errorf("installation key: %w", err)
	}
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate installation key: %w", err)
	}
	fresh := Installation{ID: installationRow, Key: strings.ToLower(base32.StdEncoding.EncodeToString(b[:])), CreatedAt: s.now().UTC()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
		return "", fmt.Errorf("store installation key: %w", err)
	}
	if err := s.db.WithContext(ctx).First(&in, installationRow).Error; err != nil {
		return "", fmt.Errorf("installation key: %w", err)
	}
	return in.Key, nil
}

// migrateInstallation adds the installation table (migration 2026120607); its one row is
// made on first use.
func migrateInstallation(tx *gorm.DB) error {
	type Installation struct {
		ID        uint   `gorm:"primaryKey;autoIncrement:false"`
		Key       string `gorm:"size:32;not null"`
		CreatedAt time.Time
	}
	return tx.Migrator().CreateTable(&Installation{})
}

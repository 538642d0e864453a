package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CalendarFeed is the read-only token of an attendee's personal calendar feed. The feed's
// address is what people paste into a calendar app, which keeps it, syncs it through other
// servers and sometimes shares it, so it must never be the personal link that can change or
// cancel the booking. The token only reads, and the booking page shows it again and again,
// so it is stored as it is (unlike the personal links, which are stored hashed).
type CalendarFeed struct {
	RegistrationID uint   `gorm:"primaryKey;autoIncrement:false"`
	Token          string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt      time.Time
	Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
}

// CalendarFeedToken returns the registration's feed token, creating it the first time it is
// asked for: registrations made before feeds had their own token get one then.
// It returns ErrNotFound when there is no such registration.
func (s *Store) CalendarFeedToken(ctx context.Context, regID uint) (string, error) {
	db := s.db.WithContext(ctx)
	var f CalendarFeed
	if err := db.Where("registration_id = ?", regID).Limit(1).Find(&f).Error; err != nil {
		return "", fmt.Errorf("calendar feed of registration %d: %w", regID, err)
	}
	if f.Token != "" {
		return f.Token, nil
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	f = CalendarFeed{RegistrationID: regID, Token: base64.RawURLEncoding.EncodeToString(b[:]), CreatedAt: s.now().UTC()}
	// Two requests at once: the first insert wins and both read its token.
	// Through the writer, as every write: on SQLite a write on the readers' pool would wait
	// for the writer's lock and hold up its batches.
	if err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Omit(clause.Associations).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "registration_id"}}, DoNothing: true}).
			Create(&f).Error
	}); err != nil {
		return "", fmt.Errorf("calendar feed of registration %d: %w", regID, err)
	}
	if err := db.Where("registration_id = ?", regID).First(&f).Error; err != nil {
		return "", notFound(err, "calendar feed of registration", regID)
	}
	return f.Token, nil
}

// RegistrationByFeedToken finds the registration of a calendar feed token. An unknown token
// is ErrNotFound.
func (s *Store) RegistrationByFeedToken(ctx context.Context, token string) (Registration, error) {
	if token == "" || len(token) > 64 {
		return Registration{}, fmt.Errorf("calendar feed: %w", ErrNotFound)
	}
	var f CalendarFeed
	if err := s.db.WithContext(ctx).Where("token = ?", token).First(&f).Error; err != nil {
		return Registration{}, notFound(err, "calendar feed", "…")
	}
	return s.Registration(ctx, f.RegistrationID)
}

// migrateCalendarFeeds gives personal calendar feeds a read-only token of their own (#12).
// Existing registrations get theirs the first time their booking page or an e-mail needs it.
func migrateCalendarFeeds(tx *gorm.DB) error {
	type Registration struct{ ID uint }
	type CalendarFeed struct {
		RegistrationID uint   `gorm:"primaryKey;autoIncrement:false"`
		Token          string `gorm:"size:64;not null;uniqueIndex"`
		CreatedAt      time.Time
		Registration   Registration `gorm:"constraint:OnDelete:CASCADE"`
	}
	return tx.Migrator().CreateTable(&CalendarFeed{})
}

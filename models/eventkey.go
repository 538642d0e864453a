package models

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// EventKey is the event's Ed25519 key pair: tickets are signed with the private key, which
// never leaves the server, and doors verify them offline with the public key.
type EventKey struct {
	EventID    uint   `gorm:"primaryKey"`
	PublicKey  []byte `gorm:"not null"`
	PrivateKey []byte `gorm:"not null"`
	CreatedAt  time.Time
}

// KeyID names the public key, so a verifier can tell keys apart: the first 8 bytes of its
// SHA-256, in hex.
func (k EventKey) KeyID() string {
	sum := sha256.Sum256(k.PublicKey)
	return hex.EncodeToString(sum[:8])
}

// EventKey returns the event's key pair, creating it the first time. Two processes asking at
// once get the same key: the second insert is ignored and the stored key is read back.
func (s *Store) EventKey(ctx context.Context, eventID uint) (EventKey, error) {
	var k EventKey
	err := s.db.WithContext(ctx).First(&k, "event_id = ?", eventID).Error
	if err == nil {
		return k, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return EventKey{}, fmt.Errorf("event key %d: %w", eventID, err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return EventKey{}, fmt.Errorf("generate event key: %w", err)
	}
	fresh := EventKey{EventID: eventID, PublicKey: pub, PrivateKey: priv, CreatedAt: s.now().UTC()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
		return EventKey{}, fmt.Errorf("store event key %d: %w", eventID, err)
	}
	if err := s.db.WithContext(ctx).First(&k, "event_id = ?", eventID).Error; err != nil {
		return EventKey{}, fmt.Errorf("event key %d: %w", eventID, err)
	}
	return k, nil
}

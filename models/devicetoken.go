package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DeviceToken lets a scanning device (a phone or laptop at a door) use the door API without
// a personal account. Only the SHA-256 of the token is stored: the token itself is shown
// once, when it is made.
type DeviceToken struct {
	ID         uint
	Name       string `gorm:"size:100;not null"`
	Role       string `gorm:"size:20;not null"`
	VenueID    uint   `gorm:"not null;index"`
	Venue      Venue  `gorm:"constraint:OnDelete:CASCADE"`
	Hash       string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt  time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// DeviceTokenPrefix starts every device token, so a leaked one is recognisable in a log or
// a secret scanner.
const DeviceTokenPrefix = "dpd_"

// DeviceTokenInput describes a device token to make.
type DeviceTokenInput struct {
	Name      string
	Role      string
	VenueSlug string
	// VenueID, when set, names the venue instead of the slug, which means the current
	// edition's: an organiser pairing a device in the edition they work on.
	VenueID uint
}

// Validate reports what is wrong with the input. Device tokens are for door devices only:
// organisers sign in with their own account.
func (in DeviceTokenInput) Validate() Problems {
	p := Problems{}
	p.checkLine("name", in.Name, true, 100)
	p.checkName("name", in.Name)
	if in.Role != RoleDoor {
		p.Add("role", "form.invalid_choice")
	}
	if strings.TrimSpace(in.VenueSlug) == "" {
		p.Add("venue", "form.door_needs_venue")
	}
	return p
}

// hashDeviceToken is what is stored of a token.
func hashDeviceToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateDeviceToken makes a token for a door device and returns it with the secret token,
// which is not stored and cannot be shown again.
// It returns a *ValidationError when the input is not valid or names an unknown venue.
func (s *Store) CreateDeviceToken(ctx context.Context, in DeviceTokenInput) (DeviceToken, string, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := invalid(in.Validate()); err != nil {
		return DeviceToken{}, "", err
	}
	v, err := s.venueByIDOrSlug(ctx, in.VenueID, in.VenueSlug)
	if errors.Is(err, ErrNotFound) {
		return DeviceToken{}, "", invalid(Problems{"venue": {Key: "form.unknown_venue"}})
	}
	if err != nil {
		return DeviceToken{}, "", err
	}
	var secret [32]byte // 256 bits
	if _, err := rand.Read(secret[:]); err != nil {
		return DeviceToken{}, "", fmt.Errorf("device token: %w", err)
	}
	token := DeviceTokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret[:]))
	t := DeviceToken{Name: in.Name, Role: in.Role, VenueID: v.ID, Hash: hashDeviceToken(token), CreatedAt: s.now().UTC()}
	err = s.writeFor(ctx, v.ID, func(tx *gorm.DB) error {
		t.ID = 0 // a batch may run this again
		if err := tx.Omit("Venue").Create(&t).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionDeviceTokenCreated, SubjectKind: SubjectDeviceToken, SubjectID: t.ID,
			VenueID: v.ID, Details: map[string]any{"new": map[string]any{"name": t.Name, "role": t.Role, "venue": v.Slug}}})
	})
	if err != nil {
		return DeviceToken{}, "", fmt.Errorf("create device token %q: %w", in.Name, err)
	}
	t.Venue = v
	return t, token, nil
}

// DeviceTokenBySecret returns the token's device with its venue, or ErrNotFound when the
// token is unknown or revoked.
func (s *Store) DeviceTokenBySecret(ctx context.Context, token string) (DeviceToken, error) {
	if !strings.HasPrefix(token, DeviceTokenPrefix) || len(token) > 200 {
		return DeviceToken{}, fmt.Errorf("device token: %w", ErrNotFound)
	}
	var t DeviceToken
	err := s.db.WithContext(ctx).Preload("Venue").
		Where("hash = ? AND revoked_at IS NULL", hashDeviceToken(token)).First(&t).Error
	if err != nil {
		return DeviceToken{}, notFound(err, "device token", "(secret)")
	}
	return t, nil
}

// TouchDeviceToken records that a device was seen now.
func (s *Store) TouchDeviceToken(ctx context.Context, t DeviceToken) error {
	now := s.now().UTC()
	return s.db.WithContext(ctx).Model(&DeviceToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error
}

// DeviceTokens lists a venue's device tokens, the newest first, revoked ones included.
func (s *Store) DeviceTokens(ctx context.Context, venueID uint) ([]DeviceToken, error) {
	var ts []DeviceToken
	err := s.db.WithContext(ctx).Where("venue_id = ?", venueID).Order("id DESC").Find(&ts).Error
	if err != nil {
		return nil, fmt.Errorf("device tokens of venue %d: %w", venueID, err)
	}
	return ts, nil
}

// DeviceToken returns one device token, revoked or not.
// It returns ErrNotFound when there is no such token.
func (s *Store) DeviceToken(ctx context.Context, id uint) (DeviceToken, error) {
	var t DeviceToken
	if err := s.db.WithContext(ctx).Preload("Venue").First(&t, id).Error; err != nil {
		return DeviceToken{}, notFound(err, "device token", id)
	}
	return t, nil
}

// RevokeDeviceToken stops a token from working. Servers cache tokens for a few seconds (see
// handlers.deviceTTL); the one that revokes forgets it at once. Revoking twice keeps the first time.
// It returns ErrNotFound when there is no such token.
func (s *Store) RevokeDeviceToken(ctx context.Context, id uint) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var t DeviceToken
		if err := tx.First(&t, id).Error; err != nil {
			return notFound(err, "device token", id)
		}
		res := tx.Model(&DeviceToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", s.now().UTC())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // revoked already: nothing changed
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionDeviceTokenRevoked, SubjectKind: SubjectDeviceToken, SubjectID: id,
			VenueID: t.VenueID, Details: map[string]any{"name": t.Name, "role": t.Role}})
	})
	if err != nil {
		return fmt.Errorf("revoke device token %d: %w", id, err)
	}
	return nil
}

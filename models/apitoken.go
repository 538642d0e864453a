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
)

// APIToken lets an integration act as an organiser on the API and on the export URLs
// ("Authorization: Bearer dpo_…"), with the token's role and, when VenueID is set, only for
// that venue. Only the SHA-256 of the token is stored: the token itself is shown once.
type APIToken struct {
	ID         uint
	Name       string `gorm:"size:100;not null"`
	Role       string `gorm:"size:20;not null"`
	VenueID    *uint  `gorm:"index"`
	Venue      *Venue `gorm:"constraint:OnDelete:CASCADE"`
	Hash       string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt  time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// TableName keeps the table's name readable ("api_tokens", not "a_p_i_tokens").
func (APIToken) TableName() string { return "api_tokens" }

// APITokenPrefix starts every organiser's API token, so a leaked one is recognisable.
const APITokenPrefix = "dpo_"

// APITokenInput describes an API token to make.
type APITokenInput struct {
	Name      string
	Role      string
	VenueSlug string // empty for every venue
}

// Validate reports what is wrong with the input. API tokens act as organisers; door
// devices have device tokens of their own.
func (in APITokenInput) Validate() Problems {
	p := Problems{}
	p.checkLine("name", in.Name, true, 100)
	p.checkName("name", in.Name)
	if in.Role != RoleOrganiser {
		p.Add("role", "form.invalid_choice")
	}
	return p
}

// AsUser is the account the token acts as: its role and venue scope, without an address or
// a password. Checks written for accounts (CanManageVenue and the like) hold for tokens too.
func (t APIToken) AsUser() User {
	return User{Role: t.Role, VenueID: t.VenueID, Email: "token:" + t.Name}
}

// Actor is the token as the audit trail names it.
func (t APIToken) Actor() Actor { return Actor{Kind: ActorToken, ID: t.ID, Name: t.Name} }

// CreateAPIToken makes an organiser's API token and returns it with the secret token, which
// is not stored and cannot be shown again.
// It returns a *ValidationError when the input is not valid or names an unknown venue.
func (s *Store) CreateAPIToken(ctx context.Context, in APITokenInput) (APIToken, string, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := invalid(in.Validate()); err != nil {
		return APIToken{}, "", err
	}
	t := APIToken{Name: in.Name, Role: in.Role, CreatedAt: s.now().UTC()}
	if in.VenueSlug != "" {
		v, err := s.VenueBySlug(ctx, in.VenueSlug)
		if errors.Is(err, ErrNotFound) {
			return APIToken{}, "", invalid(Problems{"venue": {Key: "form.unknown_venue"}})
		}
		if err != nil {
			return APIToken{}, "", err
		}
		t.VenueID, t.Venue = &v.ID, &v
	}
	var secret [32]byte // 256 bits
	if _, err := rand.Read(secret[:]); err != nil {
		return APIToken{}, "", fmt.Errorf("api token: %w", err)
	}
	token := APITokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret[:]))
	t.Hash = hashDeviceToken(token)
	err := s.write(ctx, func(tx *gorm.DB) error {
		t.ID = 0 // a batch may run this again
		if err := tx.Omit("Venue").Create(&t).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionAPITokenCreated, SubjectKind: SubjectAPIToken, SubjectID: t.ID,
			VenueID: derefVenue(t.VenueID), Details: map[string]any{"new": map[string]any{"name": t.Name, "role": t.Role, "venue": in.VenueSlug}}})
	})
	if err != nil {
		return APIToken{}, "", fmt.Errorf("create api token %q: %w", in.Name, err)
	}
	return t, token, nil
}

// APITokenBySecret returns the token with its venue, or ErrNotFound when the token is
// unknown or revoked.
func (s *Store) APITokenBySecret(ctx context.Context, token string) (APIToken, error) {
	if !strings.HasPrefix(token, APITokenPrefix) || len(token) > 200 {
		return APIToken{}, fmt.Errorf("api token: %w", ErrNotFound)
	}
	var t APIToken
	err := s.db.WithContext(ctx).Preload("Venue").
		Where("hash = ? AND revoked_at IS NULL", hashDeviceToken(token)).First(&t).Error
	if err != nil {
		return APIToken{}, notFound(err, "api token", "(secret)")
	}
	return t, nil
}

// APITokens lists the organisers' API tokens, the newest first, revoked ones included.
func (s *Store) APITokens(ctx context.Context) ([]APIToken, error) {
	var ts []APIToken
	if err := s.db.WithContext(ctx).Preload("Venue").Order("id DESC").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("api tokens: %w", err)
	}
	return ts, nil
}

// RevokeAPIToken stops a token from working. Revoking twice keeps the first time.
// It returns ErrNotFound when there is no such token.
func (s *Store) RevokeAPIToken(ctx context.Context, id uint) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		var t APIToken
		if err := tx.Omit("Venue").First(&t, id).Error; err != nil {
			return notFound(err, "api token", id)
		}
		res := tx.Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", s.now().UTC())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // revoked already: nothing changed
		}
		return s.audit(ctx, tx, AuditRecord{Action: ActionAPITokenRevoked, SubjectKind: SubjectAPIToken, SubjectID: id,
			VenueID: derefVenue(t.VenueID), Details: map[string]any{"name": t.Name, "role": t.Role}})
	})
	if err != nil {
		return fmt.Errorf("revoke api token %d: %w", id, err)
	}
	return nil
}

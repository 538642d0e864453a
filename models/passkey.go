package models

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Passkey is a WebAuthn credential an account signs in with: a key pair whose private half
// never leaves the person's authenticator (a phone, a laptop, a security key). The store keeps
// what verifying a signature needs; the ceremony itself is the handlers' business. A removed
// passkey keeps its row (RemovedAt set), so that signing in with it later is refused with a
// message that says why, and the audit trail keeps its name.
type Passkey struct {
	ID     uint
	UserID uint `gorm:"not null;index"`
	// Name is what the person called it ("laptop", "telefoon"), shown in the list.
	Name string `gorm:"size:100;not null"`
	// CredentialID is the authenticator's id of the credential (at most 1023 bytes).
	CredentialID []byte `gorm:"not null;uniqueIndex"`
	// PublicKey is the credential's COSE public key.
	PublicKey []byte `gorm:"not null"`
	// SignCount is the signature counter last seen; a signature whose counter does not go up
	// (when either is not zero) comes from a cloned authenticator and is refused.
	SignCount      int64 `gorm:"not null;default:0"`
	UserVerified   bool  `gorm:"not null;default:false"`
	BackupEligible bool  `gorm:"not null;default:false"`
	BackupState    bool  `gorm:"not null;default:false"`
	AAGUID         []byte
	// Transports are the ways the browser may reach the authenticator, comma-separated.
	Transports        string `gorm:"size:200;not null;default:''"`
	AttestationType   string `gorm:"size:40;not null;default:''"`
	AttestationFormat string `gorm:"size:40;not null;default:''"`
	CreatedAt         time.Time
	LastUsedAt        *time.Time
	RemovedAt         *time.Time `gorm:"index"`
}

// PasskeyUser holds an account's WebAuthn user handle: 32 random bytes that the account's
// passkeys carry instead of anything that names the person. A password-less sign-in finds
// the account by it.
type PasskeyUser struct {
	UserID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Handle    []byte `gorm:"not null;uniqueIndex"`
	CreatedAt time.Time
}

// migratePasskeys adds the accounts' passkeys and user handles.
func migratePasskeys(tx *gorm.DB) error {
	type User struct{ ID uint }
	type Passkey struct {
		ID                uint
		UserID            uint   `gorm:"not null;index"`
		User              User   `gorm:"constraint:OnDelete:CASCADE"`
		Name              string `gorm:"size:100;not null"`
		CredentialID      []byte `gorm:"not null;uniqueIndex"`
		PublicKey         []byte `gorm:"not null"`
		SignCount         int64  `gorm:"not null;default:0"`
		UserVerified      bool   `gorm:"not null;default:false"`
		BackupEligible    bool   `gorm:"not null;default:false"`
		BackupState       bool   `gorm:"not null;default:false"`
		AAGUID            []byte
		Transports        string `gorm:"size:200;not null;default:''"`
		AttestationType   string `gorm:"size:40;not null;default:''"`
		AttestationFormat string `gorm:"size:40;not null;default:''"`
		CreatedAt         time.Time
		LastUsedAt        *time.Time
		RemovedAt         *time.Time `gorm:"index"`
	}
	type PasskeyUser struct {
		UserID    uint   `gorm:"primaryKey;autoIncrement:false"`
		User      User   `gorm:"constraint:OnDelete:CASCADE"`
		Handle    []byte `gorm:"not null;uniqueIndex"`
		CreatedAt time.Time
	}
	if err := tx.Migrator().CreateTable(&Passkey{}); err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&PasskeyUser{})
}

// Audit actions of passkeys. Their subject is the account.
const (
	AuditPasskeyAdded        = "passkey.added"
	AuditPasskeyRemoved      = "passkey.removed"
	AuditPasskeySignIn       = "passkey.sign_in"
	AuditPasskeySignInFailed = "passkey.sign_in_failed"
)

// passkeySubject is the subject kind of passkey entries: the account the passkey belongs to,
// so that the account's history shows them.
const passkeySubject = "user"

// actorAnonymous names nobody: a failed sign-in is made by whoever holds the authenticator,
// who is not known.
const actorAnonymous = "anonymous"

// maxPasskeyName is the longest name a passkey may have, in characters.
const maxPasskeyName = 100

// maxCredentialID is the longest credential id WebAuthn allows, in bytes.
const maxCredentialID = 1023

// PasskeyInput is a passkey to store: a registration ceremony that has been verified.
type PasskeyInput struct {
	UserID            uint
	Name              string
	CredentialID      []byte
	PublicKey         []byte
	SignCount         uint32
	UserVerified      bool
	BackupEligible    bool
	BackupState       bool
	AAGUID            []byte
	Transports        []string
	AttestationType   string
	AttestationFormat string
}

// ValidatePasskeyName reports what is wrong with a name for a passkey, under field.
func ValidatePasskeyName(field, name string) Problems {
	p := Problems{}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		p.Add(field, "form.required")
	case utf8.RuneCountInString(name) > maxPasskeyName:
		p.Add(field, "form.too_long", "Max", maxPasskeyName)
	}
	return p
}

// Validate reports what is wrong with the input.
func (in PasskeyInput) Validate() Problems {
	p := ValidatePasskeyName("name", in.Name)
	if len(in.CredentialID) == 0 || len(in.CredentialID) > maxCredentialID || len(in.PublicKey) == 0 {
		p.Add("credential", "passkey.invalid")
	}
	return p
}

// PasskeyHandle returns the WebAuthn user handle of the account, made on first use.
// It returns ErrNotFound when there is no such account.
func (s *Store) PasskeyHandle(ctx context.Context, userID uint) ([]byte, error) {
	handle := make([]byte, 32)
	rand.Read(handle)
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&PasskeyUser{UserID: userID, Handle: handle, CreatedAt: s.now().UTC()}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("passkey handle of user %d: %w", userID, err)
	}
	var pu PasskeyUser
	if err := s.db.WithContext(ctx).First(&pu, "user_id = ?", userID).Error; err != nil {
		return nil, notFound(err, "passkey handle of user", userID)
	}
	return pu.Handle, nil
}

// PasskeyOwner returns the id of the account whose user handle is handle, or ErrNotFound.
func (s *Store) PasskeyOwner(ctx context.Context, handle []byte) (uint, error) {
	var pu PasskeyUser
	if err := s.db.WithContext(ctx).First(&pu, "handle = ?", handle).Error; err != nil {
		return 0, notFound(err, "passkey owner", "(handle)")
	}
	return pu.UserID, nil
}

// Passkeys returns the account's passkeys that have not been removed, oldest first.
func (s *Store) Passkeys(ctx context.Context, userID uint) ([]Passkey, error) {
	var out []Passkey
	err := s.db.WithContext(ctx).Where("user_id = ? AND removed_at IS NULL", userID).Order("created_at, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("passkeys of user %d: %w", userID, err)
	}
	return out, nil
}

// HasPasskey reports whether the account has a passkey it can sign in with.
func (s *Store) HasPasskey(ctx context.Context, userID uint) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Passkey{}).Where("user_id = ? AND removed_at IS NULL", userID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("has user %d a passkey: %w", userID, err)
	}
	return n > 0, nil
}

// PasskeyByCredential returns the passkey with the credential id, removed or not, or
// ErrNotFound.
func (s *Store) PasskeyByCredential(ctx context.Context, credentialID []byte) (Passkey, error) {
	var p Passkey
	if err := s.db.WithContext(ctx).First(&p, "credential_id = ?", credentialID).Error; err != nil {
		return Passkey{}, notFound(err, "passkey", "(credential)")
	}
	return p, nil
}

// AddPasskey stores a verified passkey for the account, and its audit entry. A credential
// that is stored already is ErrConflict.
func (s *Store) AddPasskey(ctx context.Context, in PasskeyInput) (Passkey, error) {
	if err := invalid(in.Validate()); err != nil {
		return Passkey{}, err
	}
	p := Passkey{UserID: in.UserID, Name: strings.TrimSpace(in.Name), CredentialID: in.CredentialID,
		PublicKey: in.PublicKey, SignCount: int64(in.SignCount), UserVerified: in.UserVerified,
		BackupEligible: in.BackupEligible, BackupState: in.BackupState, AAGUID: in.AAGUID,
		Transports: strings.Join(in.Transports, ","), AttestationType: in.AttestationType,
		AttestationFormat: in.AttestationFormat, CreatedAt: s.now().UTC()}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: AuditPasskeyAdded, SubjectKind: passkeySubject, SubjectID: p.UserID,
			Details: map[string]any{"passkey": p.ID, "name": p.Name}})
	})
	if isUniqueViolation(err) {
		return Passkey{}, fmt.Errorf("add passkey for user %d: %w", in.UserID, ErrConflict)
	}
	if err != nil {
		return Passkey{}, fmt.Errorf("add passkey for user %d: %w", in.UserID, err)
	}
	return p, nil
}

// RemovePasskey takes one of the account's passkeys out of use, with its audit entry. A
// passkey that is not the account's, or was removed already, is ErrNotFound.
func (s *Store) RemovePasskey(ctx context.Context, userID, id uint) (Passkey, error) {
	var p Passkey
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&p, "id = ? AND user_id = ? AND removed_at IS NULL", id, userID).Error; err != nil {
			return notFound(err, "passkey", id)
		}
		now := s.now().UTC()
		res := tx.Model(&Passkey{}).Where("id = ? AND removed_at IS NULL", id).Update("removed_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("passkey %d: %w", id, ErrNotFound)
		}
		p.RemovedAt = &now
		return s.audit(ctx, tx, AuditRecord{Action: AuditPasskeyRemoved, SubjectKind: passkeySubject, SubjectID: userID,
			Details: map[string]any{"passkey": p.ID, "name": p.Name}})
	})
	if err != nil {
		return Passkey{}, fmt.Errorf("remove passkey: %w", err)
	}
	return p, nil
}

// PasskeyUse is a verified signature made with a passkey.
type PasskeyUse struct {
	// SignCount is the counter the passkey had when the signature was checked, and NewCount
	// the one the signature carried: the passkey is updated only if nobody used it with the
	// same counter in between.
	SignCount, NewCount uint32
	BackupState         bool
	UserVerified        bool
	// Step says how the passkey was used: "passkey" for a sign-in without password,
	// "second_factor" after a password. Address is the client's, for the audit trail.
	Step, Address string
}

// UsePasskey records a sign-in with passkey p: the new signature counter, the time, and the
// audit entry, together. A passkey removed in the meantime is ErrNotFound; one whose counter
// moved on in the meantime (the same signature used twice at once) is ErrConflict.
func (s *Store) UsePasskey(ctx context.Context, p Passkey, use PasskeyUse) error {
	now := s.now().UTC()
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Passkey{}).Where("id = ? AND removed_at IS NULL AND sign_count = ?", p.ID, int64(use.SignCount)).
			Updates(map[string]any{"sign_count": int64(use.NewCount), "backup_state": use.BackupState,
				"user_verified": p.UserVerified || use.UserVerified, "last_used_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var cur Passkey
			if err := tx.First(&cur, p.ID).Error; err != nil {
				return notFound(err, "passkey", p.ID)
			}
			if cur.RemovedAt != nil {
				return fmt.Errorf("passkey %d was removed: %w", p.ID, ErrNotFound)
			}
			return fmt.Errorf("passkey %d used twice at once: %w", p.ID, ErrConflict)
		}
		return s.audit(ctx, tx, AuditRecord{Action: AuditPasskeySignIn, SubjectKind: passkeySubject, SubjectID: p.UserID,
			Details: map[string]any{"passkey": p.ID, "name": p.Name, "step": use.Step, "address": use.Address}})
	})
	if err != nil {
		return fmt.Errorf("use passkey: %w", err)
	}
	return nil
}

// PasskeyFailure is a refused sign-in with a passkey.
type PasskeyFailure struct {
	// UserID is the account the passkey belongs to, 0 when it is unknown; PasskeyID likewise.
	UserID, PasskeyID uint
	// Reason is a short code ("unknown", "removed", "counter", "signature", ...).
	Reason, Step, Address string
}

// RecordPasskeyFailure writes a refused passkey sign-in into the audit trail. Nobody is known
// to have made it, so its actor is anonymous.
func (s *Store) RecordPasskeyFailure(ctx context.Context, f PasskeyFailure) error {
	details := map[string]any{"reason": f.Reason, "step": f.Step, "address": f.Address}
	if f.PasskeyID != 0 {
		details["passkey"] = f.PasskeyID
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		return writeAudit(tx, s.now().UTC(), Actor{Kind: actorAnonymous}, AuditRecord{Action: AuditPasskeySignInFailed,
			SubjectKind: passkeySubject, SubjectID: f.UserID, Details: details})
	})
	if err != nil {
		return fmt.Errorf("record failed passkey sign-in: %w", err)
	}
	return nil
}

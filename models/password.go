package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/alexedwards/argon2id"
	"gorm.io/gorm"
)

// MailPasswordReset is the e-mail with a link to choose a new password; Payload is the
// account's id. The link's token is made when the e-mail is composed: it is written down
// nowhere else.
const MailPasswordReset = "password_reset"

// PasswordResetTTL is how long a link to choose a new password works.
const PasswordResetTTL = time.Hour

// PasswordResetToken is the hash of a link to choose a new password; the token itself is
// only in the e-mail. Using a link deletes every link of the account.
type PasswordResetToken struct {
	Hash      string    `gorm:"size:64;primaryKey"`
	UserID    uint      `gorm:"not null;index"`
	CreatedAt time.Time `gorm:"not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

// hashPassword checks a new password and hashes it with argon2id.
func hashPassword(field, password string) (string, error) {
	p := Problems{}
	p.checkPassword(field, password)
	if err := invalid(p); err != nil {
		return "", err
	}
	hash, err := argon2id.CreateHash(password, argonParams)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// setPasswordHash gives user a new password hash inside tx, ends every sign-in of the
// account but keep (0 ends all), and writes the audit entry action.
func (s *Store) setPasswordHash(ctx context.Context, tx *gorm.DB, userID uint, hash string, keep uint, action string) error {
	now := s.now().UTC()
	res := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"password_hash": hash, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	if err := s.audit(ctx, tx, AuditRecord{Action: action, SubjectKind: SubjectUser, SubjectID: userID}); err != nil {
		return err
	}
	return s.endSignInsOf(ctx, tx, userID, keep, SignInPassword)
}

// ChangePassword gives the account userID the password next once current is its password
// now, and ends its other sign-ins (all but keep, the browser that asks). A wrong current
// password is a *ValidationError on "current", as is a next password that is too short or
// too common (on "password").
// It returns ErrNotFound when there is no such account.
func (s *Store) ChangePassword(ctx context.Context, userID uint, current, next string, keep uint) error {
	p := Problems{}
	if p.checkPassword("password", next); len(p) > 0 {
		return invalid(p)
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	if ok, err := argon2id.ComparePasswordAndHash(current, u.PasswordHash); err != nil || !ok {
		return invalid(Problems{"current": {Key: "account.password.current_wrong"}})
	}
	hash, err := hashPassword("password", next)
	if err != nil {
		return err
	}
	ctx = WithActor(ctx, actorOr(ctx, accountActor(u)))
	err = s.write(ctx, func(tx *gorm.DB) error {
		return s.setPasswordHash(ctx, tx, userID, hash, keep, AuditPasswordChanged)
	})
	if err != nil {
		return fmt.Errorf("change password of user %d: %w", userID, err)
	}
	return nil
}

// RequestPasswordReset e-mails a link to choose a new password to the account with address
// email, in lang. For an address without an account it does nothing, and says so to nobody:
// both take one write, so that the answer and its timing are the same.
func (s *Store) RequestPasswordReset(ctx context.Context, email, lang string) error {
	email = NormalizeEmail(email)
	err := s.write(ctx, func(tx *gorm.DB) error {
		var u User
		err := tx.Where("email = ?", email).First(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		return tx.Create(&OutboxMessage{Kind: MailPasswordReset, Recipient: u.Email, Lang: langOrDutch(lang),
			Payload: strconv.FormatUint(uint64(u.ID), 10), NextAttemptAt: now, CreatedAt: now}).Error
	})
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	return nil
}

// NewPasswordResetToken makes a link token for the account userID (for the e-mail): 256
// random bits, of which only the SHA-256 is stored, valid for PasswordResetTTL.
func (s *Store) NewPasswordResetToken(ctx context.Context, userID uint) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now().UTC()
	row := PasswordResetToken{Hash: hashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(PasswordResetTTL)}
	if err := s.write(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return "", fmt.Errorf("password reset token of user %d: %w", userID, err)
	}
	return token, nil
}

// PasswordResetAccount returns the account a link to choose a new password belongs to. An
// unknown, used or expired token is ErrNotFound.
func (s *Store) PasswordResetAccount(ctx context.Context, token string) (User, error) {
	row, err := resetToken(s.db.WithContext(ctx), token, s.now().UTC())
	if err != nil {
		return User{}, err
	}
	return s.User(ctx, row.UserID)
}

// resetToken finds the unexpired reset token token.
func resetToken(tx *gorm.DB, token string, now time.Time) (PasswordResetToken, error) {
	if len(token) < 20 || len(token) > 100 {
		return PasswordResetToken{}, fmt.Errorf("password reset token: %w", ErrNotFound)
	}
	var row PasswordResetToken
	err := tx.Where("hash = ? AND expires_at > ?", hashToken(token), now).First(&row).Error
	if err != nil {
		return PasswordResetToken{}, notFound(err, "password reset token", "")
	}
	return row, nil
}

// ResetPassword gives the account of a link to choose a new password the password next,
// uses the link up (with every other link of the account) and ends all its sign-ins. It
// returns the account, for signing in. An unknown, used or expired token is ErrNotFound; a
// password that is too short or too common is a *ValidationError.
func (s *Store) ResetPassword(ctx context.Context, token, next string) (User, error) {
	if _, err := resetToken(s.db.WithContext(ctx), token, s.now().UTC()); err != nil {
		return User{}, err // before hashing: an unknown link costs no hash
	}
	hash, err := hashPassword("password", next)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.write(ctx, func(tx *gorm.DB) error {
		row, err := resetToken(tx, token, s.now().UTC())
		if err != nil {
			return err
		}
		// Deleting the row claims it: of two uses at once, one deletes it and the other finds
		// nothing to delete.
		res := tx.Where("hash = ?", row.Hash).Delete(&PasswordResetToken{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("password reset token: %w", ErrNotFound)
		}
		if err := tx.Where("user_id = ?", row.UserID).Delete(&PasswordResetToken{}).Error; err != nil {
			return err
		}
		if err := tx.First(&u, row.UserID).Error; err != nil {
			return notFound(err, "user", row.UserID)
		}
		actx := WithActor(ctx, accountActor(u))
		return s.setPasswordHash(actx, tx, u.ID, hash, 0, AuditPasswordReset)
	})
	if err != nil {
		return User{}, fmt.Errorf("reset password: %w", err)
	}
	return u, nil
}

// DeleteExpiredPasswordResets removes the links to choose a new password that have expired.
func (s *Store) DeleteExpiredPasswordResets(ctx context.Context) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Where("expires_at <= ?", s.now().UTC()).Delete(&PasswordResetToken{}).Error
	})
}

package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrWrongCode reports a second-factor code that does not match, or a recovery code that does
// not exist or was used already.
var ErrWrongCode = errors.New("wrong code")

// ErrCodeUsed reports a TOTP code whose time step was used already: a replay.
var ErrCodeUsed = errors.New("code used already")

// TOTP parameters: RFC 6238's defaults, which every authenticator app understands.
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// totpSkew accepts the codes of one step before and after now, for clocks a little off.
	totpSkew = 1
	// RecoveryCodeCount is how many recovery codes an account gets at enrolment.
	RecoveryCodeCount = 10
)

// SecondFactor is an account's TOTP second factor. Secret is the TOTP key encrypted with
// AES-256-GCM (see secondFactorCipher); LastStep is the last time step a code was accepted
// for, so that no code is accepted twice.
type SecondFactor struct {
	UserID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Secret    []byte `gorm:"not null"`
	LastStep  int64  `gorm:"not null;default:0"`
	CreatedAt time.Time
}

// RecoveryCode is one single-use recovery code, stored as its SHA-256 (the codes carry 80
// random bits, so a fast hash suffices, as for the other tokens).
type RecoveryCode struct {
	ID     uint
	UserID uint   `gorm:"not null;index"`
	Hash   string `gorm:"size:64;not null;uniqueIndex"`
	UsedAt *time.Time
}

// SecondFactorKey is the key the TOTP secrets are encrypted with, made on first use.
type SecondFactorKey struct {
	ID  uint   `gorm:"primaryKey;autoIncrement:false"`
	Key []byte `gorm:"not null"`
}

// NewTOTPKey makes a fresh TOTP secret for account, named after issuer in authenticator apps.
func NewTOTPKey(issuer, account string) (*otp.Key, error) {
	if issuer == "" {
		issuer = "Dagplanner"
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("generate totp key: %w", err)
	}
	return k, nil
}

// matchTOTP returns the time step, within the skew around now, whose code is code.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != totpDigits.Length() {
		return 0, false
	}
	now0 := now.Unix() / totpPeriod
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}
	for step := now0 - totpSkew; step <= now0+totpSkew; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// secondFactorCipher returns the AEAD the TOTP secrets are sealed with; its key is made once
// and kept in a table of its own, so that the secrets never appear in the clear in the users'
// rows, an export of them or a log.
func (s *Store) secondFactorCipher(ctx context.Context) (cipher.AEAD, error) {
	var k SecondFactorKey
	err := s.db.WithContext(ctx).First(&k, 1).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		fresh := SecondFactorKey{ID: 1, Key: make([]byte, 32)}
		if _, err := rand.Read(fresh.Key); err != nil {
			return nil, err
		}
		if err := s.wdb.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
			return nil, fmt.Errorf("store second factor key: %w", err)
		}
		err = s.db.WithContext(ctx).First(&k, 1).Error
	}
	if err != nil {
		return nil, fmt.Errorf("second factor key: %w", err)
	}
	block, err := aes.NewCipher(k.Key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// userAAD binds a sealed secret to its account: a secret copied to another row won't open.
func userAAD(userID uint) []byte {
	return binary.BigEndian.AppendUint64([]byte("totp:"), uint64(userID))
}

func (s *Store) sealSecret(ctx context.Context, userID uint, secret string) ([]byte, error) {
	aead, err := s.secondFactorCipher(ctx)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(secret), userAAD(userID)), nil
}

func (s *Store) openSecret(ctx context.Context, userID uint, sealed []byte) (string, error) {
	aead, err := s.secondFactorCipher(ctx)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", fmt.Errorf("second factor of user %d: sealed secret too short", userID)
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], userAAD(userID))
	if err != nil {
		return "", fmt.Errorf("second factor of user %d: %w", userID, err)
	}
	return string(plain), nil
}

// HasSecondFactor reports whether the account has a second factor to sign in with: a TOTP
// app or a passkey.
func (s *Store) HasSecondFactor(ctx context.Context, userID uint) (bool, error) {
	if has, err := s.HasTOTP(ctx, userID); err != nil || has {
		return has, err
	}
	return s.HasPasskey(ctx, userID)
}

// HasTOTP reports whether the account has enrolled a TOTP app.
func (s *Store) HasTOTP(ctx context.Context, userID uint) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&SecondFactor{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("second factor of user %d: %w", userID, err)
	}
	return n > 0, nil
}

// newRecoveryCodes makes RecoveryCodeCount codes of 80 random bits, written as four groups
// of four characters (Crockford's base32 without the letters people confuse).
func newRecoveryCodes() ([]string, error) {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	out := make([]string, RecoveryCodeCount)
	for i := range out {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		var sb strings.Builder
		for j, c := range b {
			if j > 0 && j%4 == 0 {
				sb.WriteByte('-')
			}
			sb.WriteByte(alphabet[c%32])
		}
		out[i] = sb.String()
	}
	return out, nil
}

// recoveryHash is how a recovery code is stored: lower case, without separators or spaces.
func recoveryHash(code string) string {
	norm := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("recovery:" + norm))
	return hex.EncodeToString(sum[:])
}

// EnableTOTP turns on the TOTP second factor for the account once code shows the person's app
// holds secret. It returns the recovery codes, which exist in the clear only in this answer.
// An account that has a second factor already gets ErrConflict.
// A code that does not fit the secret is ErrWrongCode.
func (s *Store) EnableTOTP(ctx context.Context, userID uint, secret, code string) ([]string, error) {
	step, ok := matchTOTP(secret, code, s.now())
	if !ok {
		return nil, ErrWrongCode
	}
	sealed, err := s.sealSecret(ctx, userID, secret)
	if err != nil {
		return nil, err
	}
	codes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&SecondFactor{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		if err := tx.Create(&SecondFactor{UserID: userID, Secret: sealed, LastStep: step, CreatedAt: s.now().UTC()}).Error; err != nil {
			if isUniqueViolation(err) {
				return ErrConflict
			}
			return err
		}
		if err := tx.Where("user_id = ?", userID).Delete(&RecoveryCode{}).Error; err != nil {
			return err
		}
		rows := make([]RecoveryCode, len(codes))
		for i, c := range codes {
			rows[i] = RecoveryCode{UserID: userID, Hash: recoveryHash(c)}
		}
		if err := tx.Create(&rows).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: "second_factor.enabled", SubjectKind: SubjectUser, SubjectID: userID,
			Details: map[string]any{"method": "totp", "recovery_codes": len(codes)}})
	})
	if err != nil {
		return nil, fmt.Errorf("enable totp for user %d: %w", userID, err)
	}
	return codes, nil
}

// VerifyTOTP checks a code from the account's app. A code is accepted once: a code for the
// step last accepted, or an earlier one, gets ErrCodeUsed, decided by one conditional update
// so that two requests with the same code cannot both pass.
// It also returns ErrNotFound when the account has no TOTP second factor, and ErrWrongCode when
// the code is wrong.
func (s *Store) VerifyTOTP(ctx context.Context, userID uint, code string) error {
	var f SecondFactor
	if err := s.db.WithContext(ctx).First(&f, "user_id = ?", userID).Error; err != nil {
		return fmt.Errorf("verify totp of user %d: %w", userID, notFound(err, "second factor", userID))
	}
	secret, err := s.openSecret(ctx, userID, f.Secret)
	if err != nil {
		return err
	}
	step, ok := matchTOTP(secret, code, s.now())
	if !ok {
		return ErrWrongCode
	}
	var used bool
	err = s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&SecondFactor{}).Where("user_id = ? AND last_step < ?", userID, step).Update("last_step", step)
		used = res.RowsAffected == 0
		return res.Error
	})
	if err != nil {
		return fmt.Errorf("verify totp of user %d: %w", userID, err)
	}
	if used {
		return ErrCodeUsed
	}
	return nil
}

// UseRecoveryCode signs off one of the account's recovery codes, once, and returns how many
// are left. A wrong or used code gets ErrWrongCode. Its use is written to the audit trail.
func (s *Store) UseRecoveryCode(ctx context.Context, userID uint, code string) (int, error) {
	var left int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&RecoveryCode{}).Where("user_id = ? AND hash = ? AND used_at IS NULL", userID, recoveryHash(code)).
			Update("used_at", s.now().UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrWrongCode
		}
		if err := tx.Model(&RecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&left).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: "second_factor.recovery_code_used", SubjectKind: SubjectUser, SubjectID: userID,
			Details: map[string]any{"recovery_codes_left": left}})
	})
	if err != nil {
		return 0, fmt.Errorf("recovery code of user %d: %w", userID, err)
	}
	return int(left), nil
}

// RecoveryCodesLeft returns how many unused recovery codes the account has.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID uint) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&RecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("recovery codes of user %d: %w", userID, err)
	}
	return int(n), nil
}

// DisableSecondFactor removes the account's own second factor and recovery codes.
// It returns ErrNotFound when the account has no TOTP second factor.
func (s *Store) DisableSecondFactor(ctx context.Context, userID uint) error {
	return s.removeSecondFactor(ctx, userID, "second_factor.disabled")
}

// ResetSecondFactor removes another person's second factor (an admin's act, when a phone
// is lost): they must enrol again when they next sign in, if their role requires it.
// It returns ErrNotFound when the account has no TOTP second factor.
func (s *Store) ResetSecondFactor(ctx context.Context, userID uint) error {
	return s.removeSecondFactor(ctx, userID, "second_factor.reset")
}

func (s *Store) removeSecondFactor(ctx context.Context, userID uint, action string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("user_id = ?", userID).Delete(&SecondFactor{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.Where("user_id = ?", userID).Delete(&RecoveryCode{}).Error; err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: action, SubjectKind: SubjectUser, SubjectID: userID,
			Details: map[string]any{"method": "totp"}})
	})
	if err != nil {
		return fmt.Errorf("%s for user %d: %w", action, userID, err)
	}
	return nil
}

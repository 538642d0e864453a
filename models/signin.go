package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Audit actions of passwords and sign-ins.
const (
	AuditSignIn          = "signin"
	AuditSignInFailed    = "signin.failed"
	AuditSignInEnded     = "signin.ended"
	AuditPasswordChanged = "password.changed"
	AuditPasswordReset   = "password.reset"
)

// Why a sign-in ended.
const (
	SignInSignedOut = "signed_out" // the person signed out on that browser
	SignInEnded     = "ended"      // ended from another browser (the sign-ins page)
	SignInPassword  = "password"   // the password changed or was reset
	SignInAccount   = "account"    // the account changed (deactivated, for example)
)

// DefaultSessionIdle is how long a sign-in lasts without a request before it ends.
const DefaultSessionIdle = 2 * time.Hour

// SignInLifetime is how long a sign-in lasts at most, however busy: then the person signs in
// again. The session cookie's lifetime is the same.
const SignInLifetime = 12 * time.Hour

// signInTouchEvery is how stale LastSeenAt may get: a sign-in in use writes at most once a
// minute, not on every request.
const signInTouchEvery = time.Minute

// SignIn is one browser signed in to an account: made when the person signs in, ended when
// they sign out, end it from another browser, change their password, or leave it idle.
type SignIn struct {
	ID         uint
	UserID     uint      `gorm:"not null;index"`
	Method     string    `gorm:"size:20;not null"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	UserAgent  string    `gorm:"size:500;not null;default:''"`
	Address    string    `gorm:"size:64;not null;default:''"`
	EndedAt    *time.Time
	EndReason  string `gorm:"size:20;not null;default:''"`
}

// SignInInput describes a new sign-in.
type SignInInput struct {
	Method    string // how the person signed in: "password", "reset", …
	UserAgent string
	Address   string // the client's IP address
}

// migrateSignIns adds the sign-ins and the password-reset tokens (issue #16 points 2 and 3).
func migrateSignIns(tx *gorm.DB) error {
	type User struct{ ID uint }
	type SignIn struct {
		ID         uint
		UserID     uint      `gorm:"not null;index"`
		User       User      `gorm:"constraint:OnDelete:CASCADE"`
		Method     string    `gorm:"size:20;not null"`
		CreatedAt  time.Time `gorm:"not null"`
		LastSeenAt time.Time `gorm:"not null"`
		UserAgent  string    `gorm:"size:500;not null;default:''"`
		Address    string    `gorm:"size:64;not null;default:''"`
		EndedAt    *time.Time
		EndReason  string `gorm:"size:20;not null;default:''"`
	}
	type PasswordResetToken struct {
		Hash      string    `gorm:"size:64;primaryKey"`
		UserID    uint      `gorm:"not null;index"`
		User      User      `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt time.Time `gorm:"not null"`
		ExpiresAt time.Time `gorm:"not null;index"`
	}
	return tx.Migrator().CreateTable(&SignIn{}, &PasswordResetToken{})
}

// accountActor names the account as the one who acts: signing in, or resetting a password
// through the e-mailed link, happens before anyone is signed in.
func accountActor(u User) Actor { return Actor{Kind: ActorUser, ID: u.ID, Name: u.Email} }

// actorOr returns the actor ctx carries, or fallback when it carries none.
func actorOr(ctx context.Context, fallback Actor) Actor {
	if a, ok := ActorFrom(ctx); ok {
		return a
	}
	return fallback
}

// StartSignIn records that user signed in on a browser, with its audit entry, and returns
// the sign-in, whose id the browser's session keeps.
func (s *Store) StartSignIn(ctx context.Context, user User, in SignInInput) (SignIn, error) {
	now := s.now().UTC()
	si := SignIn{UserID: user.ID, Method: truncate(in.Method, 20), CreatedAt: now, LastSeenAt: now,
		UserAgent: truncate(in.UserAgent, 500), Address: truncate(in.Address, 64)}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&si).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, actorOr(ctx, accountActor(user)), AuditRecord{Action: AuditSignIn,
			SubjectKind: SubjectUser, SubjectID: user.ID, Details: map[string]any{"method": si.Method, "sign_in": si.ID}})
	})
	if err != nil {
		return SignIn{}, fmt.Errorf("start sign-in of user %d: %w", user.ID, err)
	}
	return si, nil
}

// ActiveSignIn returns sign-in id of user when it has not ended, was used within idle and
// is younger than SignInLifetime.
// A sign-in last seen more than a minute ago is marked seen now. Anything else, an ended or
// idle sign-in or one of another account, is ErrNotFound.
func (s *Store) ActiveSignIn(ctx context.Context, userID, id uint, idle time.Duration) (SignIn, error) {
	var si SignIn
	err := s.db.WithContext(ctx).Where("id = ? AND user_id = ? AND ended_at IS NULL", id, userID).First(&si).Error
	if err != nil {
		return SignIn{}, notFound(err, "sign-in", id)
	}
	now := s.now().UTC()
	if !now.Before(si.LastSeenAt.Add(idle)) {
		return SignIn{}, fmt.Errorf("sign-in %d: idle since %s: %w", id, si.LastSeenAt.Format(time.RFC3339), ErrNotFound)
	}
	if !now.Before(si.CreatedAt.Add(SignInLifetime)) {
		return SignIn{}, fmt.Errorf("sign-in %d: older than %v: %w", id, SignInLifetime, ErrNotFound)
	}
	if now.Sub(si.LastSeenAt) >= signInTouchEvery {
		err := s.write(ctx, func(tx *gorm.DB) error {
			return tx.Model(&SignIn{}).Where("id = ? AND ended_at IS NULL", id).Update("last_seen_at", now).Error
		})
		if err != nil {
			return SignIn{}, fmt.Errorf("sign-in %d: mark seen: %w", id, err)
		}
		si.LastSeenAt = now
	}
	return si, nil
}

// SignInsOf returns the active sign-ins of user (not ended, used within idle, younger than
// SignInLifetime), the most
// recently used first.
func (s *Store) SignInsOf(ctx context.Context, userID uint, idle time.Duration) ([]SignIn, error) {
	var out []SignIn
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Where("user_id = ? AND ended_at IS NULL AND last_seen_at > ? AND created_at > ?",
		userID, now.Add(-idle), now.Add(-SignInLifetime)).
		Order("last_seen_at DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("sign-ins of user %d: %w", userID, err)
	}
	return out, nil
}

// EndSignIn ends sign-in id of user, for reason (SignInSignedOut, SignInEnded). A sign-in
// of another account, or one that has ended, is ErrNotFound.
func (s *Store) EndSignIn(ctx context.Context, userID, id uint, reason string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		n, err := s.endSignIns(ctx, tx, reason, "id = ? AND user_id = ?", id, userID)
		if err == nil && n == 0 {
			err = fmt.Errorf("sign-in %d of user %d: %w", id, userID, ErrNotFound)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("end sign-in: %w", err)
	}
	return nil
}

// EndSignInsOf ends every active sign-in of user but except (0 ends them all), for example
// when the account is deactivated. Each ended sign-in gets its audit entry.
func (s *Store) EndSignInsOf(ctx context.Context, userID uint, except uint) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return s.endSignInsOf(ctx, tx, userID, except, SignInAccount)
	})
	if err != nil {
		return fmt.Errorf("end sign-ins of user %d: %w", userID, err)
	}
	return nil
}

// endSignInsOf ends user's sign-ins but except inside tx, for reason.
func (s *Store) endSignInsOf(ctx context.Context, tx *gorm.DB, userID, except uint, reason string) error {
	_, err := s.endSignIns(ctx, tx, reason, "user_id = ? AND id <> ?", userID, except)
	return err
}

// endSignIns ends the unended sign-ins that the condition selects, each with its audit entry
// (the actor from ctx), and returns how many it ended.
func (s *Store) endSignIns(ctx context.Context, tx *gorm.DB, reason string, cond string, args ...any) (int, error) {
	var ended []SignIn
	if err := tx.Where(cond, args...).Where("ended_at IS NULL").Order("id").Find(&ended).Error; err != nil {
		return 0, err
	}
	now := s.now().UTC()
	for _, si := range ended {
		res := tx.Model(&SignIn{}).Where("id = ? AND ended_at IS NULL", si.ID).
			Updates(map[string]any{"ended_at": now, "end_reason": reason})
		if res.Error != nil {
			return 0, res.Error
		}
		err := s.audit(ctx, tx, AuditRecord{Action: AuditSignInEnded, SubjectKind: SubjectUser, SubjectID: si.UserID,
			Details: map[string]any{"sign_in": si.ID, "reason": reason}})
		if err != nil {
			return 0, err
		}
	}
	return len(ended), nil
}

// recordFailedSignIn writes the audit entry of a failed sign-in: about the account when the
// address is one (u.ID != 0), and otherwise only that a sign-in failed, without the address
// typed (it may be a password typed in the wrong field, or someone else's address).
func (s *Store) recordFailedSignIn(ctx context.Context, u User, method string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		rec := AuditRecord{Action: AuditSignInFailed, SubjectKind: SubjectUser, SubjectID: u.ID,
			Details: map[string]any{"method": method}}
		if u.ID == 0 {
			rec.Details["account"] = "unknown"
		}
		return writeAudit(tx, s.now().UTC(), Actor{Kind: ActorAnonymous}, rec)
	})
	if err != nil {
		return fmt.Errorf("record failed sign-in: %w", err)
	}
	return nil
}

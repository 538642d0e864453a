package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ActorAnonymous is someone who is not signed in: a failed sign-in is theirs, not the
// account's. Their Name is the client address the request came from.
const ActorAnonymous = "anonymous"

// ActionSignInFailed is a refused sign-in to a known account.
const ActionSignInFailed = "user.sign_in_failed"

// UserByEmail returns the account with the address (normalised), or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, fmt.Errorf("user %q: %w", NormalizeEmail(email), ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("user %q: %w", NormalizeEmail(email), err)
	}
	return u, nil
}

// RecordSignInFailure writes one audit entry for a refused sign-in to the account userID:
// how they tried (method) and why it was refused (reason, a short code such as
// "email_unverified"). The actor comes from ctx (ActorAnonymous with the client address).
// Never pass a token or a password in reason.
func (s *Store) RecordSignInFailure(ctx context.Context, userID uint, method, reason string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.audit(ctx, tx, AuditRecord{Action: ActionSignInFailed, SubjectKind: SubjectUser, SubjectID: userID,
			Details: map[string]any{"method": method, "reason": reason}})
	})
	if err != nil {
		return fmt.Errorf("record failed sign-in of user %d: %w", userID, err)
	}
	return nil
}

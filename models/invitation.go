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
	"gorm.io/gorm/clause"
)

// SubjectInvitation is the subject kind of audit entries about an invitation.
const SubjectInvitation = "invitation"

// MailInvitation invites someone to the organising team, with the link to choose a password;
// Payload is the invitation id. The token is made when the e-mail is composed.
const MailInvitation = "invitation"

// InvitationTTL is how long an invitation's link works after it was sent (or sent again).
const InvitationTTL = 7 * 24 * time.Hour

// ErrInvitationGone reports an invitation that can no longer be used: it expired, was
// accepted or withdrawn, or its link was replaced by a newer one.
var ErrInvitationGone = errors.New("invitation expired, used or withdrawn")

// ErrHasAccount reports an invitation for an address that already has an account.
var ErrHasAccount = fmt.Errorf("%w: the address already has an account", ErrConflict)

// ErrAlreadyInvited reports an invitation for an address that has an open one.
var ErrAlreadyInvited = fmt.Errorf("%w: the address already has an open invitation", ErrConflict)

// Invitation asks someone to join the organising team with a role and, when VenueID is set,
// for one venue. The link it is accepted through works once, until ExpiresAt; only the
// SHA-256 of its token is stored, and a new link (sending it again) replaces the old.
type Invitation struct {
	ID          uint
	Email       string    `gorm:"size:254;not null;index"`
	Role        string    `gorm:"size:20;not null"`
	VenueID     *uint     `gorm:"index"`
	Venue       *Venue    `gorm:"constraint:OnDelete:CASCADE"`
	Lang        string    `gorm:"size:5;not null;default:'nl'"`
	TokenHash   *string   `gorm:"size:64;uniqueIndex"`
	ExpiresAt   time.Time `gorm:"not null"`
	InvitedByID *uint
	AcceptedAt  *time.Time
	UserID      *uint // the account made when it was accepted
	WithdrawnAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Expired reports whether the invitation's link no longer works because of its age.
func (i Invitation) Expired(now time.Time) bool { return !now.Before(i.ExpiresAt) }

// usable reports whether the invitation can still be accepted.
func (i Invitation) usable(now time.Time) bool {
	return i.AcceptedAt == nil && i.WithdrawnAt == nil && !i.Expired(now)
}

// InvitationInput is an invitation an admin sends.
type InvitationInput struct {
	Email     string
	Role      string
	VenueSlug string // empty for every venue
	Lang      string // of the e-mail: "nl" or "en"
}

// Validate reports what is wrong with the input.
func (in InvitationInput) Validate() Problems {
	p := AccountInput{Role: in.Role, VenueSlug: in.VenueSlug}.Validate()
	p.checkEmail("email", in.Email, true)
	return p
}

// Invite records an invitation and queues its e-mail, in one transaction with its audit
// entry. An address that has an account is ErrHasAccount; one with an open invitation
// ErrAlreadyInvited (send that one again instead).
// Input that is not valid, or names an unknown venue, is a *ValidationError.
func (s *Store) Invite(ctx context.Context, in InvitationInput) (Invitation, error) {
	if err := invalid(in.Validate()); err != nil {
		return Invitation{}, err
	}
	venueID, err := s.venueScope(ctx, in.VenueSlug)
	if err != nil {
		return Invitation{}, err
	}
	now := s.now().UTC()
	inv := Invitation{Email: NormalizeEmail(in.Email), Role: in.Role, VenueID: venueID, Lang: langOrDutch(in.Lang),
		ExpiresAt: now.Add(InvitationTTL), CreatedAt: now, UpdatedAt: now}
	if a, ok := ActorFrom(ctx); ok && a.Kind == ActorUser && a.ID != 0 {
		inv.InvitedByID = &a.ID
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Where("email = ?", inv.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrHasAccount
		}
		err := tx.Model(&Invitation{}).Where("email = ? AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > ?",
			inv.Email, now).Count(&n).Error
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadyInvited
		}
		if err := tx.Omit("Venue").Create(&inv).Error; err != nil {
			return err
		}
		if err := enqueueInvitation(tx, inv, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditRecord{Action: "invitation.create", SubjectKind: SubjectInvitation, SubjectID: inv.ID,
			VenueID: derefVenue(inv.VenueID), Details: map[string]any{"email": inv.Email, "role": inv.Role, "venue": in.VenueSlug}})
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("invite %q: %w", inv.Email, err)
	}
	return inv, nil
}

func enqueueInvitation(tx *gorm.DB, inv Invitation, now time.Time) error {
	return tx.Create(&OutboxMessage{Kind: MailInvitation, Recipient: inv.Email, Lang: inv.Lang,
		Payload: strconv.FormatUint(uint64(inv.ID), 10), NextAttemptAt: now, CreatedAt: now}).Error
}

// OpenInvitations lists the invitations not accepted nor withdrawn, expired ones included
// (they can be sent again), the newest first.
func (s *Store) OpenInvitations(ctx context.Context) ([]Invitation, error) {
	var out []Invitation
	err := s.db.WithContext(ctx).Preload("Venue").Where("accepted_at IS NULL AND withdrawn_at IS NULL").
		Order("created_at DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("open invitations: %w", err)
	}
	return out, nil
}

// Invitation returns one invitation with its venue.
// It returns ErrNotFound when there is no such invitation.
func (s *Store) Invitation(ctx context.Context, id uint) (Invitation, error) {
	var inv Invitation
	if err := s.db.WithContext(ctx).Preload("Venue").First(&inv, id).Error; err != nil {
		return Invitation{}, notFound(err, "invitation", id)
	}
	return inv, nil
}

// NewInvitationToken makes the token of an invitation's link and stores its hash, replacing
// any earlier link's: the e-mail being composed is the only place the token is written down.
// An invitation that can no longer be accepted is ErrInvitationGone.
func (s *Store) NewInvitationToken(ctx context.Context, id uint) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	hash := hashToken(token)
	err := s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Invitation{}).Where("id = ? AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > ?", id, s.now().UTC()).
			Update("token_hash", hash)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrInvitationGone
		}
		return res.Error
	})
	if err != nil {
		return "", fmt.Errorf("invitation %d token: %w", id, err)
	}
	return token, nil
}

// changeInvitation runs change on an invitation that is neither accepted nor withdrawn, in a
// transaction with the audit entry change returns; any other invitation is ErrInvitationGone.
func (s *Store) changeInvitation(ctx context.Context, id uint, change func(tx *gorm.DB, inv *Invitation, now time.Time) (AuditRecord, error)) (Invitation, error) {
	var out Invitation
	err := s.write(ctx, func(tx *gorm.DB) error {
		var inv Invitation
		if err := tx.Preload("Venue").First(&inv, id).Error; err != nil {
			return notFound(err, "invitation", id)
		}
		if inv.AcceptedAt != nil || inv.WithdrawnAt != nil {
			return ErrInvitationGone
		}
		now := s.now().UTC()
		rec, err := change(tx, &inv, now)
		if err != nil {
			return err
		}
		res := tx.Model(&Invitation{}).Where("id = ? AND accepted_at IS NULL AND withdrawn_at IS NULL", id).
			Updates(map[string]any{"token_hash": nil, "expires_at": inv.ExpiresAt, "withdrawn_at": inv.WithdrawnAt, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInvitationGone
		}
		inv.TokenHash, out = nil, inv
		rec.SubjectKind, rec.SubjectID, rec.VenueID = SubjectInvitation, inv.ID, derefVenue(inv.VenueID)
		return s.audit(ctx, tx, rec)
	})
	if err != nil {
		return Invitation{}, fmt.Errorf("invitation %d: %w", id, err)
	}
	return out, nil
}

// ResendInvitation sends an open invitation again with a new link, valid for InvitationTTL
// from now; the old link stops working at once.
// It returns ErrNotFound when there is no such invitation, and ErrInvitationGone when it is no
// longer open.
func (s *Store) ResendInvitation(ctx context.Context, id uint) (Invitation, error) {
	return s.changeInvitation(ctx, id, func(tx *gorm.DB, inv *Invitation, now time.Time) (AuditRecord, error) {
		before := inv.ExpiresAt
		inv.ExpiresAt = now.Add(InvitationTTL)
		if err := enqueueInvitation(tx, *inv, now); err != nil {
			return AuditRecord{}, err
		}
		return AuditRecord{Action: "invitation.resend", Details: map[string]any{"email": inv.Email,
			"expires_at": fromTo(before.Format(time.RFC3339), inv.ExpiresAt.Format(time.RFC3339))}}, nil
	})
}

// WithdrawInvitation withdraws an open invitation: its link stops working at once.
// It returns ErrNotFound when there is no such invitation, and ErrInvitationGone when it is no
// longer open.
func (s *Store) WithdrawInvitation(ctx context.Context, id uint) (Invitation, error) {
	return s.changeInvitation(ctx, id, func(tx *gorm.DB, inv *Invitation, now time.Time) (AuditRecord, error) {
		inv.WithdrawnAt = &now
		return AuditRecord{Action: "invitation.withdraw", Details: map[string]any{"email": inv.Email}}, nil
	})
}

// invitationByToken finds the invitation a link's token belongs to; an unknown or malformed
// token is ErrNotFound.
func invitationByToken(tx *gorm.DB, token string) (Invitation, error) {
	if len(token) < 20 || len(token) > 100 {
		return Invitation{}, ErrNotFound
	}
	var inv Invitation
	if err := tx.Preload("Venue").Where("token_hash = ?", hashToken(token)).First(&inv).Error; err != nil {
		return Invitation{}, notFound(err, "invitation", "(token)")
	}
	return inv, nil
}

// InvitationByToken returns the invitation a link leads to, when it can still be accepted:
// a used, withdrawn or expired one is ErrInvitationGone, an unknown (or replaced) token
// ErrNotFound.
func (s *Store) InvitationByToken(ctx context.Context, token string) (Invitation, error) {
	inv, err := invitationByToken(s.db.WithContext(ctx), token)
	if err != nil {
		return Invitation{}, err
	}
	if !inv.usable(s.now()) {
		return Invitation{}, fmt.Errorf("invitation %d: %w", inv.ID, ErrInvitationGone)
	}
	return inv, nil
}

// AcceptInvitation makes the invited account with the chosen password and uses up the
// invitation, in one transaction with its audit entry (the new account is its actor). A
// password the check refuses is a *ValidationError on "password"; a link that no longer works
// ErrInvitationGone or ErrNotFound; an address that got an account meanwhile ErrHasAccount.
func (s *Store) AcceptInvitation(ctx context.Context, token, password string) (User, error) {
	p := Problems{}
	p.checkPassword("password", password)
	if err := invalid(p); err != nil {
		return User{}, err
	}
	if _, err := s.InvitationByToken(ctx, token); err != nil { // before the costly hash
		return User{}, err
	}
	hash, err := argon2id.CreateHash(password, argonParams)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	return s.acceptInvitation(ctx, hash, "password", func(q *gorm.DB) (Invitation, error) { return invitationByToken(q, token) })
}

// AcceptInvitationBySSO accepts the open invitation for email, which the organisation's
// identity provider has verified, when its role is not admin: single sign-on never makes an
// admin by itself. The account gets a password nobody knows (they sign in through the
// provider, or choose one with "forgot password"). No such invitation is ErrNotFound.
// It also returns ErrInvitationGone when the invitation is no longer open, and ErrHasAccount when
// the address got an account meanwhile.
func (s *Store) AcceptInvitationBySSO(ctx context.Context, email string) (User, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return User{}, err
	}
	hash, err := argon2id.CreateHash(base64.RawURLEncoding.EncodeToString(secret), argonParams)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	return s.acceptInvitation(ctx, hash, "sso", func(q *gorm.DB) (Invitation, error) {
		var inv Invitation
		err := q.Preload("Venue").Where("email = ? AND role <> ? AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > ?",
			NormalizeEmail(email), RoleAdmin, s.now().UTC()).Order("id DESC").First(&inv).Error
		if err != nil {
			return inv, notFound(err, "invitation for", NormalizeEmail(email))
		}
		return inv, nil
	})
}

// acceptInvitation makes the account of the invitation find returns, with the password hash
// given, and uses the invitation up, in one transaction with its audit entry (the new account
// is its actor; method says how it was accepted).
func (s *Store) acceptInvitation(ctx context.Context, hash, method string, find func(*gorm.DB) (Invitation, error)) (User, error) {
	var u User
	err := s.write(ctx, func(tx *gorm.DB) error {
		q := tx
		if !s.sqlite {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		inv, err := find(q)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if !inv.usable(now) {
			return ErrInvitationGone
		}
		var n int64
		if err := tx.Model(&User{}).Where("email = ?", inv.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrHasAccount
		}
		u = User{Email: inv.Email, PasswordHash: hash, Role: inv.Role, VenueID: inv.VenueID, Venue: inv.Venue, CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Venue").Create(&u).Error; err != nil {
			return err
		}
		res := tx.Model(&Invitation{}).Where("id = ? AND accepted_at IS NULL AND withdrawn_at IS NULL", inv.ID).
			Updates(map[string]any{"accepted_at": now, "user_id": u.ID, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInvitationGone
		}
		by := Actor{Kind: ActorUser, ID: u.ID, Name: u.Email}
		return writeAudit(tx, now, by, AuditRecord{Action: "invitation.accept", SubjectKind: SubjectInvitation, SubjectID: inv.ID,
			VenueID: derefVenue(inv.VenueID), Details: map[string]any{"user_id": u.ID, "role": u.Role, "method": method}})
	})
	if err != nil {
		return User{}, fmt.Errorf("accept invitation: %w", err)
	}
	return u, nil
}

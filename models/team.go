package models

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SubjectUser is the subject kind of audit entries about an account.
const SubjectUser = "user"

// ErrLastAdmin reports a change that would leave no active admin: someone must always be able
// to manage the accounts.
var ErrLastAdmin = errors.New("the last active admin cannot be demoted or deactivated")

// Active reports whether the account may sign in.
func (u User) Active() bool { return u.DeactivatedAt == nil }

// AccountInput is an account's role and venue scope, as an admin sets them.
type AccountInput struct {
	Role      string
	VenueSlug string // empty for every venue
}

// Validate reports what is wrong with the input: an unknown role, or door staff without a
// venue.
func (in AccountInput) Validate() Problems {
	p := Problems{}
	if !slices.Contains(Roles, in.Role) {
		p.Add("role", "form.invalid_choice")
	}
	if in.Role == RoleDoor && in.VenueSlug == "" {
		p.Add("venue", "form.door_needs_venue")
	}
	return p
}

// venueScope resolves a venue slug to the id an account or invitation is limited to; an empty
// slug is every venue (nil), an unknown one a validation problem on the field "venue".
func (s *Store) venueScope(ctx context.Context, slug string) (*uint, error) {
	if slug == "" {
		return nil, nil
	}
	v, err := s.VenueBySlug(ctx, slug)
	if errors.Is(err, ErrNotFound) {
		return nil, invalid(Problems{"venue": {Key: "form.unknown_venue"}})
	}
	if err != nil {
		return nil, err
	}
	return &v.ID, nil
}

// Users lists every account with its venue, active ones first, then by address.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := s.db.WithContext(ctx).Preload("Venue").
		Order("CASE WHEN deactivated_at IS NULL THEN 0 ELSE 1 END, email").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

// lockAdmins locks the active admins' rows (on PostgreSQL; SQLite has one writer) and returns
// their ids. Every change that could remove an admin takes these locks first, always in the
// same order, so that two admins demoting each other at once wait for one another instead of
// both seeing the other still there. (Today s.write's batches of lane 0 already take turns on
// an advisory lock across processes; the row locks keep the rule true should account changes
// ever move to a lane of their own or to a transaction outside the group commit.)
func (s *Store) lockAdmins(tx *gorm.DB) ([]uint, error) {
	q := tx.Model(&User{}).Where("role = ? AND deactivated_at IS NULL", RoleAdmin).Order("id")
	if !s.sqlite {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ids []uint
	if err := q.Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("lock admins: %w", err)
	}
	return ids, nil
}

// changeAccount runs change on account id inside a transaction that first locks the active
// admins, and refuses with ErrLastAdmin when the change would leave none. change returns the
// audit record to write, or nil when nothing changed.
func (s *Store) changeAccount(ctx context.Context, id uint, change func(tx *gorm.DB, u *User) (*AuditRecord, error)) (User, error) {
	var out User
	err := s.write(ctx, func(tx *gorm.DB) error {
		admins, err := s.lockAdmins(tx)
		if err != nil {
			return err
		}
		var u User
		if err := tx.Preload("Venue").First(&u, id).Error; err != nil {
			return notFound(err, "user", id)
		}
		wasAdmin := u.Role == RoleAdmin && u.Active()
		rec, err := change(tx, &u)
		if err != nil || rec == nil {
			out = u
			return err
		}
		if wasAdmin && (u.Role != RoleAdmin || !u.Active()) && len(admins) <= 1 {
			return ErrLastAdmin
		}
		u.UpdatedAt = s.now().UTC()
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"role": u.Role,
			"venue_id": u.VenueID, "deactivated_at": u.DeactivatedAt, "updated_at": u.UpdatedAt}).Error; err != nil {
			return err
		}
		rec.SubjectKind, rec.SubjectID = SubjectUser, u.ID
		out = u
		return s.audit(ctx, tx, *rec)
	})
	if err != nil {
		return User{}, fmt.Errorf("change account %d: %w", id, err)
	}
	return out, nil
}

// ChangeAccount gives an account another role or venue scope. Demoting the last active admin
// is ErrLastAdmin. The audit entry says what changed, from what to what.
// It also returns ErrNotFound when there is no such account, and a *ValidationError when the input
// is not valid or names an unknown venue.
func (s *Store) ChangeAccount(ctx context.Context, id uint, in AccountInput) (User, error) {
	if err := invalid(in.Validate()); err != nil {
		return User{}, err
	}
	venueID, err := s.venueScope(ctx, in.VenueSlug)
	if err != nil {
		return User{}, err
	}
	return s.changeAccount(ctx, id, func(tx *gorm.DB, u *User) (*AuditRecord, error) {
		details := map[string]any{}
		if u.Role != in.Role {
			details["role"] = fromTo(u.Role, in.Role)
			u.Role = in.Role
		}
		if before, after := u.venueSlug(), in.VenueSlug; before != after {
			details["venue"] = fromTo(before, after)
			u.VenueID, u.Venue = venueID, nil
		}
		if len(details) == 0 {
			return nil, nil
		}
		return &AuditRecord{Action: "user.change", Details: details}, nil
	})
}

// DeactivateUser switches an account off: it can no longer sign in, and its sign-ins end at
// once (a browser still holding one is signed out on its next request). Deactivating the last active admin is ErrLastAdmin; deactivating twice
// changes nothing.
// It returns ErrNotFound when there is no such account.
func (s *Store) DeactivateUser(ctx context.Context, id uint) (User, error) {
	return s.changeAccount(ctx, id, func(tx *gorm.DB, u *User) (*AuditRecord, error) {
		if !u.Active() {
			return nil, nil
		}
		now := s.now().UTC()
		u.DeactivatedAt = &now
		// Its sign-ins end with it, in the same transaction (each with its own entry).
		if err := s.endSignInsOf(ctx, tx, u.ID, 0, SignInAccount); err != nil {
			return nil, err
		}
		return &AuditRecord{Action: "user.deactivate", Details: map[string]any{"active": fromTo(true, false)}}, nil
	})
}

// ReactivateUser switches an account on again; reactivating an active account changes nothing.
// It returns ErrNotFound when there is no such account.
func (s *Store) ReactivateUser(ctx context.Context, id uint) (User, error) {
	return s.changeAccount(ctx, id, func(tx *gorm.DB, u *User) (*AuditRecord, error) {
		if u.Active() {
			return nil, nil
		}
		u.DeactivatedAt = nil
		return &AuditRecord{Action: "user.reactivate", Details: map[string]any{"active": fromTo(false, true)}}, nil
	})
}

// venueSlug is the slug of the account's venue, or "" for every venue; Venue must be loaded.
func (u User) venueSlug() string {
	if u.Venue == nil {
		return ""
	}
	return u.Venue.Slug
}

// fromTo is an edited field in an audit entry's details: its value before and after.
func fromTo(before, after any) map[string]any {
	return map[string]any{"from": before, "to": after}
}

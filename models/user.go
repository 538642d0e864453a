package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/alexedwards/argon2id"
	"gorm.io/gorm"
)

// Roles an account can have. Admins and organisers run the event; reviewers judge proposals;
// door staff check people in at one venue.
const (
	RoleAdmin     = "admin"
	RoleOrganiser = "organiser"
	RoleReviewer  = "reviewer"
	RoleDoor      = "door"
)

// Roles lists every role, most powerful first.
var Roles = []string{RoleAdmin, RoleOrganiser, RoleReviewer, RoleDoor}

// User is an account for the organiser area. VenueID, when set, limits it to one venue.
type User struct {
	ID           uint
	Email        string `gorm:"size:254;not null;uniqueIndex"`
	PasswordHash string `gorm:"size:200;not null"`
	Role         string `gorm:"size:20;not null"`
	VenueID      *uint  `gorm:"index"`
	Venue        *Venue `gorm:"constraint:OnDelete:CASCADE"`
	// DeactivatedAt, when set, is when an admin switched the account off: it cannot sign in,
	// and its sessions end (issue #16).
	DeactivatedAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// CanManageVenue reports whether the account may change things at the given venue.
func (u User) CanManageVenue(venueID uint) bool {
	if u.Role != RoleAdmin && u.Role != RoleOrganiser {
		return false
	}
	return u.VenueID == nil || *u.VenueID == venueID
}

// CanManageEvent reports whether the account may change event-wide settings and add venues.
func (u User) CanManageEvent() bool {
	return (u.Role == RoleAdmin || u.Role == RoleOrganiser) && u.VenueID == nil
}

// UserInput describes an account to create.
type UserInput struct {
	Email     string
	Password  string
	Role      string
	VenueSlug string
}

// MinPasswordLength is the shortest password accepted; long passphrases beat complex rules.
const MinPasswordLength = 12

// Validate reports what is wrong with the input.
func (in UserInput) Validate() Problems {
	p := Problems{}
	p.checkEmail("email", in.Email, true)
	p.checkPassword("password", in.Password)
	if !slices.Contains(Roles, in.Role) {
		p.Add("role", "form.invalid_choice")
	}
	if in.Role == RoleDoor && in.VenueSlug == "" {
		p.Add("venue", "form.door_needs_venue")
	}
	return p
}

// checkPassword records what is wrong with a new password: long passphrases, no rules of
// composition, and none of the passwords attackers try first (NIST SP 800-63B, 5.1.1.2).
// Every place a password is set goes through it.
func (p Problems) checkPassword(field, password string) {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		p.Add(field, "form.password_too_short", "Min", MinPasswordLength)
	case len(password) > 1000:
		p.Add(field, "form.too_long", "Max", 1000)
	case IsBreached(password):
		p.Add(field, "form.password_breached")
	}
}

// argonParams follow OWASP's argon2id profile (19 MiB, 2 passes): strong against guessing
// and small enough that a few concurrent log-ins do not dominate a small server's memory.
var argonParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// CreateUser stores a new account with its password hashed by argon2id.
// It returns a *ValidationError when the input is not valid or names an unknown venue, and
// ErrConflict when the address has an account already.
func (s *Store) CreateUser(ctx context.Context, in UserInput) (User, error) {
	if err := invalid(in.Validate()); err != nil {
		return User{}, err
	}
	u := User{Email: NormalizeEmail(in.Email), Role: in.Role}
	if in.VenueSlug != "" {
		v, err := s.VenueBySlug(ctx, in.VenueSlug)
		if errors.Is(err, ErrNotFound) {
			return User{}, invalid(Problems{"venue": {Key: "form.unknown_venue"}})
		}
		if err != nil {
			return User{}, err
		}
		u.VenueID = &v.ID
	}
	hash, err := argon2id.CreateHash(in.Password, argonParams)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	u.PasswordHash = hash
	err = s.db.WithContext(ctx).Create(&u).Error
	if isUniqueViolation(err) {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, ErrConflict)
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %q: %w", u.Email, err)
	}
	return u, nil
}

// SetPassword gives the account for email a new password, hashed by argon2id, and ends all
// its sign-ins; the audit entry names the actor in ctx (the command line). It returns
// ErrNotFound when there is no such account.
func (s *Store) SetPassword(ctx context.Context, email, password string) error {
	hash, err := hashPassword("password", password)
	if err != nil {
		return err
	}
	email = NormalizeEmail(email)
	err = s.write(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("email = ?", email).First(&u).Error; err != nil {
			return notFound(err, "user", email)
		}
		return s.setPasswordHash(ctx, tx, u.ID, hash, 0, AuditPasswordChanged)
	})
	if err != nil {
		return fmt.Errorf("set password of %q: %w", email, err)
	}
	return nil
}

// dummyHash is compared against when an address is unknown, so that a failed log-in takes
// as long whether or not the account exists. It is made on first use, not at start-up.
var dummyHash = sync.OnceValue(func() string {
	h, _ := argon2id.CreateHash("not a real password", argonParams)
	return h
})

// failedSignIn records a failed password sign-in in the audit trail (for u, or for no
// account when u.ID is 0) and returns ErrInvalidCredentials, or the error of recording it.
func (s *Store) failedSignIn(ctx context.Context, u User) error {
	if err := s.recordFailedSignIn(ctx, u, "password"); err != nil {
		return err
	}
	return ErrInvalidCredentials
}

// Authenticate returns the account for email when password matches its hash. A failure is
// ErrInvalidCredentials, recorded in the audit trail (see recordFailedSignIn).
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		argon2id.ComparePasswordAndHash(password, dummyHash())
		return User{}, s.failedSignIn(ctx, User{})
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	ok, err := argon2id.ComparePasswordAndHash(password, u.PasswordHash)
	if err != nil || !ok || u.DeactivatedAt != nil {
		return User{}, s.failedSignIn(ctx, u)
	}
	return u, nil
}

// User returns one account by id.
// It returns ErrNotFound when there is no such account.
func (s *Store) User(ctx context.Context, id uint) (User, error) {
	var u User
	if err := s.db.WithContext(ctx).Preload("Venue").First(&u, id).Error; err != nil {
		return User{}, notFound(err, "user", id)
	}
	return u, nil
}

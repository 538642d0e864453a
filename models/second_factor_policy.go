package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Which roles must sign in with a second factor (#16 2fa), and every account's state.

// SecondFactorRule says whether accounts with Role must sign in with a second factor.
type SecondFactorRule struct {
	Role      string `gorm:"size:20;primaryKey"`
	Required  bool   `gorm:"not null"`
	UpdatedAt time.Time
}

// SecondFactorPolicy returns, per role, whether it requires a second factor. Roles without
// a stored rule fall back to DefaultSecondFactorPolicy.
func (s *Store) SecondFactorPolicy(ctx context.Context) (map[string]bool, error) {
	var rules []SecondFactorRule
	if err := s.db.WithContext(ctx).Find(&rules).Error; err != nil {
		return nil, fmt.Errorf("second factor policy: %w", err)
	}
	out := DefaultSecondFactorPolicy()
	for _, r := range rules {
		out[r.Role] = r.Required
	}
	return out, nil
}

// DefaultSecondFactorPolicy is the policy of a new installation: admins and organisers, who
// can see and change everything, need a second factor; reviewers and door staff do not.
func DefaultSecondFactorPolicy() map[string]bool {
	return map[string]bool{RoleAdmin: true, RoleOrganiser: true, RoleReviewer: false, RoleDoor: false}
}

// RoleRequiresSecondFactor reports whether accounts with role must have a second factor.
func (s *Store) RoleRequiresSecondFactor(ctx context.Context, role string) (bool, error) {
	var rules []SecondFactorRule
	if err := s.db.WithContext(ctx).Where("role = ?", role).Limit(1).Find(&rules).Error; err != nil {
		return false, fmt.Errorf("second factor policy for %s: %w", role, err)
	}
	if len(rules) == 0 {
		return DefaultSecondFactorPolicy()[role], nil
	}
	return rules[0].Required, nil
}

// SetSecondFactorPolicy stores whether each role requires a second factor; roles not in
// required keep their rule. The change is written to the audit trail.
func (s *Store) SetSecondFactorPolicy(ctx context.Context, required map[string]bool) error {
	before, err := s.SecondFactorPolicy(ctx)
	if err != nil {
		return err
	}
	changes := map[string]any{}
	for _, role := range Roles {
		if v, ok := required[role]; ok && v != before[role] {
			changes[role] = strconv.FormatBool(before[role]) + " → " + strconv.FormatBool(v)
		}
	}
	if len(changes) == 0 {
		return nil
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		for _, role := range Roles {
			if _, ok := changes[role]; !ok {
				continue
			}
			rule := SecondFactorRule{Role: role, Required: required[role], UpdatedAt: s.now().UTC()}
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "role"}},
				DoUpdates: clause.AssignmentColumns([]string{"required", "updated_at"})}).Create(&rule).Error; err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, AuditRecord{Action: "second_factor.policy", SubjectKind: "installation", Details: changes})
	})
	if err != nil {
		return fmt.Errorf("set second factor policy: %w", err)
	}
	return nil
}

// AccountSecondFactor is one account's second-factor state, for the admins' overview.
type AccountSecondFactor struct {
	User              User
	Enrolled          bool
	RecoveryCodesLeft int
}

// SecondFactorStates lists every account with its second-factor state, by role and address.
func (s *Store) SecondFactorStates(ctx context.Context) ([]AccountSecondFactor, error) {
	var users []User
	if err := s.db.WithContext(ctx).Preload("Venue").Order("email").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	var factors []SecondFactor
	if err := s.db.WithContext(ctx).Select("user_id").Find(&factors).Error; err != nil {
		return nil, fmt.Errorf("second factors: %w", err)
	}
	var left []struct {
		UserID uint
		N      int
	}
	if err := s.db.WithContext(ctx).Model(&RecoveryCode{}).Select("user_id, COUNT(*) AS n").Where("used_at IS NULL").
		Group("user_id").Scan(&left).Error; err != nil {
		return nil, fmt.Errorf("recovery codes: %w", err)
	}
	enrolled := map[uint]bool{}
	for _, f := range factors {
		enrolled[f.UserID] = true
	}
	codes := map[uint]int{}
	for _, l := range left {
		codes[l.UserID] = l.N
	}
	out := make([]AccountSecondFactor, len(users))
	for i, u := range users {
		out[i] = AccountSecondFactor{User: u, Enrolled: enrolled[u.ID], RecoveryCodesLeft: codes[u.ID]}
	}
	return out, nil
}

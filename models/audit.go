package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Kinds of actor in the audit trail.
const (
	ActorUser  = "user"  // a signed-in account
	ActorToken = "token" // an organiser's API token
	ActorCLI   = "cli"   // the command line, run by whoever operates the server
)

// Actor is who does something the audit trail records.
type Actor struct {
	Kind string
	ID   uint   // the account's or token's id; 0 for the command line
	Name string // the account's address or the token's name, as it was at the time
}

// Subjects of audit entries.
const (
	SubjectRegistration = "registration"
)

// AuditEntry records one organiser action: who did what to whom and when, and why when they
// said so. It is written in the same transaction as the change, so the trail never misses a
// change nor records one that did not happen. The table holds every kind of organiser
// action (its subject says on what); the people's pages show the entries about a person.
type AuditEntry struct {
	ID          uint
	At          time.Time `gorm:"not null;index"`
	ActorKind   string    `gorm:"size:20;not null"`
	ActorID     *uint
	ActorName   string `gorm:"size:254;not null"`
	Action      string `gorm:"size:60;not null;index"`
	SubjectKind string `gorm:"size:30;not null;index:idx_audit_subject"`
	SubjectID   uint   `gorm:"not null;index:idx_audit_subject"`
	VenueID     *uint  `gorm:"index"`
	Reason      string `gorm:"size:500;not null;default:''"`
	// Details is a small JSON object: what changed (field names, and old and new values
	// where they are not sensitive), the session concerned, and so on.
	Details string `gorm:"size:4000;not null;default:''"`
}

// DetailMap decodes Details; an entry without details gives an empty map.
func (e AuditEntry) DetailMap() map[string]any {
	out := map[string]any{}
	if e.Details != "" {
		_ = json.Unmarshal([]byte(e.Details), &out)
	}
	return out
}

// AuditRecord is what an action writes into the trail.
type AuditRecord struct {
	Action      string
	SubjectKind string
	SubjectID   uint
	VenueID     uint // 0 when the action is not about one venue
	Reason      string
	Details     map[string]any
}

// writeAudit adds an entry to the trail inside the caller's transaction.
func writeAudit(tx *gorm.DB, now time.Time, by Actor, rec AuditRecord) error {
	if by.Kind == "" {
		return fmt.Errorf("audit %s: no actor", rec.Action)
	}
	e := AuditEntry{At: now, ActorKind: by.Kind, ActorName: by.Name, Action: rec.Action,
		SubjectKind: rec.SubjectKind, SubjectID: rec.SubjectID, Reason: truncate(rec.Reason, 500)}
	if by.ID != 0 {
		id := by.ID
		e.ActorID = &id
	}
	if rec.VenueID != 0 {
		v := rec.VenueID
		e.VenueID = &v
	}
	if len(rec.Details) > 0 {
		b, err := json.Marshal(rec.Details)
		if err != nil {
			return fmt.Errorf("audit %s: %w", rec.Action, err)
		}
		e.Details = truncate(string(b), 4000)
	}
	return tx.Create(&e).Error
}

// truncate cuts s to at most n bytes, for a column of that size, without splitting a
// character: a reason or a name in any script stays valid UTF-8.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// AuditTrail returns the entries about one subject, newest first.
func (s *Store) AuditTrail(ctx context.Context, subjectKind string, subjectID uint) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.WithContext(ctx).Where("subject_kind = ? AND subject_id = ?", subjectKind, subjectID).
		Order("at DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("audit trail of %s %d: %w", subjectKind, subjectID, err)
	}
	return out, nil
}

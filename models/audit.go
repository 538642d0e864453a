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
	ActorUser   = "user"   // a signed-in account
	ActorToken  = "token"  // an organiser's API token
	ActorCLI    = "cli"    // the command line, run by whoever operates the server
	ActorSystem = "system" // a job of the server itself (the retention job)
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
	// SubjectAuditLog is the log itself: its exports and its anonymisation.
	SubjectAuditLog = "audit_log"
)

// Actions on the log itself.
const (
	ActionAuditExported   = "audit.exported"
	ActionAuditAnonymised = "audit.anonymised"
)

// AuditEntry records one organiser action: who did what to whom and when, and why when they
// said so. It is written in the same transaction as the change, so the trail never misses a
// change nor records one that did not happen. The table holds every kind of organiser
// action (its subject says on what); the people's pages show the entries about a person.
//
// Entries form a hash chain (audit_chain.go): each holds its place in the chain (Seq), the
// hash of the entry before it and its own hash, over its fields and that previous hash. The
// personal fields (who acted, from which address, the reason given and Personal) are not
// hashed themselves but through PersonalDigest, a digest keyed with a random salt of the
// entry's own: anonymising an entry removes them and the salt, keeps the digest, and the
// chain still verifies.
type AuditEntry struct {
	ID          uint
	Seq         int64     `gorm:"not null;default:0;uniqueIndex:idx_audit_entries_seq"`
	At          time.Time `gorm:"not null;index"`
	ActorKind   string    `gorm:"size:20;not null;index:idx_audit_actor"`
	ActorID     *uint     `gorm:"index:idx_audit_actor"`
	ActorName   string    `gorm:"size:254;not null"`
	Action      string    `gorm:"size:60;not null;index"`
	SubjectKind string    `gorm:"size:30;not null;index:idx_audit_subject"`
	SubjectID   uint      `gorm:"not null;index:idx_audit_subject"`
	VenueID     *uint     `gorm:"index"`
	Reason      string    `gorm:"size:500;not null;default:''"`
	// Details is a small JSON object: what changed (field names, and old and new values
	// where they are not sensitive), the session concerned, and so on. Personal values are
	// kept apart, in Personal.
	Details string `gorm:"size:4000;not null;default:''"`
	// ClientAddress is the address the request came from, when there was one.
	ClientAddress string `gorm:"size:64;not null;default:''"`
	// Personal is a JSON object shaped like Details holding its personal values (a person's
	// name or address before and after a change): DetailMap lays it over Details.
	Personal       string `gorm:"size:4000;not null;default:''"`
	PersonalSalt   string `gorm:"size:32;not null;default:''"`
	PersonalDigest string `gorm:"size:64;not null;default:''"`
	PrevHash       string `gorm:"size:64;not null;default:''"`
	Hash           string `gorm:"size:64;not null;default:''"`
	// AnonymisedAt is when the personal fields were removed; nil while they are there.
	AnonymisedAt *time.Time
}

// DetailMap decodes Details with the personal values laid over it; an entry without details
// gives an empty map. After anonymisation the personal values are simply missing.
func (e AuditEntry) DetailMap() map[string]any {
	out := map[string]any{}
	if e.Details != "" {
		_ = json.Unmarshal([]byte(e.Details), &out)
	}
	if e.Personal != "" {
		personal := map[string]any{}
		if json.Unmarshal([]byte(e.Personal), &personal) == nil {
			overlay(out, personal)
		}
	}
	return out
}

// Anonymised reports whether the entry's personal fields were removed.
func (e AuditEntry) Anonymised() bool { return e.AnonymisedAt != nil }

// AuditRecord is what an action writes into the trail.
//
// Details says what happened without naming anyone. For an edit, the convention is
// {"fields": ["title", …], "old": {"title": …}, "new": {"title": …}}, which the log shows as
// "title: old → new"; sensitive values (passwords, tokens, secrets, needs) are never written,
// only the field's name in "fields". Personal values (a person's name, address, organisation)
// go in Personal, shaped the same way; writeAudit also moves the well-known personal keys
// (personalKeys) out of Details, so that they can be anonymised later.
type AuditRecord struct {
	Action      string
	SubjectKind string
	SubjectID   uint
	VenueID     uint // 0 when the action is not about one venue
	Reason      string
	Details     map[string]any
	Personal    map[string]any
}

// writeAudit adds an entry to the trail inside the caller's transaction, as the next link of
// the chain.
func writeAudit(tx *gorm.DB, now time.Time, by Actor, rec AuditRecord) error {
	if by.Kind == "" {
		return fmt.Errorf("audit %s: no actor", rec.Action)
	}
	e := AuditEntry{At: now, ActorKind: by.Kind, ActorName: truncate(by.Name, 254), Action: rec.Action,
		SubjectKind: rec.SubjectKind, SubjectID: rec.SubjectID, Reason: truncate(rec.Reason, 500),
		ClientAddress: truncate(clientAddressFrom(tx.Statement.Context), 64)}
	if by.ID != 0 {
		id := by.ID
		e.ActorID = &id
	}
	if rec.VenueID != 0 {
		v := rec.VenueID
		e.VenueID = &v
	}
	details, personal, err := splitPersonal(rec.SubjectKind, rec.Details, rec.Personal)
	if err != nil {
		return fmt.Errorf("audit %s: %w", rec.Action, err)
	}
	e.Details, e.Personal = truncate(details, 4000), truncate(personal, 4000)
	if err := appendAudit(tx, &e); err != nil {
		return fmt.Errorf("audit %s: %w", rec.Action, err)
	}
	return nil
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

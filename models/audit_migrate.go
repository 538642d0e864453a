package models

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// migrateAuditChain makes the audit log a hash chain (audit_chain.go): each entry gets its
// place, its previous entry's hash and its own, the address the request came from, its
// personal values apart from its details with their salted digest, and a time of
// anonymisation; one row holds the chain's head; an index serves the log's filter by person.
// The entries already there are chained in the order they were written, their personal values
// moved apart as writeAudit does now.
func migrateAuditChain(tx *gorm.DB) error {
	type sealed = AuditEntry // the entry as it is chained now, before the name is taken below
	type AuditEntry struct {
		ID             uint
		ActorKind      string `gorm:"index:idx_audit_actor"`
		ActorID        *uint  `gorm:"index:idx_audit_actor"`
		Seq            int64  `gorm:"not null;default:0;uniqueIndex:idx_audit_entries_seq"`
		ClientAddress  string `gorm:"size:64;not null;default:''"`
		Personal       string `gorm:"size:4000;not null;default:''"`
		PersonalSalt   string `gorm:"size:32;not null;default:''"`
		PersonalDigest string `gorm:"size:64;not null;default:''"`
		PrevHash       string `gorm:"size:64;not null;default:''"`
		Hash           string `gorm:"size:64;not null;default:''"`
		AnonymisedAt   *time.Time
	}
	type AuditChainHead struct {
		ID   uint
		Seq  int64  `gorm:"not null"`
		Hash string `gorm:"size:64;not null"`
	}
	m := tx.Migrator()
	for _, col := range []string{"Seq", "ClientAddress", "Personal", "PersonalSalt", "PersonalDigest", "PrevHash", "Hash", "AnonymisedAt"} {
		if err := m.AddColumn(&AuditEntry{}, col); err != nil {
			return err
		}
	}
	if err := m.CreateTable(&AuditChainHead{}); err != nil {
		return err
	}
	type oldEntry struct {
		ID          uint
		At          time.Time
		ActorKind   string
		ActorID     *uint
		ActorName   string
		Action      string
		SubjectKind string
		SubjectID   uint
		VenueID     *uint
		Reason      string
		Details     string
	}
	var rows []oldEntry
	if err := tx.Table("audit_entries").Order("id").Find(&rows).Error; err != nil {
		return err
	}
	seq, prev := int64(0), genesisHash
	for _, r := range rows {
		details := map[string]any{}
		if r.Details != "" {
			if err := json.Unmarshal([]byte(r.Details), &details); err != nil {
				details = map[string]any{"text": r.Details} // kept, though it was no object
			}
		}
		d, p, err := splitPersonal(r.SubjectKind, details, nil)
		if err != nil {
			return err
		}
		full := sealed{At: r.At, ActorKind: r.ActorKind, ActorID: r.ActorID, ActorName: r.ActorName, Action: r.Action,
			SubjectKind: r.SubjectKind, SubjectID: r.SubjectID, VenueID: r.VenueID, Reason: r.Reason, Details: d, Personal: p}
		seq++
		if err := full.seal(seq, prev); err != nil {
			return err
		}
		prev = full.Hash
		err = tx.Table("audit_entries").Where("id = ?", r.ID).Updates(map[string]any{
			"at": full.At, "details": full.Details, "personal": full.Personal, "personal_salt": full.PersonalSalt,
			"personal_digest": full.PersonalDigest, "seq": full.Seq, "prev_hash": full.PrevHash, "hash": full.Hash,
		}).Error
		if err != nil {
			return err
		}
	}
	for _, idx := range []string{"idx_audit_entries_seq", "idx_audit_actor"} { // the chain's order; the filter by person
		if err := m.CreateIndex(&AuditEntry{}, idx); err != nil {
			return err
		}
	}
	return tx.Create(&AuditChainHead{ID: auditChainHeadID, Seq: seq, Hash: prev}).Error
}

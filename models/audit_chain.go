package models

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The audit log is an append-only hash chain. Entry n stores the hash of entry n-1 (the first
// stores genesisHash) and its own hash, SHA-256 over a canonical encoding of its fields and
// that previous hash; a single row (AuditChainHead) holds the last entry's place and hash. A
// changed, removed, inserted or reordered entry, or entries cut off the end, no longer fit:
// VerifyAudit finds the first that does not.
//
// The personal fields are hashed through PersonalDigest, an HMAC-SHA256 keyed with a random
// salt of the entry's own, so that they can be removed later (AnonymiseAuditBefore) without
// breaking the chain: the salt goes with them, and the digest alone says nothing about them.

// genesisHash is the "previous hash" of the first entry.
var genesisHash = strings.Repeat("0", 64)

// auditChainVersion starts every hashed encoding; a new encoding would get a new version.
const auditChainVersion = "dagplanner-audit-1"

// auditTime is how an entry's time is hashed: UTC to the microsecond, which both databases
// store exactly.
const auditTime = "2006-01-02T15:04:05.000000Z"

// AuditChainHead is the end of the chain: the last entry's place and hash. Writers lock its
// one row, so that they append one after another and the chain never forks.
type AuditChainHead struct {
	ID   uint
	Seq  int64  `gorm:"not null"`
	Hash string `gorm:"size:64;not null"`
}

// auditChainHeadID is the id of the head's one row.
const auditChainHeadID = 1

// field writes one value into a hash, prefixed with its length so that no two sequences of
// values encode alike.
func field(h hash.Hash, s string) {
	h.Write([]byte(strconv.Itoa(len(s))))
	h.Write([]byte{':'})
	h.Write([]byte(s))
	h.Write([]byte{'\n'})
}

func optionalID(id *uint) string {
	if id == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*id), 10)
}

// chainHash is the entry's hash: over its place, time, kind of actor, action, subject,
// venue, details, personal digest and the previous entry's hash.
func (e AuditEntry) chainHash() string {
	h := sha256.New()
	field(h, auditChainVersion)
	field(h, strconv.FormatInt(e.Seq, 10))
	field(h, e.At.UTC().Format(auditTime))
	field(h, e.ActorKind)
	field(h, e.Action)
	field(h, e.SubjectKind)
	field(h, strconv.FormatUint(uint64(e.SubjectID), 10))
	field(h, optionalID(e.VenueID))
	field(h, e.Details)
	field(h, e.PersonalDigest)
	field(h, e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// personalDigest is the HMAC of the entry's personal fields under its salt: who acted (the
// account's id and name), from where, the reason given and the personal details.
func (e AuditEntry) personalDigest() (string, error) {
	salt, err := hex.DecodeString(e.PersonalSalt)
	if err != nil || len(salt) == 0 {
		return "", fmt.Errorf("audit entry %d: no salt", e.ID)
	}
	h := hmac.New(sha256.New, salt)
	field(h, auditChainVersion)
	field(h, optionalID(e.ActorID))
	field(h, e.ActorName)
	field(h, e.ClientAddress)
	field(h, e.Reason)
	field(h, e.Personal)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// seal gives e a fresh salt, its personal digest and its hash, as the entry after prev.
func (e *AuditEntry) seal(seq int64, prevHash string) error {
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return err
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.PersonalSalt = hex.EncodeToString(salt[:])
	digest, err := e.personalDigest()
	if err != nil {
		return err
	}
	e.PersonalDigest, e.Seq, e.PrevHash = digest, seq, prevHash
	e.Hash = e.chainHash()
	return nil
}

// appendAudit adds e to the end of the chain inside tx. On PostgreSQL it locks the head's
// row until tx ends, so concurrent writers (other lanes, other processes) queue behind it
// and each sees the head the one before it left; SQLite has a single writer anyway.
func appendAudit(tx *gorm.DB, e *AuditEntry) error {
	var head AuditChainHead
	q := tx
	if tx.Dialector.Name() == "postgres" {
		q = tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.First(&head, auditChainHeadID).Error; err != nil {
		return fmt.Errorf("read the chain's head: %w", err)
	}
	if err := e.seal(head.Seq+1, head.Hash); err != nil {
		return err
	}
	if err := tx.Create(e).Error; err != nil {
		return err
	}
	return tx.Model(&AuditChainHead{}).Where("id = ?", auditChainHeadID).
		Updates(map[string]any{"seq": e.Seq, "hash": e.Hash}).Error
}

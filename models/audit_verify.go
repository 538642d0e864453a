package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditCheck is what VerifyAudit found: how many entries it checked, how many of them were
// anonymised, and the first entry that breaks the chain (nil when none does).
type AuditCheck struct {
	Entries    int
	Anonymised int
	Broken     *AuditBreak
}

// AuditBreak names the first entry that does not fit the chain, and why.
type AuditBreak struct {
	ID     uint  // the entry's row; 0 when the break is not one entry (the chain's end)
	Seq    int64 // its place in the chain
	Reason string
}

func (b AuditBreak) String() string {
	if b.ID == 0 {
		return fmt.Sprintf("at #%d: %s", b.Seq, b.Reason)
	}
	return fmt.Sprintf("entry #%d (id %d): %s", b.Seq, b.ID, b.Reason)
}

// verifyBatch is how many entries VerifyAudit reads at a time.
const verifyBatch = 1000

// VerifyAudit walks the chain from its first entry to its head and reports the first entry
// that does not fit: a place missing or out of order, a previous hash that is not the one
// before it, personal fields that do not match their digest, contents that do not match
// their hash, or entries removed from the end or added outside the chain. Entries written
// while it runs are left for the next check.
func (s *Store) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	db := s.db.WithContext(ctx)
	var head AuditChainHead
	if err := db.First(&head, auditChainHeadID).Error; err != nil {
		return AuditCheck{}, fmt.Errorf("verify audit log: read the chain's head: %w", err)
	}
	var out AuditCheck
	seq, prev := int64(0), genesisHash
	for seq < head.Seq {
		var batch []AuditEntry
		err := db.Where("seq > ? AND seq <= ?", seq, head.Seq).Order("seq").Limit(verifyBatch).Find(&batch).Error
		if err != nil {
			return AuditCheck{}, fmt.Errorf("verify audit log: %w", err)
		}
		if len(batch) == 0 {
			out.Broken = &AuditBreak{Seq: seq + 1, Reason: fmt.Sprintf("the chain ends at #%d, but its head says #%d: entries at the end were removed", seq, head.Seq)}
			return out, nil
		}
		for _, e := range batch {
			seq++
			if why := checkEntry(e, seq, prev); why != "" {
				out.Broken = &AuditBreak{ID: e.ID, Seq: e.Seq, Reason: why}
				return out, nil
			}
			out.Entries++
			if e.Anonymised() {
				out.Anonymised++
			}
			prev = e.Hash
		}
	}
	if prev != head.Hash {
		out.Broken = &AuditBreak{Seq: head.Seq, Reason: "the chain's head does not hold the last entry's hash"}
		return out, nil
	}
	// One statement, one snapshot: entries the head does not cover (a writer's entry and
	// its head commit together, so none is caught half-way).
	var outside AuditEntry
	err := db.Where("seq <= 0 OR seq > (SELECT seq FROM audit_chain_heads WHERE id = ?)", auditChainHeadID).Order("id").Limit(1).Find(&outside).Error
	if err != nil {
		return AuditCheck{}, fmt.Errorf("verify audit log: %w", err)
	}
	if outside.ID != 0 {
		out.Broken = &AuditBreak{ID: outside.ID, Seq: outside.Seq, Reason: "the entry is outside the chain (after its head, or never chained)"}
	}
	return out, nil
}

// checkEntry says why e does not fit as entry number seq after an entry with hash prev, or ""
// when it does.
func checkEntry(e AuditEntry, seq int64, prev string) string {
	switch {
	case e.Seq != seq:
		return fmt.Sprintf("entry #%d is missing: the next entry is #%d", seq, e.Seq)
	case e.PrevHash != prev:
		return "it does not follow the entry before it (its previous hash differs): an entry was removed, inserted or moved"
	}
	if e.PersonalSalt == "" {
		if !e.Anonymised() || e.ActorID != nil || e.ActorName != "" || e.ClientAddress != "" || e.Reason != "" || e.Personal != "" {
			return "its personal fields have no salt to check them with"
		}
	} else if d, err := e.personalDigest(); err != nil || d != e.PersonalDigest {
		return "its personal fields (actor, address, reason or personal details) were changed"
	}
	if e.chainHash() != e.Hash {
		return "its contents were changed (its hash differs)"
	}
	return ""
}

// AnonymiseAuditBefore removes the personal fields of the entries written before the given
// time (who acted, from which address, the reason given and the personal details, with the
// salt of their digest), keeping what was done to what and the chain intact. It writes an
// entry of its own, naming the actor in ctx (or the system, for the retention job), and
// returns how many entries it anonymised.
func (s *Store) AnonymiseAuditBefore(ctx context.Context, before time.Time) (int, error) {
	by, ok := ActorFrom(ctx)
	if !ok {
		by = Actor{Kind: ActorSystem, Name: "retention"}
	}
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		var err error
		if n, err = anonymiseAudit(tx.Where("at < ?", before.UTC()), now); err != nil {
			return err
		}
		return writeAudit(tx, now, by, AuditRecord{Action: ActionAuditAnonymised, SubjectKind: SubjectAuditLog,
			Details: map[string]any{"before": before.UTC().Format(time.RFC3339), "entries": n}})
	})
	if err != nil {
		return 0, fmt.Errorf("anonymise audit entries before %s: %w", before.Format(time.DateOnly), err)
	}
	return int(n), nil
}

// anonymiseAudit removes the personal fields of the entries q selects that still have them
// (who acted, from which address, the reason given and the personal details, with the salt
// of their digest) and reports how many. The digest and the hash stay, so the chain still
// verifies: checkEntry accepts an anonymised entry without a salt.
func anonymiseAudit(q *gorm.DB, now time.Time) (int64, error) {
	res := q.Model(&AuditEntry{}).Where("anonymised_at IS NULL").Updates(map[string]any{
		"actor_id": nil, "actor_name": "", "client_address": "", "reason": "", "personal": "",
		"personal_salt": "", "anonymised_at": now,
	})
	return res.RowsAffected, res.Error
}

package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Retention (issue #17 point 4): Purge does what the event's retention periods say, once they
// have ended. Each category is planned by the same queries whether it is a dry run or not; the
// real run plans it again inside its transaction and applies exactly that plan, so the dry run
// shows what the real run then does. A category that has nothing left to do is not reported,
// so a second run reports nothing.

// Retention categories, as the purge report names them.
const (
	// PurgeNeeds: dietary and accessibility needs deleted, NeedsRetention days after the event.
	PurgeNeeds = "needs"
	// PurgePersonal: registrations anonymised (check-ins and bookings stay, as anonymous rows),
	// their e-mails' addresses and contents removed, PersonalRetention days after the event.
	PurgePersonal = "personal"
	// PurgeProposals: proposals that were not accepted deleted, with their speakers' details,
	// co-speakers, photos, links, reviews, votes and e-mails, ProposalRetention days after.
	PurgeProposals = "proposals"
	// PurgeVoteContacts: voters' addresses deleted once voting has closed.
	PurgeVoteContacts = "vote_contacts"
	// PurgeAuditLog: the personal fields of audit entries written before the end of the
	// latest personal retention period that has ended (see AnonymiseAuditBefore).
	PurgeAuditLog = "audit_log"
)

// PurgeReport is what Purge did, or in a dry run would do: one item per category and event
// that had something to do, in the order done. It holds ids and counts, never personal data.
type PurgeReport struct {
	At     time.Time
	DryRun bool
	Items  []PurgeItem
}

// PurgeItem is one category's work for one event (EventID 0 for the audit log).
type PurgeItem struct {
	Category string
	EventID  uint
	// Due is when the retention period ended.
	Due time.Time
	// IDs are the registrations (needs, personal) or proposals (proposals) concerned.
	IDs []uint
	// Counts say what was done, in a fixed order per category.
	Counts []PurgeCount

	// What apply works on, besides IDs.
	mailAnonymise, mailDelete []uint
}

// PurgeCount is a number of things a category did: What names them ("registrations",
// "emails_anonymised", …; see docs/operations.md).
type PurgeCount struct {
	What string
	N    int64
}

// Count returns the count named what, or 0.
func (it PurgeItem) Count(what string) int64 {
	for _, c := range it.Counts {
		if c.What == what {
			return c.N
		}
	}
	return 0
}

func (it *PurgeItem) add(what string, n int64) {
	it.Counts = append(it.Counts, PurgeCount{What: what, N: n})
}

// empty reports whether the item has nothing to do.
func (it PurgeItem) empty() bool {
	for _, c := range it.Counts {
		if c.N > 0 {
			return false
		}
	}
	return true
}

// Retention actions in the audit log: one entry per category and event the job worked on. The
// audit log's own anonymisation is recorded as ActionAuditAnonymised.
const (
	ActionRetentionNeeds        = "retention.needs_deleted"
	ActionRetentionPersonal     = "retention.personal_anonymised"
	ActionRetentionProposals    = "retention.proposals_deleted"
	ActionRetentionVoteContacts = "retention.vote_contacts_deleted"
)

// purgeAction is the audit action of each per-event category.
var purgeAction = map[string]string{
	PurgeNeeds: ActionRetentionNeeds, PurgePersonal: ActionRetentionPersonal,
	PurgeProposals: ActionRetentionProposals, PurgeVoteContacts: ActionRetentionVoteContacts,
}

// retentionActor is who the audit log names when the job runs without an actor (the server's
// daily job).
var retentionActor = Actor{Kind: ActorSystem, Name: "retention"}

// purgeCategory is one category: when it is due for an event, what it would do (plan, which
// only reads), and doing it (apply, with the plan).
type purgeCategory struct {
	name  string
	due   func(e Event) (time.Time, bool)
	plan  func(db *gorm.DB, e Event, it *PurgeItem) error
	apply func(tx *gorm.DB, it *PurgeItem) error
}

var purgeCategories = []purgeCategory{
	{PurgeNeeds, func(e Event) (time.Time, bool) { return e.RetentionEnds(e.NeedsRetention()), true }, planNeeds, applyNeeds},
	{PurgePersonal, func(e Event) (time.Time, bool) { return e.RetentionEnds(e.PersonalRetention()), true }, planPersonal, applyPersonal},
	{PurgeProposals, func(e Event) (time.Time, bool) { return e.RetentionEnds(e.ProposalRetention()), true }, planProposals, applyProposals},
	{PurgeVoteContacts, func(e Event) (time.Time, bool) {
		if e.VotingClosesAt == nil {
			return time.Time{}, false
		}
		return *e.VotingClosesAt, true
	}, planVoteContacts, applyVoteContacts},
}

// Purge applies every event's retention periods that have ended at now: needs deleted,
// registrations anonymised, proposals that were not accepted deleted, voters' addresses
// deleted, and the audit log's personal fields removed (see the Purge* categories). Each
// category of each event is one transaction with its audit entry, naming the actor in ctx
// (or the system's retention job). With dryRun it writes nothing and reports what it would
// do. A second run at the same time does nothing and reports no items. It returns no
// sentinel errors.
func (s *Store) Purge(ctx context.Context, now time.Time, dryRun bool) (PurgeReport, error) {
	now = now.UTC()
	rep := PurgeReport{At: now, DryRun: dryRun}
	by, ok := ActorFrom(ctx)
	if !ok {
		by = retentionActor
	}
	var events []Event
	if err := s.db.WithContext(ctx).Order("id").Find(&events).Error; err != nil {
		return rep, fmt.Errorf("purge: read events: %w", err)
	}
	var auditBefore time.Time // the latest personal retention period that has ended
	for _, e := range events {
		if e.Day().IsZero() {
			continue
		}
		if end := e.RetentionEnds(e.PersonalRetention()); !now.Before(end) && end.After(auditBefore) {
			auditBefore = end
		}
		for _, c := range purgeCategories {
			due, ok := c.due(e)
			if !ok || now.Before(due) {
				continue
			}
			var it PurgeItem
			plan := func(db *gorm.DB) error {
				it = PurgeItem{Category: c.name, EventID: e.ID, Due: due.UTC()}
				return c.plan(db, e, &it)
			}
			var err error
			if dryRun {
				err = plan(s.db.WithContext(ctx))
			} else {
				err = s.write(ctx, func(tx *gorm.DB) error {
					if err := plan(tx); err != nil || it.empty() {
						return err
					}
					if err := c.apply(tx, &it); err != nil {
						return err
					}
					return writeAudit(tx, now, by, it.audit())
				})
			}
			if err != nil {
				return rep, fmt.Errorf("purge %s of event %d: %w", c.name, e.ID, err)
			}
			if !it.empty() {
				rep.Items = append(rep.Items, it)
			}
		}
	}
	if !auditBefore.IsZero() {
		it, err := s.purgeAudit(ctx, now, by, auditBefore, dryRun)
		if err != nil {
			return rep, err
		}
		if !it.empty() {
			rep.Items = append(rep.Items, it)
		}
	}
	return rep, nil
}

// purgeAudit removes the personal fields of the audit entries written before before.
func (s *Store) purgeAudit(ctx context.Context, now time.Time, by Actor, before time.Time, dryRun bool) (PurgeItem, error) {
	var it PurgeItem
	plan := func(db *gorm.DB) error {
		it = PurgeItem{Category: PurgeAuditLog, Due: before.UTC()}
		var n int64
		err := db.Model(&AuditEntry{}).Where("at < ? AND anonymised_at IS NULL", before.UTC()).Count(&n).Error
		it.add("audit_entries", n)
		return err
	}
	var err error
	if dryRun {
		err = plan(s.db.WithContext(ctx))
	} else {
		err = s.write(ctx, func(tx *gorm.DB) error {
			if err := plan(tx); err != nil || it.empty() {
				return err
			}
			_, err := anonymiseAuditBefore(tx, now, by, before)
			return err
		})
	}
	if err != nil {
		return it, fmt.Errorf("purge the audit log before %s: %w", before.Format(time.RFC3339), err)
	}
	return it, nil
}

// maxAuditIDs is how many ids a retention entry in the audit log lists; the count says how
// many there were.
const maxAuditIDs = 300

// audit is the item's audit record.
func (it PurgeItem) audit() AuditRecord {
	counts := map[string]int64{}
	for _, c := range it.Counts {
		counts[c.What] = c.N
	}
	details := map[string]any{"due": it.Due.Format(time.RFC3339), "counts": counts}
	if len(it.IDs) > 0 {
		ids := it.IDs
		if len(ids) > maxAuditIDs {
			ids, details["ids_truncated"] = ids[:maxAuditIDs], true
		}
		details["ids"] = ids
	}
	return AuditRecord{Action: purgeAction[it.Category], SubjectKind: SubjectEvent, SubjectID: it.EventID, Details: details}
}

// inChunks calls fn with ids a chunk at a time, so that no statement carries more
// parameters than SQLite allows.
func inChunks(ids []uint, fn func(chunk []uint) error) error {
	const size = 500
	for len(ids) > 0 {
		n := min(size, len(ids))
		if err := fn(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// deleteIn deletes the rows of model whose column is one of ids, and returns how many.
func deleteIn(tx *gorm.DB, model any, column string, ids []uint) (int64, error) {
	var n int64
	err := inChunks(ids, func(chunk []uint) error {
		res := tx.Where(column+" IN ?", chunk).Delete(model)
		n += res.RowsAffected
		return res.Error
	})
	return n, err
}

// countIn counts the rows of model whose column is one of ids.
func countIn(db *gorm.DB, model any, column string, ids []uint) (int64, error) {
	var total int64
	err := inChunks(ids, func(chunk []uint) error {
		var n int64
		err := db.Model(model).Where(column+" IN ?", chunk).Count(&n).Error
		total += n
		return err
	})
	return total, err
}

// checkApplied fails when apply did not touch as many rows as planned: then the plan was not
// what happened, and the transaction is undone.
func checkApplied(what string, planned, done int64) error {
	if planned != done {
		return fmt.Errorf("%s: planned %d, did %d", what, planned, done)
	}
	return nil
}

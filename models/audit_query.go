package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditFilter selects entries of the log. Zero fields select everything.
type AuditFilter struct {
	ActorKind   string // with ActorID: one account, token or device; alone: e.g. every command-line entry
	ActorID     uint
	SubjectKind string // the kind of object
	SubjectID   uint   // with SubjectKind: one object
	Action      string
	From, To    time.Time // written at or after From, before To
	// Older and Newer page through the log: entries before (after) this place in the chain.
	Older, Newer int64
}

func (f AuditFilter) apply(q *gorm.DB) *gorm.DB {
	if f.ActorKind != "" {
		q = q.Where("actor_kind = ?", f.ActorKind)
		if f.ActorID != 0 {
			q = q.Where("actor_id = ?", f.ActorID)
		}
	}
	if f.SubjectKind != "" {
		q = q.Where("subject_kind = ?", f.SubjectKind)
		if f.SubjectID != 0 {
			q = q.Where("subject_id = ?", f.SubjectID)
		}
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.Older != 0 {
		q = q.Where("seq < ?", f.Older)
	}
	if f.Newer != 0 {
		q = q.Where("seq > ?", f.Newer)
	}
	return q
}

// AuditPage is one page of the log, newest first, and whether there are entries before and
// after it.
type AuditPage struct {
	Entries      []AuditEntry
	Older, Newer bool
}

// AuditLog returns up to limit entries that f selects, newest first: the newest of all, those
// just before f.Older, or those just after f.Newer.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter, limit int) (AuditPage, error) {
	order := "seq DESC"
	if f.Newer != 0 {
		order = "seq ASC"
	}
	var rows []AuditEntry
	if err := f.apply(s.db.WithContext(ctx)).Order(order).Limit(limit + 1).Find(&rows).Error; err != nil {
		return AuditPage{}, fmt.Errorf("audit log: %w", err)
	}
	more := len(rows) > limit
	rows = rows[:min(len(rows), limit)]
	var p AuditPage
	if f.Newer != 0 {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
		p.Newer, p.Older = more, true
	} else {
		p.Older, p.Newer = more, f.Older != 0
	}
	p.Entries = rows
	return p, nil
}

// EachAuditEntry calls fn for every entry f selects, newest first, reading a batch at a time
// (for an export of any length).
func (s *Store) EachAuditEntry(ctx context.Context, f AuditFilter, fn func(AuditEntry) error) error {
	f.Newer = 0
	for {
		page, err := s.AuditLog(ctx, f, verifyBatch)
		if err != nil {
			return err
		}
		for _, e := range page.Entries {
			if err := fn(e); err != nil {
				return err
			}
		}
		if !page.Older {
			return nil
		}
		f.Older = page.Entries[len(page.Entries)-1].Seq
	}
}

// AuditActor is someone who appears in the log: the filter's choices.
type AuditActor struct {
	Kind string
	ID   uint
	Name string
}

// AuditActors lists who appears in the log by name (anonymised entries name no one), at most
// 500, in order of name.
func (s *Store) AuditActors(ctx context.Context) ([]AuditActor, error) {
	var out []AuditActor
	err := s.db.WithContext(ctx).Model(&AuditEntry{}).
		Select("actor_kind AS kind, COALESCE(actor_id, 0) AS id, MAX(actor_name) AS name").
		Where("anonymised_at IS NULL").Group("actor_kind, COALESCE(actor_id, 0)").
		Order("name, kind").Limit(500).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("audit actors: %w", err)
	}
	return out, nil
}

// AuditKinds lists the kinds of object and the actions the log holds, each sorted.
func (s *Store) AuditKinds(ctx context.Context) (kinds, actions []string, err error) {
	db := s.db.WithContext(ctx).Model(&AuditEntry{})
	if err = db.Distinct("subject_kind").Order("subject_kind").Pluck("subject_kind", &kinds).Error; err != nil {
		return nil, nil, fmt.Errorf("audit kinds: %w", err)
	}
	db = s.db.WithContext(ctx).Model(&AuditEntry{})
	if err = db.Distinct("action").Order("action").Pluck("action", &actions).Error; err != nil {
		return nil, nil, fmt.Errorf("audit actions: %w", err)
	}
	return kinds, actions, nil
}

// RecordAuditExport writes the entry that says the actor in ctx exported the log as filtered
// (the query as given, and the format).
func (s *Store) RecordAuditExport(ctx context.Context, query, format string) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		return s.audit(tx.Statement.Context, tx, AuditRecord{Action: ActionAuditExported, SubjectKind: SubjectAuditLog,
			Details: map[string]any{"filter": query, "format": format}})
	})
	if err != nil {
		return fmt.Errorf("record the audit log's export: %w", err)
	}
	return nil
}

// SessionTitles returns the titles of the sessions with the given ids (of every session when
// ids is nil), for the log's readable summaries; a session that is gone has none.
func (s *Store) SessionTitles(ctx context.Context, ids []uint) (map[uint]string, error) {
	out := map[uint]string{}
	if ids != nil && len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    uint
		Title string
	}
	q := s.db.WithContext(ctx).Model(&Session{}).Select("id", "title")
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("session titles: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}

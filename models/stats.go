package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// The store counts what it committed, for /metrics. models imports no package of ours, so it
// keeps plain counters and a callback here, and the metrics package reads them.
//
// A write may run more than once before it commits (group commit runs a batch again when one
// of its writes fails or it deadlocked, and a pipelined batch falls back to savepoints), so the writes count into a tally that travels with the
// transaction's context, starts afresh on every run, and is added to the counters only once
// the write has committed.

// stats holds the store's counters. The zero value is ready to use.
type stats struct {
	registrations, promotions, checkIns atomic.Int64
	// onBatch is told the size of every group commit; nil when nobody asked.
	onBatch atomic.Pointer[func(int)]
	// lastRushBatch is when a batch of rushBatch writes or more last committed (Unix ns).
	lastRushBatch atomic.Int64
}

// Counts are the store's running totals since it was opened.
type Counts struct {
	// Registrations stored: by attendees, organisers, imports and walk-ins.
	Registrations int64
	// Promotions from a waiting list to a seat.
	Promotions int64
	// CheckIns admitted at the door (a repeated scan is not a new one).
	CheckIns int64
}

// Counts returns what this store has committed since it was opened.
func (s *Store) Counts() Counts {
	return Counts{
		Registrations: s.stats.registrations.Load(),
		Promotions:    s.stats.promotions.Load(),
		CheckIns:      s.stats.checkIns.Load(),
	}
}

// OnBatch has fn told the number of writes in every group commit from now on. fn runs on the
// writer, so it must be quick.
func (s *Store) OnBatch(fn func(writes int)) { s.stats.onBatch.Store(&fn) }

// observeBatch reports a group commit's size to whoever asked for it.
func (st *stats) observeBatch(n int) {
	if n >= rushBatch {
		st.lastRushBatch.Store(time.Now().UnixNano())
	}
	if fn := st.onBatch.Load(); fn != nil {
		(*fn)(n)
	}
}

// rushBatch is a batch size that only a crowd writing at once produces.
const rushBatch = 8

// Busy reports whether the store is in a rush: a batch of rushBatch or more writes committed
// within the last second. The mail worker then sends at a trickle, leaving the processor to
// the people waiting for their answer.
func (s *Store) Busy() bool {
	last := s.stats.lastRushBatch.Load()
	return last != 0 && time.Since(time.Unix(0, last)) < time.Second
}

// tally counts what one run of a write did; see write.
type tally struct{ registrations, promotions, checkIns int64 }

type tallyKey struct{}

// tallyOf returns the tally of the write that tx belongs to. Outside write it is a throw-away.
func tallyOf(tx *gorm.DB) *tally {
	if t, ok := tx.Statement.Context.Value(tallyKey{}).(*tally); ok {
		return t
	}
	return &tally{}
}

// write runs fn in a transaction (see writeTx) and, once it has committed, adds what its last
// run counted to the store's counters.
//
// Any such write may change a venue or its event, so the venues' registration details are
// forgotten once it is done (registrations themselves use writeFor, and change neither).
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	defer s.venues.forget()
	return s.writeFor(ctx, 0, fn)
}

// writeFor is write for a change to one venue's registrations: writes for different venues
// may commit side by side (on PostgreSQL).
func (s *Store) writeFor(ctx context.Context, venueID uint, fn func(tx *gorm.DB) error) error {
	return s.writeOne(ctx, venueID, fn, nil)
}

// writeOne is writeFor for a write that can also be made as one statement (pipe): on
// PostgreSQL it then goes out with the others of its batch in one round trip.
func (s *Store) writeOne(ctx context.Context, venueID uint, fn func(tx *gorm.DB) error, pipe *pipelinedWrite) error {
	t := &tally{}
	err := s.writeTx(context.WithValue(ctx, tallyKey{}, t), venueID, func(tx *gorm.DB) error {
		*t = tally{} // a run that is rolled back and run again counts once
		return fn(tx)
	}, pipe)
	if err == nil {
		s.stats.registrations.Add(t.registrations)
		s.stats.promotions.Add(t.promotions)
		s.stats.checkIns.Add(t.checkIns)
	}
	return err
}

// PoolStats returns the connection pools' statistics by name: "read" and "write" on SQLite,
// which writes through a connection of its own, and "main" when one pool does both.
func (s *Store) PoolStats() map[string]sql.DBStats {
	out := map[string]sql.DBStats{}
	if db, err := s.db.DB(); err == nil {
		out["main"] = db.Stats()
	}
	if s.wdb != s.db {
		if w, err := s.wdb.DB(); err == nil {
			out["read"], out["write"] = out["main"], w.Stats()
			delete(out, "main")
		}
	}
	return out
}

// OutboxBacklog returns how many e-mails wait to be sent and when the oldest of them was
// queued (the zero time when none waits), for /metrics at scrape time.
func (s *Store) OutboxBacklog(ctx context.Context) (pending int64, oldest time.Time, err error) {
	db := s.db.WithContext(ctx).Model(&OutboxMessage{}).Where("sent_at IS NULL")
	if err := db.Count(&pending).Error; err != nil || pending == 0 {
		return pending, time.Time{}, err
	}
	// The oldest by id, not min(created_at): SQLite hands an aggregate back as text.
	var first OutboxMessage
	if err := s.db.WithContext(ctx).Select("created_at").Where("sent_at IS NULL").Order("id").Take(&first).Error; err != nil {
		return pending, time.Time{}, fmt.Errorf("outbox backlog: %w", err)
	}
	return pending, first.CreatedAt, nil
}

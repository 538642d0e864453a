package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// SQLite has one writer at a time, and a commit writes every page the transaction touched.
// Under a registration rush, committing each registration on its own spends most of the time
// rewriting the same index pages. Group commit runs the writes that are waiting anyway in one
// transaction, each in its own savepoint, so that a write that fails rolls back alone.
//
// PostgreSQL gets the same, for a different reason: every registration updates its venue's
// row, so one transaction per registration queued on that row's lock for the length of a
// commit (measured: ~110 registrations a second, whatever the pool). One transaction per
// batch takes the lock once for up to maxBatch registrations. Between processes sharing the
// database, batches take turns on an advisory lock (see lockBatch), so two batches never
// deadlock on each other's rows.
//
// One goroutine does all writes and drains the queue batch after batch. (Handing the
// writing from request to request instead left the writer idle whenever the next one waited
// behind hundreds of runnable goroutines in the scheduler.) It starts with the first write,
// not in Open, and Close stops it.

// maxBatch bounds how many writes share one commit.
const maxBatch = 128

// ErrClosed reports a write to a store that has been closed.
var ErrClosed = errors.New("store closed")

// groupCommit queues writes for the writer goroutines. SQLite has one lane; PostgreSQL has a
// few, each with its own connection, so that registrations for different venues (which
// touch different rows) commit side by side. A write without a venue goes in lane 0.
type groupCommit struct {
	start   sync.Once
	lanes   []chan *writeJob
	quit    chan struct{}
	stopped sync.WaitGroup
	stop    sync.Once

	commits       int         // SQLite's commits so far; only its one write loop touches it
	checkpointing atomic.Bool // a checkpoint is running
	// passive is the passive checkpoint running on a reading connection, if any: Close
	// waits for it, or the connection it holds would close after the others, too late to
	// fold the WAL into the database file.
	passive    sync.WaitGroup
	dbPath     string // the database file, for the WAL's size; only the write loop touches it
	walRetryAt int    // no truncating the WAL before this many commits (after a failed try)
	// passives counts the passive checkpoints that finished; truncateAfter, when not 0, is
	// the count at which the WAL, found too large, may be truncated (see checkpointSoon).
	passives      atomic.Uint64
	truncateAfter uint64
}

type writeJob struct {
	ctx  context.Context
	fn   func(tx *gorm.DB) error
	pipe *pipelinedWrite // the same write as one statement, when it is one (PostgreSQL)
	done chan error
}

// init makes the queues of n lanes.
func (g *groupCommit) init(n int) {
	g.lanes = make([]chan *writeJob, n)
	for i := range g.lanes {
		g.lanes[i] = make(chan *writeJob, maxBatch)
	}
	g.quit = make(chan struct{})
}

// writeTx queues fn for the writer of venueID's lane and waits for its outcome: fn runs in a
// transaction, and writes that arrive together share one commit. Writes for different
// venues may commit side by side (on PostgreSQL). Callers use write or writeFor (stats.go).
func (s *Store) writeTx(ctx context.Context, venueID uint, fn func(tx *gorm.DB) error, pipe *pipelinedWrite) error {
	g := &s.group
	g.start.Do(func() {
		for lane := range g.lanes {
			g.stopped.Go(func() { s.writeLoop(lane) })
		}
	})
	job := &writeJob{ctx: ctx, fn: fn, pipe: pipe, done: make(chan error, 1)}
	select {
	case g.lanes[int(venueID%uint(len(g.lanes)))] <- job:
	case <-g.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the job runs (or sees its cancelled context); wait for its outcome.
	return <-job.done
}

// writeLoop commits the queued writes of one lane in batches until Close.
func (s *Store) writeLoop(lane int) {
	g := &s.group
	jobs := g.lanes[lane]
	for {
		var batch []*writeJob
		select {
		case job := <-jobs:
			batch = append(batch, job)
		case <-g.quit:
			failQueued(jobs, ErrClosed)
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case job := <-jobs:
				batch = append(batch, job)
			default:
				break more
			}
		}
		s.commitBatch(lane, batch)
	}
}

// errRetryBatch aborts a batch's first, savepoint-free run when one of its writes fails.
var errRetryBatch = errors.New("a write in the batch failed")

// commitBatch commits a batch of jobs in one transaction and reports each outcome. In a rush
// nearly every write succeeds, so the batch first runs without savepoints, which cost two
// statements a write. If any write fails, that run is rolled back and the batch runs again
// with a savepoint per write, so that the failing write alone is undone. Writes are database
// work only, so running one again is safe.
func (s *Store) commitBatch(lane int, batch []*writeJob) {
	s.stats.observeBatch(len(batch))
	if errs, ok := s.commitPipelined(lane, batch); ok {
		for i, job := range batch {
			job.done <- errs[i]
		}
		return
	}
	errs := make([]error, len(batch))
	var commitErr error
	for attempt := 0; ; attempt++ {
		commitErr = s.wdb.Transaction(func(tx *gorm.DB) error {
			if err := s.lockBatch(tx, lane); err != nil {
				return err
			}
			for _, job := range batch {
				if err := runJob(tx, job); err != nil {
					return errRetryBatch
				}
			}
			return nil
		})
		if commitErr != nil && !isRetryableConflict(commitErr) {
			commitErr = s.wdb.Transaction(func(tx *gorm.DB) error {
				if err := s.lockBatch(tx, lane); err != nil {
					return err
				}
				for i, job := range batch {
					errs[i] = s.runInSavepoint(tx, job)
					if isRetryableConflict(errs[i]) {
						return errs[i] // the whole batch lost a race: run it again
					}
				}
				return nil
			})
		}
		// A batch that lost a race with another process's transaction (a deadlock, which
		// PostgreSQL breaks by failing one side) runs again, a few times, after a pause.
		if !isRetryableConflict(commitErr) || attempt == maxConflictRetries {
			break
		}
		clear(errs)
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	if s.sqlite {
		// Counted before the writers hear back, so that the count is never touched by two
		// goroutines at once: whoever writes next starts after this batch's writers were
		// answered.
		s.checkpointSoon()
	}
	for i, job := range batch {
		if commitErr != nil {
			errs[i] = commitErr
		}
		job.done <- errs[i]
	}
}

// maxConflictRetries is how often a batch that deadlocked with another process runs again.
const maxConflictRetries = 5

// batchLockKey names the PostgreSQL advisory locks that batches hold while they write, one
// per lane.
const batchLockKey = 0x64616770 // "dagp"

// lockBatch makes the batches of one lane, in all processes sharing a PostgreSQL database,
// take turns. Each batch locks the rows of many registrations' venues and sessions in the
// order its writes came in; two batches of the same lane (the same venues) running side by
// side would deadlock whenever they met the same rows in another order, and wait out
// deadlock_timeout (a second) before PostgreSQL broke it. Taking turns costs nothing the
// row locks were not already costing: batches for the same venue queue on its row anyway.
// The lock goes with the transaction.
func (s *Store) lockBatch(tx *gorm.DB, lane int) error {
	if s.sqlite {
		return nil // one writer at a time is SQLite's own rule
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", batchLockKey, lane).Error
}

// checkpointEvery is how many commits may pass between WAL checkpoints. The door's scans
// commit in small batches, many times a second; checkpointing every 64 rather than every 16
// commits copies each hot index page back once instead of four times (measured: 10% less
// server CPU per scan, and a lower p99 for the registration rush too).
const checkpointEvery = 64

// walTruncateBytes is the WAL's size below which it is never truncated: a small WAL costs
// nothing, and truncating it often would.
const walTruncateBytes = 8 << 20

// walWait is how long the writer waits for readers to leave the WAL before truncating it.
const walWait = 100 * time.Millisecond

// walCheckEvery is how many commits pass between looks at the WAL's size (two stat calls).
const walCheckEvery = 16

// checkpointSoon starts a passive WAL checkpoint on a reading connection every few commits,
// at most one at a time. Passive checkpoints never block the writer; whatever they cannot
// copy yet, the next one does. But under a long rush some reader is nearly always in the
// middle of a snapshot, so the WAL seldom starts over from its beginning and its file only
// grows (to 6–9× the database at 50,000 registrations). So when the WAL file is larger
// than the database, the writer truncates it here, between two batches: while it waits no
// new frames come, so new readers read the database file and it waits only for the readers
// of the moment.
//
// The truncation runs at the first commit after a passive checkpoint, started once the WAL
// was found too large, has finished: that one, off the write path, does the slow part
// (syncing the WAL, copying its frames, syncing the database), and the writer's own
// checkpoint is left with the commit or two since. Truncating at once took 30–80 ms of the
// writer's time at 50,000 registrations, twenty times over, and every registration in
// flight waited for it.
func (s *Store) checkpointSoon() {
	g := &s.group
	g.commits++
	if g.truncateAfter != 0 && g.passives.Load() >= g.truncateAfter && g.checkpointing.CompareAndSwap(false, true) {
		s.truncateWAL()
		g.truncateAfter = 0
		g.checkpointing.Store(false)
		return
	}
	if g.truncateAfter == 0 && g.commits%walCheckEvery == 0 && g.commits >= g.walRetryAt && s.walTooLarge() {
		g.truncateAfter = g.passives.Load() + 1
		s.checkpointPassive() // or one is running already, and counts when it ends
		return
	}
	if g.commits%checkpointEvery == 0 {
		s.checkpointPassive()
	}
}

// checkpointPassive starts a passive checkpoint on a reading connection, unless one is
// running.
func (s *Store) checkpointPassive() {
	g := &s.group
	if !g.checkpointing.CompareAndSwap(false, true) {
		return
	}
	g.passive.Add(1)
	go func() {
		defer g.passive.Done()
		defer g.checkpointing.Store(false)
		var result struct{ Busy, Log, Checkpointed int }
		s.db.Raw("PRAGMA wal_checkpoint(PASSIVE)").Scan(&result) // read to the end; see openWriter
		g.passives.Add(1)
	}()
}

// truncateWAL checkpoints the WAL completely on the writer's connection and truncates it.
// A reader that holds an old snapshot for long (an export) would keep the writer waiting:
// it waits at most walWait, and after a failed try lets a while pass.
func (s *Store) truncateWAL() {
	g := &s.group
	var result struct{ Busy, Log, Checkpointed int }
	var ms int
	s.wdb.Raw(fmt.Sprintf("PRAGMA busy_timeout = %d", walWait.Milliseconds())).Scan(&ms)
	s.wdb.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&result) // read to the end; see openWriter
	s.wdb.Raw("PRAGMA busy_timeout = " + sqliteBusyTimeout).Scan(&ms)
	if result.Busy != 0 {
		g.walRetryAt = g.commits + 8*walCheckEvery
	}
}

// walTooLarge reports whether the WAL file is larger than the database file (and than
// walTruncateBytes). The database's path is asked once; only the write loop calls this.
func (s *Store) walTooLarge() bool {
	g := &s.group
	if g.dbPath == "" {
		var rows []struct {
			Seq        int
			Name, File string
		}
		if s.wdb.Raw("PRAGMA database_list").Scan(&rows).Error != nil || len(rows) == 0 || rows[0].File == "" {
			g.dbPath = "-" // an in-memory database, or no answer: never truncate
		} else {
			g.dbPath = rows[0].File
		}
	}
	if g.dbPath == "-" {
		return false
	}
	wal, err := os.Stat(g.dbPath + "-wal")
	if err != nil || wal.Size() < walTruncateBytes {
		return false
	}
	db, err := os.Stat(g.dbPath)
	return err == nil && wal.Size() > db.Size()
}

// failQueued answers the writes still queued when the store closes.
func failQueued(jobs chan *writeJob, err error) {
	for {
		select {
		case job := <-jobs:
			job.done <- err
		default:
			return
		}
	}
}

// stopWriter ends the write loops, if they were started, and waits for them.
func (s *Store) stopWriter() {
	g := &s.group
	g.stop.Do(func() { close(g.quit) })
	g.start.Do(func() {}) // none start after this
	g.stopped.Wait()
	g.passive.Wait() // only the write loop starts them
}

// runJob runs one job in the batch's transaction, turning a panic into an error.
func runJob(tx *gorm.DB, job *writeJob) (err error) {
	if err := job.ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("write panicked: %v", v)
		}
	}()
	return job.fn(tx.WithContext(context.WithoutCancel(job.ctx)))
}

// runInSavepoint runs one job inside a savepoint of the batch's transaction: on an error or a
// panic only that job's changes are rolled back. The writer runs jobs one after another, so
// one savepoint name serves them all, and its three statements are prepared once. (gorm's own
// nested transactions name each savepoint afresh, and its statement cache would keep every
// one of those names.)
func (s *Store) runInSavepoint(tx *gorm.DB, job *writeJob) (err error) {
	if err := job.ctx.Err(); err != nil {
		return err
	}
	// A started write runs to its end without watching for cancellation: with a cancellable
	// context, the SQLite driver runs every statement on a goroutine of its own and waits for
	// it, and under load that wait dwarfed the statements themselves. A job whose context was
	// cancelled before it started is skipped above.
	ctx := context.WithoutCancel(job.ctx)
	if _, err := inTx(ctx, tx, s.stmts.savepoint).ExecContext(ctx); err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("write panicked: %v", v)
		}
		if err != nil {
			if _, rbErr := inTx(ctx, tx, s.stmts.rollbackToSavepoint).ExecContext(ctx); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
		}
		if _, relErr := inTx(ctx, tx, s.stmts.releaseSavepoint).ExecContext(ctx); relErr != nil && err == nil {
			err = relErr
		}
	}()
	return job.fn(tx.WithContext(ctx))
}

package models

import (
	"context"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// SQLite has one writer at a time, and a commit writes every page the transaction touched.
// Under a registration rush, committing each registration on its own spends most of the time
// rewriting the same index pages. Group commit runs the writes that are waiting anyway in one
// transaction, each in its own savepoint, so that a write that fails rolls back alone.
//
// There is no background goroutine: the first writer to arrive leads, commits one batch, and
// hands the lead to the next waiting writer, so no request waits behind the whole rush.

// maxBatch bounds how many writes share one commit.
const maxBatch = 128

type groupCommit struct {
	mu      sync.Mutex
	queue   []*writeJob
	leading bool
}

type writeJob struct {
	ctx  context.Context
	fn   func(tx *gorm.DB) error
	done chan jobResult
}

type jobResult struct {
	err  error
	lead bool // not a result: the job's goroutine is to lead the next batch
}

// write runs fn in a transaction. On PostgreSQL every write has its own transaction; on
// SQLite, writes that arrive together share one commit (see groupCommit).
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if !s.sqlite {
		return s.wdb.WithContext(ctx).Transaction(fn)
	}
	job := &writeJob{ctx: ctx, fn: fn, done: make(chan jobResult, 1)}
	g := &s.group
	g.mu.Lock()
	g.queue = append(g.queue, job)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	for {
		if lead {
			s.commitNextBatch()
		}
		res := <-job.done
		if !res.lead {
			return res.err
		}
		lead = true
	}
}

// commitNextBatch commits the writes queued so far, then passes the lead on to the first
// writer still waiting, or gives it up when none is.
func (s *Store) commitNextBatch() {
	g := &s.group
	g.mu.Lock()
	n := min(len(g.queue), maxBatch)
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()

	errs := make([]error, len(batch))
	commitErr := s.wdb.Transaction(func(tx *gorm.DB) error {
		for i, job := range batch {
			errs[i] = runInSavepoint(tx, job)
		}
		return nil
	})
	for i, job := range batch {
		if commitErr != nil {
			errs[i] = commitErr
		}
		job.done <- jobResult{err: errs[i]}
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.leading = false
		return
	}
	g.queue[0].done <- jobResult{lead: true}
}

// runInSavepoint runs one job as a nested transaction (a savepoint): on an error or a panic
// only that job's changes are rolled back.
func runInSavepoint(tx *gorm.DB, job *writeJob) (err error) {
	if err := job.ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("write panicked: %v", v)
		}
	}()
	return tx.WithContext(job.ctx).Transaction(job.fn)
}

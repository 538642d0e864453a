package models

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A batch of writes still cost one round trip to PostgreSQL per statement: the writer sent a
// registration, waited for its answer, sent the next. On a busy machine each round trip is
// two wake-ups, and they, not the statements, set the pace. A write that is one statement
// can say so (pipelinedWrite); a batch made only of such writes is sent to the server in one
// go, with the lane's advisory lock first, and PostgreSQL runs it as one implicit
// transaction: all of it commits, or none of it. If any statement fails, the batch runs
// again the ordinary way (commitBatch), where each write has its own savepoint.

// pipelinedWrite is a write that is one statement.
type pipelinedWrite struct {
	sql  string
	args []any
	// scan reads the statement's rows. ErrVenueFull is the write's own outcome (its
	// statement wrote nothing); any other error means the batch did not commit.
	scan func(rows resultRows) error
	// counted adds what the write did to its tally, once it has committed.
	counted func(t *tally)
}

// commitPipelined commits a batch of one-statement writes in one round trip and returns each
// write's outcome. It reports false, having committed nothing, when the batch cannot go
// this way (SQLite, a write that is not one statement, a cancelled write) or failed.
func (s *Store) commitPipelined(lane int, batch []*writeJob) ([]error, bool) {
	if s.sqlite {
		return nil, false
	}
	for _, job := range batch {
		if job.pipe == nil || job.ctx.Err() != nil {
			return nil, false
		}
	}
	writer, err := s.wdb.DB()
	if err != nil {
		return nil, false
	}
	ctx := context.Background() // a started batch runs to its end; see runInSavepoint
	conn, err := writer.Conn(ctx)
	if err != nil {
		return nil, false
	}
	defer conn.Close()
	errs := make([]error, len(batch))
	err = conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		queue := &pgx.Batch{}
		queue.Queue("SELECT pg_advisory_xact_lock($1, $2)", batchLockKey, lane)
		for _, job := range batch {
			queue.Queue(job.pipe.sql, job.pipe.args...)
		}
		results := pc.Conn().SendBatch(ctx, queue)
		if _, err := results.Exec(); err != nil {
			results.Close()
			return err
		}
		for i, job := range batch {
			rows, err := results.Query()
			if err == nil {
				err = job.pipe.scan(rows)
				rows.Close()
			}
			if errors.Is(err, ErrVenueFull) {
				errs[i] = err
				continue
			}
			if err != nil {
				results.Close()
				return err
			}
		}
		return results.Close() // the implicit transaction's commit
	})
	if err != nil {
		return nil, false
	}
	for i, job := range batch {
		if errs[i] == nil && job.pipe.counted != nil {
			if t, ok := job.ctx.Value(tallyKey{}).(*tally); ok {
				job.pipe.counted(t)
			}
		}
	}
	return errs, true
}

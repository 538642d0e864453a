package mail

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// Defaults for the Worker's zero fields.
const (
	DefaultInterval = 5 * time.Second
	DefaultBatch    = 5
	DefaultPause    = 60 * time.Millisecond
	DefaultLease    = 5 * time.Minute
	// finishTimeout bounds a send, and the recording of its outcome, that is already under
	// way when the worker is asked to stop.
	finishTimeout = time.Minute
)

// Worker delivers the outbox: it claims due messages, composes and sends them, and records
// the outcome. Failed messages are retried with the store's back-off; none is ever dropped.
// Several workers, in one process or several, may share an outbox.
type Worker struct {
	Store    *models.Store
	Composer *Composer
	Sender   Sender
	Log      *slog.Logger
	// Interval is the pause between polls when the outbox is empty (default 5s).
	Interval time.Duration
	// Batch is how many messages one poll claims (default 5).
	Batch int
	// Pause is the rest after a full batch before the next (default 60ms). Composing a mail
	// with its PDF ticket costs a few milliseconds of CPU; small batches with short rests keep
	// the worker at about 65 mails a second in small steps, so during a registration rush the
	// people waiting for their answer get the processor, and the mails follow within minutes.
	Pause time.Duration
	// Lease is how long claimed messages stay reserved for this worker (default 5m). A worker
	// stops starting sends from a batch after half the lease, so another worker never takes
	// over a message this one is still sending.
	Lease time.Duration

	sent, failed atomic.Int64 // for /metrics; see stats.go
}

// Run delivers messages until ctx ends. When the outbox had a full batch it polls again at
// once; otherwise it waits Interval.
func (w *Worker) Run(ctx context.Context) {
	interval := w.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		claimed, _, _, err := w.runOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log().Error("outbox poll failed", "err", err)
		}
		next := interval
		if err == nil && claimed >= w.batch() {
			next = w.pause()
		}
		timer.Reset(next)
	}
}

// RunOnce claims one batch of due messages and handles it; it reports how many messages
// were sent and how many failed. When ctx ends it stops before the next message: the ones
// it did not reach become due again when their lease runs out.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	_, sent, failed, err = w.runOnce(ctx)
	return sent, failed, err
}

func (w *Worker) runOnce(ctx context.Context) (claimed, sent, failed int, err error) {
	lease := w.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	started := time.Now()
	msgs, err := w.Store.ClaimOutbox(ctx, w.batch(), lease)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, m := range msgs {
		if err := ctx.Err(); err != nil {
			return len(msgs), sent, failed, err
		}
		if time.Since(started) > lease/2 {
			break // the rest of the batch is left for the next claim, after its lease
		}
		switch w.deliver(ctx, m) {
		case outcomeSent:
			sent++
		case outcomeFailed:
			failed++
		}
	}
	return len(msgs), sent, failed, nil
}

// outcome is what became of one claimed message.
type outcome int

const (
	outcomeSent    outcome = iota
	outcomeFailed          // recorded as failed, to be retried after the back-off
	outcomeSkipped         // superseded, recorded as done without sending
	outcomeLeft            // not handled (stopping, or the store did not answer): retried after the lease
)

// deliver composes, sends and records one message.
func (w *Worker) deliver(ctx context.Context, m models.OutboxMessage) outcome {
	log := w.log().With("outbox_id", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	msg, err := w.Composer.Compose(ctx, m)
	if ctx.Err() != nil {
		return outcomeLeft // stopping: the lease runs out and the message is claimed again
	}
	// Once a message is composed, sending it and recording the outcome run to the end even
	// when ctx ends, so that a message that went out is never left unrecorded and sent again.
	finish, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	switch {
	case errors.Is(err, ErrSuperseded):
		log.Info("outbox message superseded by a cancellation: not sent")
		if !w.markSent(finish, log, m) {
			return outcomeLeft
		}
		return outcomeSkipped
	case err != nil:
		w.markFailed(finish, log, m, err)
		return outcomeFailed
	}
	if err := w.Sender.Send(finish, msg); err != nil {
		w.markFailed(finish, log, m, err)
		return outcomeFailed
	}
	w.sent.Add(1)
	if !w.markSent(finish, log, m) {
		return outcomeLeft
	}
	log.Info("mail sent")
	return outcomeSent
}

func (w *Worker) markSent(ctx context.Context, log *slog.Logger, m models.OutboxMessage) bool {
	if err := w.Store.MarkSent(ctx, m.ID); err != nil {
		// The mail went out but is not recorded: it will be sent again after the lease.
		// Its Message-ID stays the same, so the copy can be recognised.
		log.Error("record sent mail", "err", err)
		return false
	}
	return true
}

func (w *Worker) markFailed(ctx context.Context, log *slog.Logger, m models.OutboxMessage, cause error) {
	log.Warn("mail not sent, will retry", "err", cause)
	w.failed.Add(1)
	if err := w.Store.MarkFailed(ctx, m, cause); err != nil {
		log.Error("record failed mail", "err", err)
	}
}

func (w *Worker) batch() int {
	if w.Batch > 0 {
		return w.Batch
	}
	return DefaultBatch
}

func (w *Worker) pause() time.Duration {
	if w.Pause > 0 {
		return w.Pause
	}
	return DefaultPause
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

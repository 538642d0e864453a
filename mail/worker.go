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
	// RushPause is the rest after a full batch while Busy reports a rush: ten mails a
	// second rather than about 65, until the rush is over.
	RushPause = 500 * time.Millisecond
	// DefaultLease is short so that the mail of a process that died goes out soon after;
	// the worker renews it while it still holds messages (see leaseHolder).
	DefaultLease = 30 * time.Second
	// finishTimeout bounds a send, and the recording of its outcome, that is already under
	// way when the worker is asked to stop.
	finishTimeout = time.Minute
)

// Worker delivers the outbox: it claims due messages, composes and sends them, and records
// the outcome. Failed messages are retried with the store's back-off; none is ever dropped.
// Several workers, in one process or several, may share an outbox.
type Worker struct {
	Store    Outbox
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
	// Busy, when set, reports a registration rush (models.Store.Busy): composing a mail with
	// its PDF ticket costs milliseconds of processor, and during a rush those are better
	// spent answering the people who wait. The worker then rests RushPause after a full
	// batch, so mail still goes out, at a trickle, and at full speed once the rush is over.
	Busy func() bool
	// Lease is how long claimed messages stay reserved for this worker without a renewal
	// (default 30s). The worker renews it every quarter of a lease while it holds messages, and
	// starts no send once less than half a lease is left of the last renewal, so another
	// worker takes over only the messages of a worker that died or lost the database.
	Lease time.Duration

	sent, failed atomic.Int64 // for /metrics; see stats.go
}

// Outbox is what the worker needs of the store (a *models.Store); tests put one whose
// database fails for a moment in front of it.
type Outbox interface {
	ClaimOutbox(ctx context.Context, limit int, lease time.Duration) ([]models.OutboxMessage, error)
	RenewOutboxLease(ctx context.Context, token string, lease time.Duration) (int64, error)
	ReleaseOutbox(ctx context.Context, token string, ids []uint) error
	MarkSent(ctx context.Context, id uint) error
	MarkFailed(ctx context.Context, msg models.OutboxMessage, cause error) error
}

// Run delivers messages until ctx ends. When the outbox had a full batch it polls again
// after Pause (RushPause during a rush); otherwise it waits Interval.
func (w *Worker) Run(ctx context.Context) {
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
		timer.Reset(w.nextPoll(claimed, err))
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
	lease := w.lease()
	msgs, err := w.Store.ClaimOutbox(ctx, w.batch(), lease)
	if err != nil || len(msgs) == 0 {
		return 0, 0, 0, err
	}
	hold := w.holdLease(ctx, msgs[0].LockedBy, lease)
	defer hold.stop()
	for i, m := range msgs {
		if ctx.Err() != nil || !hold.valid() {
			// Give back what this worker will not try, so that it is due again at once.
			w.release(ctx, msgs[i:])
			return len(msgs), sent, failed, ctx.Err()
		}
		switch w.deliver(ctx, m) {
		case outcomeSent:
			sent++
		case outcomeFailed:
			failed++
		case outcomeStopped:
			w.release(ctx, msgs[i:])
			return len(msgs), sent, failed, ctx.Err()
		}
	}
	return len(msgs), sent, failed, nil
}

// release gives back claimed messages that were not tried. Failing is harmless: they are
// taken over when the lease runs out.
func (w *Worker) release(ctx context.Context, msgs []models.OutboxMessage) {
	ids := make([]uint, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := w.Store.ReleaseOutbox(rctx, msgs[0].LockedBy, ids); err != nil {
		w.log().Warn("release outbox messages", "err", err)
	}
}

func (w *Worker) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return DefaultLease
}

// outcome is what became of one claimed message.
type outcome int

const (
	outcomeSent       outcome = iota
	outcomeFailed             // recorded as failed, to be retried after the back-off
	outcomeSkipped            // superseded, recorded as done without sending
	outcomeStopped            // not sent: the worker is stopping
	outcomeUnrecorded         // handled, but the store did not take the record: retried after the lease
)

// deliver composes, sends and records one message.
func (w *Worker) deliver(ctx context.Context, m models.OutboxMessage) outcome {
	log := w.log().With("outbox_id", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	msg, err := w.Composer.Compose(ctx, m)
	if ctx.Err() != nil {
		return outcomeStopped // not sent: the caller gives it back
	}
	// Once a message is composed, sending it and recording the outcome run to the end even
	// when ctx ends, so that a message that went out is never left unrecorded and sent again.
	finish, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	switch {
	case errors.Is(err, ErrSuperseded):
		log.Info("outbox message superseded by a cancellation: not sent")
		if !w.markSent(finish, log, m) {
			return outcomeUnrecorded
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
		return outcomeUnrecorded
	}
	log.Info("mail sent")
	return outcomeSent
}

// markSent records that m went out. The mail is gone, so only the record may be repeated:
// it is retried with a growing pause until ctx ends (finishTimeout), while the lease, renewed
// all along, keeps every other worker off the message. Only a process that dies, or a store
// that stays out of reach for the whole time, leaves it to be sent again after the lease.
func (w *Worker) markSent(ctx context.Context, log *slog.Logger, m models.OutboxMessage) bool {
	pause := 50 * time.Millisecond
	for {
		err := w.Store.MarkSent(ctx, m.ID)
		if err == nil {
			return true
		}
		log.Warn("record sent mail, will retry", "err", err)
		select {
		case <-ctx.Done():
			// Its Message-ID stays the same, so a copy sent after the lease can be recognised.
			log.Error("sent mail not recorded: it will be sent again", "err", err)
			return false
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
	}
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

// nextPoll is the wait before the next poll: Interval when the outbox had no full batch (or
// the poll failed), else the rest after a full batch, longer during a rush.
func (w *Worker) nextPoll(claimed int, err error) time.Duration {
	if err != nil || claimed < w.batch() {
		if w.Interval > 0 {
			return w.Interval
		}
		return DefaultInterval
	}
	if w.Busy != nil && w.Busy() {
		return max(RushPause, w.pause())
	}
	return w.pause()
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

package mail

import (
	"context"
	"sync"
	"time"
)

// leaseHolder renews the lease of one claim while the worker sends its batch: the lease can
// then be short, so that the messages of a process that died are free again within a lease,
// while a live worker keeps its messages however long its SMTP server takes.
type leaseHolder struct {
	mu sync.Mutex
	// until is when the lease runs out by the last renewal this worker knows of, by its own
	// clock, measured from before the renewal was asked for.
	until time.Time
	lease time.Duration
	// lost is set when a renewal found that the claim holds nothing more: another worker
	// took its messages over (this one was stalled beyond the lease).
	lost bool
	done chan struct{}
	wg   sync.WaitGroup
}

// holdLease starts renewing the lease of claim token every quarter of lease until stop: a
// renewal may come a quarter of a lease late before valid stops new sends.
func (w *Worker) holdLease(ctx context.Context, token string, lease time.Duration) *leaseHolder {
	h := &leaseHolder{until: time.Now().Add(lease), lease: lease, done: make(chan struct{})}
	// Renewals go on while a send in progress finishes after ctx ended (see deliver).
	rctx := context.WithoutCancel(ctx)
	h.wg.Go(func() {
		t := time.NewTicker(lease / 4)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
			}
			asked := time.Now()
			cctx, cancel := context.WithTimeout(rctx, lease/4)
			held, err := w.Store.RenewOutboxLease(cctx, token, lease)
			cancel()
			h.renewed(asked, held, err)
			if err != nil {
				w.log().Warn("renew outbox lease", "err", err)
			}
		}
	})
	return h
}

func (h *leaseHolder) renewed(asked time.Time, held int64, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case err != nil:
	case held == 0:
		h.lost = true
	default:
		h.until = asked.Add(h.lease)
	}
}

// valid reports whether a new send may start: the claim still holds its messages and more
// than half a lease is left, room for the send to finish before anyone else may take over.
func (h *leaseHolder) valid() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.lost && time.Until(h.until) > h.lease/2
}

// stop ends the renewals.
func (h *leaseHolder) stop() {
	close(h.done)
	h.wg.Wait()
}

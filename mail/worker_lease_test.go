package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// runningClock starts a store clock at the fixture's time that then runs with real time, for
// tests of leases that must run out while the test waits.
func runningClock(s *models.Store, f fixture) {
	start, at := time.Now(), f.clock.Now()
	s.SetClock(func() time.Time { return at.Add(time.Since(start)) })
}

// failingMarkSent is a store whose MarkSent fails its first n calls, as a database that is
// out of reach for a moment.
type failingMarkSent struct {
	*models.Store
	n     atomic.Int32
	calls atomic.Int32
}

func (f *failingMarkSent) MarkSent(ctx context.Context, id uint) error {
	f.calls.Add(1)
	if f.n.Add(-1) >= 0 {
		return errors.New("connection refused")
	}
	return f.Store.MarkSent(ctx, id)
}

// A mail the SMTP server accepted is recorded as sent once the store answers again, and is
// never sent a second time because recording it failed.
func TestWorkerRetriesRecordingSentMail(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		for i := range 3 {
			must(s.Register(ctx, person(fmt.Sprintf("Deelnemer %d", i), fmt.Sprintf("d%d@example.nl", i), "nl", f.ai.ID)))
		}
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		flaky := &failingMarkSent{Store: s}
		flaky.n.Store(4)
		w.Store = flaky
		runOnce(t, w, 3, 0)
		if got := flaky.calls.Load(); got != 7 {
			t.Errorf("MarkSent called %d times, want 7 (4 failures, then 3 records)", got)
		}
		f.clock.Advance(time.Hour) // past any lease and back-off
		runOnce(t, w, 0, 0)
		checkDeliveredOnce(t, s, srv)
	})
}

// The same with a real fault: the connection to PostgreSQL is cut just after the SMTP
// server accepted the mail, and mended a moment later.
func TestWorkerRecordsSentMailAcrossCutConnection(t *testing.T) {
	dsn := modelstest.PostgresDSN(t)
	u := must(url.Parse(dsn))
	proxy := modelstest.StartTCPCut(t, u.Host)
	u.Host = proxy.Addr()
	s := must(models.Open(ctx, u.String()))
	t.Cleanup(func() { s.Close() })
	f := newFixture(t, s)
	must(s.Register(ctx, person("Deelnemer", "d@example.nl", "nl", f.ai.ID)))
	srv := startSMTP(t)
	logs := &syncBuffer{}
	w := newWorker(t, s, srv, slog.New(slog.NewTextHandler(logs, nil)))
	var mended sync.WaitGroup
	w.Sender = cutAfterSend{next: w.Sender, cut: func() {
		proxy.Cut()
		mended.Go(func() {
			time.Sleep(500 * time.Millisecond)
			proxy.Mend()
		})
	}}
	runOnce(t, w, 1, 0)
	mended.Wait()
	if !strings.Contains(logs.String(), "record sent mail, will retry") {
		t.Errorf("recording the sent mail never failed, so the cut tested nothing; log:\n%s", logs.String())
	}
	f.clock.Advance(time.Hour)
	runOnce(t, w, 0, 0)
	checkDeliveredOnce(t, s, srv)
}

// syncBuffer is a log buffer that the worker and its lease renewals may write at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cutAfterSend calls cut once the SMTP server accepted a message.
type cutAfterSend struct {
	next Sender
	cut  func()
}

func (c cutAfterSend) Send(ctx context.Context, m Message) error {
	err := c.next.Send(ctx, m)
	if err == nil {
		c.cut()
	}
	return err
}

// slowSender takes its time over every message, as a slow SMTP server does.
type slowSender struct {
	next  Sender
	pause time.Duration
}

func (s slowSender) Send(ctx context.Context, m Message) error {
	time.Sleep(s.pause)
	return s.next.Send(ctx, m)
}

// A worker renews its lease while it sends, so that a second worker never takes over a
// message the first still holds, however much longer than the lease its batch takes.
func TestWorkerRenewsLeaseWhileSending(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		for i := range 3 {
			must(s.Register(ctx, person(fmt.Sprintf("Deelnemer %d", i), fmt.Sprintf("d%d@example.nl", i), "nl", f.ai.ID)))
		}
		runningClock(s, f)
		srv := startSMTP(t)
		slow := newWorker(t, s, srv, nil)
		slow.Lease = 1200 * time.Millisecond
		slow.Sender = slowSender{next: slow.Sender, pause: 900 * time.Millisecond}
		type result struct {
			sent, failed int
			err          error
		}
		done := make(chan result, 1)
		go func() {
			sent, failed, err := slow.RunOnce(ctx) // 2.7 s: well beyond its lease
			done <- result{sent, failed, err}
		}()
		other := newWorker(t, s, srv, nil)
		for {
			select {
			case r := <-done:
				if r.sent != 3 || r.failed != 0 || r.err != nil {
					t.Errorf("slow worker: RunOnce() = %d sent, %d failed, %v; want 3, 0, nil", r.sent, r.failed, r.err)
				}
				checkDeliveredOnce(t, s, srv)
				return
			case <-time.After(50 * time.Millisecond):
			}
			if sent, _, err := other.RunOnce(ctx); err != nil || sent != 0 {
				t.Fatalf("other worker: RunOnce() = %d sent, %v; want nothing while the first holds its lease", sent, err)
			}
		}
	})
}

// The messages of a worker that died (claimed, never renewed) are taken over once its short
// lease has run out.
func TestWorkerTakesOverDeadWorkersMail(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		for i := range 3 {
			must(s.Register(ctx, person(fmt.Sprintf("Deelnemer %d", i), fmt.Sprintf("d%d@example.nl", i), "nl", f.ai.ID)))
		}
		runningClock(s, f)
		if got := len(must(s.ClaimOutbox(ctx, 10, 300*time.Millisecond))); got != 3 {
			t.Fatalf("ClaimOutbox() = %d messages, want 3", got)
		}
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		runOnce(t, w, 0, 0) // still the dead worker's
		time.Sleep(400 * time.Millisecond)
		runOnce(t, w, 3, 0)
		checkDeliveredOnce(t, s, srv)
	})
}

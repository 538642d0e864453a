package mail

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// newWorker returns a worker that sends through srv without TLS.
func newWorker(t *testing.T, s *models.Store, srv *testSMTP, log *slog.Logger) *Worker {
	t.Helper()
	sender, err := NewSMTPSender("smtp://127.0.0.1:"+srv.Port()+"?tls=none&timeout=5s", "Dag van de Test <noreply@dagplanner.example>")
	if err != nil {
		t.Fatal(err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{Store: s, Composer: &Composer{Store: s, BaseURL: "https://dagplanner.example"}, Sender: sender,
		Log: log, Interval: 10 * time.Millisecond, Batch: 10, Lease: time.Minute}
}

func runOnce(t *testing.T, w *Worker, wantSent, wantFailed int) {
	t.Helper()
	sent, failed, err := w.RunOnce(ctx)
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	if sent != wantSent || failed != wantFailed {
		t.Fatalf("RunOnce() = %d sent, %d failed; want %d, %d", sent, failed, wantSent, wantFailed)
	}
}

// checkDeliveredOnce checks that every outbox message reached srv exactly once, by Message-ID,
// and that nothing else did.
func checkDeliveredOnce(t *testing.T, s *models.Store, srv *testSMTP) {
	t.Helper()
	count := map[string]int{}
	for _, m := range srv.Messages() {
		count[m.Header(t).Get("Message-Id")]++
	}
	rows := outbox(t, s)
	for _, row := range rows {
		if got := count[messageID(t, s, row.ID)]; got != 1 {
			t.Errorf("message %d (%s to %s) delivered %d times, want 1", row.ID, row.Kind, row.Recipient, got)
		}
		if row.SentAt == nil {
			t.Errorf("message %d not marked sent", row.ID)
		}
	}
	if got, want := len(srv.Messages()), len(rows); got != want {
		t.Errorf("server got %d messages, want %d", got, want)
	}
}

func stats(t *testing.T, s *models.Store) models.OutboxStats {
	t.Helper()
	return must(s.Outbox(ctx))
}

func TestWorkerSendsConfirmations(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		anna := must(s.Register(ctx, person("Anna de Vries", "anna@example.nl", "nl", f.openData.ID, f.ai.ID)))
		bob := must(s.Register(ctx, person("Bob Jansen", "bob@example.nl", "en", f.writing.ID)))
		carla := must(s.Register(ctx, person("Carla Smit", "carla@example.nl", "nl", f.writing.ID))) // Zaal B holds one
		srv := startSMTP(t)
		var logs bytes.Buffer
		w := newWorker(t, s, srv, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))

		runOnce(t, w, 3, 0)
		runOnce(t, w, 0, 0)
		if got, want := stats(t, s), (models.OutboxStats{Pending: 0, Sent: 3}); got != want {
			t.Errorf("Outbox() = %+v, want %+v", got, want)
		}
		checkDeliveredOnce(t, s, srv)

		byRecipient := map[string]received{}
		for _, m := range srv.Messages() {
			byRecipient[m.To[0]] = m
		}
		tests := []struct {
			reg     models.RegistrationResult
			subject string
			want    []string
		}{
			{anna, "Je aanmelding voor Dag van de Test", []string{"Hallo Anna de Vries,", "woensdag 3 februari 2027",
				"10:00–11:00  Open data in de praktijk, Zaal A", "11:15–12:15  AI en de Woo, Zaal A"}},
			{bob, "Your registration for Dag van de Test", []string{"Hello Bob Jansen,", "Wednesday 3 February 2027",
				"10:00–11:00  Helder schrijven, Zaal B\n"}},
			{carla, "Je aanmelding voor Dag van de Test", []string{"Hallo Carla Smit,",
				"10:00–11:00  Helder schrijven, Zaal B (wachtlijst, plaats 1)"}},
		}
		for _, tc := range tests {
			email := tc.reg.Registration.Email
			m, ok := byRecipient[email]
			if !ok {
				t.Errorf("no mail to %s", email)
				continue
			}
			if got := m.Header(t).Get("Subject"); got != tc.subject {
				t.Errorf("subject to %s = %q, want %q", email, got, tc.subject)
			}
			body := m.Body(t)
			contains(t, "mail to "+email, body, tc.want...)
			token := tokenIn(t, body)
			if token == tc.reg.Token {
				t.Errorf("mail to %s reuses the registration's token, want a fresh one", email)
			}
			r, err := s.RegistrationByToken(ctx, token)
			if err != nil || r.ID != tc.reg.Registration.ID {
				t.Errorf("token in mail to %s opens registration %d (%v), want %d", email, r.ID, err, tc.reg.Registration.ID)
			}
			if strings.Contains(logs.String(), token) {
				t.Errorf("the worker's log contains a personal link token")
			}
		}
		for _, secret := range []string{"Anna de Vries", "/boeking/"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the worker's log contains %q:\n%s", secret, logs.String())
			}
		}
	})
}

func TestWorkerSurvivesSMTPOutage(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		for i := range 3 {
			must(s.Register(ctx, person(fmt.Sprintf("Deelnemer %d", i), fmt.Sprintf("d%d@example.nl", i), "nl", f.openData.ID)))
		}
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)

		srv.SetRefuse(true) // the server answers 451
		runOnce(t, w, 0, 3)
		if got := stats(t, s); got.Failing != 3 || got.Pending != 3 {
			t.Errorf("Outbox() = %+v, want 3 pending, 3 failing", got)
		}
		for _, row := range outbox(t, s) {
			if !strings.Contains(row.LastError, "451") {
				t.Errorf("message %d LastError = %q, want the server's 451", row.ID, row.LastError)
			}
		}
		runOnce(t, w, 0, 0) // first back-off: 20 s
		f.clock.Advance(19 * time.Second)
		runOnce(t, w, 0, 0)
		f.clock.Advance(2 * time.Second)

		srv.Stop() // now the server is gone altogether
		runOnce(t, w, 0, 3)
		f.clock.Advance(39 * time.Second) // second back-off: 40 s
		runOnce(t, w, 0, 0)

		srv.Start()
		srv.SetRefuse(false)
		f.clock.Advance(2 * time.Second)
		runOnce(t, w, 3, 0)
		runOnce(t, w, 0, 0)
		if got, want := stats(t, s), (models.OutboxStats{Sent: 3}); got != want {
			t.Errorf("Outbox() = %+v, want %+v", got, want)
		}
		checkDeliveredOnce(t, s, srv)
	})
}

// stopAfter passes messages on and cancels the worker's context after n of them, as if
// the process were asked to stop in the middle of a batch.
type stopAfter struct {
	next   Sender
	n      int
	cancel context.CancelFunc

	mu    sync.Mutex
	count int
}

func (s *stopAfter) Send(ctx context.Context, m Message) error {
	err := s.next.Send(ctx, m)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.count++; s.count == s.n {
		s.cancel()
	}
	return err
}

func TestWorkerRestartMidBatch(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		for i := range 6 {
			must(s.Register(ctx, person(fmt.Sprintf("Deelnemer %d", i), fmt.Sprintf("d%d@example.nl", i), "nl", f.ai.ID)))
		}
		srv := startSMTP(t)

		first := newWorker(t, s, srv, nil)
		first.Batch = 4
		runCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		first.Sender = &stopAfter{next: first.Sender, n: 2, cancel: cancel}
		done := make(chan struct{})
		go func() {
			first.Run(runCtx)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}
		if got := len(srv.Messages()); got != 2 {
			t.Fatalf("first worker sent %d messages, want 2", got)
		}
		if got := stats(t, s); got.Sent != 2 || got.Pending != 4 {
			t.Fatalf("Outbox() after the first worker = %+v, want 2 sent, 4 pending", got)
		}

		second := newWorker(t, s, srv, nil)
		second.Batch = 4
		// The two the first worker never claimed, and the two of its batch it gave back when
		// it stopped: none waits for the lease to run out.
		runOnce(t, second, 4, 0)
		runOnce(t, second, 0, 0)
		checkDeliveredOnce(t, s, srv)
	})
}

func TestWorkersShareOutbox(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		const people = 25
		for i := range people {
			must(s.Register(ctx, person(fmt.Sprintf("Deelnemer %d", i), fmt.Sprintf("d%d@example.nl", i), "nl", f.ai.ID)))
		}
		srv := startSMTP(t)
		runCtx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for range 3 {
			w := newWorker(t, s, srv, nil)
			w.Batch = 3
			wg.Go(func() { w.Run(runCtx) })
		}
		deadline := time.Now().Add(60 * time.Second)
		for stats(t, s).Sent < people && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		checkDeliveredOnce(t, s, srv)
	})
}

func TestWorkerComposeErrors(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		gone := must(s.Register(ctx, person("Weg Persoon", "weg@example.nl", "nl", f.ai.ID)))
		must(s.Register(ctx, person("Blijft Hier", "blijft@example.nl", "nl", f.ai.ID)))
		modelstest.DeleteRegistration(t, s, gone.Registration.ID)
		srv := startSMTP(t)
		w := newWorker(t, s, srv, nil)
		runOnce(t, w, 1, 1)
		row := lastOutbox(t, s, gone.Registration.ID, models.MailConfirmation)
		if row.SentAt != nil || !strings.Contains(row.LastError, "not found") {
			t.Errorf("message for a deleted registration: sent %v, LastError %q; want unsent, not found", row.SentAt, row.LastError)
		}
		runOnce(t, w, 0, 0) // backing off, not crashing or spinning
		if got := srv.Messages(); len(got) != 1 || got[0].To[0] != "blijft@example.nl" {
			t.Errorf("server got %d messages, want only the one to blijft@example.nl", len(got))
		}
	})
}

func TestWorkerSkipsSupersededMail(t *testing.T) {
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	r := must(s.Register(ctx, person("Snel Weg", "snel@example.nl", "nl", f.ai.ID)))
	if err := s.Cancel(ctx, r.Registration.ID); err != nil {
		t.Fatal(err)
	}
	srv := startSMTP(t)
	w := newWorker(t, s, srv, nil)
	runOnce(t, w, 1, 0) // the cancellation; the confirmation is superseded
	if got, want := stats(t, s), (models.OutboxStats{Sent: 2}); got != want {
		t.Errorf("Outbox() = %+v, want %+v", got, want)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].Header(t).Get("Subject") != "Je bent afgemeld voor Dag van de Test" {
		t.Fatalf("server got %d messages, want only the cancellation", len(got))
	}
}

func TestWorkerSendsNamesLiterally(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		const html = `Eve <script>alert("x")</script> & <b>co</b>`
		eve := must(s.Register(ctx, person(html, "eve@example.nl", "en", f.ai.ID)))
		mallory := must(s.Register(ctx, person("Mallory", "mallory@example.nl", "nl", f.ai.ID)))
		// Registration refuses line breaks in names; put one in behind its back to check
		// that the mail does not depend on that.
		const injected = "Mallory\r\nBcc: x@evil.example"
		modelstest.SetRegistrationName(t, s, mallory.Registration.ID, injected)
		srv := startSMTP(t)
		runOnce(t, newWorker(t, s, srv, nil), 2, 0)
		for _, m := range srv.Messages() {
			if len(m.To) != 1 {
				t.Errorf("envelope recipients = %q, want one", m.To)
			}
			h := m.Header(t)
			if _, ok := h["Bcc"]; ok {
				t.Errorf("mail to %s has a Bcc header:\n%s", m.To, m.Data)
			}
			switch m.To[0] {
			case eve.Registration.Email:
				contains(t, "mail to Eve", m.Body(t), "Hello "+html+",")
			case mallory.Registration.Email:
				head, _, _ := strings.Cut(string(m.Data), "\r\n\r\n")
				if strings.Contains(strings.ToLower(head), "evil") {
					t.Errorf("header of the mail to Mallory mentions the injected address:\n%s", head)
				}
			default:
				t.Errorf("mail to unexpected %q", m.To)
			}
		}
	})
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// crashChildEnv makes the test binary run the program itself (see TestMain in
// main_test.go): the crash tests re-execute it as the Dagplanner process they kill, rather
// than building one.
const crashChildEnv = "DAGPLANNER_TEST_SERVE"

// Crash safety (#14 point 5): kill -9 in the middle of a rush, then a restart on the same
// database. Every registration answered 201 is there, nothing is half-written, and every
// confirmation e-mail goes out, once: the restarted process takes over the dead one's
// claimed mail when its lease (2 s here) runs out.
func TestCrashMidRush(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		crashRound(t, "file:"+filepath.Join(t.TempDir(), "crash.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		crashRound(t, modelstest.PostgresDSN(t))
	})
}

func crashRound(t *testing.T, dsn string) {
	smtpSrv := startCountingSMTP(t)
	addr := freeAddr(t)
	base := "http://" + addr
	child := startChild(t, dsn, addr, smtpSrv.addr)
	sessions := venueSessions(t, base, "zwolle")
	client := &http.Client{Timeout: 10 * time.Second}

	// A few registrations first, so that the worker is busy sending (with an SMTP server that
	// takes its time) when the process dies: some mail is then claimed by the dead process.
	// They also find the sessions one can book (some of the venue's are not open to booking).
	var acked sync.Map
	var bookable []uint
	for i, id := range sessions {
		email := fmt.Sprintf("vooraf-%d@example.nl", i)
		status, err := register(client, base, email, id)
		if err != nil {
			t.Fatal(err)
		}
		if status == http.StatusCreated {
			bookable = append(bookable, id)
			acked.Store(email, true)
		}
	}
	if len(bookable) == 0 {
		t.Fatalf("none of the %d sessions of zwolle could be booked", len(sessions))
	}
	sessions = bookable
	for deadline := time.Now().Add(20 * time.Second); len(smtpSrv.counts()) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no e-mail sent within 20 s of the first registrations")
		}
	}

	// About 30 clients register as fast as they can until the process dies under them, a
	// random 100–400 ms after the rush's first answer.
	var n atomic.Int64
	firstAnswer := make(chan struct{})
	var answered sync.Once
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			for {
				i := n.Add(1)
				if i > 600 {
					return
				}
				email := fmt.Sprintf("crash-%d@example.nl", i)
				status, err := register(client, base, email, sessions[int(i)%len(sessions)])
				if err != nil {
					return // the process is gone
				}
				if status == http.StatusCreated {
					acked.Store(email, true)
					answered.Do(func() { close(firstAnswer) })
				}
			}
		})
	}
	select {
	case <-firstAnswer:
	case <-time.After(30 * time.Second):
		t.Error("no registration of the rush answered 201 within 30 s")
	}
	time.Sleep(time.Duration(100+rand.IntN(300)) * time.Millisecond)
	child.kill(t)
	wg.Wait()
	delivered := len(smtpSrv.counts())

	store, err := models.Open(modelstest.Ctx(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	leased := modelstest.Count(t, store, &models.OutboxMessage{}, modelstest.Where("sent_at IS NULL AND locked_until IS NOT NULL"))
	restarted := startChild(t, dsn, addr, smtpSrv.addr)
	defer restarted.kill(t)

	var ackedCount int
	acked.Range(func(k, _ any) bool {
		ackedCount++
		found := modelstest.Count(t, store, &models.Registration{}, modelstest.Where("email = ? AND status = ?", k, models.RegistrationActive))
		if found != 1 {
			t.Errorf("registration of %s was answered 201, but %d are stored", k, found)
		}
		return true
	})
	t.Logf("%d registrations answered 201 before the kill; %d e-mails delivered by then, %d held by the dead process", ackedCount, delivered, leased)
	if !models.IsPostgres(dsn) {
		var check string
		modelstest.Scalar(t, store, &check, "PRAGMA integrity_check")
		if check != "ok" {
			t.Errorf("PRAGMA integrity_check = %q; want ok", check)
		}
	}
	var badVenues, badSessions int64
	modelstest.Scalar(t, store, &badVenues, `SELECT COUNT(*) FROM venues v WHERE v.registered <>
		(SELECT COUNT(*) FROM registrations r WHERE r.venue_id = v.id AND r.status = ?)`, models.RegistrationActive)
	modelstest.Scalar(t, store, &badSessions, `SELECT COUNT(*) FROM sessions s WHERE s.confirmed <>
		(SELECT COUNT(*) FROM bookings b WHERE b.session_id = s.id AND b.status = ?) OR s.waiting <>
		(SELECT COUNT(*) FROM bookings b WHERE b.session_id = s.id AND b.status = ?)`,
		models.BookingConfirmed, models.BookingWaitlisted)
	if badVenues != 0 || badSessions != 0 {
		t.Errorf("counters differ from the rows: %d venues, %d sessions", badVenues, badSessions)
	}

	// The restarted process sends the rest, the dead one's claimed mail included.
	deadline := time.Now().Add(90 * time.Second)
	for {
		st, err := store.Outbox(modelstest.Ctx())
		if err == nil && st.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained 90 s after the restart: %+v, %v", st, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	sentRows := modelstest.Count(t, store, &models.OutboxMessage{}, modelstest.Where("sent_at IS NOT NULL AND last_error = ''"))
	confirmations := modelstest.Count(t, store, &models.OutboxMessage{}, modelstest.Where("kind = ?", models.MailConfirmation))
	if confirmations < int64(ackedCount) {
		t.Errorf("%d confirmations queued for %d registrations answered 201", confirmations, ackedCount)
	}
	counts := smtpSrv.counts()
	twice := 0
	for id, c := range counts {
		if c > 1 {
			twice++
			t.Logf("message %s delivered %d times", id, c)
		}
	}
	if int64(len(counts)) != sentRows {
		t.Errorf("%d distinct e-mails delivered, want %d (one per outbox message)", len(counts), sentRows)
	}
	// The one worker sends one mail at a time: only a mail the SMTP server accepted in the
	// moment before the kill, not yet recorded, may go out again (with its same Message-ID).
	if twice > 1 {
		t.Errorf("%d e-mails delivered more than once, want at most the one in flight at the kill", twice)
	}
}

// child is a Dagplanner process run from the test binary.
type child struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	once sync.Once
}

func startChild(t *testing.T, dsn, addr, smtpAddr string) *child {
	t.Helper()
	c := &child{out: &syncBuffer{}}
	c.cmd = exec.Command(os.Args[0], "--addr", addr, "--db", dsn, "--demo", "--demo-scale", "10", "--demo-registrations=false", "--outbox-lease", "2s")
	c.cmd.Env = append(os.Environ(), crashChildEnv+"=1",
		"DAGPLANNER_SMTP=smtp://"+smtpAddr+"?tls=none&timeout=5s",
		"DAGPLANNER_REGISTRATION_BURST=100000", "DAGPLANNER_BASE_URL=")
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.kill(t) })
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the process never answered /healthz; output:\n%s", c.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would.
func (c *child) kill(t *testing.T) {
	c.once.Do(func() {
		c.cmd.Process.Signal(syscall.SIGKILL)
		c.cmd.Wait()
	})
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func venueSessions(t *testing.T, base, venue string) []uint {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/venues/" + venue + "/sessions")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []struct {
		ID uint `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list) == 0 {
		t.Fatalf("sessions of %s: %v (%d)", venue, err, len(list))
	}
	ids := make([]uint, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	return ids
}

func register(client *http.Client, base, email string, session uint) (int, error) {
	body, _ := json.Marshal(map[string]any{"name": "Crash Test", "email": email, "organisation": "Gemeente Test",
		"venue": "zwolle", "sessions": []uint{session}, "consent": true})
	resp, err := client.Post(base+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// countingSMTP is an SMTP server that counts the messages it accepts by Message-ID.
type countingSMTP struct {
	addr string
	mu   sync.Mutex
	seen map[string]int
}

func startCountingSMTP(t *testing.T) *countingSMTP {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &countingSMTP{addr: l.Addr().String(), seen: map[string]int{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &countingSession{c}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = quietLog{} // a connection cut by the kill is expected
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return c
}

func (c *countingSMTP) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.seen))
	for k, v := range c.seen {
		m[k] = v
	}
	return m
}

type quietLog struct{}

func (quietLog) Printf(string, ...any) {}
func (quietLog) Println(...any)        {}

type countingSession struct{ srv *countingSMTP }

func (s *countingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *countingSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *countingSession) Reset()                               {}
func (s *countingSession) Logout() error                        { return nil }

func (s *countingSession) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, msg.Body)
	time.Sleep(20 * time.Millisecond) // a server that takes its time, so that a kill finds mail under way
	s.srv.mu.Lock()
	s.srv.seen[msg.Header.Get("Message-Id")]++
	s.srv.mu.Unlock()
	return nil
}

package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/cluster"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// mpCluster is two Dagplanner processes on one fresh PostgreSQL database behind nginx,
// rendered from deploy/nginx/dagplanner.conf, with an SMTP server of the test's own.
type mpCluster struct {
	dsn   string
	procs *cluster.Cluster
	proxy *cluster.Nginx
	mail  *cluster.MailServer
	web   *http.Client // through the proxy (trusts its certificate)
}

func startCluster(t *testing.T) *mpCluster {
	t.Helper()
	if _, err := os.Stat(cluster.NginxBinary); err != nil {
		t.Skipf("no nginx at %s (scripts/test installs it)", cluster.NginxBinary)
	}
	mc := &mpCluster{dsn: modelstest.PostgresDSN(t)}
	var err error
	if mc.mail, err = cluster.StartMailServer(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mc.mail.Close)
	dir := t.TempDir()
	mc.procs, err = cluster.New(cluster.Config{N: 2, Command: []string{os.Args[0]}, DB: mc.dsn, Dir: dir,
		Env: []string{"DAGPLANNER_TEST_SERVE=1", "DAGPLANNER_SMTP=" + mc.mail.URL()},
		// nginx passes the client's address in X-Forwarded-For; the test's clients all come
		// from 127.0.0.1, so the per-address registration throttle is opened up.
		Args: []string{"--demo", "--demo-registrations=false", "--trusted-proxies", "127.0.0.1",
			"--registration-burst", "100000", "--registration-rate", "100000"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		mc.procs.Stop()
		if t.Failed() {
			for i := range 2 {
				b, _ := os.ReadFile(mc.procs.LogPath(i))
				t.Logf("log of process %d (last 3000 bytes):\n%s", i+1, tail(b, 3000))
			}
		}
	})
	if err := mc.procs.StartAll(modelstest.Ctx()); err != nil {
		t.Fatal(err)
	}
	if mc.proxy, err = cluster.StartNginx(modelstest.Ctx(), t.TempDir(), "../../deploy/nginx/dagplanner.conf", mc.procs.Addrs()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mc.proxy.Stop)
	mc.web = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: mc.proxy.TLS.Clone(),
		MaxIdleConnsPerHost: 64, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}} // HTTP/1.1, a connection per client
	return mc
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// mpRegistration is a registration the cluster acknowledged with 201.
type mpRegistration struct {
	ID     uint
	Token  string
	Email  string
	Venue  string
	Chosen []uint
}

// mpRegister posts a registration to base and returns the status and, on 201, what was stored.
func mpRegister(t *testing.T, c *http.Client, base, venue, email string, sessions, waitlist []uint) (int, mpRegistration) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"name": "Deelnemer " + email, "email": email, "organisation": "Gemeente Test",
		"venue": venue, "sessions": append([]uint{}, sessions...), "waitlist": append([]uint{}, waitlist...), "consent": true})
	resp, err := c.Post(base+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, mpRegistration{}
	}
	defer resp.Body.Close()
	var out struct {
		ID          uint   `json:"id"`
		ManageToken string `json:"manage_token"`
	}
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&out) != nil {
		return resp.StatusCode, mpRegistration{}
	}
	return resp.StatusCode, mpRegistration{ID: out.ID, Token: out.ManageToken, Email: email, Venue: venue, Chosen: sessions}
}

// mpBooking is a registration as the API shows it to its holder.
type mpBooking struct {
	Status   string `json:"status"`
	Sessions []struct {
		ID     uint   `json:"id"`
		Status string `json:"status"`
	} `json:"sessions"`
}

func mpGetRegistration(t *testing.T, c *http.Client, base string, r mpRegistration) (int, mpBooking) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/registrations/"+strconv.Itoa(int(r.ID)), nil)
	req.Header.Set("Authorization", "Bearer "+r.Token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET registration %d: %v", r.ID, err)
	}
	defer resp.Body.Close()
	var b mpBooking
	json.NewDecoder(resp.Body).Decode(&b)
	return resp.StatusCode, b
}

type mpSession struct {
	ID         uint   `json:"id"`
	SlotIDs    []uint `json:"slot_ids"`
	Capacity   int    `json:"capacity"`
	Confirmed  int    `json:"confirmed"`
	Waitlisted int    `json:"waitlisted"`
	Remaining  int    `json:"remaining"`
}

type mpVenue struct {
	Slug       string `json:"slug"`
	Capacity   int    `json:"capacity"`
	Registered int    `json:"registered"`
}

// mpCounts reads the live counts (the public event and session lists) from base.
func mpCounts(t *testing.T, c *http.Client, base string) ([]mpVenue, map[string][]mpSession) {
	t.Helper()
	var event struct {
		Venues []mpVenue `json:"venues"`
	}
	getJSON(t, c, base, "/api/v1/event", &event)
	sessions := map[string][]mpSession{}
	for _, v := range event.Venues {
		var list []mpSession
		getJSON(t, c, base, "/api/v1/venues/"+v.Slug+"/sessions", &list)
		sessions[v.Slug] = list
	}
	return event.Venues, sessions
}

// TestTwoProcessesBehindNginx runs two processes on one PostgreSQL database behind the
// shipped nginx site and checks what issue #14 asks of several processes: a rush through the
// proxy overbooks nothing and loses no acknowledged registration, each confirmation e-mail goes
// out once, a cancellation on one process promotes each waiting person once, a sign-in on one
// process holds on the other, a revoked door device stops on both within 10 s, and the live
// counts are the same from either process.
func TestTwoProcessesBehindNginx(t *testing.T) {
	t.Parallel()
	mc := startCluster(t)
	ctx := modelstest.Ctx()
	p1, p2 := mc.procs.URL(0), mc.procs.URL(1)
	start := time.Now()

	// The rush: 300 registrations from 40 clients through the proxy, each picking a session
	// per slot at random, so popular sessions fill up.
	venues, sessions := mpCounts(t, mc.web, mc.proxy.URL)
	const people, clients = 240, 40
	var mu sync.Mutex
	var acked []mpRegistration
	statuses := map[int]int{}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := range jobs {
				rng := rand.New(rand.NewPCG(14, uint64(i)))
				v := venues[i%len(venues)]
				var chosen []uint
				taken := map[uint]bool{}
				for _, s := range sessions[v.Slug] {
					if len(s.SlotIDs) == 0 || taken[s.SlotIDs[0]] || rng.IntN(3) == 0 {
						continue
					}
					chosen = append(chosen, s.ID)
					for _, id := range s.SlotIDs {
						taken[id] = true
					}
				}
				status, r := mpRegister(t, mc.web, mc.proxy.URL, v.Slug, fmt.Sprintf("rush%d@multi.example", i), chosen, nil)
				mu.Lock()
				statuses[status]++
				if status == http.StatusCreated {
					acked = append(acked, r)
				}
				mu.Unlock()
			}
		})
	}
	for i := range people {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for status, n := range statuses {
		if status == 0 || status >= 500 {
			t.Errorf("rush through nginx: %d answers with status %d (0: no answer), want none", n, status)
		}
	}
	if len(acked) < people/2 {
		t.Fatalf("rush: only %d of %d registrations acknowledged (%v)", len(acked), people, statuses)
	}

	// Nothing overbooked; every acknowledged registration stored, read back through the
	// other process than the one (of two) that may have taken it.
	venuesAfter, sessionsAfter := mpCounts(t, mc.web, p1)
	for _, v := range venuesAfter {
		if v.Registered > v.Capacity {
			t.Errorf("venue %s: %d registered, capacity %d", v.Slug, v.Registered, v.Capacity)
		}
	}
	for slug, list := range sessionsAfter {
		for _, s := range list {
			if s.Confirmed > s.Capacity {
				t.Errorf("session %d at %s: %d confirmed, capacity %d", s.ID, slug, s.Confirmed, s.Capacity)
			}
		}
	}
	for i, r := range acked {
		base := []string{p1, p2}[i%2]
		status, b := mpGetRegistration(t, mc.web, base, r)
		if status != http.StatusOK || b.Status != "active" || len(b.Sessions) != len(r.Chosen) {
			t.Errorf("acknowledged registration %d (%s) read from %s = %d %q with %d sessions, want 200 active with %d",
				r.ID, r.Email, base, status, b.Status, len(b.Sessions), len(r.Chosen))
		}
	}
	checkSameCounts(t, mc, p1, p2)
	t.Logf("rush of %d through nginx: %v; checked after %.1f s", people, statuses, time.Since(start).Seconds())

	// Every acknowledged registration's confirmation e-mail arrives, exactly once.
	want := map[string]int{}
	for _, r := range acked {
		want[r.Email] = 1
	}
	waitForMail(t, mc.mail, want, 90*time.Second)
	t.Logf("confirmations received after %.1f s", time.Since(start).Seconds())

	// The device check mostly waits (for the other process's cache to expire): it runs beside
	// the rest.
	token := newDoorToken(t, mc.dsn, "zwolle")
	var revocation sync.WaitGroup
	revocation.Go(func() { checkRevokedDeviceRefused(t, ctx, mc, token, p1, p2) })
	defer revocation.Wait() // also when a check below fails: the goroutine reports to t
	checkWaitlistPromotedOnce(t, mc, p1, p2)
	checkSignInOnBothProcesses(t, ctx, mc, p1, p2)
	revocation.Wait()
	checkMessageIDsOnce(t, mc)
}

// checkSameCounts compares the live counts (the event's and the sessions' numbers) as each
// process answers them.
func checkSameCounts(t *testing.T, mc *mpCluster, p1, p2 string) {
	t.Helper()
	v1, s1 := mpCounts(t, mc.web, p1)
	v2, s2 := mpCounts(t, mc.web, p2)
	a, _ := json.Marshal([]any{v1, s1})
	b, _ := json.Marshal([]any{v2, s2})
	if !bytes.Equal(a, b) {
		t.Errorf("live counts differ between the processes:\nprocess 1: %s\nprocess 2: %s", a, b)
	}
}

// waitForMail waits until every address in want has received its number of messages (or
// the time is up), then checks that nobody got more, or fewer.
func waitForMail(t *testing.T, m *cluster.MailServer, want map[string]int, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := m.PerRecipient()
		missing := 0
		for addr, n := range want {
			if got[addr] < n {
				missing++
			}
		}
		if missing == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	got := m.PerRecipient()
	for addr, n := range want {
		if got[addr] != n {
			t.Errorf("%s received %d e-mails, want %d", addr, got[addr], n)
		}
	}
}

// checkMessageIDsOnce checks that no outbox message reached the SMTP server twice: the
// Message-ID is the same on every attempt at one outbox message.
func checkMessageIDsOnce(t *testing.T, mc *mpCluster) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range mc.mail.Messages() {
		seen[m.MessageID]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %s received %d times, want once", id, n)
		}
	}
}

var outboxIDRE = regexp.MustCompile(`^<outbox-(\d+)\.`)

// checkWaitlistPromotedOnce fills a small session, puts three people on its waiting list,
// cancels three seat holders through process 1, and checks that each waiting person is
// promoted (as process 2 tells) and gets exactly one "promoted" e-mail.
func checkWaitlistPromotedOnce(t *testing.T, mc *mpCluster, p1, p2 string) {
	t.Helper()
	_, sessions := mpCounts(t, mc.web, p1)
	var small *mpSession
	var venue string
	for slug, list := range sessions {
		for i, s := range list {
			if s.Waitlisted == 0 && s.Remaining >= 3 && len(s.SlotIDs) > 0 && (small == nil || s.Remaining < small.Remaining) {
				small, venue = &list[i], slug
			}
		}
	}
	if small == nil {
		t.Fatal("no session with at least 3 seats left and nobody waiting")
	}
	var holders, waiting []mpRegistration
	for i := range small.Remaining {
		status, r := mpRegister(t, mc.web, mc.proxy.URL, venue, fmt.Sprintf("holder%d@multi.example", i), []uint{small.ID}, nil)
		if status != http.StatusCreated {
			t.Fatalf("fill session %d: holder %d answered %d, want 201", small.ID, i, status)
		}
		holders = append(holders, r)
	}
	for i := range 3 {
		status, r := mpRegister(t, mc.web, mc.proxy.URL, venue, fmt.Sprintf("waiting%d@multi.example", i), nil, []uint{small.ID})
		if status != http.StatusCreated {
			t.Fatalf("join the waiting list of session %d: answered %d, want 201", small.ID, status)
		}
		waiting = append(waiting, r)
	}
	for _, r := range holders[:3] {
		req, _ := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/api/v1/registrations/%d", p1, r.ID), nil)
		req.Header.Set("Authorization", "Bearer "+r.Token)
		resp, err := mc.web.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("cancel %s on process 1 = %d, want 204", r.Email, resp.StatusCode)
		}
	}
	for _, r := range waiting {
		_, b := mpGetRegistration(t, mc.web, p2, r)
		if len(b.Sessions) != 1 || b.Sessions[0].Status != "confirmed" {
			t.Errorf("%s after three cancellations, read from process 2: sessions %+v, want session %d confirmed", r.Email, b.Sessions, small.ID)
		}
	}
	// Each waiting person: the confirmation of their registration and one promotion; each
	// holder who stays their confirmation. The three who cancelled get one "cancelled"
	// e-mail each, and their confirmation too when it went out before they cancelled (one
	// still waiting then is dropped as superseded): either is right, so they are counted by
	// kind below.
	want := map[string]int{}
	for _, r := range waiting {
		want[r.Email] = 2
	}
	for _, r := range holders[3:] {
		want[r.Email] = 1
	}
	waitForMail(t, mc.mail, want, 60*time.Second)

	perKind := func() map[string]map[string]int { // kind → recipient → e-mails
		kinds := outboxKinds(t, mc.dsn)
		out := map[string]map[string]int{}
		for _, m := range mc.mail.Messages() {
			id := outboxIDRE.FindStringSubmatch(m.MessageID)
			if id == nil {
				continue
			}
			kind := kinds[id[1]]
			if out[kind] == nil {
				out[kind] = map[string]int{}
			}
			for _, to := range m.To {
				out[kind][strings.ToLower(to)]++
			}
		}
		return out
	}
	got := perKind()
	for deadline := time.Now().Add(60 * time.Second); len(got["cancelled"]) < 3 && time.Now().Before(deadline); got = perKind() {
		time.Sleep(250 * time.Millisecond)
	}
	for _, r := range holders[:3] {
		if got["cancelled"][r.Email] != 1 || got["confirmation"][r.Email] > 1 {
			t.Errorf("%s, who cancelled, received %d cancellation and %d confirmation e-mails, want 1 and at most 1",
				r.Email, got["cancelled"][r.Email], got["confirmation"][r.Email])
		}
	}
	if len(got["cancelled"]) != 3 {
		t.Errorf("cancellation e-mails went to %v, want only the 3 who cancelled", got["cancelled"])
	}
	promoted := got["promoted"]
	for _, r := range waiting {
		if promoted[r.Email] != 1 {
			t.Errorf("%s received %d promotion e-mails, want 1", r.Email, promoted[r.Email])
		}
	}
	if len(promoted) != len(waiting) {
		t.Errorf("promotion e-mails went to %v, want only the %d waiting people", promoted, len(waiting))
	}
}

// outboxKinds maps each outbox message's id to its kind, read from the database.
func outboxKinds(t *testing.T, dsn string) map[string]string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT id, kind FROM outbox_messages")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	kinds := map[string]string{}
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			t.Fatal(err)
		}
		kinds[strconv.FormatInt(id, 10)] = kind
	}
	return kinds
}

// checkSignInOnBothProcesses signs in on process 1 and uses the session cookie on process 2.
func checkSignInOnBothProcesses(t *testing.T, ctx context.Context, mc *mpCluster, p1, p2 string) {
	t.Helper()
	const email, password = "organiser@multi.example", "een lang wachtwoord voor de test"
	var out bytes.Buffer
	if err := run(ctx, []string{"user", "add", "--db", mc.dsn, "--email", email, "--role", "organiser", "--password-stdin"},
		envMap(nil), strings.NewReader(password+"\n"), &out); err != nil {
		t.Fatalf("user add: %v\n%s", err, out.String())
	}
	// The sessions are the point here, not the second step (#16 2fa): a password will do.
	if err := run(ctx, []string{"user", "2fa-policy", "--db", mc.dsn, "--role", "organiser", "--required=false"},
		envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Fatalf("user 2fa-policy: %v\n%s", err, out.String())
	}
	c := newClient(t)
	login(t, c, p1, email, password)
	// The cookie jar sends the cookie to process 2 as well: cookies are per host, not port.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, base := range []string{p2, p1} {
		status, _ := get(t, c, base, "/beheer")
		if status != http.StatusOK {
			t.Errorf("GET %s/beheer with the session made on process 1 = %d, want 200", base, status)
		}
	}
	u, _ := url.Parse(p2)
	if len(c.Jar.Cookies(u)) == 0 {
		t.Error("no session cookie after signing in")
	}
}

// checkRevokedDeviceRefused takes a door device's token, uses it on both processes (so both cache
// it), revokes it in the database (as "dagplanner token revoke" on the server does), and
// polls both processes until each refuses it; it fails after 12 s (the promise is 10).
func checkRevokedDeviceRefused(t *testing.T, ctx context.Context, mc *mpCluster, token, p1, p2 string) {
	door := func(base string) int {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/door", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := mc.web.Do(req)
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, base := range []string{p1, p2} {
		if status := door(base); status != http.StatusOK {
			t.Errorf("GET %s/api/v1/door with a fresh device token = %d, want 200", base, status)
			return
		}
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"token", "revoke", "--db", mc.dsn, "--venue", "zwolle", "--name", doorName},
		envMap(nil), strings.NewReader(""), &out); err != nil {
		t.Errorf("token revoke: %v\n%s", err, out.String())
		return
	}
	revoked := time.Now()
	refused := map[string]bool{}
	for len(refused) < 2 {
		for _, base := range []string{p1, p2} {
			if !refused[base] {
				if status := door(base); status == http.StatusUnauthorized || status == http.StatusForbidden {
					refused[base] = true
					t.Logf("%s refuses the revoked device after %.1f s", base, time.Since(revoked).Seconds())
				}
			}
		}
		if time.Since(revoked) > 10*time.Second {
			t.Errorf("10 s after revoking, the device is still accepted by %d of 2 processes", 2-len(refused))
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
}

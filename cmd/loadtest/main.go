// Command loadtest fires a registration rush at a fresh Dagplanner and checks the result:
// throughput, latency, server memory, and that nothing was overbooked, lost or invented.
//
//	go run ./cmd/loadtest -n 10000 -c 200
//
// With -scenario checkin it measures the doors instead: many doors of one venue scanning
// tickets at once (see checkin.go).
//
//	go run ./cmd/loadtest -scenario checkin -n 12000 -c 50
//
// With -scenario signin it fires a storm of wrong sign-ins and measures memory and attendee
// latency (see signin.go).
//
//	go run ./cmd/loadtest -scenario signin -n 500 -c 500
//
// With -scenario people it seeds registrations and measures the organisers' list of people,
// its searches and filters, the API list and the exports (see people.go).
//
//	go run ./cmd/loadtest -scenario people -tickets 10000 -n 300 -c 1
//
// With -scenario venue it seeds one venue and measures what grows with it: the door's
// check-in list (whole and as a delta), the paper door list and the arrivals pages (venue.go).
//
//	go run ./cmd/loadtest -scenario venue -tickets 25000
//
// With -scenario message it seeds attendees, sends a message to all of them through the
// organisers' pages, and measures the queueing, the delivery to its own SMTP server and the
// answers of people registering meanwhile (message.go).
//
//	go run ./cmd/loadtest -scenario message -tickets 10000 -rate 10
//
// It builds and starts its own server (a separate process, so its memory can be measured)
// on a fresh SQLite demo database in a temp dir. With -db postgres://… it creates a fresh
// database with a random name on that server for the run, and drops it afterwards.
//
// The registration rush can run several processes on one database behind nginx (the
// production site, deploy/nginx/dagplanner.conf, rendered onto loopback by package cluster),
// kill one of them mid-rush, and count the confirmation e-mails in an SMTP server it starts:
//
//	go run ./cmd/loadtest -db 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
//		-instances 2 -kill-after 2s -n 2000 -c 100
//
// -instances N runs N processes behind nginx; -kill-after D sends process 1 SIGKILL after D
// and restarts it; -mail-wait bounds the wait for the e-mails. Besides the rate, latencies
// and the invariants (nothing over capacity, no acknowledged registration missing, none
// stored without an answer that could have acknowledged it, counters equal to their rows),
// it prints the 5xx answers, e-mails per acknowledged registration (and how many got none or
// more than one) and the peak PostgreSQL connections per process.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

type config struct {
	scenario    string
	n, c, scale int
	tickets     int
	rate        float64
	db, bin     string
	seed        uint64
	instances   int
	killAfter   time.Duration
	mailWait    time.Duration
	site        string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.scenario, "scenario", "registration", "registration (a rush of attendees), checkin (doors scanning), signin (a storm of wrong sign-ins), people (organisers' list and exports), venue or message (a message to everyone while people register)")
	flag.IntVar(&cfg.n, "n", 10000, "attendees registering, or tickets scanned")
	flag.IntVar(&cfg.c, "c", 200, "concurrent clients (doors, for checkin)")
	flag.IntVar(&cfg.tickets, "tickets", 10000, "checkin: attendees registered at the venue before the doors open; people, message: registrations seeded")
	flag.Float64Var(&cfg.rate, "rate", 0, "checkin: scans per second offered by all doors together (0: each door scans again as soon as it has its answer); message: registrations per second while the message goes out (0: 10)")
	flag.IntVar(&cfg.scale, "scale", 20, "demo capacity multiplier (--demo-scale), so 10,000 people fit the venues")
	flag.StringVar(&cfg.db, "db", "", "database for the server (default: a fresh SQLite file in a temp dir)")
	flag.StringVar(&cfg.bin, "bin", "", "dagplanner binary (default: go build ./cmd/dagplanner)")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed for the attendees' choices")
	flag.IntVar(&cfg.instances, "instances", 1, "registration: Dagplanner processes on the one database; more than 1 runs them behind nginx")
	flag.DurationVar(&cfg.killAfter, "kill-after", 0, "registration: SIGKILL process 1 this long into the rush, then restart it (0: never)")
	flag.DurationVar(&cfg.mailWait, "mail-wait", 3*time.Minute, "registration: how long to wait for the confirmation e-mails after the rush; message: for the message's e-mails")
	flag.StringVar(&cfg.site, "nginx-site", "deploy/nginx/dagplanner.conf", "registration with -instances > 1: the nginx site to render in front of the processes")
	flag.Parse()
	// The load generator's own garbage collection would pause the clients and show up as
	// server latency; it is a short-lived process, so let its heap grow instead.
	debug.SetGCPercent(800)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// The load generator seeds the database directly: the audit trail names it.
	ctx = models.WithActor(ctx, models.Actor{Kind: models.ActorCLI, Name: "loadtest"})
	runScenario := run
	if cfg.scenario == "checkin" {
		runScenario = runCheckIns
	} else if cfg.scenario == "signin" {
		runScenario = runSignIn // signin.go
	} else if cfg.scenario == "people" {
		runScenario = runPeople // people.go
	} else if cfg.scenario == "venue" {
		runScenario = runVenue // venue.go
	} else if cfg.scenario == "message" {
		runScenario = runMessage // message.go
	} else if cfg.scenario != "registration" {
		fmt.Fprintf(os.Stderr, "loadtest: unknown scenario %q\n", cfg.scenario)
		os.Exit(2)
	}
	if err := runScenario(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// sessionInfo is what the generator needs of a session.
type sessionInfo struct {
	ID       uint   `json:"id"`
	Title    string `json:"title"`
	SlotIDs  []uint `json:"slot_ids"`
	Capacity int    `json:"capacity"`
	Confirm  int    `json:"confirmed"`
	Waiting  int    `json:"waitlisted"`
}

type venueInfo struct {
	Slug     string `json:"slug"`
	Capacity int    `json:"capacity"`
	Slots    []struct {
		ID uint `json:"id"`
	} `json:"slots"`
	Registered int `json:"registered"`
}

type ack struct {
	id       uint
	token    string
	email    string
	sessions []uint
}

// startServer builds (unless cfg.bin is set) and starts a server on a fresh demo database in
// dir, and waits until it is healthy. stop ends it.
func startServer(ctx context.Context, cfg *config, dir string) (base string, server *exec.Cmd, client *http.Client, stop func(), err error) {
	if err := buildServer(ctx, cfg, dir); err != nil {
		return "", nil, nil, nil, err
	}
	drop, err := freshDatabase(ctx, cfg, dir)
	if err != nil {
		return "", nil, nil, nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		drop()
		return "", nil, nil, nil, err
	}
	server = exec.CommandContext(ctx, cfg.bin, "--demo", "--demo-scale", strconv.Itoa(cfg.scale), "--demo-registrations=false",
		"--db", cfg.db, "--addr", addr, "--log-format", "json")
	server.Stdout, server.Stderr = nil, os.Stderr // nil is /dev/null: no pipe to copy the log through
	if err := server.Start(); err != nil {
		drop()
		return "", nil, nil, nil, fmt.Errorf("start server: %w", err)
	}
	stop = func() {
		server.Process.Signal(os.Interrupt)
		server.Wait()
		drop()
	}
	base = "http://" + addr
	client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: cfg.c * 2, MaxIdleConnsPerHost: cfg.c * 2, IdleConnTimeout: time.Minute}}
	if err := waitHealthy(ctx, client, base); err != nil {
		stop()
		return "", nil, nil, nil, err
	}
	return base, server, client, stop, nil
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	if cfg.instances < 1 {
		return fmt.Errorf("-instances must be at least 1, got %d", cfg.instances)
	}
	dir, err := os.MkdirTemp("", "dagplanner-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	target, err := startRushTarget(ctx, &cfg, dir)
	if err != nil {
		return err
	}
	defer target.stop()
	base, client := target.base, target.client
	venues, sessions, err := fetchProgramme(client, base)
	if err != nil {
		return err
	}
	registeredBefore := 0
	for _, v := range venues {
		registeredBefore += v.Registered
	}
	// Each client connects first, as a browser does when it loads the form it then posts:
	// the rush measures registering, not opening TCP connections. Each has its own loopback
	// address, as attendees come from many addresses (the server throttles per address).
	clients := loopbackClients(cfg.c, target.client.Transport.(*http.Transport).TLSClientConfig)
	if err := connectClients(clients, base); err != nil {
		return err
	}
	rssBefore := target.peakRSS()
	serverCPUBefore := target.cpu()
	clientCPUBefore := cpuTime(os.Getpid())

	jobs := make(chan int)
	var mu sync.Mutex
	var latencies []time.Duration
	var acks []ack
	statuses := map[int]int{}
	var wg sync.WaitGroup
	start := time.Now()
	var kill *killer
	if cfg.killAfter > 0 {
		kill = killAfter(ctx, target, cfg.killAfter)
	}
	for w := 0; w < cfg.c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				body, chosen := attendee(cfg.seed, i, venues, sessions)
				t0 := time.Now()
				status, a, err := register(clients[w], base, body)
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				statuses[status]++
				if err == nil && status == http.StatusCreated {
					a.sessions = chosen
					a.email = attendeeEmail(i)
					acks = append(acks, a)
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < cfg.n; i++ {
		select {
		case jobs <- i:
		case <-ctx.Done():
			close(jobs)
			wg.Wait()
			return ctx.Err()
		}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	rss := target.peakRSS()
	serverCPU := target.cpu() - serverCPUBefore
	clientCPU := cpuTime(os.Getpid()) - clientCPUBefore
	killReport := ""
	if kill != nil {
		if killReport, err = kill.wait(); err != nil {
			return fmt.Errorf("kill and restart: %w", err)
		}
	}

	// Check the outcome through the API: nothing overbooked, every acknowledged registration
	// present with its sessions, and no registration that nobody was told about.
	venuesAfter, sessionsAfter, err := fetchProgramme(client, base)
	if err != nil {
		return err
	}
	over, confirmed, waitlisted := 0, 0, 0
	for _, list := range sessionsAfter {
		for _, s := range list {
			if s.Confirm > s.Capacity {
				over++
			}
			confirmed += s.Confirm
			waitlisted += s.Waiting
		}
	}
	registered := 0
	for _, v := range venuesAfter {
		registered += v.Registered
		if v.Registered > v.Capacity {
			over++
		}
	}
	missing := 0
	for _, a := range acks {
		if !verify(client, base, a) {
			missing++
		}
	}
	unacknowledged := registered - registeredBefore - len(acks)
	// An answer that never came (status 0) or a 5xx may hide a registration that committed:
	// with a process killed mid-rush, that is no fault, as long as no acknowledged one is lost.
	errors5xx, noAnswer := 0, statuses[0]
	for status, n := range statuses {
		if status >= 500 {
			errors5xx += n
		}
	}
	mismatches, err := counterMismatches(ctx, cfg.db)
	if err != nil {
		return err
	}
	var peakConns map[string]int
	if target.conns != nil {
		peakConns = target.conns.Stop()
	}
	perAck, others, waited := waitForMail(ctx, target.mail, acks, cfg.mailWait)
	mails, noMail, manyMails := 0, 0, 0
	for _, n := range perAck {
		mails += n
		if n == 0 {
			noMail++
		} else if n > 1 {
			manyMails++
		}
	}

	slices.Sort(latencies)
	fmt.Fprintf(out, "registration rush: %d attendees, %d concurrent clients, demo scale %d, %s\n", cfg.n, cfg.c, cfg.scale, dbKind(cfg.db))
	if cfg.instances > 1 {
		fmt.Fprintf(out, "  processes          %d behind nginx (%s)\n", cfg.instances, cfg.site)
	}
	if killReport != "" {
		fmt.Fprintf(out, "  crash              %s\n", killReport)
	}
	fmt.Fprintf(out, "  elapsed            %.2f s\n", elapsed.Seconds())
	fmt.Fprintf(out, "  registrations/s    %.0f\n", float64(len(latencies))/elapsed.Seconds())
	fmt.Fprintf(out, "  latency p50        %.1f ms\n", ms(percentile(latencies, 50)))
	fmt.Fprintf(out, "  latency p99        %.1f ms\n", ms(percentile(latencies, 99)))
	fmt.Fprintf(out, "  latency max        %.1f ms\n", ms(percentile(latencies, 100)))
	fmt.Fprintf(out, "  responses          %s\n", formatStatuses(statuses))
	fmt.Fprintf(out, "  5xx answers        %d (and %d without an answer)\n", errors5xx, noAnswer)
	fmt.Fprintf(out, "  confirmed seats    %d\n", confirmed)
	fmt.Fprintf(out, "  waitlisted         %d\n", waitlisted)
	fmt.Fprintf(out, "  over capacity      %d sessions or venues (must be 0)\n", over)
	fmt.Fprintf(out, "  acknowledged but missing from the database   %d (must be 0)\n", missing)
	fmt.Fprintf(out, "  in the database without an acknowledgement   %d (must be 0, or at most the %d failed answers after a crash)\n", unacknowledged, errors5xx+noAnswer)
	fmt.Fprintf(out, "  counters unequal to their rows                %d (must be 0)\n", mismatches)
	fmt.Fprintf(out, "  e-mails            %.2f per acknowledged registration (%d for %d); none: %d, more than one: %d (must be 0, 0); %d to others; waited %.1f s\n",
		float64(mails)/float64(max(len(acks), 1)), mails, len(acks), noMail, manyMails, others, waited.Seconds())
	fmt.Fprintf(out, "  peak connections   %s\n", formatConns(peakConns, cfg.instances))
	fmt.Fprintf(out, "  server peak RSS    %.0f MB (%.0f MB before the rush; the largest process)\n", float64(rss)/1e6, float64(rssBefore)/1e6)
	fmt.Fprintf(out, "  CPU per registration  server %.0f µs, load generator %.0f µs\n",
		float64(serverCPU.Microseconds())/float64(cfg.n), float64(clientCPU.Microseconds())/float64(cfg.n))
	allowedUnacknowledged := 0
	if cfg.killAfter > 0 {
		allowedUnacknowledged = errors5xx + noAnswer
	}
	if over != 0 || missing != 0 || unacknowledged < 0 || unacknowledged > allowedUnacknowledged || mismatches != 0 || noMail != 0 || manyMails != 0 {
		return errors.New("the rush broke an invariant")
	}
	return nil
}

// attendee makes attendee i's registration: 55% go to the first venue, and per slot most
// people pick one of the first few sessions (a skewed, Zipf-like popularity), some none.
func attendee(seed uint64, i int, venues []venueInfo, sessions map[string][]sessionInfo) ([]byte, []uint) {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	v := venues[0]
	if rng.Float64() >= 0.55 && len(venues) > 1 {
		v = venues[1]
	}
	taken := map[uint]bool{}
	var chosen []uint
	for _, sl := range v.Slots {
		if taken[sl.ID] || rng.Float64() < 0.1 {
			continue
		}
		var options []sessionInfo
		for _, s := range sessions[v.Slug] {
			if len(s.SlotIDs) > 0 && s.SlotIDs[0] == sl.ID {
				options = append(options, s)
			}
		}
		if len(options) == 0 {
			continue
		}
		// Zipf-like: option k is chosen with weight 1/(k+1).
		total := 0.0
		for k := range options {
			total += 1 / float64(k+1)
		}
		r := rng.Float64() * total
		pick := options[len(options)-1]
		for k, o := range options {
			r -= 1 / float64(k+1)
			if r <= 0 {
				pick = o
				break
			}
		}
		chosen = append(chosen, pick.ID)
		for _, id := range pick.SlotIDs {
			taken[id] = true
		}
	}
	body, _ := json.Marshal(map[string]any{
		"name": fmt.Sprintf("Deelnemer %d", i), "email": attendeeEmail(i),
		"organisation": "Gemeente Loadtest", "venue": v.Slug, "sessions": chosen, "consent": true,
	})
	return body, chosen
}

// attendeeEmail is attendee i's address, unique per attendee, so e-mails can be counted per
// registration.
func attendeeEmail(i int) string { return fmt.Sprintf("deelnemer%d@loadtest.example", i) }

func register(client *http.Client, base string, body []byte) (int, ack, error) {
	resp, err := client.Post(base+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, ack{}, err
	}
	defer resp.Body.Close()
	var out struct {
		ID          uint   `json:"id"`
		ManageToken string `json:"manage_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, ack{}, err
	}
	return resp.StatusCode, ack{id: out.ID, token: out.ManageToken}, nil
}

// verify checks that an acknowledged registration exists with every session it chose.
func verify(client *http.Client, base string, a ack) bool {
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/registrations/"+strconv.Itoa(int(a.id)), nil)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var out struct {
		Status   string `json:"status"`
		Sessions []struct {
			ID uint `json:"id"`
		} `json:"sessions"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil || out.Status != "active" {
		return false
	}
	for _, id := range a.sessions {
		if !slices.ContainsFunc(out.Sessions, func(s struct {
			ID uint `json:"id"`
		}) bool {
			return s.ID == id
		}) {
			return false
		}
	}
	return true
}

func fetchProgramme(client *http.Client, base string) ([]venueInfo, map[string][]sessionInfo, error) {
	var event struct {
		Venues []venueInfo `json:"venues"`
	}
	if err := getJSON(client, base+"/api/v1/event", &event); err != nil {
		return nil, nil, err
	}
	sessions := map[string][]sessionInfo{}
	for _, v := range event.Venues {
		var list []sessionInfo
		if err := getJSON(client, base+"/api/v1/venues/"+v.Slug+"/sessions", &list); err != nil {
			return nil, nil, err
		}
		sessions[v.Slug] = list
	}
	return event.Venues, sessions, nil
}

func getJSON(client *http.Client, url string, v any) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// loopbackClients returns n HTTP clients, each connecting from its own loopback address
// 127.0.x.y (Linux answers on all of 127.0.0.0/8): real attendees come from many addresses,
// and the server's registration throttle per client address must see them so.
// With tlsCfg (nginx's self-signed certificate) they speak HTTPS, HTTP/1.1 as before.
func loopbackClients(n int, tlsCfg *tls.Config) []*http.Client {
	clients := make([]*http.Client, n)
	for i := range clients {
		dialer := &net.Dialer{Timeout: 10 * time.Second,
			LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/250), byte(1+i%250))}}
		transport := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute}
		if tlsCfg != nil {
			transport.TLSClientConfig = tlsCfg.Clone()
		}
		clients[i] = &http.Client{Timeout: 30 * time.Second, Transport: transport}
	}
	return clients
}

// connectClients opens a keep-alive connection from each client to the server, all at once,
// so the clients start with a connection each.
func connectClients(clients []*http.Client, base string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(clients))
	for _, client := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(base + "/healthz")
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func waitHealthy(ctx context.Context, client *http.Client, base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("server did not become healthy within 60 s")
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// peakRSS reads the process's high-water mark of resident memory (VmHWM), in bytes.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// cpuTime reads a process's user plus system CPU time from /proc/PID/stat.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) start after the last ')'.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func formatStatuses(m map[int]int) string {
	var keys []int
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", m[k], k))
	}
	return strings.Join(parts, ", ")
}

func dbKind(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return "PostgreSQL"
	}
	return "SQLite"
}

// sentBefore is why the seeded attendees' pending e-mails are marked done before a scenario:
// their confirmations went out the week before, so the mail worker is idle on the day.
const sentBefore = "loadtest: sent before the day"

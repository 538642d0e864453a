package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// runSignIn measures a sign-in storm (issue #12, point 1): cfg.n sign-in attempts with wrong
// passwords, cfg.c at once, each from its own loopback address (127.1.x.y) so that the
// per-client throttle does not stop them and every attempt reaches the password check;
// most name unknown addresses, some the one real account. Meanwhile an attendee keeps
// opening programme pages. It prints the server's resident memory (sampled every 20 ms, its
// high-water mark, and 5 s and 150 s after), the attendee's latency before and during the
// storm, the answers the attempts got, and whether the account's owner can still sign in.
//
//	go run ./cmd/loadtest -scenario signin -n 500 -c 500
func runSignIn(ctx context.Context, cfg config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "dagplanner-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.scale = 1
	base, server, client, stop, err := startServer(ctx, &cfg, dir)
	if err != nil {
		return err
	}
	defer stop()
	const owner, password = "organisator@example.nl", "het echte wachtwoord van de organisator"
	if err := addAccount(ctx, cfg.db, owner, password); err != nil {
		return err
	}
	pid := server.Process.Pid

	before, err := probeAttendee(client, base, 20)
	if err != nil {
		return err
	}
	rssBefore := residentMemory(pid, "VmRSS:")

	var peak atomic.Int64
	sampling, stopSampling := context.WithCancel(ctx)
	var sampler sync.WaitGroup
	sampler.Go(func() { sampleMemory(sampling, pid, &peak) })
	var during []time.Duration
	var attendeeErrs int
	sampler.Go(func() { during, attendeeErrs = probeUntil(sampling, client, base) })

	statuses, elapsed := signInStorm(base, cfg.n, cfg.c, owner)
	stopSampling()
	sampler.Wait()
	hwm := residentMemory(pid, "VmHWM:")
	time.Sleep(5 * time.Second)
	rssAfter := residentMemory(pid, "VmRSS:")
	// The Go runtime collects at least every two minutes and then returns freed memory.
	time.Sleep(145 * time.Second)
	rssLater := residentMemory(pid, "VmRSS:")
	ownerStatus, err := signIn(newSourceClient(net.IPv4(127, 2, 0, 1)), base, owner, password)
	if err != nil {
		return fmt.Errorf("owner's sign-in after the storm: %w", err)
	}

	slices.Sort(before)
	slices.Sort(during)
	fmt.Fprintf(out, "sign-in storm: %d attempts, %d at once, from %d addresses, in %.1f s\n", cfg.n, cfg.c, cfg.n, elapsed.Seconds())
	fmt.Fprintf(out, "  answers:               %s\n", formatStatuses(statuses))
	fmt.Fprintf(out, "  server RSS:            %.0f MB before, %.0f MB peak sampled, %.0f MB high-water mark (VmHWM), %.0f MB 5 s after, %.0f MB 150 s after\n",
		mb(rssBefore), mb(peak.Load()), mb(hwm), mb(rssAfter), mb(rssLater))
	fmt.Fprintf(out, "  attendee GET before:   p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d requests)\n",
		ms(percentile(before, 50)), ms(percentile(before, 95)), ms(percentile(before, 100)), len(before))
	fmt.Fprintf(out, "  attendee GET during:   p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d requests, %d failed)\n",
		ms(percentile(during, 50)), ms(percentile(during, 95)), ms(percentile(during, 100)), len(during), attendeeErrs)
	fmt.Fprintf(out, "  owner signs in after:  %d (want 303)\n", ownerStatus)
	return nil
}

// addAccount creates the account whose owner signs in after the storm.
func addAccount(ctx context.Context, dsn, email, password string) error {
	store, err := models.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	_, err = store.CreateUser(ctx, models.UserInput{Email: email, Password: password, Role: models.RoleOrganiser})
	return err
}

// signInStorm fires n sign-in attempts with wrong passwords, c at a time, all released at
// once; attempt i comes from loopback address 127.1.i/250.i%250+1. Every fifth attempt names
// the real account, the others unknown addresses. It returns how often each status came.
func signInStorm(base string, n, c int, account string) (map[int]int, time.Duration) {
	var mu sync.Mutex
	statuses := map[int]int{}
	jobs := make(chan int, n)
	for i := range n {
		jobs <- i
	}
	close(jobs)
	ready := make(chan struct{})
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			<-ready
			for i := range jobs {
				email := fmt.Sprintf("onbekend-%d@example.nl", i)
				if i%5 == 0 {
					email = account
				}
				status, err := signIn(newSourceClient(net.IPv4(127, 1, byte(i/250), byte(i%250+1))), base, email, "geraden wachtwoord "+strconv.Itoa(i))
				if err != nil {
					status = -1 // no answer: counted as -1
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		})
	}
	start := time.Now()
	close(ready)
	wg.Wait()
	return statuses, time.Since(start)
}

// newSourceClient is an HTTP client whose connections come from the local address ip, as
// a browser on another machine would; it does not follow redirects.
func newSourceClient(ip net.IP) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 10 * time.Second}
	return &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// signIn posts the log-in form as a browser on the site does and returns the status.
func signIn(c *http.Client, base, email, password string) (int, error) {
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequest(http.MethodPost, base+"/beheer/inloggen", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// attendeePages are what an attendee opens while organisers sign in.
var attendeePages = []string{"/", "/programma/zwolle"}

// probeAttendee opens the attendee pages n times in turn and returns the latencies.
func probeAttendee(client *http.Client, base string, n int) ([]time.Duration, error) {
	var lat []time.Duration
	for i := range n {
		d, err := getPage(client, base+attendeePages[i%len(attendeePages)])
		if err != nil {
			return nil, err
		}
		lat = append(lat, d)
	}
	return lat, nil
}

// probeUntil opens the attendee pages one after another until ctx ends.
func probeUntil(ctx context.Context, client *http.Client, base string) (lat []time.Duration, failed int) {
	for i := 0; ctx.Err() == nil; i++ {
		d, err := getPage(client, base+attendeePages[i%len(attendeePages)])
		if err != nil {
			failed++
			continue
		}
		lat = append(lat, d)
	}
	return lat, failed
}

// getPage fetches a page and returns how long it took; anything but 200 is an error.
func getPage(client *http.Client, url string) (time.Duration, error) {
	start := time.Now()
	resp, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return time.Since(start), err
}

// sampleMemory records the largest resident memory of process pid until ctx ends.
func sampleMemory(ctx context.Context, pid int, peak *atomic.Int64) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if rss := residentMemory(pid, "VmRSS:"); rss > peak.Load() {
			peak.Store(rss)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// residentMemory reads one memory field (VmRSS:, VmHWM:) of process pid, in bytes.
func residentMemory(pid int, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

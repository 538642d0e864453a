package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// messageSubject starts the subject of the loadtest's message, so its e-mails can be told
// from the confirmations of the people who register meanwhile.
const messageSubject = "Loadtest-bericht"

// runMessage measures a message to a large audience (#15): cfg.tickets attendees register
// through the API, then an organiser (an API token) writes a message to every confirmed
// attendee and sends it; the queueing is timed, and while the outbox delivers it to an SMTP
// server the command starts, new attendees register at cfg.rate a second and their answers
// are timed. It prints how long queueing and delivery took, the registrations' p50/p99/max
// and whether every attendee got the message exactly once.
//
//	go run ./cmd/loadtest -scenario message -tickets 10000 -rate 10
func runMessage(ctx context.Context, cfg config, out io.Writer) error {
	cfg.instances = 1
	if cfg.rate <= 0 {
		cfg.rate = 10
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
	t0 := time.Now()
	ids, err := registerAttendees(ctx, client, base, cfg, venues, sessions)
	if err != nil {
		return err
	}
	token, err := prepareMessage(ctx, cfg.db)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "message: %d registrations (%s, demo scale %d) seeded in %.1f s\n", len(ids), dbKind(cfg.db), cfg.scale, time.Since(t0).Seconds())

	id, count, err := composeMessage(ctx, client, base, token)
	if err != nil {
		return err
	}
	start := time.Now()
	status, err := postWithToken(ctx, client, base+"/beheer/berichten/"+id+"/versturen", token,
		url.Values{"wanneer": {"nu"}, "aantal": {strconv.Itoa(count)}})
	if err != nil || status != http.StatusSeeOther {
		return fmt.Errorf("send the message: status %d, %v", status, err)
	}
	queued := time.Since(start)

	// New attendees register at a steady rate while the message goes out.
	regCtx, stopRegistering := context.WithCancel(ctx)
	lat, statuses := registerSteadily(regCtx, cfg, base, venues, sessions)
	// At models.MessageRate a second the e-mails need count/rate seconds; wait twice that.
	deadline := time.Now().Add(max(cfg.mailWait, 2*time.Duration(count/models.MessageRate)*time.Second))
	var delivered time.Duration
	for time.Now().Before(deadline) {
		if n := countMessageMails(target); n >= count {
			delivered = time.Since(start)
			break
		}
		time.Sleep(time.Second)
	}
	stopRegistering()
	got := lat()
	if delivered == 0 {
		return fmt.Errorf("by the deadline %d of %d e-mails of the message arrived", countMessageMails(target), count)
	}
	per := map[string]int{}
	for _, m := range target.mail.Messages() {
		if strings.HasPrefix(m.Subject, messageSubject) {
			for _, to := range m.To {
				per[strings.ToLower(to)]++
			}
		}
	}
	twice := 0
	for _, n := range per {
		if n > 1 {
			twice++
		}
	}
	fmt.Fprintf(out, "  message to %d people: queued in %.2f s (the send request), delivered in %.1f s (%.0f a second)\n",
		count, queued.Seconds(), delivered.Seconds(), float64(count)/delivered.Seconds())
	fmt.Fprintf(out, "  recipients: %d got it, %d more than once\n", len(per), twice)
	fmt.Fprintf(out, "  registrations meanwhile (%.0f a second): %d, p50 %.1f ms  p99 %.1f ms  max %.1f ms  %s\n", cfg.rate, len(got),
		ms(percentile(got, 50)), ms(percentile(got, 99)), ms(percentile(got, 100)), formatStatuses(statuses()))
	if len(per) != count || twice > 0 {
		return fmt.Errorf("the message reached %d addresses (%d more than once), want %d once each", len(per), twice, count)
	}
	return nil
}

// prepareMessage marks the seeded attendees' confirmations sent (they are not what is
// measured) and makes an organiser's API token, which it returns.
func prepareMessage(ctx context.Context, dsn string) (string, error) {
	store, err := models.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer store.Close()
	if _, err := store.DiscardPendingMail(ctx, sentBefore); err != nil {
		return "", err
	}
	_, token, err := store.CreateAPIToken(ctx, models.APITokenInput{Name: "Loadtest", Role: models.RoleOrganiser})
	return token, err
}

var (
	messageLocation = regexp.MustCompile(`^/beheer/berichten/(\d+)$`)
	messageCount    = regexp.MustCompile(`name="aantal" value="(\d+)"`)
)

// composeMessage writes the message to every confirmed attendee, with placeholders and a
// personal link, and returns its id and the number of recipients its page shows.
func composeMessage(ctx context.Context, client *http.Client, base, token string) (string, int, error) {
	form := url.Values{"status": {"bevestigd"}, "actie": {"opslaan"}, "subject_nl": {messageSubject + " voor {naam}"},
		"body_nl": {"Hallo {naam},\n\nTot ziens in {locatie}:\n{sessies}\n\nJouw link: {persoonlijke_link}"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/beheer/berichten/nieuw", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		return "", 0, err
	}
	resp.Body.Close()
	m := messageLocation.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		return "", 0, fmt.Errorf("compose the message: status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, base+m[0], nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = client.Do(req)
	if err != nil {
		return "", 0, err
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	c := messageCount.FindSubmatch(page)
	if err != nil || c == nil {
		return "", 0, fmt.Errorf("the message's page shows no number of recipients (%v)", err)
	}
	n, _ := strconv.Atoi(string(c[1]))
	return m[1], n, nil
}

func postWithToken(ctx context.Context, client *http.Client, u, token string, form url.Values) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func countMessageMails(t *rushTarget) int {
	n := 0
	for _, m := range t.mail.Messages() {
		if strings.HasPrefix(m.Subject, messageSubject) {
			n++
		}
	}
	return n
}

// registerSteadily registers new attendees at cfg.rate a second until ctx ends, each from one
// of 50 loopback addresses; the returned functions give the sorted latencies and the statuses
// once ctx has ended.
func registerSteadily(ctx context.Context, cfg config, base string, venues []venueInfo, sessions map[string][]sessionInfo) (func() []time.Duration, func() map[int]int) {
	clients := loopbackClients(50, nil)
	var mu sync.Mutex
	var lat []time.Duration
	statuses := map[int]int{}
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.rate))
		defer tick.Stop()
		for i := cfg.tickets + 1; ; i++ {
			select {
			case <-ctx.Done():
				wg.Wait()
				return
			case <-tick.C:
			}
			wg.Go(func() {
				body, _ := attendee(cfg.seed, i, venues, sessions)
				t := time.Now()
				status, _, _ := register(clients[i%len(clients)], base, body)
				d := time.Since(t)
				mu.Lock()
				lat = append(lat, d)
				statuses[status]++
				mu.Unlock()
			})
		}
	}()
	wait := func() { <-done }
	return func() []time.Duration {
			wait()
			mu.Lock()
			defer mu.Unlock()
			out := slices.Clone(lat)
			slices.Sort(out)
			return out
		}, func() map[int]int {
			wait()
			return statuses
		}
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// runPeople measures the organisers' list of people (#13): cfg.tickets attendees register
// through the API (as in the rush), a third of them are checked in, and then organisers,
// cfg.c at a time, ask for the list's first page, searches, filtered pages and the API list,
// cfg.n requests of each kind; last, all people are exported to XLSX and CSV while the
// server's memory is sampled. It prints p50/p99 per kind, the exports' times and sizes,
// and the server's peak memory.
//
//	go run ./cmd/loadtest -scenario people -tickets 10000 -n 300 -c 1
func runPeople(ctx context.Context, cfg config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "dagplanner-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	base, server, client, stop, err := startServer(ctx, &cfg, dir)
	if err != nil {
		return err
	}
	defer stop()
	venues, sessions, err := fetchProgramme(client, base)
	if err != nil {
		return err
	}
	t0 := time.Now()
	ids, err := registerAttendees(ctx, client, base, cfg, venues, sessions)
	if err != nil {
		return err
	}
	token, err := preparePeople(ctx, cfg.db, ids)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "people: %d registrations (%s, demo scale %d) seeded in %.1f s; %d organisers at a time, %d requests per kind\n",
		len(ids), dbKind(cfg.db), cfg.scale, time.Since(t0).Seconds(), cfg.c, cfg.n)

	get := func(path string) (int, int64, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		n, err := io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, n, err
	}
	kinds := []struct{ name, path string }{
		{"list, first page", "/beheer/deelnemers"},
		{"search, one person", "/beheer/deelnemers?q=deelnemer4711"},
		{"search, 111 people", "/beheer/deelnemers?q=Deelnemer+77"},
		{"filtered page", "/beheer/deelnemers?locatie=" + venues[0].Slug + "&status=niet-binnen&sorteer=nieuwste&pagina=3"},
		{"search + filter", "/beheer/deelnemers?q=loadtest&status=binnen&sorteer=organisatie&pagina=10"},
		{"API list, 50", "/api/v1/registrations?status=confirmed&limit=50&cursor=5000"},
	}
	for _, k := range kinds {
		get(k.path) // warm up: the first request reads the schema, the templates' data
		cpuBefore := cpuTime(server.Process.Pid)
		lat, statuses := measure(cfg.n, cfg.c, func() int {
			status, _, err := get(k.path)
			if err != nil {
				return 0
			}
			return status
		})
		cpu := cpuTime(server.Process.Pid) - cpuBefore
		fmt.Fprintf(out, "  %-20s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  server CPU %5.1f ms/request  %s\n", k.name,
			ms(percentile(lat, 50)), ms(percentile(lat, 99)), ms(percentile(lat, 100)), ms(cpu)/float64(cfg.n), formatStatuses(statuses))
	}

	var peak atomic.Int64
	sampleCtx, stopSampling := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { sampleMemory(sampleCtx, server.Process.Pid, &peak); close(done) }()
	for _, export := range []string{"export.xlsx", "export.csv", "export.xlsx?soort=sessies", "export.csv?soort=sessies"} {
		start, cpuBefore := time.Now(), cpuTime(server.Process.Pid)
		status, size, err := get("/beheer/deelnemers/" + export)
		if err != nil || status != http.StatusOK {
			stopSampling()
			return fmt.Errorf("%s: status %d, %v", export, status, err)
		}
		fmt.Fprintf(out, "  %-26s %6.2f s  %6.1f MB  server CPU %.2f s\n", export, time.Since(start).Seconds(), mb(size),
			(cpuTime(server.Process.Pid) - cpuBefore).Seconds())
	}
	stopSampling()
	<-done
	fmt.Fprintf(out, "  server memory during the exports: peak RSS %.0f MB (VmHWM since start %.0f MB)\n",
		mb(peak.Load()), mb(peakRSS(server.Process.Pid)))
	return nil
}

// preparePeople checks a third of the people in (so the status filters have something to
// tell apart), marks the confirmations sent (the mail worker is idle on the day) and makes
// an organiser's API token, which it returns.
func preparePeople(ctx context.Context, dsn string, ids []uint) (string, error) {
	store, err := models.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer store.Close()
	if _, err := store.DiscardPendingMail(ctx, sentBefore); err != nil {
		return "", err
	}
	for i, id := range ids {
		if i%3 != 0 {
			continue
		}
		venueID, err := store.RegistrationVenue(ctx, id)
		if err != nil {
			return "", err
		}
		if _, err := store.CheckIn(ctx, models.CheckInInput{VenueID: venueID, RegistrationID: id, Door: "Hoofdingang"}); err != nil {
			return "", err
		}
	}
	_, token, err := store.CreateAPIToken(ctx, models.APITokenInput{Name: "Loadtest", Role: models.RoleOrganiser})
	return token, err
}

// measure runs do n times, c at a time, and returns the sorted latencies and the statuses.
func measure(n, c int, do func() int) ([]time.Duration, map[int]int) {
	jobs := make(chan struct{})
	var mu sync.Mutex
	var lat []time.Duration
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				t := time.Now()
				status := do()
				d := time.Since(t)
				mu.Lock()
				lat = append(lat, d)
				statuses[status]++
				mu.Unlock()
			}
		}()
	}
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	slices.Sort(lat)
	return lat, statuses
}

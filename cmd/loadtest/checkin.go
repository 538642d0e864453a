package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// runCheckIns measures the doors: cfg.tickets attendees register at the first venue, then
// cfg.c doors of that venue, each with its own device token, scan cfg.n QR payloads (every
// ticket once, and the first tickets again, as people who scan twice) over HTTP. It prints
// scans per second and latency, and checks that every ticket was admitted exactly once.
//
// The payloads are signed with the event's key, read from the server's database: the load
// generator plays the attendees' phones, which carry tickets the server signed.
func runCheckIns(ctx context.Context, cfg config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "dagplanner-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// All attendees go to one venue, so it needs twice the rush's scale to hold 10,000.
	cfg.scale = max(cfg.scale, 40)
	base, server, client, stop, err := startServer(ctx, &cfg, dir)
	if err != nil {
		return err
	}
	defer stop()
	venues, sessions, err := fetchProgramme(client, base)
	if err != nil {
		return err
	}
	venue := venues[0]

	// Before the doors open: the attendees register (through the API, 200 at a time).
	ids, err := registerAttendees(ctx, client, base, cfg, venues[:1], sessions)
	if err != nil {
		return err
	}
	store, err := models.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	v, err := store.VenueBySlug(ctx, venue.Slug)
	if err != nil {
		store.Close()
		return err
	}
	key, err := store.EventKey(ctx, v.EventID)
	if err != nil {
		store.Close()
		return err
	}
	// The confirmations went out the week before: the mail worker is idle on the day.
	if _, err := store.DiscardPendingMail(ctx, sentBefore); err != nil {
		store.Close()
		return err
	}
	doors := make([]string, cfg.c)
	for d := range doors {
		_, doors[d], err = store.CreateDeviceToken(ctx, models.DeviceTokenInput{
			Name: fmt.Sprintf("Deur %d", d+1), Role: models.RoleDoor, VenueSlug: venue.Slug})
		if err != nil {
			store.Close()
			return err
		}
	}
	store.Close()
	signer, ticketName := tickets.NewSigner(key.PrivateKey), v.TicketName()
	payloads := make([][]byte, len(ids))
	for i, id := range ids {
		body, _ := json.Marshal(map[string]string{"code": signer.Payload(tickets.Ticket{ID: uint32(id), Venue: ticketName, Version: 1})})
		payloads[i] = body
	}

	// The doors open, each door connected already (through the one shared client: door
	// devices are not throttled per address).
	doorClients := make([]*http.Client, cfg.c)
	for d := range doorClients {
		doorClients[d] = client
	}
	if err := connectClients(doorClients, base); err != nil {
		return err
	}
	type scan struct {
		i   int
		due time.Time // when the scan should start; latency counts from here, so a slow server cannot hide its queue
	}
	jobs := make(chan scan, cfg.c)
	var mu sync.Mutex
	var latencies []time.Duration
	results := map[string]int{}
	statuses := map[int]int{}
	serverCPUBefore := cpuTime(server.Process.Pid)
	var wg sync.WaitGroup
	start := time.Now()
	for d := range cfg.c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				if job.due.IsZero() {
					job.due = time.Now()
				}
				status, result := checkIn(client, base, doors[d], payloads[job.i%len(payloads)])
				lat := time.Since(job.due)
				mu.Lock()
				latencies = append(latencies, lat)
				statuses[status]++
				results[result]++
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < cfg.n; i++ {
		job := scan{i: i}
		if cfg.rate > 0 {
			job.due = start.Add(time.Duration(float64(i) / cfg.rate * float64(time.Second)))
			if wait := time.Until(job.due); wait > 0 {
				time.Sleep(wait)
			}
		}
		select {
		case jobs <- job:
		case <-ctx.Done():
			close(jobs)
			wg.Wait()
			return ctx.Err()
		}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	serverCPU := cpuTime(server.Process.Pid) - serverCPUBefore
	rss := peakRSS(server.Process.Pid)

	// Every ticket admitted once, every second scan told so, and the venue's list agrees.
	var list struct {
		Attendees []struct {
			CheckIn *struct{ ID uint } `json:"checkin"`
		} `json:"attendees"`
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/venues/"+venue.Slug+"/checkin-list", nil)
	req.Header.Set("Authorization", "Bearer "+doors[0])
	if err := doJSON(client, req, &list); err != nil {
		return err
	}
	inList := 0
	for _, a := range list.Attendees {
		if a.CheckIn != nil {
			inList++
		}
	}
	wantAdmitted := min(cfg.n, len(ids))
	slices.Sort(latencies)
	mode := "each door scans again as soon as it has its answer"
	if cfg.rate > 0 {
		mode = fmt.Sprintf("%.0f scans/s offered", cfg.rate)
	}
	fmt.Fprintf(out, "door check-in: %d scans of %d tickets at %d doors of %s (%s), %s\n", cfg.n, len(ids), cfg.c, venue.Slug, mode, dbKind(cfg.db))
	fmt.Fprintf(out, "  elapsed            %.2f s\n", elapsed.Seconds())
	fmt.Fprintf(out, "  check-ins/s        %.0f\n", float64(len(latencies))/elapsed.Seconds())
	fmt.Fprintf(out, "  latency p50        %.1f ms\n", ms(percentile(latencies, 50)))
	fmt.Fprintf(out, "  latency p99        %.1f ms\n", ms(percentile(latencies, 99)))
	fmt.Fprintf(out, "  latency max        %.1f ms\n", ms(percentile(latencies, 100)))
	fmt.Fprintf(out, "  responses          %s\n", formatStatuses(statuses))
	fmt.Fprintf(out, "  results            %v\n", results)
	fmt.Fprintf(out, "  admitted           %d (must be %d: every ticket once)\n", results[models.CheckInAdmitted], wantAdmitted)
	fmt.Fprintf(out, "  checked in, by the venue's list   %d (must be %d)\n", inList, wantAdmitted)
	fmt.Fprintf(out, "  server peak RSS    %.0f MB\n", float64(rss)/1e6)
	fmt.Fprintf(out, "  server CPU per scan  %.0f µs\n", float64(serverCPU.Microseconds())/float64(cfg.n))
	if results[models.CheckInAdmitted] != wantAdmitted || inList != wantAdmitted || results[models.CheckInAlreadyIn] != cfg.n-wantAdmitted {
		return errors.New("the doors broke an invariant")
	}
	return nil
}

// registerAttendees registers cfg.tickets attendees at the venue and returns their ids.
func registerAttendees(ctx context.Context, client *http.Client, base string, cfg config, venues []venueInfo, sessions map[string][]sessionInfo) ([]uint, error) {
	jobs := make(chan int)
	var mu sync.Mutex
	var ids []uint
	var failed error
	var wg sync.WaitGroup
	// 200 clients, each from its own loopback address: the server throttles per address.
	for _, client := range loopbackClients(200, nil) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				body, _ := attendee(cfg.seed, i, venues, sessions)
				status, a, err := register(client, base, body)
				mu.Lock()
				if err == nil && status == http.StatusCreated {
					ids = append(ids, a.id)
				} else if failed == nil {
					failed = fmt.Errorf("register attendee %d: status %d, %v", i, status, err)
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < cfg.tickets; i++ {
		select {
		case jobs <- i:
		case <-ctx.Done():
			close(jobs)
			wg.Wait()
			return nil, ctx.Err()
		}
	}
	close(jobs)
	wg.Wait()
	slices.Sort(ids)
	return ids, failed
}

func checkIn(client *http.Client, base, token string, body []byte) (int, string) {
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/checkins", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	var out struct {
		Result string `json:"result"`
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "error"
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, "unreadable"
	}
	return resp.StatusCode, out.Result
}

func doJSON(client *http.Client, req *http.Request, v any) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

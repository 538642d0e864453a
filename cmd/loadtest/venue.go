package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// runVenue measures what grows with a venue: cfg.tickets attendees register at the first
// venue, then it fetches the door's whole check-in list, makes a few changes (a registration,
// a cancellation, a check-in at another door), fetches the delta since the door's copy, and
// times the paper door list and the arrivals page, sampling the server's memory throughout.
//
//	go run ./cmd/loadtest -scenario venue -tickets 25000 -scale 100
func runVenue(ctx context.Context, cfg config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "dagplanner-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.scale = max(cfg.scale, 100) // one venue holds everyone
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
	t0 := time.Now()
	ids, err := registerAttendees(ctx, client, base, cfg, venues[:1], sessions)
	if err != nil {
		return err
	}
	seeded := time.Since(t0)
	store, err := models.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.DiscardPendingMail(ctx, sentBefore); err != nil {
		return err
	}
	_, door, err := store.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: "Deur 1", Role: models.RoleDoor, VenueSlug: venue.Slug})
	if err != nil {
		return err
	}
	// The organisers' pages take a signed-in session, not a token.
	const email, password = "organisator@loadtest.example", "een lang wachtwoord voor de test"
	if _, err := store.CreateUser(ctx, models.UserInput{Email: email, Password: password, Role: models.RoleOrganiser}); err != nil {
		return err
	}
	organiser := newSourceClient(net.IPv4(127, 0, 9, 1))
	organiser.Jar, _ = cookiejar.New(nil)
	if status, err := signIn(organiser, base, email, password); err != nil || status != http.StatusSeeOther {
		return fmt.Errorf("sign in: status %d, %v", status, err)
	}
	fmt.Fprintf(out, "venue: %d attendees at %s (%s, demo scale %d) seeded in %.1f s\n",
		len(ids), venue.Slug, dbKind(cfg.db), cfg.scale, seeded.Seconds())

	var peak atomic.Int64
	sampleCtx, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() { sampleMemory(sampleCtx, server.Process.Pid, &peak); close(sampled) }()

	get := func(client *http.Client, path, token string, gzip bool) (int, int64, time.Duration, []byte) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if gzip {
			req.Header.Set("Accept-Encoding", "gzip") // set by hand: the body stays compressed, as sent
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, time.Since(start), nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, int64(len(body)), time.Since(start), body
	}
	v, err := store.VenueBySlug(ctx, venue.Slug)
	if err != nil {
		stopSampling()
		return err
	}
	// The door takes its copy a while after the last registration (the evening before, say),
	// not within the few seconds around a change that a delta sends again.
	time.Sleep(11 * time.Second)
	list := "/api/v1/venues/" + venue.Slug + "/checkin-list"
	status, size, took, body := get(client, list, door, false)
	var full struct {
		Cursor    string            `json:"cursor"`
		Attendees []json.RawMessage `json:"attendees"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &full) != nil {
		stopSampling()
		return fmt.Errorf("check-in list: status %d", status)
	}
	fmt.Fprintf(out, "  check-in list, whole        %6.0f ms  %7.2f MB  (%d attendees)\n", ms(took), mb(size), len(full.Attendees))
	_, gz, took, _ := get(client, list, door, true)
	fmt.Fprintf(out, "  check-in list, whole, gzip  %6.0f ms  %7.2f MB\n", ms(took), mb(gz))

	// A few changes since the door's copy: one more registration, a cancellation, a check-in
	// at another door.
	newcomer, _ := attendee(cfg.seed, cfg.tickets, venues[:1], sessions)
	if status, _, err := register(client, base, newcomer); err != nil || status != http.StatusCreated {
		stopSampling()
		return fmt.Errorf("register one more: status %d, %v", status, err)
	}
	if err := store.Cancel(ctx, ids[1]); err != nil {
		stopSampling()
		return err
	}
	if _, err := store.CheckIn(ctx, models.CheckInInput{VenueID: v.ID, RegistrationID: ids[0], Door: "Deur 2"}); err != nil {
		stopSampling()
		return err
	}
	since := list + "?since=" + url.QueryEscape(full.Cursor)
	for range 3 {
		get(client, since, door, true) // warm up
	}
	var worst time.Duration
	for range 20 {
		status, size, took, _ = get(client, since, door, true)
		worst = max(worst, took)
	}
	fmt.Fprintf(out, "  check-in list, delta, gzip  %6.1f ms (worst of 20 %.1f ms)  %d bytes, status %d\n", ms(took), ms(worst), size, status)

	for _, page := range []struct{ name, path string }{
		{"door list PDF", fmt.Sprintf("/beheer/locaties/%d/deurlijst.pdf", v.ID)},
		{"arrivals page", fmt.Sprintf("/beheer/locaties/%d/binnenkomst", v.ID)},
		{"arrivals, all venues", "/beheer/binnenkomst"},
	} {
		status, size, took, _ := get(organiser, page.path, "", false)
		fmt.Fprintf(out, "  %-27s %6.0f ms  %7.2f MB  status %d\n", page.name, ms(took), mb(size), status)
	}
	stopSampling()
	<-sampled
	fmt.Fprintf(out, "  server memory: peak RSS during the measurements %.0f MB (VmHWM since start %.0f MB)\n",
		mb(peak.Load()), mb(peakRSS(server.Process.Pid)))
	return nil
}

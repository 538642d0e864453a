package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkDashboard renders the organisers' dashboard (/beheer, every figure and chart)
// through the whole handler stack, signed in as an organiser of all venues, with 10,000
// registrations made over thirty days (one in twenty cancelled, a third checked in at three
// doors over two hours, waiting lists). It reports the p50 and p99 of the renderings, on
// SQLite and on PostgreSQL (skipped without a server), and this process's CPU time per
// rendering (which other work on a shared machine inflates less; on PostgreSQL the database
// server's own time is not in it). DAGPLANNER_BENCH_PEOPLE sets another number of
// registrations, for a quick run.
func BenchmarkDashboard(b *testing.B) {
	people := 10000
	if n, err := strconv.Atoi(os.Getenv("DAGPLANNER_BENCH_PEOPLE")); err == nil && n > 0 {
		people = n
	}
	for _, db := range []struct {
		name string
		open func(testing.TB) *models.Store
	}{{"sqlite", modelstest.SQLite}, {"postgres", modelstest.Postgres}} {
		b.Run(db.name, func(b *testing.B) {
			store := db.open(b)
			fillDashboard(b, store, people)
			h, err := New(Config{Store: store, Logger: discardLogger()})
			if err != nil {
				b.Fatal(err)
			}
			cookie := benchLogin(b, store, h)
			var took []time.Duration
			var ru0, ru1 syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/beheer", nil)
				req.Header.Set("Cookie", cookie)
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "grafiek-aankomst") {
					b.Fatalf("GET /beheer: status %d: %.300s", rec.Code, rec.Body)
				}
			}
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
			cpu := float64(ru1.Utime.Nano()-ru0.Utime.Nano()+ru1.Stime.Nano()-ru0.Stime.Nano()) / 1e6 / float64(len(took))
			slices.Sort(took)
			at := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000 }
			b.ReportMetric(at(0.50), "p50-ms")
			b.ReportMetric(at(0.99), "p99-ms")
			b.ReportMetric(cpu, "cpu-ms/op")
			b.Logf("%s, %d registrations, %d renderings: p50 %.1f ms, p99 %.1f ms, CPU of this process %.1f ms a rendering",
				db.name, people, len(took), at(0.5), at(0.99), cpu)
		})
	}
}

// fillDashboard loads the demo event (capacities times 20) and registers n people, as the
// load test's people scenario does, then spreads them over thirty days and checks a third in.
func fillDashboard(b *testing.B, store *models.Store, n int) {
	b.Helper()
	ctx := modelstest.Ctx()
	now := time.Now()
	if err := demo.Load(ctx, store, demo.Options{Scale: 20, Now: now, NoRegistrations: true}); err != nil {
		b.Fatal(err)
	}
	slugs := []string{"zwolle", "rotterdam"}
	orgs := []string{"Gemeente Zwolle", "Provincie Overijssel", "Ministerie van BZK", "Rijkswaterstaat", "Waterschap Vechtstromen",
		"Gemeente Rotterdam", "VNG", "Logius", "Gemeente Utrecht", "Stichting ICTU"}
	sessions := map[string][][]uint{} // per venue, per slot, its sessions
	for _, slug := range slugs {
		v, err := store.VenueBySlug(ctx, slug)
		if err != nil {
			b.Fatal(err)
		}
		ss, _ := store.SessionsOfVenue(ctx, v.ID)
		bySlot := map[uint][]uint{}
		var order []uint
		for _, s := range ss {
			if !s.Placed() || len(s.Slots) != 1 {
				continue
			}
			if bySlot[s.Slots[0].SlotID] == nil {
				order = append(order, s.Slots[0].SlotID)
			}
			bySlot[s.Slots[0].SlotID] = append(bySlot[s.Slots[0].SlotID], s.ID)
		}
		for _, sl := range order {
			sessions[slug] = append(sessions[slug], bySlot[sl])
		}
	}
	regs := make([]models.Registration, n)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				slug := slugs[i%2]
				var chosen []uint
				for _, options := range sessions[slug] {
					// Most people want the first session of a slot: waiting lists form.
					chosen = append(chosen, options[min(i%7/4, len(options)-1)])
				}
				in := models.RegistrationInput{Name: fmt.Sprintf("Deelnemer %d", i), Email: fmt.Sprintf("d%d@example.nl", i),
					Organisation: orgs[i%len(orgs)], Venue: slug, Sessions: chosen, Consent: true, Lang: "nl"}
				res, err := store.Register(ctx, in)
				if err != nil {
					in.Sessions = nil
					res, err = store.Register(ctx, in)
				}
				if err != nil {
					b.Error(err)
					return
				}
				regs[i] = res.Registration
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	// Thirty days of registrations: person id mod 30 decides the day.
	for d := range 30 {
		at := now.AddDate(0, 0, d-30).UTC()
		modelstest.Update(b, store, &models.Registration{}, modelstest.Where("id % 30 = ?", d), map[string]any{"created_at": at})
	}
	day := demo.EventDate(now)
	doors := []string{"Hoofdingang", "Zij-ingang", "Parkeergarage"}
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				r := regs[i]
				switch {
				case i%20 == 7:
					if err := store.Cancel(ctx, r.ID); err != nil {
						b.Error(err)
					}
				case i%3 == 0:
					at := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, time.UTC).Add(time.Duration(i%120) * time.Minute)
					if _, err := store.CheckIn(ctx, models.CheckInInput{VenueID: r.VenueID, RegistrationID: r.ID, Door: doors[i%len(doors)], ScannedAt: &at}); err != nil {
						b.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if _, err := store.DiscardPendingMail(ctx, "benchmark"); err != nil {
		b.Fatal(err)
	}
	// PostgreSQL plans from table statistics, which its autovacuum gathers within a minute of
	// a bulk load like this one; gather them now, as a running server would have them.
	modelstest.Analyze(b, store)
}

// benchLogin signs an organiser of every venue in and returns the session's cookie.
func benchLogin(b *testing.B, store *models.Store, h http.Handler) string {
	b.Helper()
	const password = "een lang wachtwoord"
	if _, err := store.CreateUser(modelstest.Ctx(), models.UserInput{Email: "bench@example.nl", Password: password, Role: models.RoleOrganiser}); err != nil {
		b.Fatal(err)
	}
	// The benchmark measures the dashboard, not the second step (#16 2fa): organisers sign in
	// with a password alone here.
	cli := models.WithActor(modelstest.Ctx(), models.Actor{Kind: models.ActorCLI, Name: "benchmark"})
	if err := store.SetSecondFactorPolicy(cli, map[string]bool{models.RoleOrganiser: false}); err != nil {
		b.Fatal(err)
	}
	form := url.Values{"email": {"bench@example.nl"}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/beheer/inloggen", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "dagplanner_session" && rec.Code == http.StatusSeeOther {
			return c.Name + "=" + c.Value
		}
	}
	b.Fatalf("log in: status %d, cookies %v", rec.Code, rec.Result().Cookies())
	return ""
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// prepareAllocation puts the demo event of db in preference mode, has people rank Zwolle's
// sessions and records an allocation of Zwolle as the allocation would; Rotterdam waits for its
// allocation. It returns the ids of Zwolle's placed sessions.
func prepareAllocation(t *testing.T, db string) {
	t.Helper()
	withStore(t, db, func(s *models.Store) {
		ctx := modelstest.Ctx()
		e, err := s.CurrentEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		at := e.Day().Add(-7 * 24 * time.Hour)
		modelstest.Update(t, s, &models.Event{}, modelstest.Where("id = ?", e.ID), map[string]any{
			"signup_mode": models.SignupPreferences, "preferences_open_at": at.Add(-14 * 24 * time.Hour), "preferences_close_at": at.Add(-time.Hour),
			"allocation_at": at, "allocation_seed": "Staatsloterij 10 januari 2027: 1234567",
		})
		zwolle, err := s.VenueBySlug(ctx, "zwolle")
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.SessionsOfVenue(ctx, zwolle.ID)
		if err != nil {
			t.Fatal(err)
		}
		report := models.AllocationReport{Ranks: []int{212, 61, 19}, Optimal: true, Bound: 1402, Random: models.AllocationBaseline{Orders: 100, First: 151.37, Second: 58.2, Third: 31.9, None: 58.53, Cost: 2210.4}}
		for i, se := range all {
			if !se.Placed() {
				continue
			}
			seats := se.Capacity()
			demand := 40 + 37*(i%4)
			seated := min(seats, demand-5)
			report.Sessions = append(report.Sessions, models.AllocationSessionReport{SessionID: se.ID, Title: se.Title, Seats: seats,
				FirstChoice: demand / 2, Demand: demand, Seated: seated, Waitlisted: max(demand-seated-5, 0)})
		}
		js, err := json.Marshal(report)
		if err != nil {
			t.Fatal(err)
		}
		modelstest.Insert(t, s, &models.Allocation{EventID: e.ID, VenueID: zwolle.ID, Seed: "Staatsloterij 10 januari 2027: 1234567",
			RanAt: at.Add(2 * time.Minute), People: 300, First: 212, Second: 61, Third: 19, None: 8, Cost: 1402, Report: string(js)})
	})
}

// TestAllocationReportInTheBrowser: axe finds nothing on the organisers' allocation report
// (with its chart's table open) and on the programme's public summary, after the allocation
// (Zwolle) and before it (Rotterdam), in Dutch and English, on a desktop and on a phone,
// where the page does not scroll sideways. Set DAGPLANNER_SCREENSHOTS to keep screenshots.
func TestAllocationReportInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	prepareAllocation(t, db)
	srv := startServer(t, "--db", db, "--demo")
	password := demoPassword(t, srv.Out.String())
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewWithSize(t, size.width, size.height)
			for i, lang := range []string{"nl", "en"} {
				setLanguage(t, ctx, srv.URL, lang)
				if i == 0 {
					signIn(t, ctx, srv.URL, demoEmail, password, `main a[href="/beheer/sessies"]`)
				}
				navigate(t, ctx, srv.URL+"/beheer/toewijzing")
				n, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](`[...document.querySelectorAll("main details")].map(d => d.open = true).length`))
				if err != nil || n != 1 {
					t.Errorf("%s: %d charts with a table on the report (%v), want 1", lang, n, err)
				}
				browsertest.AssertNoAxeViolationsHere(t, ctx, lang+" allocation report, "+size.name)
				assertLang(t, ctx, "/beheer/toewijzing", lang)
				assertNoPageOverflow(t, ctx, "/beheer/toewijzing")
				if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
					browsertest.Screenshot(t, ctx, filepath.Join(dir, fmt.Sprintf("%s-%s-allocation.png", lang, size.name)))
				}
				// The programme's summary: after the allocation with its table opened, before it.
				for _, p := range []string{"/programma/rotterdam", "/programma/zwolle"} {
					navigate(t, ctx, srv.URL+p)
					n, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[int](`[...document.querySelectorAll("#op-voorkeur ~ details, .preference-summary details")].map(d => d.open = true).length`))
					if want := map[string]int{"/programma/zwolle": 1, "/programma/rotterdam": 0}[p]; err != nil || n != want {
						t.Errorf("%s %s: %d tables of demand (%v), want %d", lang, p, n, err, want)
					}
					browsertest.AssertNoAxeViolationsHere(t, ctx, lang+" "+p+", "+size.name)
					assertNoPageOverflow(t, ctx, p)
				}
				if dir := os.Getenv("DAGPLANNER_SCREENSHOTS"); dir != "" {
					viewportScreenshot(t, ctx, filepath.Join(dir, fmt.Sprintf("%s-%s-programme.png", lang, size.name)))
				}
			}
		})
	}
}

package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkImportAPI1000 measures POST /api/v1/registrations/import with a CSV of 1,000 new
// people (parse, check, register each with a personal link and a confirmation e-mail, audit)
// through the whole handler stack on SQLite and PostgreSQL, into a venue that already holds 10,000
// registrations. Run it with:
//
//	./scripts/test --with-env go test -run '^$' -bench BenchmarkImportAPI1000 -benchtime 5x ./handlers/
func BenchmarkImportAPI1000(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchImport(b, modelstest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchImport(b, modelstest.Postgres(b)) })
}

func benchImport(b *testing.B, store *models.Store) {
	ctx := modelstest.Ctx()
	if err := demo.Load(ctx, store, demo.Options{Scale: 40, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NoRegistrations: true}); err != nil {
		b.Fatal(err)
	}
	v, _ := store.VenueBySlug(ctx, "zwolle")
	if _, err := store.UpdateVenue(ctx, v.ID, models.VenueInput{Slug: v.Slug, Name: v.Name, City: v.City, Address: v.Address, Capacity: 100000}); err != nil {
		b.Fatal(err)
	}
	cli := models.Actor{Kind: models.ActorCLI, Name: "bench"}
	batch := 0
	rows := func() []models.ImportRow {
		batch++
		out := make([]models.ImportRow, 1000)
		for i := range out {
			out[i] = models.ImportRow{Row: i + 2, Name: fmt.Sprintf("Deelnemer %d-%d", batch, i), Email: fmt.Sprintf("d%d-%d@example.nl", batch, i), Organisation: "Gemeente"}
		}
		return out
	}
	for range 10 { // 10,000 registrations already there
		if res, err := store.ImportRegistrations(ctx, cli, v.ID, rows(), false); err != nil || !res.Imported {
			b.Fatalf("seed: %v %v", err, res.Problems)
		}
	}
	_, token, err := store.CreateAPIToken(ctx, models.APITokenInput{Name: "bench", Role: models.RoleOrganiser})
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Store: store, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		var csv strings.Builder
		csv.WriteString("\ufeffnaam;e-mail;organisatie;functie;dieet\n")
		for j := range 1000 {
			fmt.Fprintf(&csv, "Persoon %d-%d;p%d-%d@example.nl;Gemeente Zwolle;Adviseur;vegetarisch\n", i, j, i, j)
		}
		req := httptest.NewRequest(http.MethodPost, "/api/v1/registrations/import?venue=zwolle&dry_run=false", strings.NewReader(csv.String()))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+token)
		req.RemoteAddr = fmt.Sprintf("192.0.2.%d:1234", i%250+1) // beyond the per-client limit's burst
		rec := httptest.NewRecorder()
		b.StartTimer()
		start := time.Now()
		h.ServeHTTP(rec, req)
		total += time.Since(start)
		if rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/import")
}

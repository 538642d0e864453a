package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkCreateRegistrationAPI measures POST /api/v1/registrations through the whole
// handler stack (middleware, JSON, store) on SQLite, without the network.
func BenchmarkCreateRegistrationAPI(b *testing.B) {
	store := modelstest.SQLite(b)
	if err := demo.Load(modelstest.Ctx(), store, demo.Options{Scale: 40, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NoRegistrations: true}); err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Store: store, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	venue, _ := store.VenueBySlug(modelstest.Ctx(), "zwolle")
	sessions, _ := store.SessionsOfVenue(modelstest.Ctx(), venue.ID)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"name":"Deelnemer %d","email":"d%d@example.nl","organisation":"Gemeente","venue":"zwolle","sessions":[%d],"consent":true}`,
				i, i, sessions[int(i)%len(sessions)].ID)
			req := httptest.NewRequest(http.MethodPost, "/api/v1/registrations", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
	_ = models.BookingConfirmed
}

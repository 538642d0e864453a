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
	"github.com/ambtenaar20/dagplanner/tickets"
)

// BenchmarkCheckInAPI measures POST /api/v1/checkins through the whole handler stack
// (middleware, device token, signature, store) on SQLite, without the network: each scan
// admits a fresh ticket, as at the doors in the morning.
func BenchmarkCheckInAPI(b *testing.B) {
	ctx := modelstest.Ctx()
	store := modelstest.SQLite(b)
	if err := demo.Load(ctx, store, demo.Options{Scale: 40, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NoRegistrations: true}); err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Store: store, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	venue, _ := store.VenueBySlug(ctx, "zwolle")
	key, err := store.EventKey(ctx, venue.EventID)
	if err != nil {
		b.Fatal(err)
	}
	_, token, err := store.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: "Ingang", Role: models.RoleDoor, VenueSlug: "zwolle"})
	if err != nil {
		b.Fatal(err)
	}
	sessions, _ := store.SessionsOfVenue(ctx, venue.ID)
	signer := tickets.NewSigner(key.PrivateKey)
	bodies := make([]string, b.N)
	for i := range bodies {
		res, err := store.Register(ctx, models.RegistrationInput{Name: fmt.Sprintf("Deelnemer %d", i), Email: fmt.Sprintf("d%d@example.nl", i),
			Organisation: "Gemeente", Venue: "zwolle", Sessions: []uint{sessions[i%len(sessions)].ID}, Consent: true, Lang: "nl"})
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = `{"code":"` + signer.Payload(tickets.Ticket{ID: uint32(res.Registration.ID), Venue: "zwolle", Version: 1}) + `"}`
	}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/checkins", strings.NewReader(bodies[n.Add(1)-1]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"admitted"`) {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}

package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkPeople measures the organisers' list of people, its searches and the exports
// through the whole handler stack on SQLite with 10,000 registrations (a third checked in),
// without the network. The load command (-scenario people) measures the same over HTTP.
func BenchmarkPeople(b *testing.B) {
	ctx := modelstest.Ctx()
	store := modelstest.SQLite(b)
	if err := demo.Load(ctx, store, demo.Options{Scale: 20, Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), NoRegistrations: true}); err != nil {
		b.Fatal(err)
	}
	// Each person books one session in every slot (as most people do): the sessions of a
	// venue by their first slot.
	venues := map[string][][]uint{}
	for _, slug := range []string{"zwolle", "rotterdam"} {
		v, _ := store.VenueBySlug(ctx, slug)
		ss, _ := store.SessionsOfVenue(ctx, v.ID)
		bySlot := map[uint][]uint{}
		var slots []uint
		for _, s := range ss {
			if len(s.Slots) != 1 {
				continue
			}
			if bySlot[s.Slots[0].SlotID] == nil {
				slots = append(slots, s.Slots[0].SlotID)
			}
			bySlot[s.Slots[0].SlotID] = append(bySlot[s.Slots[0].SlotID], s.ID)
		}
		for _, sl := range slots {
			venues[slug] = append(venues[slug], bySlot[sl])
		}
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < 10000; i += 8 {
				slug := []string{"zwolle", "rotterdam"}[i%2]
				var sessions []uint
				for _, options := range venues[slug] {
					sessions = append(sessions, options[i%len(options)])
				}
				in := models.RegistrationInput{Name: fmt.Sprintf("Deelnemer %d", i), Email: fmt.Sprintf("d%d@example.nl", i),
					Organisation: "Gemeente", Venue: slug, Sessions: sessions, Consent: true, Lang: "nl"}
				res, err := store.Register(ctx, in)
				if err != nil { // a session not open for booking: register without it
					in.Sessions = nil
					res, err = store.Register(ctx, in)
				}
				if err != nil {
					b.Error(err)
					return
				}
				if i%3 == 0 {
					store.CheckIn(ctx, models.CheckInInput{VenueID: res.Registration.VenueID, RegistrationID: res.Registration.ID, Door: "Hoofdingang"})
				}
			}
		}()
	}
	wg.Wait()
	_, token, err := store.CreateAPIToken(ctx, models.APITokenInput{Name: "Bench", Role: models.RoleOrganiser})
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Store: store, Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, path string }{
		{"list", "/beheer/deelnemers"},
		{"search", "/beheer/deelnemers?q=deelnemer+77"},
		{"filtered", "/beheer/deelnemers?locatie=zwolle&status=niet-binnen&sorteer=nieuwste&pagina=3"},
		{"api", "/api/v1/registrations?status=confirmed&limit=50&cursor=5000"},
		{"export.csv", "/beheer/deelnemers/export.csv"},
		{"export.xlsx", "/beheer/deelnemers/export.xlsx"},
		{"sessions.xlsx", "/beheer/deelnemers/export.xlsx?soort=sessies"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, bc.path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %.300s", rec.Code, rec.Body)
				}
			}
		})
	}
}

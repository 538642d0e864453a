package models_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkWalkIn measures one walk-in (registration, venue place, check-in and audit entry
// in one transaction) on SQLite, from parallel goroutines as at several doors at once.
func BenchmarkWalkIn(b *testing.B) {
	s := modelstest.SQLite(b)
	benchFixture(b, s)
	v, err := s.VenueBySlug(ctx, "zwolle")
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := models.WalkInInput{VenueID: v.ID, Name: fmt.Sprintf("Binnenloper %d", i), Organisation: "Gemeente", Door: "Ingang"}
			if i%2 == 0 {
				in.Email = fmt.Sprintf("loper%d@example.nl", i)
			}
			if _, err := s.WalkIn(modelstest.Ctx(), doorActor, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVenueNeeds measures the needs page's query with 10,000 registrations at one
// venue, one in five with a need, all seated in one of three sessions.
func BenchmarkVenueNeeds(b *testing.B) {
	s := modelstest.SQLite(b)
	sessions := benchFixture(b, s)
	v, err := s.VenueBySlug(ctx, "zwolle")
	if err != nil {
		b.Fatal(err)
	}
	diets := []string{"Vegetarisch", "vegan", "Glutenvrij", "halal", "Geen koriander", "notenallergie, lactosevrij"}
	access := []string{"Rolstoel", "ringleiding", "Doventolk", "Prikkelarme ruimte"}
	for i := range 10000 {
		in := models.RegistrationInput{Name: fmt.Sprintf("Deelnemer %d", i), Email: fmt.Sprintf("d%d@example.nl", i),
			Organisation: "Gemeente", Venue: "zwolle", Sessions: []uint{sessions[i%3]}, Consent: true}
		if i%5 == 0 {
			in.Dietary = diets[i%len(diets)]
		}
		if i%17 == 0 {
			in.Accessibility = access[i%len(access)]
		}
		if _, err := s.Register(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		got, err := s.VenueNeeds(ctx, v.ID)
		if err != nil || got.Registered != 10000 {
			b.Fatalf("needs: %d registered (%v)", got.Registered, err)
		}
	}
}

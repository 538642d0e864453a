package models_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkRegisterWaitlisted measures a registration in a rush for a full session: each one
// joins its waiting list and reads its place in line (the waiting-list position query).
func BenchmarkRegisterWaitlisted(b *testing.B) {
	s := modelstest.SQLite(b)
	benchFixture(b, s)
	e, _ := s.CurrentEvent(ctx)
	v, _ := s.VenueBySlug(ctx, "zwolle")
	r, _ := s.CreateRoom(ctx, v.ID, models.RoomInput{Name: "Klein", Capacity: 1})
	full, err := s.CreateSession(ctx, e.ID, models.SessionInput{Title: "Vol", Format: "lecture", VenueID: v.ID, RoomID: r.ID,
		FirstSlotID: v.Slots[0].ID, SlotCount: 1})
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := models.RegistrationInput{Name: "Deelnemer", Email: fmt.Sprintf("w%d@example.nl", i), Organisation: "Gemeente",
				Venue: "zwolle", Sessions: []uint{full.ID}, Consent: true}
			if _, err := s.Register(modelstest.Ctx(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

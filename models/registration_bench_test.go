package models_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkRegister measures one registration with three session choices, written through
// the store on SQLite, from parallel goroutines as in a rush.
func BenchmarkRegister(b *testing.B) {
	s := modelstest.SQLite(b)
	f := benchFixture(b, s)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := models.RegistrationInput{Name: "Deelnemer", Email: fmt.Sprintf("d%d@example.nl", i), Organisation: "Gemeente",
				Venue: "zwolle", Sessions: f, Consent: true}
			if _, err := s.Register(modelstest.Ctx(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchFixture(b *testing.B, s *models.Store) []uint {
	b.Helper()
	e, _ := s.CreateEvent(ctx, models.EventInput{Name: "Bench", Date: "2027-02-03"})
	v, _ := s.CreateVenue(ctx, e.ID, models.VenueInput{Slug: "zwolle", Name: "P", City: "Z", Address: "A", Capacity: 100000})
	r, _ := s.CreateRoom(ctx, v.ID, models.RoomInput{Name: "Zaal", Capacity: 10000})
	var ids []uint
	for i, t := range [][2]string{{"10:00", "11:00"}, {"11:15", "12:15"}, {"13:15", "14:15"}} {
		sl, _ := s.CreateSlot(ctx, v.ID, models.SlotInput{Start: t[0], End: t[1]})
		se, err := s.CreateSession(ctx, e.ID, models.SessionInput{Title: fmt.Sprint("S", i), Format: "lecture", VenueID: v.ID, RoomID: r.ID, FirstSlotID: sl.ID, SlotCount: 1})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, se.ID)
	}
	return ids
}

package models_test

import (
	"fmt"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// waitlistBench is a session of one seat with n people waiting for it, on SQLite.
func waitlistBench(b *testing.B, n int) (*models.Store, uint, []uint) {
	b.Helper()
	s := modelstest.SQLite(b)
	benchFixture(b, s) // the event, the venue and its slots
	e, _ := s.CurrentEvent(ctx)
	v, _ := s.VenueBySlug(ctx, "zwolle")
	r, _ := s.CreateRoom(ctx, v.ID, models.RoomInput{Name: "Klein", Capacity: 1})
	one, err := s.CreateSession(ctx, e.ID, models.SessionInput{Title: "Eén plaats", Format: "lecture", VenueID: v.ID, RoomID: r.ID,
		FirstSlotID: v.Slots[0].ID, SlotCount: 1})
	if err != nil {
		b.Fatal(err)
	}
	var ids []uint
	for i := range n + 1 {
		res, err := s.Register(ctx, models.RegistrationInput{Name: "Deelnemer", Email: fmt.Sprintf("w%d@example.nl", i),
			Organisation: "Gemeente", Venue: "zwolle", Sessions: []uint{one.ID}, Consent: true})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, res.Registration.ID)
	}
	return s, one.ID, ids
}

var benchOrganiser = models.Actor{Kind: models.ActorUser, ID: 1, Name: "bench@example.nl"}

// BenchmarkMoveInWaitlist moves the last of 1,000 waiting people to the front: one
// transaction that renumbers the whole list and writes the audit entry.
func BenchmarkMoveInWaitlist(b *testing.B) {
	s, session, ids := waitlistBench(b, 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.MoveInWaitlist(modelstest.Ctx(), benchOrganiser, ids[len(ids)-1-i%2], session, 1, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPerson reads one person's page data (registration, places in line, check-in,
// e-mails, audit trail) for someone at the back of a waiting list of 1,000.
func BenchmarkPerson(b *testing.B) {
	s, _, ids := waitlistBench(b, 1000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Person(modelstest.Ctx(), ids[len(ids)-1]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCancelForAndRegisterFor cancels the seated person for them (the next in line of
// 1,000 is promoted) and registers a new one by hand at the back of the line.
func BenchmarkCancelForAndRegisterFor(b *testing.B) {
	s, session, _ := waitlistBench(b, 1000)
	var seated models.Registration
	if err := s.DB().Joins("JOIN bookings ON bookings.registration_id = registrations.id").
		Where("bookings.session_id = ? AND bookings.status = ?", session, models.BookingConfirmed).First(&seated).Error; err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.CancelFor(modelstest.Ctx(), benchOrganiser, seated.ID, "bench"); err != nil {
			b.Fatal(err)
		}
		seated = models.Registration{} // gorm's First would look for the old id
		if err := s.DB().Joins("JOIN bookings ON bookings.registration_id = registrations.id").
			Where("bookings.session_id = ? AND bookings.status = ?", session, models.BookingConfirmed).First(&seated).Error; err != nil {
			b.Fatal(err)
		}
		if _, err := s.RegisterFor(modelstest.Ctx(), benchOrganiser, models.RegistrationInput{Name: "Nieuw", Email: fmt.Sprintf("n%d@example.nl", i),
			Organisation: "Gemeente", Venue: "zwolle", Sessions: []uint{session}, Consent: true}, false); err != nil {
			b.Fatal(err)
		}
	}
}

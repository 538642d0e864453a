package models_test

import (
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// wrongWaitingCounts returns the sessions whose stored waiting count differs from their
// waitlisted bookings.
func wrongWaitingCounts(t *testing.T, s *models.Store) []uint {
	t.Helper()
	var ids []uint
	err := s.DB().Raw(`SELECT id FROM sessions s WHERE s.waiting <>
		(SELECT COUNT(*) FROM bookings b WHERE b.session_id = s.id AND b.status = 'waitlisted') ORDER BY id`).Scan(&ids).Error
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func waitingOf(t *testing.T, s *models.Store, sessionID uint) int {
	t.Helper()
	return must(s.Session(ctx, sessionID)).Waiting
}

// answeredPosition is the place in line the registration's answer gave for a session.
func answeredPosition(res models.RegistrationResult, sessionID uint) int {
	for _, b := range res.Registration.Bookings {
		if b.SessionID == sessionID {
			return b.Position
		}
	}
	return -1
}

// TestWaitingCounterFollowsEveryChange walks a waiting list through every kind of change a
// booking goes through and checks after each that the stored count equals the bookings, and
// that the place in line a registration is answered with is the place it really has.
func TestWaitingCounterFollowsEveryChange(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		one := session(t, s, f, "Eén plaats", f.small, f.s1, 1, 1)
		other := session(t, s, f, "Ruim", f.big, f.s1, 1, 0)
		later := session(t, s, f, "Later", f.small, f.s2, 1, 1)
		check := func(step string, wantOne int) {
			t.Helper()
			if wrong := wrongWaitingCounts(t, s); len(wrong) > 0 {
				t.Fatalf("%s: sessions %v count their waiting lists wrong", step, wrong)
			}
			if got := waitingOf(t, s, one.ID); got != wantOne {
				t.Fatalf("%s: %d waiting for %q, want %d", step, got, one.Title, wantOne)
			}
		}

		var regs []models.Registration
		for i := range 5 {
			res := must(s.Register(ctx, attendee(i, one.ID, later.ID)))
			regs = append(regs, res.Registration)
			if i == 0 {
				continue
			}
			_, pos := statusOf(t, s, res.Registration.ID, one.ID)
			if got := answeredPosition(res, one.ID); got != i || pos != i {
				t.Fatalf("registration %d answered place %d, stored place %d; want %d", i, got, pos, i)
			}
		}
		a, b, c, d, e := regs[0], regs[1], regs[2], regs[3], regs[4]
		check("four on the list", 4)
		if got := waitingOf(t, s, later.ID); got != 4 {
			t.Fatalf("%d waiting for %q, want 4", got, later.Title)
		}

		// A seat elsewhere in the slot, waiting for the full session meanwhile.
		in := attendee(5, other.ID)
		in.Waitlist = []uint{one.ID}
		res := must(s.Register(ctx, in))
		if got := answeredPosition(res, one.ID); got != 5 {
			t.Fatalf("waiting while seated answered place %d, want 5", got)
		}
		check("waiting while seated", 5)

		// The organisers' order does not change the count, but a newcomer's place still is
		// the list's length.
		must(s.MoveInWaitlist(ctx, organiser, e.ID, one.ID, 1, "spreker"))
		check("reordered", 5)
		res = must(s.Register(ctx, attendee(6, one.ID)))
		if got, pos := answeredPosition(res, one.ID), must(s.Registration(ctx, res.Registration.ID)).Bookings[0].Position; got != 6 || pos != 6 {
			t.Fatalf("after a reorder the newcomer was answered place %d, stored %d; want 6", got, pos)
		}
		check("newcomer after the reorder", 6)

		must(s.ChangeSessions(ctx, d.ID, []uint{other.ID, later.ID}, nil))
		check("one leaves the list for a seat elsewhere", 5)

		must(0, s.Cancel(ctx, a.ID))
		check("a seat freed: the first in line gets it", 4)
		if st, _ := statusOf(t, s, e.ID, one.ID); st != models.BookingConfirmed {
			t.Fatalf("first in the organisers' order = %s, want confirmed", st)
		}

		must(0, s.PromoteBooking(ctx, organiser, b.ID, one.ID, true, "gast van de spreker"))
		check("promoted over capacity", 3)

		must(0, s.CancelFor(ctx, organiser, c.ID, "afgemeld per telefoon"))
		check("cancelled from the list", 2)

		// Deleting a registration deletes its bookings by the foreign key's cascade.
		if err := s.DB().Delete(&models.Registration{}, res.Registration.ID).Error; err != nil {
			t.Fatal(err)
		}
		check("a registration deleted", 1)

		// Statuses and sessions changed by hand are counted too.
		if err := s.DB().Model(&models.Booking{}).Where("registration_id = ? AND session_id = ?", d.ID, later.ID).
			Update("status", models.BookingConfirmed).Error; err != nil {
			t.Fatal(err)
		}
		check("a status changed by hand", 1)
		waitingLater := waitingOf(t, s, later.ID)
		if err := s.DB().Exec("UPDATE bookings SET session_id = ? WHERE session_id = ? AND status = 'waitlisted'", later.ID, one.ID).Error; err != nil {
			t.Fatal(err)
		}
		check("the list moved to another session", 0)
		if got := waitingOf(t, s, later.ID); got != waitingLater+1 {
			t.Fatalf("%d waiting for %q after the move, want %d", got, later.Title, waitingLater+1)
		}
	})
}

package models_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// roomScan scans a registration at the session's room door, at the fixture's venue.
func roomScan(t *testing.T, s *models.Store, f fixture, sessionID, regID uint) models.RoomScanOutcome {
	t.Helper()
	return must(s.RoomScan(ctx, models.RoomScanInput{VenueID: f.venue.ID, SessionID: sessionID, RegistrationID: regID, Door: "Zaaldeur"}))
}

// Ten minutes after the session starts, the seats of booked people who were not scanned into
// the room go to the people scanned at its door while on its waiting list, in waiting-list
// order: the latest booking first, never to more people than seats, never to anyone not at
// the door, never the seat of someone who was scanned in.
func TestSeatReleaseMovesExactlyTheRightPeople(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		// 10:00 Amsterdam is 09:00 UTC.
		now := time.Date(2027, 2, 3, 9, 5, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		modelstest.Set(t, s, &models.Event{}, f.event.ID, "seat_release_minutes", 10)
		zaal := session(t, s, f, "Open data", f.big, f.s1, 1, 3)
		person := func(n int, seat bool) uint {
			in := attendee(n)
			if seat {
				in.Sessions = []uint{zaal.ID}
			} else {
				in.Waitlist = []uint{zaal.ID}
			}
			return must(s.Register(ctx, in)).Registration.ID
		}
		anna, bas, cees := person(1, true), person(2, true), person(3, true)
		dirk, eva, femke, gijs := person(4, false), person(5, false), person(6, false), person(7, false)
		if st, pos := statusOf(t, s, gijs, zaal.ID); st != models.BookingWaitlisted || pos != 4 {
			t.Fatalf("Gijs: %s at %d, want fourth in line", st, pos)
		}

		// Before the release: Anna comes in; Eva, Femke and Gijs wait at the door, Dirk does
		// not come. Bas is admitted at the venue but not scanned into the room.
		if got := roomScan(t, s, f, zaal.ID, anna); got.Result != models.RoomInSession {
			t.Fatalf("Anna: %s, want in_session", got.Result)
		}
		must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: bas, Door: "Hoofdingang"}))
		for _, id := range []uint{gijs, eva, femke} {
			if got := roomScan(t, s, f, zaal.ID, id); got.Result != models.RoomWaitlisted || got.SeatFree {
				t.Fatalf("registration %d before the release: %+v, want waitlisted without a seat", id, got)
			}
		}
		st := must(s.RoomDoor(ctx, f.venue.ID, zaal.ID))
		if st.SeatsForWaitlist != 0 || st.WaitingAtDoor != 3 || st.ReleaseAt == nil || !st.ReleaseAt.Equal(now.Add(5*time.Minute)) {
			t.Fatalf("before the release: %+v, want no seats, 3 waiting, release at 09:10", st)
		}

		now = now.Add(5 * time.Minute) // 10:10: the release is due
		st = must(s.RoomDoor(ctx, f.venue.ID, zaal.ID))
		// Bas and Cees were not scanned into the room (Anna was, so the room counts): Cees
		// booked last and goes first, to Eva (second in line, at the door); Bas's seat goes
		// to Femke. Dirk was not at the door; Gijs is behind Femke.
		want := map[uint]string{anna: models.BookingConfirmed, bas: "none", cees: "none", dirk: models.BookingWaitlisted,
			eva: models.BookingConfirmed, femke: models.BookingConfirmed, gijs: models.BookingWaitlisted}
		for id, w := range want {
			if got, _ := statusOf(t, s, id, zaal.ID); got != w {
				t.Errorf("registration %d: %s, want %s", id, got, w)
			}
		}
		if got := must(s.Session(ctx, zaal.ID)); got.Confirmed != 3 {
			t.Errorf("confirmed = %d, want 3 (the capacity)", got.Confirmed)
		}
		if !slices.Equal(st.InRoom, []uint{anna, eva, femke}) || st.WaitingAtDoor != 1 || st.SeatsForWaitlist != 0 {
			t.Errorf("after the release: in the room %v, %d waiting, %d seats; want Anna, Eva, Femke, 1, 0", st.InRoom, st.WaitingAtDoor, st.SeatsForWaitlist)
		}
		if got := roomScan(t, s, f, zaal.ID, gijs); got.Result != models.RoomWaitlisted || got.SeatFree || got.Position != 2 {
			t.Errorf("Gijs again: %+v, want waitlisted, second in line, no seat", got)
		}
		if got := roomScan(t, s, f, zaal.ID, bas); got.Result != models.RoomNotBooked {
			t.Errorf("Bas, late: %s, want not_booked", got.Result)
		}
		released := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ? AND actor_kind = ?", models.AuditSeatReleased, models.ActorSystem))
		seated := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ?", models.AuditSeatedAtDoor))
		if released != 2 || seated != 2 {
			t.Errorf("audit: %d released, %d seated, want 2 and 2", released, seated)
		}
	})
}

// Without anyone booked scanned into the room, a seat is unclaimed when its person was not
// admitted at the venue's door. Without the setting, nothing is released.
func TestSeatReleaseByVenueDoorAndOff(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		now := time.Date(2027, 2, 3, 9, 30, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		zaal := session(t, s, f, "Open data", f.big, f.s1, 1, 2)
		ida := must(s.Register(ctx, attendee(1, zaal.ID))).Registration.ID
		jan := must(s.Register(ctx, attendee(2, zaal.ID))).Registration.ID
		in := attendee(3)
		in.Waitlist = []uint{zaal.ID}
		kees := must(s.Register(ctx, in)).Registration.ID
		must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: ida, Door: "Hoofdingang"}))

		if got := roomScan(t, s, f, zaal.ID, kees); got.Result != models.RoomWaitlisted || got.SeatFree {
			t.Fatalf("setting off: %+v, want waitlisted without a seat", got)
		}
		if st := must(s.RoomDoor(ctx, f.venue.ID, zaal.ID)); st.ReleaseAt != nil || st.SeatsForWaitlist != 0 {
			t.Fatalf("setting off: %+v, want no release", st)
		}

		modelstest.Set(t, s, &models.Event{}, f.event.ID, "seat_release_minutes", 15)
		if got := roomScan(t, s, f, zaal.ID, kees); got.Result != models.RoomWaitlisted || !got.SeatFree {
			t.Fatalf("30 minutes in, release after 15: %+v, want a seat", got)
		}
		for id, w := range map[uint]string{ida: models.BookingConfirmed, jan: "none", kees: models.BookingConfirmed} {
			if got, _ := statusOf(t, s, id, zaal.ID); got != w {
				t.Errorf("registration %d: %s, want %s", id, got, w)
			}
		}
	})
}

// Doors scanning at once never give one released seat twice.
func TestSeatReleaseNeverOverbooks(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		now := time.Date(2027, 2, 3, 9, 30, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		modelstest.Set(t, s, &models.Event{}, f.event.ID, "seat_release_minutes", 5)
		zaal := session(t, s, f, "Open data", f.big, f.s1, 1, 2)
		in := must(s.Register(ctx, attendee(1, zaal.ID))).Registration.ID
		must(s.Register(ctx, attendee(2, zaal.ID))) // not come: the one seat to release
		roomScan(t, s, f, zaal.ID, in)
		const waiting = 6
		ids := make([]uint, waiting)
		for i := range ids {
			a := attendee(10 + i)
			a.Waitlist = []uint{zaal.ID}
			ids[i] = must(s.Register(ctx, a)).Registration.ID
		}
		var wg sync.WaitGroup
		seated := make(chan uint, waiting)
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := s.RoomScan(ctx, models.RoomScanInput{VenueID: f.venue.ID, SessionID: zaal.ID, RegistrationID: id, Door: "Zaaldeur"})
				if err != nil {
					t.Error(err)
					return
				}
				if out.SeatFree {
					seated <- id
				}
			}()
		}
		wg.Wait()
		close(seated)
		var got []uint
		for id := range seated {
			got = append(got, id)
		}
		if se := must(s.Session(ctx, zaal.ID)); se.Confirmed != 2 || len(got) != 1 {
			t.Errorf("confirmed = %d with %v seated at the door, want 2 with one seated", se.Confirmed, got)
		}
		if n := modelstest.Count(t, s, &models.Booking{}, modelstest.Where("session_id = ? AND status = ?", zaal.ID, models.BookingConfirmed)); n != 2 {
			t.Errorf("confirmed bookings = %d, want 2", n)
		}
	})
}

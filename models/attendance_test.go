package models_test

import (
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// A person attended nothing until admitted at the venue; then their booked seats (not their
// waiting lists), until a room's door scans them: from then on only the rooms they were
// scanned into count.
func TestAttendedSessionsFollowTheDoors(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		morning := session(t, s, f, "Ochtend", f.big, f.s1, 1, 0)
		full := session(t, s, f, "Vol", f.small, f.s2, 1, 1)
		double := session(t, s, f, "Dubbel", f.big, f.s2, 2, 0)
		modelstest.Attendee(t, s, "zwolle", full.ID)
		anna := modelstest.Attendee(t, s, "zwolle", morning.ID, double.ID)
		must(s.ChangeSessions(ctx, anna.Registration.ID, []uint{morning.ID, double.ID}, []uint{full.ID}))

		if got := must(s.AttendedSessions(ctx, anna.Registration.ID)); got.CheckedIn || len(got.Sessions) != 0 {
			t.Fatalf("before the door: %+v, want nothing", got)
		}
		must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: anna.Registration.ID, Door: "Hoofdingang"}))
		got := must(s.AttendedSessions(ctx, anna.Registration.ID))
		if !got.CheckedIn || got.ByRoomScan || len(got.Sessions) != 2 ||
			got.Sessions[0].Title != "Ochtend" || got.Sessions[1].Title != "Dubbel" || got.Sessions[1].Room != "Statenzaal" {
			t.Fatalf("admitted, no room scans: %+v, want Ochtend and Dubbel", got)
		}
		// Dubbel fills 11:15–12:15 and 13:15–14:15: it runs from 11:15 to 14:15, for two hours.
		if d := got.Sessions[1].EndsAt.Sub(got.Sessions[1].StartsAt); d != 3*time.Hour || got.Sessions[1].Length != 2*time.Hour {
			t.Errorf("Dubbel runs %v and lasts %v, want 3h and 2h", d, got.Sessions[1].Length)
		}
		if h := got.Hours(); h != 3 {
			t.Errorf("hours = %v, want 3", h)
		}

		modelstest.Insert(t, s, &models.RoomCheckIn{SessionID: full.ID, RegistrationID: anna.Registration.ID,
			ScannedAt: time.Now().UTC(), ReceivedAt: time.Now().UTC(), Door: "Kamer 1"})
		got = must(s.AttendedSessions(ctx, anna.Registration.ID))
		if !got.ByRoomScan || len(got.Sessions) != 1 || got.Sessions[0].SessionID != full.ID || got.Hours() != 1 {
			t.Errorf("scanned into Vol: %+v, want only Vol", got)
		}
	})
}

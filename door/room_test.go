package door_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/door"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// roomFixture adds to the door's fixture two rooms at Zwolle, with a session in each at
// 10:00–11:00 (the fixture's clock, 09:30 UTC, is 10:30 in Amsterdam): Zaal holds two.
type roomFixture struct {
	*fixture
	zaal, kamer models.Session
	later       models.Session
}

func newRoomFixture(t *testing.T, s *models.Store) *roomFixture {
	t.Helper()
	f := &roomFixture{fixture: newFixture(t, s)}
	zaal := must(s.CreateRoom(ctx, f.zwolle.ID, models.RoomInput{Name: "Zaal", Capacity: 2}))
	kamer := must(s.CreateRoom(ctx, f.zwolle.ID, models.RoomInput{Name: "Kamer 1", Capacity: 20}))
	s1 := must(s.CreateSlot(ctx, f.zwolle.ID, models.SlotInput{Start: "10:00", End: "11:00"}))
	s2 := must(s.CreateSlot(ctx, f.zwolle.ID, models.SlotInput{Start: "11:15", End: "12:15"}))
	session := func(title string, room models.Room, slot models.Slot) models.Session {
		return modelstest.Session(t, s, f.event.ID, models.SessionInput{Title: title, Format: "workshop",
			VenueID: f.zwolle.ID, RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: 1})
	}
	f.zaal = session("Open data in de praktijk", zaal, s1)
	f.kamer = session("Schrijven voor het web", kamer, s1)
	f.later = session("Na de pauze", zaal, s2)
	return f
}

// book registers someone at Zwolle with seats in sessions and places on waiting lists.
func (f *roomFixture) book(t *testing.T, name string, sessions, waitlist []uint) models.Registration {
	t.Helper()
	res, err := f.store.Register(ctx, models.RegistrationInput{Name: name, Email: fmt.Sprintf("%d@example.nl", time.Now().UnixNano()),
		Organisation: "Gemeente Zwolle", Venue: "zwolle", Sessions: sessions, Waitlist: waitlist, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	return must(f.store.Registration(ctx, res.Registration.ID))
}

func (f *roomFixture) scanRoom(t *testing.T, session uint, in door.Scan) door.RoomResult {
	t.Helper()
	res, err := f.scanner.ScanRoom(ctx, f.door, session, in)
	if err != nil {
		t.Fatalf("ScanRoom(%d, %+v): %v", session, in, err)
	}
	return res
}

// TestScanRoomAnswers walks every answer of a room's door, and a scan sent again.
func TestScanRoomAnswers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newRoomFixture(t, s)
		anna := f.book(t, "Anna de Vries", []uint{f.zaal.ID}, nil)
		bas := f.book(t, "Bas Jansen", []uint{f.zaal.ID}, nil)
		cees := f.book(t, "Cees Bakker", []uint{f.kamer.ID}, []uint{f.zaal.ID})
		dirk := f.book(t, "Dirk Smit", []uint{f.kamer.ID}, nil)
		eva := f.book(t, "Eva Mulder", []uint{f.later.ID}, nil)
		femke := f.register(t, "Femke Visser", f.breda)
		gijs := f.book(t, "Gijs Bos", []uint{f.zaal.ID}, nil) // zaal is full: a place in line
		check(t, s.CancelFor(ctx, modelstest.Actor, gijs.ID, "test"))
		_ = bas

		t.Run("in_session by QR code, admitted at the venue too", func(t *testing.T) {
			res := f.scanRoom(t, f.zaal.ID, door.Scan{Code: f.signer.Payload(ticket(anna, f.zwolle)), ScanID: "r1"})
			if res.Result != models.RoomInSession || res.Registration.ID != anna.ID || res.Registration.Name != "Anna de Vries" {
				t.Fatalf("result %+v, want Anna in session", res.RoomScanOutcome)
			}
			if !res.AdmittedAtVenue || !must(s.CheckedIn(ctx, anna.ID)) {
				t.Errorf("admitted at the venue = %v, want true", res.AdmittedAtVenue)
			}
			if res.CheckIn.Door != "Ingang Oost" || !res.CheckIn.ScannedAt.Equal(f.now) {
				t.Errorf("room check-in %+v, want one at Ingang Oost at %v", res.CheckIn, f.now)
			}
		})
		t.Run("the same scan sent again counts once", func(t *testing.T) {
			res := f.scanRoom(t, f.zaal.ID, door.Scan{Code: f.signer.Payload(ticket(anna, f.zwolle)), ScanID: "r1"})
			if res.Result != models.RoomInSession || res.Registration.ID != anna.ID || res.AdmittedAtVenue {
				t.Errorf("repeat: %+v (venue %v), want its first answer, in_session, without a second admission", res.RoomScanOutcome, res.AdmittedAtVenue)
			}
			if n := modelstest.Count(t, s, &models.RoomCheckIn{}, modelstest.Where("registration_id = ?", anna.ID)); n != 1 {
				t.Errorf("room check-ins of Anna = %d, want 1", n)
			}
			if n := modelstest.Count(t, s, &models.CheckIn{}, modelstest.Where("registration_id = ?", anna.ID)); n != 1 {
				t.Errorf("venue check-ins of Anna = %d, want 1", n)
			}
		})
		t.Run("already_in_session by typed code", func(t *testing.T) {
			res := f.scanRoom(t, f.zaal.ID, door.Scan{Code: f.codes.Code(ticket(anna, f.zwolle))})
			if res.Result != models.RoomAlreadyInSession || !res.CheckIn.ScannedAt.Equal(f.now) {
				t.Errorf("result %+v, want already in since %v", res.RoomScanOutcome, f.now)
			}
		})
		t.Run("waitlisted without a free seat", func(t *testing.T) {
			res := f.scanRoom(t, f.zaal.ID, door.Scan{Registration: cees.ID})
			if res.Result != models.RoomWaitlisted || res.SeatFree || res.Position != 1 {
				t.Errorf("result %+v, want waitlisted, first in line, no seat", res.RoomScanOutcome)
			}
		})
		t.Run("elsewhere names the session and room", func(t *testing.T) {
			res := f.scanRoom(t, f.zaal.ID, door.Scan{Registration: dirk.ID})
			if res.Result != models.RoomElsewhere || res.Elsewhere == nil || res.Elsewhere.Title != "Schrijven voor het web" || res.Elsewhere.Room != "Kamer 1" {
				t.Errorf("result %+v (%+v), want elsewhere: Schrijven voor het web in Kamer 1", res.RoomScanOutcome, res.Elsewhere)
			}
		})
		t.Run("not_booked in this slot", func(t *testing.T) {
			res := f.scanRoom(t, f.zaal.ID, door.Scan{Registration: eva.ID})
			if res.Result != models.RoomNotBooked || res.Registration.ID != eva.ID {
				t.Errorf("result %+v, want not_booked", res.RoomScanOutcome)
			}
		})
		for _, tc := range []struct {
			name string
			scan door.Scan
		}{
			{"another venue's ticket", door.Scan{Code: f.signer.Payload(ticket(femke, f.breda))}},
			{"a cancelled registration", door.Scan{Registration: gijs.ID}},
			{"an unknown code", door.Scan{Code: "ZZZZ-ZZZZ"}},
			{"a forged QR code", door.Scan{Code: f.signer.Payload(ticket(anna, f.zwolle))[:40] + "X"}},
		} {
			t.Run("not_registered: "+tc.name, func(t *testing.T) {
				res := f.scanRoom(t, f.zaal.ID, tc.scan)
				if res.Result != models.RoomNotRegistered || res.Registration.ID != 0 || res.AdmittedAtVenue {
					t.Errorf("result %+v, want not_registered", res.RoomScanOutcome)
				}
			})
		}
		t.Run("a session of another venue, or none, is not found", func(t *testing.T) {
			bredaRoom := must(s.CreateRoom(ctx, f.breda.ID, models.RoomInput{Name: "Foyer", Capacity: 20}))
			bredaSlot := must(s.CreateSlot(ctx, f.breda.ID, models.SlotInput{Start: "10:00", End: "11:00"}))
			other := modelstest.Session(t, s, f.event.ID, models.SessionInput{Title: "Elders", Format: "workshop",
				VenueID: f.breda.ID, RoomID: bredaRoom.ID, FirstSlotID: bredaSlot.ID, SlotCount: 1})
			for _, id := range []uint{other.ID, 999999} {
				_, err := f.scanner.ScanRoom(ctx, f.door, id, door.Scan{Registration: anna.ID})
				if !errors.Is(err, models.ErrNotFound) {
					t.Errorf("session %d: error %v, want ErrNotFound", id, err)
				}
			}
		})
		t.Run("a scan id used for someone else", func(t *testing.T) {
			_, err := f.scanner.ScanRoom(ctx, f.door, f.zaal.ID, door.Scan{Registration: dirk.ID, ScanID: "r1"})
			if !errors.Is(err, models.ErrScanIDReused) {
				t.Errorf("error %v, want ErrScanIDReused", err)
			}
		})
	})
}

// An offline scan sent later counts at its own time, and sending it twice counts it once.
func TestScanRoomOfflineReplay(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newRoomFixture(t, s)
		anna := f.book(t, "Anna de Vries", []uint{f.zaal.ID}, nil)
		at := f.now.Add(-5 * time.Minute)
		in := door.Scan{Code: f.codes.Code(ticket(anna, f.zwolle)), ScanID: "offline-1", ScannedAt: &at}
		for i := range 3 {
			res := f.scanRoom(t, f.zaal.ID, in)
			if res.Result != models.RoomInSession || !res.CheckIn.ScannedAt.Equal(at) || !res.CheckIn.Offline {
				t.Errorf("send %d: %+v, want in_session at %v, offline", i+1, res.RoomScanOutcome, at)
			}
		}
		if n := modelstest.Count(t, s, &models.RoomCheckIn{}, modelstest.Where("session_id = ?", f.zaal.ID)); n != 1 {
			t.Errorf("room check-ins = %d, want 1", n)
		}
		got := must(s.AttendedSessions(ctx, anna.ID))
		if !got.CheckedIn || !got.ByRoomScan || len(got.Sessions) != 1 || got.Sessions[0].SessionID != f.zaal.ID {
			t.Errorf("attended %+v, want Zaal by room scan", got)
		}
	})
}

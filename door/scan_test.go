package door_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/door"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

var ctx = modelstest.Ctx()

// fixture is an event with two venues, its key pair, and a scanner for it.
type fixture struct {
	store         *models.Store
	event         models.Event
	zwolle, breda models.Venue
	signer        tickets.Signer
	codes         *tickets.CodeBook
	scanner       door.Scanner
	door          door.Door
	now           time.Time
	// fills counts how often the scanner read the venues' tickets for an unknown code.
	fills atomic.Int32
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newFixture(t *testing.T, s *models.Store) *fixture {
	t.Helper()
	f := &fixture{store: s, now: time.Date(2027, 2, 3, 9, 30, 0, 0, time.UTC)}
	s.SetClock(func() time.Time { return f.now })
	f.event = must(s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Ambtenaar 2.0", Date: "2027-02-03"}))
	f.zwolle = must(s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle", Address: "Luttenbergstraat 2", Capacity: 300}))
	f.breda = must(s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "breda", Name: "Chassé Theater", City: "Breda", Address: "Claudius Prinsenlaan 8", Capacity: 300}))
	key := must(s.EventKey(ctx, f.event.ID))
	f.signer = tickets.NewSigner(key.PrivateKey)
	f.codes = tickets.NewCodeBook(f.signer)
	f.scanner = door.Scanner{Store: s,
		Keys: func(_ context.Context, eventID uint) (door.Keys, error) {
			if eventID != f.event.ID {
				t.Errorf("keys asked for event %d, want %d", eventID, f.event.ID)
			}
			return door.Keys{PublicKey: key.PublicKey, Codes: f.codes}, nil
		},
		Allow: func(venue string) bool { f.fills.Add(1); return true },
	}
	f.door = door.Door{Venue: f.zwolle, Name: "Ingang Oost"}
	return f
}

// register registers someone at a venue and returns the registration as it is stored.
func (f *fixture) register(t *testing.T, name string, v models.Venue) models.Registration {
	t.Helper()
	res, err := f.store.Register(ctx, models.RegistrationInput{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.nl",
		Organisation: "Gemeente Zwolle", Venue: v.Slug, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	return must(f.store.Registration(ctx, res.Registration.ID))
}

// ticket is a registration's ticket in its current version.
func ticket(r models.Registration, v models.Venue) tickets.Ticket {
	return tickets.Ticket{ID: uint32(r.ID), Venue: v.TicketName(), Version: uint16(r.TicketVersion)}
}

func (f *fixture) scan(t *testing.T, in door.Scan) door.Result {
	t.Helper()
	res, err := f.scanner.Scan(ctx, f.door, in)
	if err != nil {
		t.Fatalf("Scan(%+v): %v", in, err)
	}
	return res
}

func TestScanOutcomes(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		anna := f.register(t, "Anna de Vries", f.zwolle)
		bas := f.register(t, "Bas Jansen", f.zwolle)
		cees := f.register(t, "Cees Bakker", f.breda)
		dirk := f.register(t, "Dirk Smit", f.breda)
		check(t, s.CancelFor(ctx, modelstest.Actor, dirk.ID, "test"))
		dirk = must(s.Registration(ctx, dirk.ID))
		eva := f.register(t, "Eva Mulder", f.zwolle)
		check(t, s.CancelFor(ctx, modelstest.Actor, eva.ID, "test"))
		eva = must(s.Registration(ctx, eva.ID))
		femke := f.register(t, "Femke Visser", f.zwolle)
		old := ticket(femke, f.zwolle)
		details := models.DetailsOf(femke)
		details.Name = "Femke de Visser"
		must(s.UpdateDetails(ctx, modelstest.Actor, femke.ID, details, "test"))

		t.Run("admitted by QR code", func(t *testing.T) {
			res := f.scan(t, door.Scan{Code: f.signer.Payload(ticket(anna, f.zwolle)) + "\r\n"})
			if res.Outcome != door.Admitted || res.Registration.ID != anna.ID || res.Registration.Name != "Anna de Vries" {
				t.Fatalf("result %+v, want Anna admitted", res)
			}
			if res.CheckIn.ID == 0 || res.CheckIn.Door != "Ingang Oost" || !res.ScannedAt.Equal(f.now) || !res.CheckIn.CheckedInAt.Equal(f.now) {
				t.Errorf("check-in %+v at %v, want one at Ingang Oost at %v", res.CheckIn, res.ScannedAt, f.now)
			}
			if res.Session != nil || res.Conflict {
				t.Errorf("session %v, conflict %v: want none", res.Session, res.Conflict)
			}
			if got := res.Outcome.Result(); got != models.CheckInAdmitted {
				t.Errorf("Result() = %q, want %q", got, models.CheckInAdmitted)
			}
		})
		t.Run("already in by typed code", func(t *testing.T) {
			first := f.now
			f.now = f.now.Add(10 * time.Minute)
			defer func() { f.now = first }()
			code := f.codes.Code(ticket(anna, f.zwolle))
			res := f.scan(t, door.Scan{Code: strings.ToLower(code)})
			if res.Outcome != door.AlreadyIn || res.Registration.ID != anna.ID {
				t.Fatalf("result %+v, want Anna already in", res)
			}
			if !res.CheckIn.CheckedInAt.Equal(first) || !res.ScannedAt.Equal(f.now) || res.CheckIn.Door != "Ingang Oost" {
				t.Errorf("check-in at %v, scanned at %v; want the first at %v, this scan at %v", res.CheckIn.CheckedInAt, res.ScannedAt, first, f.now)
			}
			if got := res.Outcome.Result(); got != models.CheckInAlreadyIn {
				t.Errorf("Result() = %q, want %q", got, models.CheckInAlreadyIn)
			}
		})
		t.Run("admitted by name", func(t *testing.T) {
			res := f.scan(t, door.Scan{Registration: bas.ID})
			if res.Outcome != door.Admitted || res.Registration.ID != bas.ID {
				t.Errorf("result %+v, want Bas admitted", res)
			}
		})
		t.Run("wrong venue by QR code", func(t *testing.T) {
			res := f.scan(t, door.Scan{Code: f.signer.Payload(ticket(cees, f.breda))})
			want := door.VenueRef{Slug: "breda", Name: "Chassé Theater"}
			if res.Outcome != door.WrongVenue || res.Venue != want || res.Cancelled || res.Registration.ID != 0 {
				t.Errorf("result %+v, want wrong venue %+v, not cancelled", res, want)
			}
			if got := res.Outcome.Result(); got != models.CheckInWrongVenue {
				t.Errorf("Result() = %q, want %q", got, models.CheckInWrongVenue)
			}
		})
		t.Run("wrong venue by typed code, cancelled there", func(t *testing.T) {
			// The book has never seen Breda's tickets: the scan reads them.
			fills := f.fills.Load()
			res := f.scan(t, door.Scan{Code: tickets.ShortCode(f.signer.Payload(ticket(dirk, f.breda)))})
			if res.Outcome != door.WrongVenue || res.Venue.Slug != "breda" || !res.Cancelled {
				t.Errorf("result %+v, want wrong venue breda, cancelled", res)
			}
			if f.fills.Load() != fills+1 {
				t.Errorf("the tickets were read %d times, want once", f.fills.Load()-fills)
			}
		})
		t.Run("wrong venue no venue has", func(t *testing.T) {
			res := f.scan(t, door.Scan{Code: f.signer.Payload(tickets.Ticket{ID: uint32(anna.ID), Venue: "gone", Version: 1})})
			if res.Outcome != door.WrongVenue || res.Venue != (door.VenueRef{Slug: "gone"}) {
				t.Errorf("result %+v, want wrong venue named only \"gone\"", res)
			}
		})
		t.Run("cancelled", func(t *testing.T) {
			res := f.scan(t, door.Scan{Code: f.signer.Payload(ticket(eva, f.zwolle))})
			if res.Outcome != door.Cancelled || res.Registration.ID != eva.ID || res.CheckIn.ID != 0 {
				t.Errorf("result %+v, want Eva cancelled, no check-in", res)
			}
			if got := res.Outcome.Result(); got != models.CheckInCancelled {
				t.Errorf("Result() = %q, want %q", got, models.CheckInCancelled)
			}
		})
		t.Run("superseded", func(t *testing.T) {
			res := f.scan(t, door.Scan{Code: f.signer.Payload(old)})
			if res.Outcome != door.Superseded || res.Registration.ID != femke.ID || res.CheckIn.ID != 0 {
				t.Errorf("result %+v, want Femke's old ticket superseded", res)
			}
			if got := res.Outcome.Result(); got != models.CheckInSuperseded {
				t.Errorf("Result() = %q, want %q", got, models.CheckInSuperseded)
			}
		})
		t.Run("bad signature", func(t *testing.T) {
			_, priv, err := ed25519.GenerateKey(nil)
			check(t, err)
			forged := tickets.NewSigner(priv).Payload(ticket(femke, f.zwolle))
			for _, code := range []string{forged, "DP1:NONSENSE"} {
				res := f.scan(t, door.Scan{Code: code})
				if res.Outcome != door.BadSignature {
					t.Errorf("%q: result %+v, want bad signature", code, res)
				}
				if got := res.Outcome.Result(); got != models.CheckInInvalid {
					t.Errorf("Result() = %q, want %q", got, models.CheckInInvalid)
				}
			}
		})
		t.Run("unknown", func(t *testing.T) {
			for name, in := range map[string]door.Scan{
				"code no ticket has":           {Code: "ZZZZ-ZZZZ"},
				"registration that is gone":    {Registration: 999999},
				"name found at another venue":  {Registration: cees.ID},
				"registration beyond a ticket": {Registration: 1 << 33},
			} {
				res := f.scan(t, in)
				if res.Outcome != door.Unknown || res.Registration.ID != 0 {
					t.Errorf("%s: result %+v, want unknown", name, res)
				}
				if got := res.Outcome.Result(); got != models.CheckInInvalid {
					t.Errorf("%s: Result() = %q, want %q", name, got, models.CheckInInvalid)
				}
			}
		})
	})
}

func TestScanOffline(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		anna := f.register(t, "Anna de Vries", f.zwolle)
		bas := f.register(t, "Bas Jansen", f.zwolle)
		cees := f.register(t, "Cees Bakker", f.zwolle)

		earlier := f.now.Add(-20 * time.Minute)
		res := f.scan(t, door.Scan{Registration: anna.ID, ScanID: "17", ScannedAt: &earlier})
		if res.Outcome != door.Admitted || !res.ScannedAt.Equal(earlier) || !res.CheckIn.Offline {
			t.Errorf("offline scan: %+v, want admitted at %v", res, earlier)
		}
		// Sent again (the answer was lost): the same answer, once recorded.
		again := f.scan(t, door.Scan{Registration: anna.ID, ScanID: "17", ScannedAt: &earlier})
		if again.Outcome != door.Admitted || again.CheckIn.ID != res.CheckIn.ID {
			t.Errorf("the same scan again: %+v, want its first answer (check-in %d)", again, res.CheckIn.ID)
		}
		// A device clock ahead of ours, or reset to 1970: the scan counts as made now.
		ahead, reset := f.now.Add(time.Hour), time.Unix(0, 0)
		for _, tc := range []struct {
			who models.Registration
			at  *time.Time
		}{{bas, &ahead}, {cees, &reset}} {
			res := f.scan(t, door.Scan{Registration: tc.who.ID, ScannedAt: tc.at})
			if res.Outcome != door.Admitted || !res.ScannedAt.Equal(f.now) {
				t.Errorf("scan said to be made at %v: %+v, want admitted at %v", tc.at, res, f.now)
			}
		}
		// The door used scan id 17 for Anna already.
		_, err := f.scanner.Scan(ctx, f.door, door.Scan{Registration: bas.ID, ScanID: "17", ScannedAt: &earlier})
		if !errors.Is(err, models.ErrScanIDReused) {
			t.Errorf("scan id used again for another ticket: error %v, want ErrScanIDReused", err)
		}
		// Already in, scanned offline: the scan's own time, the first check-in's.
		later := f.now.Add(-5 * time.Minute)
		res = f.scan(t, door.Scan{Registration: anna.ID, ScanID: "18", ScannedAt: &later})
		if res.Outcome != door.AlreadyIn || !res.ScannedAt.Equal(later) || !res.CheckIn.CheckedInAt.Equal(earlier) {
			t.Errorf("second offline scan: %+v, want already in since %v, scanned at %v", res, earlier, later)
		}
	})
}

func TestScanUnknownCodesReadTicketsOnlyWhenAllowed(t *testing.T) {
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	anna := f.register(t, "Anna de Vries", f.zwolle)
	f.scanner.Allow = func(string) bool { return false }
	code := tickets.ShortCode(f.signer.Payload(ticket(anna, f.zwolle)))
	if res := f.scan(t, door.Scan{Code: code}); res.Outcome != door.Unknown {
		t.Errorf("a code the book does not know, while reading is not allowed: %+v, want unknown", res)
	}
	if err := door.LearnCodes(ctx, s, f.codes, []models.Venue{f.zwolle}); err != nil {
		t.Fatal(err)
	}
	if res := f.scan(t, door.Scan{Code: code}); res.Outcome != door.Admitted || res.Registration.ID != anna.ID {
		t.Errorf("a code the book learnt: %+v, want Anna admitted", res)
	}
}

func TestLearnCodesKnowsOlderVersions(t *testing.T) {
	s := modelstest.SQLite(t)
	f := newFixture(t, s)
	r := f.register(t, "Anna de Vries", f.zwolle)
	details := models.DetailsOf(r)
	details.Name = "Anna de Vries-Bakker"
	must(s.UpdateDetails(ctx, modelstest.Actor, r.ID, details, "test"))
	if err := door.LearnCodes(ctx, s, f.codes, []models.Venue{f.zwolle, f.breda}); err != nil {
		t.Fatal(err)
	}
	for version := uint16(r.TicketVersion); version <= uint16(r.TicketVersion)+1; version++ {
		want := tickets.Ticket{ID: uint32(r.ID), Venue: f.zwolle.TicketName(), Version: version}
		code := tickets.ShortCode(f.signer.Payload(want))
		if got, ok := f.codes.Lookup(code); !ok || got != want {
			t.Errorf("Lookup(code of version %d) = %+v, %v; want %+v", version, got, ok, want)
		}
	}
}

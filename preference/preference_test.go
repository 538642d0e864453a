package preference_test

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/preference"
	"gorm.io/gorm"
)

var ctx = modelstest.Ctx()

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fixture is modelstest.PreferenceEvent with a clock the test moves.
type fixture struct {
	modelstest.PreferenceEvent
	mu  *sync.Mutex
	now *time.Time
}

func newFixture(t *testing.T, s *models.Store) fixture {
	t.Helper()
	start := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
	f := fixture{mu: &sync.Mutex{}, now: &start}
	s.SetClock(func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return *f.now })
	f.PreferenceEvent = modelstest.NewPreferenceEvent(t, s, start)
	return f
}

func (f fixture) advance(d time.Duration) {
	f.mu.Lock()
	*f.now = f.now.Add(d)
	f.mu.Unlock()
}

// bookings returns the venue's bookings by status: registration → sessions for seats,
// session → registrations in waiting-list order for the waiting lists.
func bookings(t *testing.T, s *models.Store) (seats, waiting map[uint][]uint) {
	t.Helper()
	var all []models.Booking
	modelstest.Find(t, s, &all, modelstest.Q{}.OrderBy("wait_order, id"))
	seats, waiting = map[uint][]uint{}, map[uint][]uint{}
	for _, b := range all {
		if b.Status == models.BookingConfirmed {
			seats[b.RegistrationID] = append(seats[b.RegistrationID], b.SessionID)
		} else {
			waiting[b.SessionID] = append(waiting[b.SessionID], b.RegistrationID)
		}
	}
	for _, v := range seats {
		slices.Sort(v)
	}
	return seats, waiting
}

func allocatedMails(t *testing.T, s *models.Store) []models.OutboxMessage {
	var out []models.OutboxMessage
	for _, m := range modelstest.OutboxMessages(t, s) {
		if m.Kind == models.MailAllocated {
			out = append(out, m)
		}
	}
	return out
}

func TestRunWritesTheAllocationOnce(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		if _, err := preference.Run(ctx, s, f.Venue.ID, preference.Options{}); !errors.Is(err, preference.ErrWindowOpen) {
			t.Fatalf("a real run while the window is open: %v, want ErrWindowOpen", err)
		}
		// A dry run may come any time, with any seed, and writes nothing.
		dry := must(preference.Run(ctx, s, f.Venue.ID, preference.Options{Seed: "een ander getal", DryRun: true}))
		if dry.Seed != "een ander getal" || dry.Tally.People != len(f.People) {
			t.Errorf("dry run: seed %q, %d people; want the given seed and %d", dry.Seed, dry.Tally.People, len(f.People))
		}
		if n := modelstest.Count(t, s, &models.Booking{}, modelstest.Q{}) + modelstest.Count(t, s, &models.Allocation{}, modelstest.Q{}); n != 0 ||
			len(allocatedMails(t, s)) != 0 {
			t.Fatalf("a dry run wrote %d rows and %d e-mails", n, len(allocatedMails(t, s)))
		}

		f.advance(24 * time.Hour)
		if _, err := preference.Run(ctx, s, f.Venue.ID, preference.Options{Seed: "een ander getal"}); !errors.Is(err, preference.ErrSeedMismatch) {
			t.Fatalf("a real run with another seed: %v, want ErrSeedMismatch", err)
		}
		out := must(preference.Run(ctx, s, f.Venue.ID, preference.Options{}))
		if out.Seed != f.Seed || out.Venue != "utrecht" {
			t.Errorf("outcome of %q with seed %q, want utrecht and the published seed", out.Venue, out.Seed)
		}

		// The bookings are the outcome: the seats, and the waiting lists in its order.
		seats, waiting := bookings(t, s)
		for id, want := range out.Seats {
			want = slices.Sorted(slices.Values(want))
			if !slices.Equal(seats[id], want) {
				t.Errorf("registration %d has seats in %v, the allocation gave %v", id, seats[id], want)
			}
		}
		if len(seats) != len(nonEmpty(out.Seats)) {
			t.Errorf("%d people have seats, the allocation seated %d", len(seats), len(nonEmpty(out.Seats)))
		}
		for id, want := range out.Waitlists {
			if !slices.Equal(waiting[id], want) {
				t.Errorf("the waiting list of session %d is %v, the allocation gave %v", id, waiting[id], want)
			}
		}
		if len(waiting) != len(nonEmpty(out.Waitlists)) {
			t.Errorf("%d sessions have waiting lists, the allocation gave %d", len(waiting), len(nonEmpty(out.Waitlists)))
		}
		// The speaker speaks in the popular one; capacities hold; nobody waits twice in a slot.
		if !slices.Contains(seats[f.Speaker.ID], f.Popular.ID) {
			t.Errorf("the speaker has seats in %v, not in their own session %d", seats[f.Speaker.ID], f.Popular.ID)
		}
		for _, se := range []models.Session{f.Popular, f.Quiet, f.Tiny, f.Big} {
			now := must(s.Session(ctx, se.ID))
			n := 0
			for _, sessions := range seats {
				if slices.Contains(sessions, se.ID) {
					n++
				}
			}
			if now.Confirmed != n || n > se.Capacity() {
				t.Errorf("%s: counter %d, %d seats booked, capacity %d", se.Title, now.Confirmed, n, se.Capacity())
			}
		}
		for _, r := range f.People {
			var inSlot1, inSlot2 int
			for id, list := range waiting {
				if slices.Contains(list, r.ID) {
					if id == f.Popular.ID || id == f.Quiet.ID {
						inSlot1++
					} else {
						inSlot2++
					}
				}
			}
			if inSlot1 > 1 || inSlot2 > 1 {
				t.Errorf("registration %d waits for %d sessions in slot 1 and %d in slot 2", r.ID, inSlot1, inSlot2)
			}
		}

		// The row, the report, the audit entry and one e-mail a person, in their language.
		a := must(s.Allocation(ctx, f.Venue.ID))
		rep := must(a.DecodedReport())
		if a.Seed != f.Seed || a.People != len(f.People) || a.First != out.Tally.First() || len(rep.Sessions) != 4 ||
			rep.Random.Orders != preference.BaselineOrders {
			t.Errorf("allocation row %+v with report %+v does not match the outcome %+v", a, rep, out.Tally)
		}
		for _, sr := range rep.Sessions {
			if sr.SessionID == f.Popular.ID && (sr.Demand != 5 || sr.FirstChoice != 5 || sr.Seats != 2 || sr.Title != "Populair") {
				t.Errorf("report of the popular session: %+v, want demand and first choice 5 of 2 seats", sr)
			}
		}
		if all := must(s.Allocations(ctx, f.Event.ID)); len(all) != 1 || all[0].ID != a.ID {
			t.Errorf("Allocations: %+v, want the one row", all)
		}
		if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ? AND subject_id = ?", models.ActionAllocationRun, f.Venue.ID)); n != 1 {
			t.Errorf("%d audit entries of the allocation, want 1", n)
		}
		mails := allocatedMails(t, s)
		got := map[uint]string{}
		for _, m := range mails {
			got[*m.RegistrationID] = m.Lang
		}
		if len(mails) != len(f.People) || len(got) != len(f.People) {
			t.Fatalf("%d result e-mails for %d people: %v", len(mails), len(f.People), got)
		}
		for _, r := range f.People {
			if got[r.ID] != r.Lang {
				t.Errorf("registration %d: e-mail in %q, want %q", r.ID, got[r.ID], r.Lang)
			}
		}

		// Once: a second run is refused and changes nothing.
		if _, err := preference.Run(ctx, s, f.Venue.ID, preference.Options{}); !errors.Is(err, models.ErrAlreadyAllocated) {
			t.Fatalf("second run: %v, want ErrAlreadyAllocated", err)
		}
		if _, err := s.ApplyAllocation(ctx, f.Venue.ID, models.AllocationOutcome{Seed: f.Seed}); !errors.Is(err, models.ErrAlreadyAllocated) {
			t.Fatalf("second ApplyAllocation: %v, want ErrAlreadyAllocated", err)
		}
		if again, _ := bookings(t, s); len(again) != len(seats) || len(allocatedMails(t, s)) != len(f.People) {
			t.Errorf("the refused run wrote bookings or e-mails")
		}
	})
}

func nonEmpty(m map[uint][]uint) map[uint][]uint {
	out := map[uint][]uint{}
	for k, v := range m {
		if len(v) > 0 {
			out[k] = v
		}
	}
	return out
}

// TestLeftoverSeatsStayBookable: after the allocation, the seats it left are first come,
// first served.
func TestLeftoverSeatsStayBookable(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		f.advance(25 * time.Hour)
		out := must(preference.Run(ctx, s, f.Venue.ID, preference.Options{}))
		var seated int
		for _, sessions := range out.Seats {
			if slices.Contains(sessions, f.Big.ID) {
				seated++
			}
		}
		left := f.Big.Capacity() - seated
		if left <= 0 {
			t.Fatalf("the big session has %d seats left; the fixture wants some", left)
		}
		for i := range left {
			res, err := s.Register(ctx, models.RegistrationInput{Name: fmt.Sprintf("Laat %d", i), Email: fmt.Sprintf("laat-%d@example.nl", i),
				Organisation: "Gemeente Ede", Lang: "nl", Venue: f.Venue.Slug, Sessions: []uint{f.Big.ID}, Consent: true})
			if err != nil {
				t.Fatalf("register for a leftover seat: %v", err)
			}
			if b := res.Registration.Bookings; len(b) != 1 || b[0].Status != models.BookingConfirmed {
				t.Fatalf("a leftover seat: bookings %+v, want a seat", b)
			}
		}
		res := must(s.Register(ctx, models.RegistrationInput{Name: "Te laat", Email: "te-laat@example.nl",
			Organisation: "Gemeente Ede", Lang: "nl", Venue: f.Venue.Slug, Sessions: []uint{f.Big.ID}, Consent: true}))
		if b := res.Registration.Bookings; len(b) != 1 || b[0].Status != models.BookingWaitlisted {
			t.Fatalf("after the leftover seats: bookings %+v, want the waiting list", b)
		}
		if se := must(s.Session(ctx, f.Big.ID)); se.Confirmed != se.Capacity() {
			t.Errorf("the big session has %d of %d seats taken", se.Confirmed, se.Capacity())
		}
	})
}

// TestSameSeatsOnSQLiteAndPostgres: the same data and seed give the same seats on both.
func TestSameSeatsOnSQLiteAndPostgres(t *testing.T) {
	t.Parallel()
	var results []map[string][]string
	for _, s := range []*models.Store{modelstest.SQLite(t), modelstest.Postgres(t)} {
		f := newFixture(t, s)
		f.advance(25 * time.Hour)
		out := must(preference.Run(ctx, s, f.Venue.ID, preference.Options{}))
		titles := map[uint]string{f.Popular.ID: "popular", f.Quiet.ID: "quiet", f.Tiny.ID: "tiny", f.Big.ID: "big"}
		byEmail := map[string][]string{}
		for _, r := range f.People {
			for _, id := range out.Seats[r.ID] {
				byEmail[r.Email] = append(byEmail[r.Email], titles[id])
			}
			for id, list := range out.Waitlists {
				if i := slices.Index(list, r.ID); i >= 0 {
					byEmail[r.Email] = append(byEmail[r.Email], fmt.Sprintf("wait %s #%d", titles[id], i+1))
				}
			}
			sort.Strings(byEmail[r.Email])
		}
		results = append(results, byEmail)
	}
	if fmt.Sprint(results[0]) != fmt.Sprint(results[1]) {
		t.Errorf("SQLite seats %v, PostgreSQL %v", results[0], results[1])
	}
	if len(results[0]) == 0 {
		t.Errorf("nobody was seated")
	}
}

// TestRunOnceAcrossProcesses: two stores on one database (two processes) run at once; one
// allocation is written.
func TestRunOnceAcrossProcesses(t *testing.T) {
	t.Parallel()
	modelstest.EachShared(t, func(t *testing.T, a, b *models.Store) {
		f := newFixture(t, a)
		f.advance(25 * time.Hour)
		b.SetClock(a.Now)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, s := range []*models.Store{a, b} {
			wg.Go(func() { _, errs[i] = preference.Run(ctx, s, f.Venue.ID, preference.Options{}) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, models.ErrAlreadyAllocated):
				t.Errorf("a run failed otherwise: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d runs succeeded (%v), want exactly 1", ok, errs)
		}
		if n := len(allocatedMails(t, a)); n != len(f.People) {
			t.Errorf("%d result e-mails for %d people", n, len(f.People))
		}
		var seats int64
		modelstest.Scalar(t, a, &seats, "SELECT COALESCE(SUM(confirmed), 0) FROM sessions")
		if n := modelstest.Count(t, a, &models.Booking{}, modelstest.Where("status = ?", models.BookingConfirmed)); n != seats {
			t.Errorf("%d seats booked, the counters say %d", n, seats)
		}
	})
}

// TestDueRunsAtTheAllocationTime: the periodic job's step runs nothing before the allocation
// time, every venue at it, and nothing twice.
func TestDueRunsAtTheAllocationTime(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		f.advance(24*time.Hour + 30*time.Minute) // closed, not yet the allocation time
		if outs, err := preference.Due(ctx, s, s.Now()); err != nil || len(outs) != 0 {
			t.Fatalf("before the allocation time: %d outcomes, %v", len(outs), err)
		}
		f.advance(30 * time.Minute)
		if outs, err := preference.Due(ctx, s, s.Now()); err != nil || len(outs) != 1 || outs[0].Venue != "utrecht" {
			t.Fatalf("at the allocation time: %+v, %v; want utrecht", outs, err)
		}
		if outs, err := preference.Due(ctx, s, s.Now()); err != nil || len(outs) != 0 {
			t.Fatalf("again: %d outcomes, %v; want none", len(outs), err)
		}
		if n := modelstest.Count(t, s, &models.Allocation{}, modelstest.Q{}); n != 1 {
			t.Errorf("%d allocations, want 1", n)
		}
	})
}

// TestHeldSeatsAreKept: a seat an organiser booked before the allocation stays, counted once,
// and the allocation writes no second booking for it.
func TestHeldSeatsAreKept(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		holder := f.People[5] // ranked nothing in slot 2
		modelstest.Insert(t, s, &models.Booking{RegistrationID: holder.ID, SessionID: f.Big.ID, Status: models.BookingConfirmed,
			CreatedAt: s.Now()})
		modelstest.Update(t, s, &models.Session{}, modelstest.Where("id = ?", f.Big.ID), map[string]any{"confirmed": gorm.Expr("confirmed + 1")})
		f.advance(25 * time.Hour)
		out, err := preference.Run(ctx, s, f.Venue.ID, preference.Options{})
		if err != nil {
			t.Fatalf("Run with a seat already held: %v", err)
		}
		if !slices.Contains(out.Seats[holder.ID], f.Big.ID) {
			t.Errorf("the holder's seats are %v, want the held one %d among them", out.Seats[holder.ID], f.Big.ID)
		}
		seats, _ := bookings(t, s)
		n := 0
		for _, sessions := range seats {
			if slices.Contains(sessions, f.Big.ID) {
				n++
			}
		}
		if se := must(s.Session(ctx, f.Big.ID)); se.Confirmed != n {
			t.Errorf("the big session's counter is %d for %d seats booked", se.Confirmed, n)
		}
		if c := modelstest.Count(t, s, &models.Booking{}, modelstest.Where("registration_id = ? AND session_id = ?", holder.ID, f.Big.ID)); c != 1 {
			t.Errorf("%d bookings of the held seat, want 1", c)
		}
	})
}

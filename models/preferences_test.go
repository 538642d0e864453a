package models_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// rankingWindow is the preference window the tests use: open from rankOpens until rankCloses,
// the allocation at allocationAt.
var (
	rankOpens    = time.Date(2027, time.January, 10, 9, 0, 0, 0, time.UTC)
	rankCloses   = time.Date(2027, time.January, 24, 23, 0, 0, 0, time.UTC)
	allocationAt = time.Date(2027, time.January, 25, 9, 0, 0, 0, time.UTC)
)

// prefFixture is the store fixture in preference mode with a frozen clock inside the window,
// and sessions to rank: a and b in slot 1, c in slot 2, and long filling slots 2 and 3.
type prefFixture struct {
	fixture
	now           *time.Time
	a, b, c, long models.Session
	elsewhere     models.Session // at the other venue
	unplaced      models.Session
}

func newPrefFixture(t *testing.T, s *models.Store) prefFixture {
	t.Helper()
	f := prefFixture{fixture: newFixture(t, s)}
	err := s.DB().Model(&models.Event{}).Where("id = ?", f.event.ID).Updates(map[string]any{
		"signup_mode": models.SignupPreferences, "preferences_open_at": rankOpens, "preferences_close_at": rankCloses,
		"allocation_at": allocationAt, "allocation_seed": "Staatsloterij 10 januari", "preference_ranks": 2,
	}).Error
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, time.January, 20, 9, 0, 0, 0, time.UTC)
	f.now = &now
	s.SetClock(func() time.Time { return *f.now })
	f.a = session(t, s, f.fixture, "Workshop A", f.small, f.s1, 1, 0)
	f.b = session(t, s, f.fixture, "Workshop B", f.big, f.s1, 1, 0)
	f.c = session(t, s, f.fixture, "Workshop C", f.small, f.s2, 1, 0)
	f.long = session(t, s, f.fixture, "Lange workshop", f.big, f.s2, 2, 0)
	f.elsewhere = must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Elders", Format: "workshop",
		VenueID: f.otherVenue.ID, RoomID: f.otherRoom.ID, FirstSlotID: f.otherSlot.ID, SlotCount: 1}))
	f.unplaced = must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Nog nergens", Format: "workshop", SlotCount: 1}))
	return f
}

func TestRegisterByPreferenceInsideTheWindow(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newPrefFixture(t, s)
		in := attendee(1)
		in.Preferences = models.Rankings{f.s1.ID: {f.b.ID, f.a.ID}, f.s2.ID: {f.long.ID}, f.s3.ID: {}}
		res, err := s.Register(ctx, in)
		if err != nil {
			t.Fatalf("register: %v", err)
		}
		if res.Token == "" || res.Registration.Status != models.RegistrationActive || len(res.Registration.Bookings) != 0 {
			t.Errorf("registration = %+v, token %q; want active, a token and no bookings", res.Registration, res.Token)
		}
		got := must(s.Preferences(ctx, res.Registration.ID))
		want := models.Rankings{f.s1.ID: {f.b.ID, f.a.ID}, f.s2.ID: {f.long.ID}}
		if !rankingsEqual(got, want) {
			t.Errorf("Preferences() = %v, want %v", got, want)
		}
		if n := count(t, s, &models.Booking{}); n != 0 {
			t.Errorf("%d bookings, want none before the allocation", n)
		}
		if kinds := outboxKinds(t, s, res.Registration.ID); !slices.Equal(kinds, []string{models.MailPreferencesReceived}) {
			t.Errorf("e-mails = %v, want only %q", kinds, models.MailPreferencesReceived)
		}
		// The same address cannot register twice.
		if _, err := s.Register(ctx, in); !errors.Is(err, models.ErrAlreadyRegistered) {
			t.Errorf("second registration: %v, want ErrAlreadyRegistered", err)
		}
		// Cancelling takes the ranking with it.
		if err := s.Cancel(ctx, res.Registration.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, &models.Preference{}); n != 0 {
			t.Errorf("%d preferences after cancelling, want none", n)
		}
		// "None" everywhere is a registration too.
		none := attendee(2)
		if _, err := s.Register(ctx, none); err != nil {
			t.Errorf("register without a ranking: %v", err)
		}
	})
}

func rankingsEqual(a, b models.Rankings) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestRegisterByPreferenceOutsideTheWindow(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newPrefFixture(t, s)
		for i, at := range []time.Time{rankOpens.Add(-time.Minute), rankCloses, allocationAt.Add(time.Hour)} {
			*f.now = at
			in := attendee(i)
			in.Preferences = models.Rankings{f.s1.ID: {f.a.ID}}
			if _, err := s.Register(ctx, in); !errors.Is(err, models.ErrRegistrationClosed) || !errors.Is(err, models.ErrPreferenceSignupClosed) {
				t.Errorf("register at %v: %v, want ErrPreferenceSignupClosed", at, err)
			}
		}
		if n := count(t, s, &models.Registration{}); n != 0 {
			t.Errorf("%d registrations, want none", n)
		}
	})
}

func TestRegisterFirstComeAfterTheAllocation(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newPrefFixture(t, s)
		*f.now = allocationAt.Add(time.Hour)
		if err := s.DB().Create(&models.Allocation{EventID: f.event.ID, VenueID: f.venue.ID, Seed: "x", RanAt: allocationAt, Report: "{}"}).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.Allocation(ctx, f.venue.ID); err != nil {
			t.Fatalf("the allocation just written: %v", err)
		}
		in := attendee(1, f.a.ID)
		res, err := s.Register(ctx, in)
		if err != nil {
			t.Fatalf("register after the allocation: %v", err)
		}
		if st, _ := statusOf(t, s, res.Registration.ID, f.a.ID); st != models.BookingConfirmed {
			t.Errorf("booking = %s, want a seat", st)
		}
		ranked := attendee(2)
		ranked.Preferences = models.Rankings{f.s1.ID: {f.a.ID}}
		_, err = s.Register(ctx, ranked)
		wantProblem(t, err, "preferences", "preference.allocated_already")
	})
}

func TestPreferenceRules(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newPrefFixture(t, s)
		slot := func(sl models.Slot) string { return "preferences." + itoa(sl.ID) }
		cases := []struct {
			name       string
			ranking    models.Rankings
			field, key string
			sessions   []uint
		}{
			{"slot of another venue", models.Rankings{f.otherSlot.ID: {f.elsewhere.ID}}, "preferences." + itoa(f.otherSlot.ID), "preference.unknown_slot", nil},
			{"unknown slot", models.Rankings{999999: {f.a.ID}}, "preferences.999999", "preference.unknown_slot", nil},
			{"session elsewhere", models.Rankings{f.s1.ID: {f.elsewhere.ID}}, slot(f.s1), "form.session_not_at_venue", nil},
			{"session not placed", models.Rankings{f.s1.ID: {f.unplaced.ID}}, slot(f.s1), "form.session_not_at_venue", nil},
			{"session in another slot", models.Rankings{f.s1.ID: {f.c.ID}}, slot(f.s1), "preference.wrong_slot", nil},
			{"two-slot session in its second slot", models.Rankings{f.s3.ID: {f.long.ID}}, slot(f.s3), "preference.wrong_slot", nil},
			{"too many", models.Rankings{f.s1.ID: {f.a.ID, f.b.ID, f.a.ID}}, slot(f.s1), "preference.too_many", nil},
			{"twice", models.Rankings{f.s1.ID: {f.a.ID, f.a.ID}}, slot(f.s1), "preference.twice", nil},
			{"sessions too", models.Rankings{f.s1.ID: {f.a.ID}}, "sessions", "preference.sessions_before_allocation", []uint{f.a.ID}},
		}
		for i, tc := range cases {
			in := attendee(i)
			in.Preferences, in.Sessions = tc.ranking, tc.sessions
			_, err := s.Register(ctx, in)
			t.Run(tc.name, func(t *testing.T) { wantProblem(t, err, tc.field, tc.key) })
		}
		if n := count(t, s, &models.Registration{}); n != 0 {
			t.Errorf("%d registrations, want none", n)
		}
	})
}

func TestChangePreferencesUntilTheWindowCloses(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newPrefFixture(t, s)
		in := attendee(1)
		in.Preferences = models.Rankings{f.s1.ID: {f.a.ID}}
		res := must(s.Register(ctx, in))
		id := res.Registration.ID
		want := models.Rankings{f.s1.ID: {f.b.ID}, f.s2.ID: {f.c.ID, f.long.ID}}
		if _, err := s.ChangePreferences(ctx, id, want); err != nil {
			t.Fatalf("change: %v", err)
		}
		if got := must(s.Preferences(ctx, id)); !rankingsEqual(got, want) {
			t.Errorf("Preferences() = %v, want %v", got, want)
		}
		_, err := s.ChangePreferences(ctx, id, models.Rankings{f.s1.ID: {f.c.ID}})
		wantProblem(t, err, "preferences."+itoa(f.s1.ID), "preference.wrong_slot")
		// Choosing seats is for after the allocation.
		_, err = s.ChangeSessions(ctx, id, []uint{f.a.ID}, nil)
		wantProblem(t, err, "sessions", "preference.sessions_before_allocation")
		*f.now = rankCloses
		if _, err := s.ChangePreferences(ctx, id, models.Rankings{}); !errors.Is(err, models.ErrPreferencesClosed) {
			t.Errorf("change after closing: %v, want ErrPreferencesClosed", err)
		}
		if got := must(s.Preferences(ctx, id)); !rankingsEqual(got, want) {
			t.Errorf("after the refused change Preferences() = %v, want %v", got, want)
		}
		if _, err := s.Preferences(ctx, 999999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Preferences(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestPreferencesRefusedFirstComeFirstServed(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		a := session(t, s, f, "A", f.small, f.s1, 1, 0)
		in := attendee(1)
		in.Preferences = models.Rankings{f.s1.ID: {a.ID}}
		_, err := s.Register(ctx, in)
		wantProblem(t, err, "preferences", "preference.not_preference_mode")
		res := must(s.Register(ctx, attendee(2, a.ID)))
		if _, err := s.ChangePreferences(ctx, res.Registration.ID, models.Rankings{}); !errors.Is(err, models.ErrNotPreferenceMode) {
			t.Errorf("ChangePreferences in FCFS mode: %v, want ErrNotPreferenceMode", err)
		}
	})
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

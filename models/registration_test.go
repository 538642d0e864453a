package models_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// attendee returns a valid registration for venue zwolle choosing the given sessions.
func attendee(n int, sessions ...uint) models.RegistrationInput {
	return models.RegistrationInput{
		Name: fmt.Sprintf("Deelnemer %d", n), Email: fmt.Sprintf("deelnemer%d@example.nl", n), Organisation: "Gemeente Zwolle",
		Venue: "zwolle", Sessions: sessions, Consent: true,
	}
}

func session(t *testing.T, s *models.Store, f fixture, title string, room models.Room, slot models.Slot, slots, limit int) models.Session {
	t.Helper()
	return must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: title, Format: "workshop", VenueID: f.venue.ID,
		RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: slots, CapacityLimit: limit}))
}

func statusOf(t *testing.T, s *models.Store, regID, sessionID uint) (string, int) {
	t.Helper()
	r := must(s.Registration(ctx, regID))
	for _, b := range r.Bookings {
		if b.SessionID == sessionID {
			return b.Status, b.Position
		}
	}
	return "none", 0
}

func outboxKinds(t *testing.T, s *models.Store, regID uint) []string {
	t.Helper()
	var kinds []string
	if err := s.DB().Model(&models.OutboxMessage{}).Where("registration_id = ?", regID).Order("id").Pluck("kind", &kinds).Error; err != nil {
		t.Fatal(err)
	}
	return kinds
}

func TestConcurrentRegistrationsNeverOverbook(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		last := session(t, s, f, "De laatste plaatsen", f.big, f.s1, 1, 5)
		const people = 40
		var wg sync.WaitGroup
		errs := make(chan error, people)
		for i := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Register(ctx, attendee(i, last.ID))
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("register: %v", err)
			}
		}
		var bookings []models.Booking
		if err := s.DB().Where("session_id = ?", last.ID).Order("id").Find(&bookings).Error; err != nil {
			t.Fatal(err)
		}
		confirmed, waitlisted := 0, 0
		for _, b := range bookings {
			switch b.Status {
			case models.BookingConfirmed:
				confirmed++
			case models.BookingWaitlisted:
				waitlisted++
			}
		}
		if confirmed != 5 || waitlisted != people-5 {
			t.Errorf("confirmed=%d waitlisted=%d, want 5 and %d", confirmed, waitlisted, people-5)
		}
		got := must(s.Session(ctx, last.ID))
		if got.Confirmed != 5 {
			t.Errorf("session counter = %d, want 5 (the confirmed bookings)", got.Confirmed)
		}
		// Positions follow arrival (booking id) order: 1, 2, 3, ...
		want := 1
		for _, b := range bookings {
			if b.Status != models.BookingWaitlisted {
				continue
			}
			if _, pos := statusOf(t, s, b.RegistrationID, last.ID); pos != want {
				t.Errorf("booking %d has position %d, want %d", b.ID, pos, want)
			}
			want++
		}
		v := must(s.Venue(ctx, f.venue.ID))
		if v.Registered != people {
			t.Errorf("venue registered = %d, want %d", v.Registered, people)
		}
	})
}

func TestVenueCapacityUnderConcurrency(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		must(s.UpdateVenue(ctx, f.venue.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle", Address: "Luttenbergstraat 2", Capacity: 3}))
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, full := 0, 0
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Register(ctx, attendee(i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, models.ErrVenueFull):
					full++
				default:
					t.Errorf("register: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 3 || full != 7 {
			t.Errorf("registered %d, refused %d as full; want 3 and 7", ok, full)
		}
		if n := count(t, s, &models.Registration{}); n != 3 {
			t.Errorf("registrations stored = %d, want 3 (a refused one leaves no row)", n)
		}
	})
}

func TestDuplicateEmailAndReRegistration(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newFixture(t, s)
		first := must(s.Register(ctx, attendee(1)))
		again := attendee(2)
		again.Email = "  DEELNEMER1@Example.NL "
		if _, err := s.Register(ctx, again); !errors.Is(err, models.ErrAlreadyRegistered) || !errors.Is(err, models.ErrConflict) {
			t.Fatalf("second registration: err = %v, want ErrAlreadyRegistered", err)
		}
		if err := s.Cancel(ctx, first.Registration.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Register(ctx, again); err != nil {
			t.Errorf("registering again after cancelling: %v", err)
		}
	})
}

func TestChoiceValidation(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		a := session(t, s, f, "A", f.big, f.s1, 1, 0)
		b := session(t, s, f, "B", f.small, f.s1, 1, 0)
		two := session(t, s, f, "Twee", f.small, f.s2, 2, 0)
		c := session(t, s, f, "C", f.big, f.s3, 1, 0)
		elsewhere := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Rotterdam", Format: "lecture",
			VenueID: f.otherVenue.ID, RoomID: f.otherRoom.ID, FirstSlotID: f.otherSlot.ID, SlotCount: 1}))
		cases := []struct {
			name        string
			sessions    []uint
			waitlist    []uint
			field, want string
		}{
			{"two in one slot", []uint{a.ID, b.ID}, nil, "sessions", "form.sessions_same_slot"},
			{"two-slot overlaps", []uint{two.ID, c.ID}, nil, "sessions", "form.sessions_same_slot"},
			{"other venue", []uint{elsewhere.ID}, nil, "sessions", "form.session_not_at_venue"},
			{"unknown id", []uint{999999}, nil, "sessions", "form.session_not_at_venue"},
			{"waitlist for a chosen seat", []uint{a.ID}, []uint{a.ID}, "waitlist", "form.waitlist_and_seat"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := attendee(1, tc.sessions...)
				in.Waitlist = tc.waitlist
				_, err := s.Register(ctx, in)
				wantProblem(t, err, tc.field, tc.want)
				if n := count(t, s, &models.Registration{}); n != 0 {
					t.Errorf("registrations = %d after a refusal, want 0", n)
				}
			})
		}
		// Two-slot session plus a session in the slot after it is fine.
		_ = c
		if _, err := s.Register(ctx, attendee(2, a.ID, two.ID)); err != nil {
			t.Errorf("valid choice refused: %v", err)
		}
		missing := attendee(3)
		missing.Consent = false
		missing.Name = ""
		_, err := s.Register(ctx, missing)
		wantProblem(t, err, "consent", "form.consent_required")
		wantProblem(t, err, "name", "form.required")
	})
}

func TestCancelPromotesAndCascades(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		x := session(t, s, f, "X", f.big, f.s1, 1, 1)   // one seat
		y := session(t, s, f, "Y", f.small, f.s1, 1, 1) // one seat, same slot
		anna := must(s.Register(ctx, attendee(1, x.ID)))
		// Bram wants X, keeps Y meanwhile.
		bramIn := attendee(2, y.ID)
		bramIn.Waitlist = []uint{x.ID}
		bram := must(s.Register(ctx, bramIn))
		// Cor waits for Y.
		cor := must(s.Register(ctx, attendee(3, y.ID)))
		if st, pos := statusOf(t, s, bram.Registration.ID, x.ID); st != models.BookingWaitlisted || pos != 1 {
			t.Fatalf("Bram on X: %s/%d, want waitlisted/1", st, pos)
		}
		if st, pos := statusOf(t, s, cor.Registration.ID, y.ID); st != models.BookingWaitlisted || pos != 1 {
			t.Fatalf("Cor on Y: %s/%d, want waitlisted/1", st, pos)
		}

		if err := s.Cancel(ctx, anna.Registration.ID); err != nil {
			t.Fatal(err)
		}
		if st, _ := statusOf(t, s, bram.Registration.ID, x.ID); st != models.BookingConfirmed {
			t.Errorf("Bram on X after Anna cancelled: %s, want confirmed", st)
		}
		if st, _ := statusOf(t, s, bram.Registration.ID, y.ID); st != "none" {
			t.Errorf("Bram's held seat in Y: %s, want released", st)
		}
		if st, _ := statusOf(t, s, cor.Registration.ID, y.ID); st != models.BookingConfirmed {
			t.Errorf("Cor on Y after the cascade: %s, want confirmed", st)
		}
		for _, sess := range []models.Session{x, y} {
			if got := must(s.Session(ctx, sess.ID)).Confirmed; got != 1 {
				t.Errorf("%s confirmed = %d, want 1", sess.Title, got)
			}
		}
		if got, want := strings.Join(outboxKinds(t, s, bram.Registration.ID), ","), "confirmation,promoted"; got != want {
			t.Errorf("Bram's e-mails = %s, want %s", got, want)
		}
		if got, want := strings.Join(outboxKinds(t, s, cor.Registration.ID), ","), "confirmation,promoted"; got != want {
			t.Errorf("Cor's e-mails = %s, want %s", got, want)
		}
		if got, want := strings.Join(outboxKinds(t, s, anna.Registration.ID), ","), "confirmation,cancelled"; got != want {
			t.Errorf("Anna's e-mails = %s, want %s", got, want)
		}
		r := must(s.Registration(ctx, anna.Registration.ID))
		if r.Status != models.RegistrationCancelled || r.TicketVersion != 2 || len(r.Bookings) != 0 {
			t.Errorf("cancelled registration: status %s, ticket v%d, %d bookings; want cancelled, v2, 0", r.Status, r.TicketVersion, len(r.Bookings))
		}
		// Cancelling twice changes nothing and sends nothing more.
		if err := s.Cancel(ctx, anna.Registration.ID); err != nil {
			t.Fatal(err)
		}
		if got := len(outboxKinds(t, s, anna.Registration.ID)); got != 2 {
			t.Errorf("e-mails after a second cancel = %d, want 2", got)
		}
	})
}

func TestChangeSessionsKeepsPlaceAndFreesSeat(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		full := session(t, s, f, "Vol", f.big, f.s1, 1, 1)
		later := session(t, s, f, "Later", f.big, f.s2, 1, 0)
		other := session(t, s, f, "Ander", f.small, f.s1, 1, 0)
		holder := must(s.Register(ctx, attendee(1, full.ID)))
		w1 := must(s.Register(ctx, attendee(2, full.ID)))
		w2 := must(s.Register(ctx, attendee(3, full.ID)))
		// w2 adds a session in another slot: still second in line for the full one.
		must(s.ChangeSessions(ctx, w2.Registration.ID, []uint{full.ID, later.ID}, nil))
		if st, pos := statusOf(t, s, w2.Registration.ID, full.ID); st != models.BookingWaitlisted || pos != 2 {
			t.Errorf("w2 after change: %s/%d, want waitlisted/2", st, pos)
		}
		// The holder switches to another session in the slot: w1 gets the seat.
		must(s.ChangeSessions(ctx, holder.Registration.ID, []uint{other.ID}, nil))
		if st, _ := statusOf(t, s, w1.Registration.ID, full.ID); st != models.BookingConfirmed {
			t.Errorf("w1 after the holder changed: %s, want confirmed", st)
		}
		if st, pos := statusOf(t, s, w2.Registration.ID, full.ID); st != models.BookingWaitlisted || pos != 1 {
			t.Errorf("w2 moved up to %s/%d, want waitlisted/1", st, pos)
		}
		// Raising the capacity promotes at once.
		must(s.UpdateSession(ctx, full.ID, models.SessionInput{Title: "Vol", Format: "workshop", VenueID: f.venue.ID,
			RoomID: f.big.ID, FirstSlotID: f.s1.ID, SlotCount: 1, CapacityLimit: 2}))
		if st, _ := statusOf(t, s, w2.Registration.ID, full.ID); st != models.BookingConfirmed {
			t.Errorf("w2 after the capacity rose: %s, want confirmed", st)
		}
	})
}

func TestRegistrationWindow(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		open := session(t, s, f, "Open", f.big, f.s1, 1, 0)
		opens := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
		closes := time.Date(2027, 1, 31, 17, 0, 0, 0, time.UTC)
		if err := s.DB().Model(&models.Event{}).Where("id = ?", f.event.ID).
			Updates(map[string]any{"registration_opens_at": opens, "registration_closes_at": closes}).Error; err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return opens.Add(-time.Minute) })
		if _, err := s.Register(ctx, attendee(1, open.ID)); !errors.Is(err, models.ErrRegistrationClosed) {
			t.Errorf("before opening: err = %v, want ErrRegistrationClosed", err)
		}
		s.SetClock(func() time.Time { return opens })
		if _, err := s.Register(ctx, attendee(2, open.ID)); err != nil {
			t.Errorf("at opening: %v", err)
		}
		s.SetClock(func() time.Time { return closes })
		if _, err := s.Register(ctx, attendee(3, open.ID)); !errors.Is(err, models.ErrRegistrationClosed) {
			t.Errorf("at closing: err = %v, want ErrRegistrationClosed", err)
		}
		if err := s.DB().Model(&models.Event{}).Where("id = ?", f.event.ID).Update("waitlist_after_close", true).Error; err != nil {
			t.Fatal(err)
		}
		late := must(s.Register(ctx, attendee(4, open.ID)))
		if st, _ := statusOf(t, s, late.Registration.ID, open.ID); st != models.BookingWaitlisted {
			t.Errorf("after closing with waiting lists open: %s, want waitlisted although seats are free", st)
		}
	})
}

func TestTokensAreStoredHashed(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newFixture(t, s)
		in := attendee(1)
		in.Name = "Zoë Ångström-Ñúñez"
		in.Organisation = "<script>alert(1)</script>"
		res := must(s.Register(ctx, in))
		if len(res.Token) < 40 {
			t.Errorf("token %q is shorter than 256 bits in base64", res.Token)
		}
		var hashes []string
		s.DB().Model(&models.AccessToken{}).Pluck("hash", &hashes)
		if len(hashes) != 1 || hashes[0] == res.Token || strings.Contains(hashes[0], res.Token) {
			t.Errorf("stored tokens %v, want only a hash of %q", hashes, res.Token)
		}
		r := must(s.RegistrationByToken(ctx, res.Token))
		if r.Name != "Zoë Ångström-Ñúñez" || r.Organisation != "<script>alert(1)</script>" {
			t.Errorf("stored %q / %q, want the input exactly", r.Name, r.Organisation)
		}
		// Change the first character: it carries six bits of the secret, while the last one of
		// 43 carries only four, so some changes to it decode to the same bytes.
		first := "A"
		if res.Token[0] == 'A' {
			first = "B"
		}
		for _, bad := range []string{"", "x", first + res.Token[1:], strings.Repeat("a", 43)} {
			if _, err := s.RegistrationByToken(ctx, bad); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("token %q: err = %v, want ErrNotFound", bad, err)
			}
		}
	})
}

func TestRemindersAndRelease(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		seat := session(t, s, f, "Populair", f.big, f.s1, 1, 1)
		silent := must(s.Register(ctx, attendee(1, seat.ID)))
		coming := must(s.Register(ctx, attendee(2)))
		waiting := must(s.Register(ctx, attendee(3, seat.ID)))
		deadline := time.Date(2027, 1, 30, 12, 0, 0, 0, time.UTC)
		s.DB().Model(&models.Event{}).Where("id = ?", f.event.ID).Update("reconfirm_deadline", deadline)
		s.SetClock(func() time.Time { return deadline.Add(-72 * time.Hour) })
		if n := must(s.ReminderMails(ctx, f.event.ID)); n != 3 {
			t.Errorf("ReminderMails = %d, want 3", n)
		}
		if _, err := s.SendReminders(ctx, f.event.ID, 2); !errors.Is(err, models.ErrRecipientsChanged) || len(outboxIDsOfKind(t, s, models.MailReminder)) != 0 {
			t.Errorf("reminders confirmed for 2 of 3: got %v, want ErrRecipientsChanged and nothing queued", err)
		}
		if n := must(s.SendReminders(ctx, f.event.ID, 3)); n != 3 {
			t.Errorf("reminders queued = %d, want 3", n)
		}
		if n := must(s.ReminderMails(ctx, f.event.ID)); n != 0 {
			t.Errorf("ReminderMails after sending = %d, want 0", n)
		}
		if n := must(s.SendReminders(ctx, f.event.ID, -1)); n != 0 {
			t.Errorf("reminders queued a second time = %d, want 0", n)
		}
		if err := s.Reconfirm(ctx, coming.Registration.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Reconfirm(ctx, waiting.Registration.ID); err != nil {
			t.Fatal(err)
		}
		if n := must(s.ReleaseUnconfirmed(ctx, f.event.ID)); n != 0 {
			t.Errorf("released before the deadline = %d, want 0", n)
		}
		s.SetClock(func() time.Time { return deadline })
		if n := must(s.ReleaseUnconfirmed(ctx, f.event.ID)); n != 1 {
			t.Errorf("released at the deadline = %d, want 1", n)
		}
		if r := must(s.Registration(ctx, silent.Registration.ID)); r.Status != models.RegistrationCancelled {
			t.Errorf("silent attendee: %s, want cancelled", r.Status)
		}
		if st, _ := statusOf(t, s, waiting.Registration.ID, seat.ID); st != models.BookingConfirmed {
			t.Errorf("waiting attendee after the release: %s, want confirmed", st)
		}
		kinds := outboxKinds(t, s, silent.Registration.ID)
		sort.Strings(kinds)
		if got := strings.Join(kinds, ","); got != "confirmation,released,reminder" {
			t.Errorf("silent attendee's e-mails = %s, want confirmation, reminder and released", got)
		}
	})
}

func TestOutboxClaimsAreExclusive(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newFixture(t, s)
		for i := range 30 {
			must(s.Register(ctx, attendee(i)))
		}
		var mu sync.Mutex
		seen := map[uint]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					msgs, err := s.ClaimOutbox(ctx, 3, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(msgs) == 0 {
						return
					}
					mu.Lock()
					for _, m := range msgs {
						seen[m.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != 30 {
			t.Errorf("claimed %d distinct messages, want 30", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("message %d claimed %d times, want once", id, n)
			}
		}
	})
}

// TestTwoProcessesOnOnePostgres runs two stores — two connection pools, as two Dagplanner
// processes have — against one PostgreSQL database, racing for the last seats.
func TestTwoProcessesOnOnePostgres(t *testing.T) {
	t.Parallel()
	dsn := modelstest.PostgresDSN(t)
	a, err := models.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := models.Open(ctx, dsn) // migrating an up-to-date database again is a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	f := newFixture(t, a)
	last := session(t, a, f, "Laatste plaatsen", f.big, f.s1, 1, 7)
	must(a.UpdateVenue(ctx, f.venue.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle", Address: "Luttenbergstraat 2", Capacity: 50}))
	var wg sync.WaitGroup
	var mu sync.Mutex
	refused := 0
	for i := range 60 {
		store := a
		if i%2 == 1 {
			store = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := store.Register(ctx, attendee(i, last.ID))
			if errors.Is(err, models.ErrVenueFull) {
				mu.Lock()
				refused++
				mu.Unlock()
			} else if err != nil {
				t.Errorf("register %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	var confirmed, waitlisted int64
	a.DB().Model(&models.Booking{}).Where("session_id = ? AND status = ?", last.ID, models.BookingConfirmed).Count(&confirmed)
	a.DB().Model(&models.Booking{}).Where("session_id = ? AND status = ?", last.ID, models.BookingWaitlisted).Count(&waitlisted)
	if confirmed != 7 || waitlisted != 43 || refused != 10 {
		t.Errorf("confirmed %d, waitlisted %d, refused as full %d; want 7, 43 and 10", confirmed, waitlisted, refused)
	}
	if v := must(b.Venue(ctx, f.venue.ID)); v.Registered != 50 {
		t.Errorf("venue registered = %d, want 50", v.Registered)
	}
}

func TestAttendeesSinceLastBadgePrint(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		t0 := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return t0 })
		early := must(s.Register(ctx, attendee(1)))
		cancelled := must(s.Register(ctx, attendee(2)))
		if err := s.Cancel(ctx, cancelled.Registration.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkBadgesPrinted(ctx, f.venue.ID, t0.Add(time.Minute), 1); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return t0.Add(time.Hour) })
		late := must(s.Register(ctx, attendee(3)))
		all := must(s.Attendees(ctx, f.venue.ID, nil))
		if len(all) != 2 || all[0].ID != early.Registration.ID || all[1].ID != late.Registration.ID {
			t.Errorf("attendees = %d, want the 2 active ones in order", len(all))
		}
		v := must(s.Venue(ctx, f.venue.ID))
		fresh := must(s.Attendees(ctx, f.venue.ID, v.BadgesPrintedAt))
		if len(fresh) != 1 || fresh[0].ID != late.Registration.ID {
			t.Errorf("attendees since the last print = %d, want only the late one", len(fresh))
		}
	})
}

// outboxIDsOfKind lists the ids of the outbox's messages of one kind.
func outboxIDsOfKind(t *testing.T, s *models.Store, kind string) []uint {
	t.Helper()
	var ids []uint
	if err := s.DB().Model(&models.OutboxMessage{}).Where("kind = ?", kind).Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

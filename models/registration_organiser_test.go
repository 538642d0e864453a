package models_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var organiser = models.Actor{Kind: models.ActorUser, ID: 7, Name: "organisator@example.nl"}

func auditOf(t *testing.T, s *models.Store, regID uint) []models.AuditEntry {
	t.Helper()
	return must(s.AuditTrail(ctx, models.SubjectRegistration, regID))
}

// mails returns the registration's outbox messages of one kind, oldest first.
func mails(t *testing.T, s *models.Store, regID uint, kind string) []models.OutboxMessage {
	t.Helper()
	var out []models.OutboxMessage
	if err := s.DB().Where("registration_id = ? AND kind = ?", regID, kind).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func confirmedSeats(t *testing.T, s *models.Store, sessionID uint) int {
	t.Helper()
	var se models.Session
	if err := s.DB().First(&se, sessionID).Error; err != nil {
		t.Fatal(err)
	}
	return se.Confirmed
}

func TestOrganiserCancelPromotesNextInLineOnce(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		one := session(t, s, f, "Eén plaats", f.small, f.s1, 1, 1)
		a := must(s.Register(ctx, attendee(1, one.ID))).Registration
		b := must(s.Register(ctx, attendee(2, one.ID))).Registration
		c := must(s.Register(ctx, attendee(3, one.ID))).Registration
		if err := s.CancelFor(ctx, organiser, a.ID, "belde af: ziek"); err != nil {
			t.Fatal(err)
		}
		if st, _ := statusOf(t, s, b.ID, one.ID); st != models.BookingConfirmed {
			t.Errorf("next in line = %s, want confirmed", st)
		}
		if st, pos := statusOf(t, s, c.ID, one.ID); st != models.BookingWaitlisted || pos != 1 {
			t.Errorf("third = %s at %d, want waitlisted at 1", st, pos)
		}
		if got := confirmedSeats(t, s, one.ID); got != 1 {
			t.Errorf("confirmed = %d, want 1", got)
		}
		// Cancelling again changes nothing: no second promotion, no second entry.
		if err := s.CancelFor(ctx, organiser, a.ID, "nog een keer"); err != nil {
			t.Fatal(err)
		}
		if n := len(mails(t, s, b.ID, models.MailPromoted)); n != 1 {
			t.Errorf("promoted e-mails to the next in line = %d, want 1", n)
		}
		if n := len(mails(t, s, c.ID, models.MailPromoted)); n != 0 {
			t.Errorf("promoted e-mails to the third = %d, want 0", n)
		}
		cancelled := mails(t, s, a.ID, models.MailCancelled)
		if len(cancelled) != 1 || !cancelled[0].OnBehalf {
			t.Errorf("cancellation e-mails = %+v, want one on behalf", cancelled)
		}
		if m := mails(t, s, b.ID, models.MailPromoted); len(m) == 1 && m[0].OnBehalf {
			t.Error("the next in line's promotion is not an organiser acting for them")
		}
		trail := auditOf(t, s, a.ID)
		if len(trail) != 1 || trail[0].Action != models.AuditRegistrationCancel || trail[0].Reason != "belde af: ziek" ||
			trail[0].ActorName != organiser.Name || trail[0].VenueID == nil || *trail[0].VenueID != f.venue.ID {
			t.Errorf("audit trail = %+v, want one cancellation by the organiser with the reason", trail)
		}
	})
}

func TestRegisterForHonoursCapacityUnlessChosen(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		one := session(t, s, f, "Eén plaats", f.small, f.s1, 1, 1)
		must(s.Register(ctx, attendee(1, one.ID)))
		in := attendee(2, one.ID)
		in.Consent = false
		_, err := s.RegisterFor(ctx, organiser, in, false)
		wantProblem(t, err, "consent", "form.consent_required")

		in.Consent = true
		res := must(s.RegisterFor(ctx, organiser, in, false))
		if st, pos := statusOf(t, s, res.Registration.ID, one.ID); st != models.BookingWaitlisted || pos != 1 {
			t.Errorf("by default = %s at %d, want the waiting list", st, pos)
		}
		vip := must(s.RegisterFor(ctx, organiser, attendee(3, one.ID), true))
		if st, _ := statusOf(t, s, vip.Registration.ID, one.ID); st != models.BookingConfirmed {
			t.Errorf("over capacity = %s, want a seat", st)
		}
		if got := confirmedSeats(t, s, one.ID); got != 2 {
			t.Errorf("confirmed = %d, want 2 (one over capacity)", got)
		}
		trail := auditOf(t, s, vip.Registration.ID)
		if len(trail) != 1 || trail[0].Action != models.AuditRegistrationCreated || trail[0].DetailMap()["over_capacity"] != true {
			t.Errorf("audit = %+v, want a creation with over_capacity", trail)
		}
		if got := auditOf(t, s, res.Registration.ID); len(got) != 1 || got[0].DetailMap()["over_capacity"] != false {
			t.Errorf("audit = %+v, want over_capacity false", got)
		}
		conf := mails(t, s, vip.Registration.ID, models.MailConfirmation)
		if len(conf) != 1 || !conf[0].OnBehalf {
			t.Errorf("confirmation = %+v, want one on behalf", conf)
		}

		// A full venue: refused by default (and nothing written), taken over capacity.
		small := must(s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "klein", Name: "Klein", City: "Ede", Address: "Plein 1", Capacity: 1}))
		first := attendee(10)
		first.Venue = small.Slug
		must(s.Register(ctx, first))
		extra := attendee(11)
		extra.Venue = small.Slug
		entries := count(t, s, &models.AuditEntry{})
		if _, err := s.RegisterFor(ctx, organiser, extra, false); !errors.Is(err, models.ErrVenueFull) {
			t.Fatalf("full venue = %v, want ErrVenueFull", err)
		}
		if got := count(t, s, &models.AuditEntry{}); got != entries {
			t.Errorf("audit entries after a refused registration = %d, want %d", got, entries)
		}
		if _, err := s.RegisterFor(ctx, organiser, extra, true); err != nil {
			t.Fatalf("full venue over capacity: %v", err)
		}
	})
}

func TestUpdateDetailsAuditsFieldNamesOnly(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		se := session(t, s, f, "Sessie", f.big, f.s1, 1, 0)
		r := must(s.Register(ctx, attendee(1, se.ID))).Registration
		other := must(s.Register(ctx, attendee(2))).Registration
		in := models.DetailsOf(r)
		in.Name, in.Dietary = "Zoë de Vries", "Veganistisch, notenallergie"
		got := must(s.UpdateDetails(ctx, organiser, r.ID, in, "typfout"))
		if got.Name != "Zoë de Vries" || got.TicketVersion != r.TicketVersion+1 {
			t.Errorf("after update: name %q version %d, want the new name and version %d", got.Name, got.TicketVersion, r.TicketVersion+1)
		}
		page := must(s.People(ctx, models.Audience{Query: "zoe"}, "", 1, 10))
		if page.Total != 1 {
			t.Errorf("search for zoe finds %d, want 1 (search text updated)", page.Total)
		}
		trail := auditOf(t, s, r.ID)
		if len(trail) != 1 || trail[0].Action != models.AuditRegistrationDetails {
			t.Fatalf("audit = %+v, want one details entry", trail)
		}
		if strings.Contains(trail[0].Details+trail[0].Personal, "notenallergie") {
			t.Errorf("audit details %s %s contain the dietary text", trail[0].Details, trail[0].Personal)
		}
		// The new name is personal: kept apart from the details, so that it can be anonymised.
		if !strings.Contains(trail[0].Details, `"fields":["name","dietary"]`) || strings.Contains(trail[0].Details, "Zoë de Vries") ||
			!strings.Contains(trail[0].Personal, "Zoë de Vries") {
			t.Errorf("audit details = %s, personal = %s, want the field names in the one and the new name in the other", trail[0].Details, trail[0].Personal)
		}
		changed := mails(t, s, r.ID, models.MailChanged)
		if len(changed) != 1 || !changed[0].OnBehalf {
			t.Errorf("changed e-mails = %+v, want one on behalf", changed)
		}

		// Another person's address: refused, and neither the change nor an entry is written.
		in.Email = strings.ToUpper(other.Email)
		if _, err := s.UpdateDetails(ctx, organiser, r.ID, in, ""); !errors.Is(err, models.ErrAlreadyRegistered) {
			t.Fatalf("taken address = %v, want ErrAlreadyRegistered", err)
		}
		if n := len(auditOf(t, s, r.ID)); n != 1 {
			t.Errorf("audit entries after a refused change = %d, want 1", n)
		}
		// A new address of their own moves the unique active address too.
		in.Email = "zoe.devries@example.nl"
		must(s.UpdateDetails(ctx, organiser, r.ID, in, ""))
		clash := attendee(3)
		clash.Email = "Zoe.deVries@example.nl"
		if _, err := s.Register(ctx, clash); !errors.Is(err, models.ErrAlreadyRegistered) {
			t.Errorf("registering the new address = %v, want ErrAlreadyRegistered", err)
		}
		if _, err := s.Register(ctx, attendee(1)); err != nil {
			t.Errorf("registering the old address: %v, want it free", err)
		}
		// Nothing changed: nothing written.
		before := count(t, s, &models.OutboxMessage{})
		must(s.UpdateDetails(ctx, organiser, r.ID, in, ""))
		if got := count(t, s, &models.OutboxMessage{}); got != before {
			t.Errorf("outbox after an empty change = %d, want %d", got, before)
		}
	})
}

func TestWaitlistPromoteAndReorder(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		one := session(t, s, f, "Eén plaats", f.small, f.s1, 1, 1)
		var regs []models.Registration
		for i := range 4 {
			regs = append(regs, must(s.Register(ctx, attendee(i, one.ID))).Registration)
		}
		a, b, c, d := regs[0], regs[1], regs[2], regs[3]
		if _, err := s.MoveInWaitlist(ctx, organiser, d.ID, one.ID, 1, " "); err == nil {
			t.Fatal("a move without a reason was accepted")
		}
		if got := must(s.MoveInWaitlist(ctx, organiser, d.ID, one.ID, 1, "spreker")); got != 1 {
			t.Errorf("placed at %d, want 1", got)
		}
		late := must(s.Register(ctx, attendee(9, one.ID))).Registration
		for want, r := range []models.Registration{d, b, c, late} {
			if _, pos := statusOf(t, s, r.ID, one.ID); pos != want+1 {
				t.Errorf("%s at %d, want %d", r.Name, pos, want+1)
			}
		}
		if got := must(s.MoveInWaitlist(ctx, organiser, b.ID, one.ID, 99, "kan later")); got != 4 {
			t.Errorf("moved to the end = %d, want 4", got)
		}
		if _, err := s.MoveInWaitlist(ctx, organiser, a.ID, one.ID, 1, "x"); !errors.Is(err, models.ErrNotWaitlisted) {
			t.Errorf("moving a seated person = %v, want ErrNotWaitlisted", err)
		}

		entries := count(t, s, &models.AuditEntry{})
		if err := s.PromoteBooking(ctx, organiser, c.ID, one.ID, false, "gast"); !errors.Is(err, models.ErrSessionFull) {
			t.Fatalf("promote into a full session = %v, want ErrSessionFull", err)
		}
		if got := count(t, s, &models.AuditEntry{}); got != entries {
			t.Errorf("audit entries after a refused promotion = %d, want %d", got, entries)
		}
		if err := s.PromoteBooking(ctx, organiser, c.ID, one.ID, true, "gast van de spreker"); err != nil {
			t.Fatal(err)
		}
		if st, _ := statusOf(t, s, c.ID, one.ID); st != models.BookingConfirmed {
			t.Errorf("promoted = %s, want confirmed", st)
		}
		if p := mails(t, s, c.ID, models.MailPromoted); len(p) != 1 || !p[0].OnBehalf {
			t.Errorf("promoted e-mails = %+v, want one on behalf", p)
		}
		// Two seats taken of one: two people must leave before the list moves, and then
		// the first in the organisers' order (d) gets the seat, not the first to book (b).
		must(0, s.Cancel(ctx, a.ID))
		if st, _ := statusOf(t, s, d.ID, one.ID); st != models.BookingWaitlisted {
			t.Errorf("after one leaves (over capacity): d = %s, want still waiting", st)
		}
		must(0, s.CancelFor(ctx, organiser, c.ID, ""))
		if st, _ := statusOf(t, s, d.ID, one.ID); st != models.BookingConfirmed {
			t.Errorf("d = %s, want promoted in the organisers' order", st)
		}
		if st, pos := statusOf(t, s, late.ID, one.ID); st != models.BookingWaitlisted || pos != 1 {
			t.Errorf("late = %s at %d, want first in line", st, pos)
		}
		if got := confirmedSeats(t, s, one.ID); got != 1 {
			t.Errorf("confirmed = %d, want 1", got)
		}
		var actions []string
		for _, e := range auditOf(t, s, d.ID) {
			actions = append(actions, e.Action)
		}
		if !slices.Equal(actions, []string{models.AuditWaitlistMoved}) {
			t.Errorf("d's trail = %v, want one move", actions)
		}
	})
}

func TestChangeSessionsForIgnoresTheWindow(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		x := session(t, s, f, "X", f.big, f.s1, 1, 0)
		y := session(t, s, f, "Y", f.small, f.s1, 1, 0)
		r := must(s.Register(ctx, attendee(1, x.ID))).Registration
		closed := time.Now().Add(-time.Hour)
		if err := s.DB().Model(&models.Event{}).Where("id = ?", f.event.ID).Update("registration_closes_at", closed).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChangeSessions(ctx, r.ID, []uint{y.ID}, nil); !errors.Is(err, models.ErrRegistrationClosed) {
			t.Fatalf("attendee after closing = %v, want ErrRegistrationClosed", err)
		}
		got := must(s.ChangeSessionsFor(ctx, organiser, r.ID, []uint{y.ID}, nil, "belde"))
		if len(got.Bookings) != 1 || got.Bookings[0].SessionID != y.ID || got.Bookings[0].Status != models.BookingConfirmed {
			t.Errorf("bookings = %+v, want a seat in Y", got.Bookings)
		}
		trail := auditOf(t, s, r.ID)
		if len(trail) != 1 || trail[0].Action != models.AuditRegistrationSessions {
			t.Fatalf("audit = %+v", trail)
		}
		if !strings.Contains(trail[0].Details, `"removed":[`) {
			t.Errorf("details = %s, want removed and added sessions", trail[0].Details)
		}
		if m := mails(t, s, r.ID, models.MailChanged); len(m) != 1 || !m[0].OnBehalf {
			t.Errorf("changed e-mails = %+v, want one on behalf", m)
		}
		// Two choices in one slot: refused, nothing written.
		if _, err := s.ChangeSessionsFor(ctx, organiser, r.ID, []uint{x.ID, y.ID}, nil, ""); err == nil {
			t.Error("two sessions in one slot were accepted")
		}
		if n := len(auditOf(t, s, r.ID)); n != 1 {
			t.Errorf("audit entries = %d, want 1", n)
		}
		must(0, s.ResendLinkFor(ctx, organiser, r.ID))
		if m := mails(t, s, r.ID, models.MailLink); len(m) != 1 || !m[0].OnBehalf {
			t.Errorf("link e-mails = %+v, want one on behalf", m)
		}
		if trail := auditOf(t, s, r.ID); trail[0].Action != models.AuditRegistrationLink {
			t.Errorf("newest entry = %s, want the link", trail[0].Action)
		}
	})
}

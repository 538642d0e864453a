package models_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// erasable is an attendee with everything an erasure must find: needs, a job title, an
// organisation, an organiser's correction in the audit trail, e-mails.
type erasable struct {
	models.RegistrationResult
	name, email, dietary, accessibility string
}

func (p erasable) needles() []string {
	return []string{p.name, p.email, p.dietary, p.accessibility, "Adviseur van " + p.name}
}

func registerErasable(t *testing.T, s *models.Store, name, email string, seats, wait []uint) erasable {
	t.Helper()
	p := erasable{name: name, email: email, dietary: "Halal zonder " + name, accessibility: "Rolstoel voor " + name}
	p.RegistrationResult = must(s.Register(ctx, models.RegistrationInput{Name: "Eerst " + name, Email: email,
		Organisation: "Gemeente Zwolle", JobTitle: "Adviseur van " + name, Dietary: p.dietary,
		Accessibility: p.accessibility, Lang: "nl", Venue: "zwolle", Sessions: seats, Waitlist: wait, Consent: true}))
	// An organiser corrects the name: the audit trail now holds the old and the new one.
	must(s.UpdateDetails(ctx, organiser, p.Registration.ID, models.DetailsInput{Name: name, Email: email,
		Organisation: "Gemeente Zwolle", JobTitle: "Adviseur van " + name, Dietary: p.dietary,
		Accessibility: p.accessibility}, "typefout"))
	return p
}

// sendAll sends everything in the outbox, as the mail worker would.
func sendAll(t *testing.T, s *models.Store) {
	t.Helper()
	for {
		msgs := must(s.ClaimOutbox(ctx, 100, time.Minute))
		if len(msgs) == 0 {
			return
		}
		for _, m := range msgs {
			if err := s.MarkSent(ctx, m.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The export holds the person's registration, seats, waiting lists, check-ins, e-mails and
// audit entries, and nothing of anyone else: not another attendee, not the organiser who
// acted.
func TestExportRegistrationHoldsOnlyTheirOwnData(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		full := session(t, s, f, "Eén plek", f.small, f.s1, 1, 1)
		later := session(t, s, f, "Later", f.big, f.s2, 1, 0)
		bert := registerErasable(t, s, "Bert Bosschaert", "bert@example.nl", []uint{full.ID}, nil)
		anna := registerErasable(t, s, "Anna Vermeulen", "anna@example.nl", []uint{later.ID}, []uint{full.ID})
		in := must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: anna.Registration.ID, Door: "Hoofdingang"}))
		// Her ticket was scanned at another door too, offline: the organisers keep that scan.
		modelstest.Insert(t, s, &models.CheckInConflict{VenueID: f.venue.ID, RegistrationID: anna.Registration.ID,
			CheckInID: in.CheckIn.ID, Door: "Zij-ingang", ScannedAt: time.Now().UTC()})
		// She waited at Eén plek's door, then went into Later; Bert was scanned into Eén plek.
		at := time.Now().UTC().Truncate(time.Second)
		modelstest.Insert(t, s,
			&models.RoomWait{SessionID: full.ID, RegistrationID: anna.Registration.ID, ScannedAt: at, ReceivedAt: at, Door: "Kamer 1"},
			&models.RoomCheckIn{SessionID: later.ID, RegistrationID: anna.Registration.ID, ScannedAt: at.Add(time.Minute), ReceivedAt: at, Door: "Statenzaal"},
			&models.RoomCheckIn{SessionID: full.ID, RegistrationID: bert.Registration.ID, ScannedAt: at, ReceivedAt: at, Door: "Kamer 1"})

		got := must(s.ExportRegistration(ctx, anna.Registration.ID))
		if len(got.RoomScans) != 2 || got.RoomScans[0].Kind != "waiting" || got.RoomScans[0].Title != "Eén plek" ||
			got.RoomScans[1].Kind != "in" || got.RoomScans[1].SessionID != later.ID || got.RoomScans[1].Door != "Statenzaal" {
			t.Errorf("room scans = %+v, want waiting at Eén plek, then in Later", got.RoomScans)
		}
		if got.Registration.Name != anna.name || got.Registration.Email != anna.email || got.Registration.Dietary != anna.dietary ||
			got.Registration.Accessibility != anna.accessibility || got.Registration.OrganisationType != models.OrgGemeente {
			t.Errorf("registration = %+v", got.Registration)
		}
		if len(got.Seats) != 1 || got.Seats[0].SessionID != later.ID || got.Seats[0].Room != f.big.Name || got.Seats[0].StartsAt == nil {
			t.Errorf("seats = %+v, want Later in %s", got.Seats, f.big.Name)
		}
		if len(got.WaitingLists) != 1 || got.WaitingLists[0].SessionID != full.ID || got.WaitingLists[0].Position != 1 {
			t.Errorf("waiting lists = %+v, want first in line for %d", got.WaitingLists, full.ID)
		}
		if len(got.CheckIns) != 1 || got.CheckIns[0].Door != "Hoofdingang" {
			t.Errorf("check-ins = %+v", got.CheckIns)
		}
		if len(got.OtherScans) != 1 || got.OtherScans[0].Door != "Zij-ingang" {
			t.Errorf("other scans = %+v", got.OtherScans)
		}
		kinds := map[string]bool{}
		for _, m := range got.Emails {
			kinds[m.Kind] = true
		}
		if !kinds[models.MailConfirmation] || !kinds[models.MailChanged] {
			t.Errorf("e-mails = %+v, want the confirmation and the change", got.Emails)
		}
		if len(got.Audit) != 1 || got.Audit[0].Action != models.AuditRegistrationDetails || got.Audit[0].Reason != "typefout" {
			t.Fatalf("audit = %+v, want the organiser's correction", got.Audit)
		}
		b := must(json.Marshal(got))
		text := string(b)
		for _, own := range []string{anna.name, anna.email, anna.dietary, "Eerst " + anna.name} {
			if !strings.Contains(text, own) {
				t.Errorf("the export lacks %q: %s", own, text)
			}
		}
		for _, other := range []string{bert.name, bert.email, bert.dietary, organiser.Name} {
			if strings.Contains(text, other) {
				t.Errorf("the export holds someone else's %q: %s", other, text)
			}
		}
		if _, err := s.ExportRegistration(ctx, 999999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("export of an unknown registration: %v, want ErrNotFound", err)
		}
	})
}

// Erasing a person who has not come gives their seat to the first in line, keeps the figures
// true, stops their ticket and links, and leaves no trace of them once the confirmation went
// out; the audit chain still verifies.
func TestEraseRegistrationFreesSeatsAndLeavesNoTrace(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		full := session(t, s, f, "Eén plek", f.small, f.s1, 1, 1)
		anna := registerErasable(t, s, "Anna Vermeulen", "anna@example.nl", []uint{full.ID}, nil)
		bert := registerErasable(t, s, "Bert Bosschaert", "bert@example.nl", nil, []uint{full.ID})
		before := must(s.DashboardFigures(ctx, f.event.ID, nil, false)).Total
		seatsBefore := must(s.Session(ctx, full.ID)).Confirmed
		// The rate limits count e-mails per address, under a name holding it.
		for _, p := range []erasable{anna, bert} {
			must2(s.CountAttempt(ctx, "recipient:mail:"+p.email, time.Hour))
		}

		// As through the personal link: no organiser in the context.
		got := must(s.EraseRegistration(context.Background(), anna.Registration.ID))
		if got.Attended || got.SeatsReleased != 1 || got.AuditAnonymised != 1 || got.AlreadyErased {
			t.Errorf("erasure = %+v", got)
		}
		if st, _ := statusOf(t, s, bert.Registration.ID, full.ID); st != models.BookingConfirmed {
			t.Errorf("the one waiting: %s, want the seat", st)
		}
		if n := must(s.Session(ctx, full.ID)).Confirmed; n != seatsBefore {
			t.Errorf("seats taken in the session: %d, want %d", n, seatsBefore)
		}
		after := must(s.DashboardFigures(ctx, f.event.ID, nil, false)).Total
		if after.Registered+after.Cancelled != before.Registered+before.Cancelled || after.Registered != before.Registered-1 {
			t.Errorf("figures after: %d registered, %d cancelled; before %d, %d", after.Registered, after.Cancelled, before.Registered, before.Cancelled)
		}
		if _, err := s.RegistrationByToken(ctx, anna.Token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the personal link after erasure: %v, want ErrNotFound", err)
		}
		r := must(s.Registration(ctx, anna.Registration.ID))
		if r.Status != models.RegistrationCancelled || r.Name != models.ErasedName || r.Email != "" || r.ErasedAt == nil ||
			models.OrganisationType(r.Organisation) != models.OrgGemeente || r.TicketVersion <= anna.Registration.TicketVersion {
			t.Errorf("erased registration = %+v", r)
		}
		// Nothing waits for her but the confirmation of the erasure.
		var pending []string
		for _, m := range modelstest.OutboxMessages(t, s) {
			if m.RegistrationID != nil && *m.RegistrationID == anna.Registration.ID && m.SentAt == nil {
				pending = append(pending, m.Kind)
			}
		}
		if len(pending) != 1 || pending[0] != models.MailErased {
			t.Errorf("e-mails waiting for her: %v, want only %q", pending, models.MailErased)
		}

		sendAll(t, s)
		if traces := must(s.FindTraces(ctx, anna.needles()...)); len(traces) != 0 {
			t.Errorf("traces of the erased person: %v", traces)
		}
		if traces := must(s.FindTraces(ctx, bert.email)); len(traces) < 3 { // registration, outbox, counter
			t.Error("the other attendee is gone too")
		}
		check := must(s.VerifyAudit(ctx))
		if check.Broken != nil || check.Anonymised != 1 {
			t.Errorf("audit chain after erasure: %+v", check)
		}
		trail := must(s.AuditTrail(ctx, models.SubjectRegistration, anna.Registration.ID))
		if len(trail) != 2 || trail[0].Action != models.ActionRegistrationErased || trail[0].ActorKind != models.ActorPerson {
			t.Errorf("audit trail = %+v, want the erasure by the person first", trail)
		}

		again := must(s.EraseRegistration(ctx, anna.Registration.ID))
		if !again.AlreadyErased {
			t.Errorf("second erasure = %+v, want AlreadyErased", again)
		}
		if st := must(s.Outbox(ctx)); st.Pending != 0 {
			t.Errorf("a second erasure queued %d e-mails", st.Pending)
		}
		if _, err := s.EraseRegistration(ctx, 999999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("erasure of an unknown registration: %v, want ErrNotFound", err)
		}
	})
}

// A person who has come in stays counted as an attendee (anonymously): erasing them after
// the event leaves attendance and the figures per organisation type as they were.
func TestEraseRegistrationKeepsAttendance(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		talk := session(t, s, f, "Praatje", f.big, f.s1, 1, 0)
		anna := registerErasable(t, s, "Anna Vermeulen", "anna@example.nl", []uint{talk.ID}, nil)
		must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: anna.Registration.ID, Door: "Hoofdingang"}))
		before := must(s.DashboardFigures(ctx, f.event.ID, nil, false)).Total

		got := must(s.EraseRegistration(ctx, anna.Registration.ID))
		if !got.Attended || got.SeatsReleased != 0 {
			t.Errorf("erasure = %+v, want attended, no seats released", got)
		}
		after := must(s.DashboardFigures(ctx, f.event.ID, nil, false)).Total
		if after.Registered != before.Registered || after.CheckedIn != before.CheckedIn ||
			after.ByOrgType[models.OrgGemeente] != before.ByOrgType[models.OrgGemeente] {
			t.Errorf("figures after: %+v, before %+v", after, before)
		}
		// Her old ticket no longer opens the door.
		out := must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: anna.Registration.ID,
			TicketVersion: anna.Registration.TicketVersion, Door: "Zij-ingang"}))
		if out.Result == models.CheckInAdmitted {
			t.Errorf("the erased person's old ticket: %s", out.Result)
		}
		sendAll(t, s)
		if traces := must(s.FindTraces(ctx, anna.needles()...)); len(traces) != 0 {
			t.Errorf("traces of the erased person: %v", traces)
		}
	})
}

// Each stand-in for an erased organisation is of the type it stands in for, or the figures
// per type would move.
func TestErasedOrganisationsKeepTheirType(t *testing.T) {
	t.Parallel()
	for _, kind := range models.OrganisationTypes {
		if got := models.OrganisationType(models.ErasedOrganisation(kind)); got != kind {
			t.Errorf("stand-in for %s is %q, of type %s", kind, models.ErasedOrganisation(kind), got)
		}
	}
}

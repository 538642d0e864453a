package main

import (
	"log/slog"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestPeriodicJobsSendFeedbackOnce: the periodic jobs queue the feedback e-mail (issue #18)
// the day after the event to the one person checked in, and never again however often they
// run, also when the next edition is current already.
func TestPeriodicJobsSendFeedbackOnce(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	s := modelstest.SQLite(t)
	e, err := s.CreateEvent(ctx, models.EventInput{Name: "Dag", Date: "2027-02-03"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.CreateVenue(ctx, e.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle", Address: "Luttenbergstraat 2", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	came := modelstest.Attendee(t, s, "zwolle")
	modelstest.Attendee(t, s, "zwolle") // stayed away
	if _, err := s.CheckIn(ctx, models.CheckInInput{VenueID: v.ID, RegistrationID: came.Registration.ID, Door: "Hoofdingang"}); err != nil {
		t.Fatal(err)
	}
	// Next year's edition is already published and current: this year's people still get
	// their e-mail.
	if _, err := s.CreateEvent(ctx, models.EventInput{Name: "Dag", Date: "2028-02-02"}); err != nil {
		t.Fatal(err)
	}
	feedback := func() int {
		n := 0
		for _, m := range modelstest.OutboxMessages(t, s) {
			if m.Kind == models.MailFeedback {
				n++
			}
		}
		return n
	}
	log := slog.New(slog.DiscardHandler)
	for i, at := range []time.Time{
		time.Date(2027, 2, 3, 22, 50, 0, 0, time.UTC), // 23:50 on the day in Amsterdam: not yet
		time.Date(2027, 2, 4, 7, 0, 0, 0, time.UTC),
		time.Date(2027, 2, 4, 7, 10, 0, 0, time.UTC),
		time.Date(2027, 2, 6, 7, 0, 0, 0, time.UTC),
	} {
		s.SetClock(func() time.Time { return at })
		runDueJobs(ctx, s, log, at)
		want := 1
		if i == 0 {
			want = 0
		}
		if got := feedback(); got != want {
			t.Errorf("at %s: %d feedback e-mails, want %d", at, got, want)
		}
	}
}

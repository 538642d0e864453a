package main

import (
	"log/slog"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestPeriodicJobsQueuePlannedMessages: the periodic jobs queue a planned message once its
// time has come, and not before.
func TestPeriodicJobsQueuePlannedMessages(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	s := modelstest.SQLite(t)
	e, err := s.CreateEvent(ctx, models.EventInput{Name: "Dag", Date: "2027-02-03"})
	if err != nil {
		t.Fatal(err)
	}
	by := models.Actor{Kind: models.ActorUser, ID: 1, Name: "organisator@example.nl"}
	if _, err := s.CreateUser(ctx, models.UserInput{Email: "beoordelaar@example.nl", Password: "een lang wachtwoord", Role: models.RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	m, err := s.CreateMessage(ctx, e.ID, by, models.MessageInput{Audience: models.Audience{Kind: models.AudienceReviewers},
		SubjectNL: "Beoordelen", BodyNL: "Tot {datum}."})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := s.ScheduleMessage(ctx, by, m.ID, now.Add(90*time.Second)); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	runDueJobs(ctx, s, log, now)
	if got, _ := s.Message(ctx, m.ID); got.Status() != models.MessageScheduled {
		t.Fatalf("before its time the message is %s, want scheduled", got.Status())
	}
	later := now.Add(2 * time.Minute)
	s.SetClock(func() time.Time { return later })
	runDueJobs(ctx, s, log, later)
	if got, _ := s.Message(ctx, m.ID); got.Status() != models.MessageQueued || got.Recipients != 1 {
		t.Errorf("after its time the message is %s with %d recipients, want queued for 1", got.Status(), got.Recipients)
	}
}

package schedule_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// staleStore hands out planning data of an older timetable revision, as if someone moved a
// session while the planner ran.
type staleStore struct{ *models.Store }

func (s staleStore) PlanningData(ctx context.Context, eventID uint) (models.PlanningData, error) {
	d, err := s.Store.PlanningData(ctx, eventID)
	d.Event.TimetableRevision--
	return d, err
}

// TestRunPlanner runs the planner on the demo as the board and the command do: a dry run
// changes nothing, a run that applies places the waiting sessions, and a plan made on a
// timetable that changed meanwhile is not applied.
func TestRunPlanner(t *testing.T) {
	ctx := modelstest.Ctx()
	s := modelstest.SQLite(t)
	if err := demo.Load(ctx, s, demo.Options{Now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	e, err := s.CurrentEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	revision := func() int {
		t.Helper()
		d, err := s.PlanningData(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		return d.Event.TimetableRevision
	}
	run := schedule.PlannerRun{EventID: e.ID, Request: schedule.Request{Mode: schedule.PlaceUnplaced, Seed: 1, Iterations: 20000, TimeLimit: 5 * time.Second}}

	before := revision()
	dry, err := schedule.RunPlanner(ctx, s, run)
	if err != nil {
		t.Fatal(err)
	}
	if dry.Applied || len(dry.Moves) == 0 || dry.Result.Placed == 0 {
		t.Fatalf("dry run: applied %v, %d moves, %d placed; want a plan with moves, not applied", dry.Applied, len(dry.Moves), dry.Result.Placed)
	}
	if got := revision(); got != before {
		t.Errorf("a dry run changed the timetable: revision %d, want %d", got, before)
	}

	run.Apply = true
	_, err = schedule.RunPlanner(ctx, staleStore{s}, run)
	var notApplied *schedule.ApplyError
	if !errors.As(err, &notApplied) || !errors.Is(err, models.ErrConflict) {
		t.Errorf("a plan on a stale timetable: error %v, want an ApplyError wrapping ErrConflict", err)
	}
	if got := revision(); got != before {
		t.Errorf("a refused plan changed the timetable: revision %d, want %d", got, before)
	}

	res, err := schedule.RunPlanner(ctx, s, run)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Applied || len(res.Moves) != len(dry.Moves) {
		t.Errorf("applied %v with %d moves, want the dry run's %d applied", res.Applied, len(res.Moves), len(dry.Moves))
	}
	if got := revision(); got != before+1 {
		t.Errorf("revision after applying %d, want %d", got, before+1)
	}
	again, err := schedule.RunPlanner(ctx, s, run)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(again.Result.Unplaced), len(res.Result.Unplaced); got != want || again.Result.Placed != 0 {
		t.Errorf("a second run placed %d, left %d unplaced; want nothing more to place, %d unplaced", again.Result.Placed, got, want)
	}
}

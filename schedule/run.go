package schedule

import (
	"context"
	"errors"

	"github.com/ambtenaar20/dagplanner/models"
)

// PlanStore is where a planner run reads an event's planning data and applies its moves:
// *models.Store. The planner itself stays pure; RunPlanner only loads, plans and applies.
type PlanStore interface {
	PlanningData(ctx context.Context, eventID uint) (models.PlanningData, error)
	LatestScheduleVersion(ctx context.Context, eventID uint) (models.ScheduleVersion, error)
	ApplyPlan(ctx context.Context, eventID uint, revision int, moves []models.Placement) error
}

// PlannerRun is one run of the automatic planner on an event, as the board's button and the
// "schedule plan" command start it.
type PlannerRun struct {
	EventID uint
	// VenueID limits the run to one venue; 0 plans every venue.
	VenueID uint
	// Request gives the mode, seed and budget; the rest is filled in from the event.
	Request Request
	// Apply applies the moves in one transaction; without it the run changes nothing.
	Apply bool
}

// PlannerResult is what a run found, and whether its moves were applied.
type PlannerResult struct {
	EventPlan
	// Moves are the placements that turn the timetable into the new plan.
	Moves   []models.Placement
	Applied bool
}

// RunPlanner runs the planner on an event: it reads the planning data and the latest
// published schedule (the reference of minimal change), plans, and applies the moves when
// asked to. An infeasible request returns an *InfeasibleError (with the result's Problem
// set) and changes nothing. An error from applying is an *ApplyError (wrapping the store's
// models.ErrConflict when the timetable changed meanwhile); the result then holds the plan
// that was not applied.
func RunPlanner(ctx context.Context, st PlanStore, run PlannerRun) (PlannerResult, error) {
	d, err := st.PlanningData(ctx, run.EventID)
	if err != nil {
		return PlannerResult{}, err
	}
	var published []models.PublishedSession
	if v, err := st.LatestScheduleVersion(ctx, run.EventID); err == nil {
		published = v.Sessions
	} else if !errors.Is(err, models.ErrNotFound) {
		return PlannerResult{}, err
	}
	ep, err := PlanEvent(d, published, run.VenueID, run.Request)
	res := PlannerResult{EventPlan: ep}
	if err != nil {
		return res, err
	}
	res.Moves = ep.Moves()
	if !run.Apply {
		return res, nil
	}
	if err := st.ApplyPlan(ctx, run.EventID, d.Event.TimetableRevision, res.Moves); err != nil {
		return res, &ApplyError{Err: err}
	}
	res.Applied = true
	return res, nil
}

// ApplyError is a plan the store did not apply; nothing changed.
type ApplyError struct{ Err error }

func (e *ApplyError) Error() string { return "apply: " + e.Err.Error() }

// Unwrap returns the store's error.
func (e *ApplyError) Unwrap() error { return e.Err }

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// planSchedule implements "dagplanner schedule plan": it runs the automatic planner on the
// current event and prints what it would do; with --apply it applies the moves in one
// transaction. Without --apply it changes nothing.
func planSchedule(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner schedule plan", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	venue := fs.String("venue", "", `the slug of the venue to plan, or "all" (required)`)
	seed := fs.Uint64("seed", 1, "the planner's seed: the same seed gives the same plan")
	all := fs.Bool("all", false, "re-place every unpinned session, not only the unplaced ones")
	minimal := fs.Bool("minimal-change", false, "change the published schedule as little as possible")
	budget := fs.Duration("budget", 5*time.Second, "the most time the search may take")
	iterations := fs.Int("iterations", 200000, "the most moves the search tries")
	apply := fs.Bool("apply", false, "apply the plan (without it, a dry run that changes nothing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("schedule plan: unexpected argument %q", fs.Arg(0))
	}
	if *venue == "" {
		return errors.New(`schedule plan: --venue is required (a venue's slug, or "all")`)
	}
	if *all && *minimal {
		return errors.New("schedule plan: choose --all or --minimal-change, not both")
	}
	if *budget <= 0 || *iterations <= 0 {
		return errors.New("schedule plan: --budget and --iterations must be positive")
	}
	mode := schedule.PlaceUnplaced
	switch {
	case *all:
		mode = schedule.PlaceAll
	case *minimal:
		mode = schedule.MinimalChange
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	event, err := store.CurrentEvent(ctx)
	if err != nil {
		return fmt.Errorf("schedule plan: %w", err)
	}
	var venueID uint
	if *venue != "all" {
		v, err := store.VenueBySlug(ctx, *venue)
		if err != nil || v.EventID != event.ID {
			return fmt.Errorf("schedule plan: --venue %q names no venue of %s", *venue, event.Name)
		}
		venueID = v.ID
	}
	res, err := schedule.RunPlanner(ctx, store, schedule.PlannerRun{EventID: event.ID, VenueID: venueID, Apply: *apply,
		Request: schedule.Request{Mode: mode, Seed: *seed, Iterations: *iterations, TimeLimit: *budget}})
	var notApplied *schedule.ApplyError
	switch {
	case errors.Is(err, schedule.ErrInfeasible):
		return fmt.Errorf("schedule plan: infeasible, nothing changed: %w", err)
	case err != nil && !errors.As(err, &notApplied):
		return fmt.Errorf("schedule plan: %w", err)
	}
	printPlanReport(stdout, res.EventPlan, len(res.Moves))
	if notApplied != nil {
		return fmt.Errorf("schedule plan: %w", err) // "schedule plan: apply: …"
	}
	if !res.Applied {
		fmt.Fprintf(stdout, "Dry run: nothing changed. Run again with --apply to apply %d change(s).\n", len(res.Moves))
		return nil
	}
	fmt.Fprintf(stdout, "Applied %d change(s) to the timetable.\n", len(res.Moves))
	return nil
}

// printPlanReport writes what the planner did, in a few readable lines.
func printPlanReport(w io.Writer, ep schedule.EventPlan, changes int) {
	r, s := ep.Result, ep.Result.Score
	fmt.Fprintf(w, "Attendable wishes: %d of %d (%.1f%%)\n", s.Attendable, s.UpperBound, s.AttendablePercent())
	fmt.Fprintf(w, "Seats short: %d; expected overflow: %d\n", s.SeatsShort, s.Overflow)
	fmt.Fprintf(w, "Sessions placed: %d; moved: %d; unplaced: %d; changes: %d\n", r.Placed, r.Moved, len(r.Unplaced), changes)
	fmt.Fprintf(w, "Hard-rule violations: %d\n", len(ep.Problem.Violations(r.Plan)))
	if exp := r.Explain(ep.Problem); exp != "" {
		fmt.Fprintln(w, exp)
		for _, u := range r.Unplaced {
			fmt.Fprintf(w, "  - %q: %s\n", ep.Problem.Sessions[u.Session].Title, u.Reason)
		}
	}
}

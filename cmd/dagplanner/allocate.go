package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/preference"
)

// allocate implements "dagplanner allocate": it allocates the seats of the current event's
// venues by preference (issue #19), once, or with --dry-run computes the allocation without
// writing, with any seed. It prints one line per venue (allocationLine).
func allocate(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner allocate", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	seed := fs.String("seed", "", "the published value ties are broken by (default: the event's); another value only with --dry-run")
	venue := fs.String("venue", "", "allocate only the venue with this slug (default: every venue)")
	dryRun := fs.Bool("dry-run", false, "compute and print the allocation, writing nothing (any time, any seed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("allocate: unexpected argument %q", fs.Arg(0))
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	e, err := store.CurrentEvent(ctx)
	if err != nil {
		return fmt.Errorf("allocate: %w", err)
	}
	outs, err := preference.RunEvent(ctx, store, e.ID, *venue, preference.Options{Seed: *seed, DryRun: *dryRun})
	for _, out := range outs {
		fmt.Fprintln(stdout, allocationLine(out))
	}
	switch {
	case errors.Is(err, models.ErrAlreadyAllocated):
		return fmt.Errorf("%w: an allocation runs once; --dry-run computes it again without writing", err)
	case errors.Is(err, preference.ErrSeedMismatch):
		return fmt.Errorf("%w (the event's is %s)", err, seedText(e.AllocationSeed))
	}
	return err
}

// allocationLine is the line allocate prints for a venue. The seed is printed as it is, or
// quoted Go-style when it holds a space, a quote or a character that is not printable.
// optimal says whether the search proved no allocation costs less (allocation.Tally.Optimal),
// bound is the least cost any allocation could have (the cost itself when optimal).
func allocationLine(out preference.Outcome) string {
	t := out.Tally
	return fmt.Sprintf("allocate: venue=%s people=%d first=%d second=%d third=%d none=%d cost=%d seed=%s optimal=%t bound=%d",
		out.Venue, t.People, t.First(), t.Second(), t.Third(), t.None, t.Cost, seedText(out.Seed), t.Optimal, t.Bound)
}

func seedText(seed string) string {
	if seed == "" || strings.ContainsFunc(seed, func(r rune) bool { return r <= ' ' || r == '"' || r == '\\' || r == 0x7f || r > 0x7e }) {
		return fmt.Sprintf("%q", seed)
	}
	return seed
}

// allocationJob is the periodic job that allocates, at the event's allocation time, every venue
// of an event in preference mode that has no allocation yet (preference.Due). The unique
// allocation row makes it run once across processes; ClaimJobRun saves the others the work.
func allocationJob(store *models.Store, ctx context.Context) error {
	ctx = models.WithActor(ctx, models.Actor{Kind: models.ActorSystem, Name: "allocation"})
	outs, err := preference.Due(ctx, store, store.Now())
	for _, out := range outs {
		jobLog(ctx).Info("allocated by preference", "venue", out.Venue, "people", out.Tally.People,
			"first", out.Tally.First(), "none", out.Tally.None, "seed", out.Seed)
	}
	return err
}

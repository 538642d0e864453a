package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// purge implements "dagplanner purge": it applies the events' retention periods now (what the
// daily job does) and prints what it did, or with --dry-run what it would do.
func purge(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner purge", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	dryRun := fs.Bool("dry-run", false, "show what the retention periods call for, changing nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("purge: unexpected argument %q", fs.Arg(0))
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := store.Purge(ctx, time.Now(), *dryRun)
	if err != nil {
		return err
	}
	writePurgeReport(stdout, rep)
	return nil
}

// writePurgeReport prints a purge report: a line saying what kind of run it was, then per
// category and event what was (or would be) done, and the ids concerned.
func writePurgeReport(w io.Writer, rep models.PurgeReport) {
	at := rep.At.UTC().Format("2006-01-02 15:04 UTC")
	if rep.DryRun {
		fmt.Fprintf(w, "Dry run at %s: what purge would do; nothing was changed.\n", at)
	} else {
		fmt.Fprintf(w, "Purge at %s.\n", at)
	}
	if len(rep.Items) == 0 {
		fmt.Fprintln(w, "Nothing to do: no retention period has ended with data left to remove.")
		return
	}
	for _, it := range rep.Items {
		due := it.Due.UTC().Format("2006-01-02 15:04 UTC")
		if it.Category == models.PurgeAuditLog {
			fmt.Fprintf(w, "- %s (entries written before %s): %s\n", it.Category, due, purgeCounts(it))
		} else {
			fmt.Fprintf(w, "- %s, event %d (period ended %s): %s\n", it.Category, it.EventID, due, purgeCounts(it))
		}
		if len(it.IDs) > 0 {
			ids := make([]string, len(it.IDs))
			for i, id := range it.IDs {
				ids[i] = fmt.Sprint(id)
			}
			what := "registrations"
			if it.Category == models.PurgeProposals {
				what = "proposals"
			}
			fmt.Fprintf(w, "  %s: %s\n", what, strings.Join(ids, ", "))
		}
	}
}

// purgeCounts writes an item's counts as "what n, what n".
func purgeCounts(it models.PurgeItem) string {
	parts := make([]string, len(it.Counts))
	for i, c := range it.Counts {
		parts[i] = fmt.Sprintf("%s %d", c.What, c.N)
	}
	return strings.Join(parts, ", ")
}

// purgeJob is the daily retention job: Purge now, and a log line per category it worked on.
func purgeJob(store *models.Store, ctx context.Context) error {
	rep, err := store.Purge(ctx, time.Now(), false)
	if err != nil {
		return err
	}
	log := jobLog(ctx)
	for _, it := range rep.Items {
		log.Info("retention purge", "category", it.Category, "event", it.EventID, "due", it.Due, "done", purgeCounts(it))
	}
	return nil
}

// jobLogKey is the context key under which runDueJobs hands its logger to the jobs.
type jobLogKey struct{}

// jobLog is the logger runDueJobs put in ctx, or the default one.
func jobLog(ctx context.Context) *slog.Logger {
	if log, ok := ctx.Value(jobLogKey{}).(*slog.Logger); ok {
		return log
	}
	return slog.Default()
}

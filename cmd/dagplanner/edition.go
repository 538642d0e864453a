package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// copyEvent implements "dagplanner event copy": it creates a new edition from the last one
// (or the one of --from), on --date, with the parts of --what, and prints what it created, or
// with --dry-run what it would create. The new edition starts unpublished; organisers publish
// it at /beheer/edities.
func copyEvent(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner event copy", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	date := fs.String("date", "", "the new edition's date, YYYY-MM-DD: after the last one's, in a year without an edition (required)")
	what := fs.String("what", strings.Join(models.CopyDefault, ","), "what to copy, comma-separated, of "+strings.Join(models.CopyParts, ","))
	from := fs.Int("from", 0, "the year of the edition to copy (default: the latest edition)")
	dryRun := fs.Bool("dry-run", false, "print what the copy would create, creating nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("event copy: unexpected argument %q", fs.Arg(0))
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	src, err := copySource(ctx, store, *from)
	if err != nil {
		return fmt.Errorf("event copy: %w", err)
	}
	in := models.CopyInput{Date: strings.TrimSpace(*date), What: strings.Split(*what, ",")}
	if *dryRun {
		sum, err := store.PlanCopy(ctx, src.ID, in)
		if err != nil {
			return copyError(err)
		}
		fmt.Fprintf(stdout, "event copy: dry run, nothing created; would create edition %s from %s: %s\n", sum.Date, src.Date, copyCounts(sum))
		return nil
	}
	e, sum, err := store.CopyEvent(ctx, src.ID, in)
	if err != nil {
		return copyError(err)
	}
	fmt.Fprintf(stdout, "event copy: created edition %d (%s, id %d, unpublished) from %s: %s\n", e.Year(), e.Date, e.ID, src.Date, copyCounts(sum))
	return nil
}

// copySource is the edition to copy: the one of year, or without one the latest.
func copySource(ctx context.Context, store *models.Store, year int) (models.Event, error) {
	if year != 0 {
		return store.EditionByYear(ctx, year)
	}
	editions, err := store.Editions(ctx)
	if err != nil {
		return models.Event{}, err
	}
	if len(editions) == 0 {
		return models.Event{}, fmt.Errorf("no edition to copy: %w", models.ErrNotFound)
	}
	return editions[0], nil
}

// copyCounts says what a copy takes, part by part, and what it never takes.
func copyCounts(sum models.CopySummary) string {
	counts := map[string]int{models.CopyVenues: sum.Venues, models.CopyRooms: sum.Rooms, models.CopySlots: sum.Slots,
		models.CopyTracks: sum.Tracks, models.CopyTemplates: sum.Templates, models.CopySessions: sum.Sessions}
	var parts []string
	for _, p := range sum.Parts {
		if n, ok := counts[p]; ok {
			parts = append(parts, strconv.Itoa(n)+" "+p)
		} else {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ") + "; no people, registrations or votes"
}

// copyError says in English what is wrong with a copy's input, in the words the web form uses.
func copyError(err error) error {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return fmt.Errorf("event copy: %w", err)
	}
	cat, lerr := locale.Load()
	if lerr != nil {
		return fmt.Errorf("event copy: %w", err)
	}
	tr := cat.Translator(locale.English)
	var texts []string
	for _, field := range verr.Problems.Fields() {
		p := verr.Problems[field]
		texts = append(texts, "--"+field+": "+tr.T(p.Key, p.Args...))
	}
	return fmt.Errorf("event copy: %s", strings.Join(texts, "; "))
}

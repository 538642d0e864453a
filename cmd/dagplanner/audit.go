package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// auditVerify implements "dagplanner audit verify": it walks the audit log's hash chain and
// prints OK with the number of entries, or fails naming the first entry that breaks it.
func auditVerify(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs, db := auditFlags("verify", getenv, stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	check, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if check.Broken != nil {
		return fmt.Errorf("audit verify: the chain is broken after %d sound entries: %s", check.Entries, check.Broken)
	}
	fmt.Fprintf(stdout, "OK: %d entries, %d of them anonymised\n", check.Entries, check.Anonymised)
	return nil
}

// auditAnonymise implements "dagplanner audit anonymise": it removes the personal fields of
// the audit entries written before a date, keeping the chain sound.
func auditAnonymise(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs, db := auditFlags("anonymise", getenv, stdout)
	before := fs.String("before", "", "anonymise the entries written before this day, YYYY-MM-DD in UTC (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *before == "" {
		return errors.New("audit anonymise: --before YYYY-MM-DD is required")
	}
	day, err := time.Parse(time.DateOnly, *before)
	if err != nil {
		return fmt.Errorf("audit anonymise: --before %q is no date like 2027-03-01", *before)
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.AnonymiseAuditBefore(models.WithActor(ctx, models.Actor{Kind: models.ActorCLI}), day)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "anonymised %d entries written before %s\n", n, day.Format(time.DateOnly))
	return nil
}

// auditFlags starts the flags of "dagplanner audit NAME", with --db.
func auditFlags(name string, getenv func(string) string, stdout io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("dagplanner audit "+name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	return fs, fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
}

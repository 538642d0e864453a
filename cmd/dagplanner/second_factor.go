package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
)

// resetSecondFactor implements "dagplanner user reset-2fa": it removes an account's second
// factor, for the admin who lost both their phone and their recovery codes (another admin
// can do the same at /beheer/beveiliging).
func resetSecondFactor(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner user reset-2fa", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	email := fs.String("email", "", "the account's e-mail address (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("user reset-2fa: --email is required")
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx = models.WithActor(ctx, cliActor(getenv))
	states, err := store.SecondFactorStates(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(states, func(s models.AccountSecondFactor) bool { return s.User.Email == models.NormalizeEmail(*email) })
	if i < 0 {
		return fmt.Errorf("user reset-2fa: there is no account for %s", models.NormalizeEmail(*email))
	}
	if err := store.ResetSecondFactor(ctx, states[i].User.ID); errors.Is(err, models.ErrNotFound) {
		fmt.Fprintf(stdout, "%s has no second factor\n", states[i].User.Email)
		return nil
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed the second factor of %s; they set up a new one when they next sign in\n", states[i].User.Email)
	return nil
}

// setSecondFactorPolicy implements "dagplanner user 2fa-policy": whether roles require a
// second factor, as an admin sets it at /beheer/beveiliging.
func setSecondFactorPolicy(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner user 2fa-policy", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	roles := fs.String("role", "", "comma-separated roles: "+strings.Join(models.Roles, ", ")+" (required)")
	required := fs.Bool("required", true, "whether these roles must sign in with a second factor")
	if err := fs.Parse(args); err != nil {
		return err
	}
	policy := map[string]bool{}
	for _, r := range strings.Split(*roles, ",") {
		if r = strings.TrimSpace(r); !slices.Contains(models.Roles, r) {
			return fmt.Errorf("user 2fa-policy: --role %q: each role must be one of %s", r, strings.Join(models.Roles, ", "))
		}
		policy[r] = *required
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SetSecondFactorPolicy(models.WithActor(ctx, cliActor(getenv)), policy); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "second factor required for %s: %v\n", *roles, *required)
	return nil
}

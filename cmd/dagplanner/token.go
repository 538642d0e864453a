package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
)

// addToken implements "dagplanner token add": it makes a device token for a door and prints
// only the token, on one line, so a script can take it with $(…). The token is not stored
// and cannot be shown again; revoke it in the organiser area or with "token revoke".
func addToken(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner token add", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	role := fs.String("role", "", "the device's role: door (required)")
	venue := fs.String("venue", "", "the slug of the venue the device scans at (required)")
	name := fs.String("name", "", `the door's name as door staff and organisers see it, e.g. "Ingang Oost" (required)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	_, token, err := store.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: *name, Role: *role, VenueSlug: *venue})
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		if p, ok := verr.Problems["role"]; ok && p.Key == "form.invalid_choice" {
			return errors.New("token add: --role must be door (organisers sign in with an account)")
		}
		return fmt.Errorf("token add: %s", describeProblems(verr.Problems))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}

// revokeToken implements "dagplanner token revoke --venue SLUG --name NAME": it stops every
// token of that door from working.
func revokeToken(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner token revoke", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	venue := fs.String("venue", "", "the venue's slug (required)")
	name := fs.String("name", "", "the door's name (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *venue == "" || strings.TrimSpace(*name) == "" {
		return errors.New("token revoke: --venue and --name are required")
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	v, err := store.VenueBySlug(ctx, *venue)
	if err != nil {
		return fmt.Errorf("token revoke: venue %q: %w", *venue, err)
	}
	tokens, err := store.DeviceTokens(ctx, v.ID)
	if err != nil {
		return err
	}
	revoked := 0
	for _, t := range tokens {
		if t.Name == strings.TrimSpace(*name) && t.RevokedAt == nil {
			if err := store.RevokeDeviceToken(ctx, t.ID); err != nil {
				return err
			}
			revoked++
		}
	}
	if revoked == 0 {
		return fmt.Errorf("token revoke: no active token named %q at %s", *name, *venue)
	}
	fmt.Fprintf(stdout, "revoked %d token(s) of %q at %s\n", revoked, strings.TrimSpace(*name), *venue)
	return nil
}

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

// addToken implements "dagplanner token add": it makes a device token for a door (--role
// door) or an organiser's API token (--role organiser, optionally for one venue), and prints
// only the token, on one line, so a script can take it with $(…). The token is not stored
// and cannot be shown again; revoke it in the organiser area or with "token revoke".
func addToken(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner token add", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	role := fs.String("role", "", "door (a scanning device) or organiser (an integration's API token) (required)")
	venue := fs.String("venue", "", "the venue's slug: where the device scans (required for door), or the one venue an organiser token may see")
	name := fs.String("name", "", `the token's name as organisers see it, e.g. "Ingang Oost" or "Intranet koppeling" (required)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	var token string
	if *role == models.RoleOrganiser {
		_, token, err = store.CreateAPIToken(ctx, models.APITokenInput{Name: *name, Role: *role, VenueSlug: *venue})
	} else {
		_, token, err = store.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: *name, Role: *role, VenueSlug: *venue})
	}
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		if p, ok := verr.Problems["role"]; ok && p.Key == "form.invalid_choice" {
			return errors.New("token add: --role must be door or organiser")
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
// token of that door from working. Without --venue it revokes the organisers' API tokens of
// that name.
func revokeToken(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner token revoke", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	venue := fs.String("venue", "", "the door's venue (its slug); leave out for an organiser's API token")
	name := fs.String("name", "", "the token's name (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	wanted := strings.TrimSpace(*name)
	if wanted == "" {
		return errors.New("token revoke: --name is required")
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	revoked, where := 0, "for organisers"
	if *venue == "" {
		tokens, err := store.APITokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			if t.Name == wanted && t.RevokedAt == nil {
				if err := store.RevokeAPIToken(ctx, t.ID); err != nil {
					return err
				}
				revoked++
			}
		}
	} else {
		where = "at " + *venue
		v, err := store.VenueBySlug(ctx, *venue)
		if err != nil {
			return fmt.Errorf("token revoke: venue %q: %w", *venue, err)
		}
		tokens, err := store.DeviceTokens(ctx, v.ID)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			if t.Name == wanted && t.RevokedAt == nil {
				if err := store.RevokeDeviceToken(ctx, t.ID); err != nil {
					return err
				}
				revoked++
			}
		}
	}
	if revoked == 0 {
		return fmt.Errorf("token revoke: no active token named %q %s", wanted, where)
	}
	fmt.Fprintf(stdout, "revoked %d token(s) named %q %s\n", revoked, wanted, where)
	return nil
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
)

// addUser implements "dagplanner user add": it creates an account whose password is read
// from standard input, so it never appears in the shell history or the process list.
func addUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner user add", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	email := fs.String("email", "", "the account's e-mail address (required)")
	role := fs.String("role", "", "admin, organiser, reviewer or door (required)")
	venue := fs.String("venue", "", "limit the account to the venue with this slug (required for door)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	password, err := readPassword("user add", *passwordStdin, stdin)
	if err != nil {
		return err
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, models.UserInput{Email: *email, Password: password, Role: *role, VenueSlug: *venue})
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return fmt.Errorf("user add: %s", describeProblems(verr.Problems))
	}
	if errors.Is(err, models.ErrConflict) {
		return fmt.Errorf("user add: an account for %s already exists", models.NormalizeEmail(*email))
	}
	if err != nil {
		return err
	}
	scope := "all venues"
	if *venue != "" {
		scope = "venue " + *venue
	}
	fmt.Fprintf(stdout, "created %s account %s (%s)\n", u.Role, u.Email, scope)
	return nil
}

// setUserPassword implements "dagplanner user passwd EMAIL": it gives an existing account a
// new password, read from standard input like that of "user add", and ends all its sign-ins.
// The address may also be given as --email.
func setUserPassword(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("dagplanner user passwd", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "DAGPLANNER_DB", "dagplanner.db"), "SQLite file, or a postgres:// URL (DAGPLANNER_DB)")
	email := fs.String("email", "", "the account's e-mail address (or give it as the argument EMAIL)")
	passwordStdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// EMAIL may stand before, between or after the flags: the flag package stops at the
	// first argument that is not a flag, so the rest is parsed again after it.
	var positional []string
	for fs.NArg() > 0 {
		positional = append(positional, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	switch {
	case len(positional) > 1 || len(positional) == 1 && strings.TrimSpace(*email) != "":
		return errors.New("user passwd: give one address, as EMAIL or --email")
	case len(positional) == 1:
		*email = positional[0]
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("user passwd: the account's address is required: dagplanner user passwd EMAIL")
	}
	password, err := readPassword("user passwd", *passwordStdin, stdin)
	if err != nil {
		return err
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	err = store.SetPassword(models.WithActor(ctx, models.Actor{Kind: models.ActorCLI}), *email, password)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		return fmt.Errorf("user passwd: %s", describeProblems(verr.Problems))
	case errors.Is(err, models.ErrNotFound):
		return fmt.Errorf("user passwd: there is no account for %s (create one with dagplanner user add)", models.NormalizeEmail(*email))
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "changed the password of %s\n", models.NormalizeEmail(*email))
	return nil
}

// readPassword reads a password from the first line of stdin, which the command may do
// only when asked to with --password-stdin: a password in an argument would show up in the
// shell history and the process list.
func readPassword(cmd string, fromStdin bool, stdin io.Reader) (string, error) {
	if !fromStdin {
		return "", fmt.Errorf("%s: pass --password-stdin and give the password on standard input", cmd)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: read password: %w", cmd, err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describeProblems explains validation problems in plain English for the command line.
func describeProblems(p models.Problems) string {
	texts := map[string]string{
		"form.required":           "is required",
		"form.invalid_email":      "is not a valid e-mail address",
		"form.password_too_short": fmt.Sprintf("must be at least %d characters", models.MinPasswordLength),
		"form.invalid_choice":     "must be one of " + strings.Join(models.Roles, ", "),
		"form.door_needs_venue":   "is required for door accounts (--venue SLUG)",
		"form.unknown_venue":      "names no venue",
		"form.too_long":           "is too long",
		"form.password_breached":  "is on the list of common, breached passwords: choose another",
	}
	// The password is no flag: it comes from standard input.
	names := map[string]string{"password": "the password on standard input (--password-stdin)"}
	var parts []string
	for _, field := range p.Fields() {
		text, ok := texts[p[field].Key]
		if !ok {
			text = p[field].Key
		}
		name, ok := names[field]
		if !ok {
			name = "--" + field
		}
		parts = append(parts, name+" "+text)
	}
	return strings.Join(parts, "; ")
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"slices"
	"strings"

	"github.com/ambtenaar20/dagplanner/models"
)

// command is one of dagplanner's subcommands: its words, one line about it, and what runs it
// with the arguments that follow the words.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error
}

// commands lists every subcommand. run dispatches on this list and help prints it, so a new
// command cannot be missing from the help.
func commands() []command {
	return []command{
		{"serve", "run the web server (the default: dagplanner [flags] does the same)",
			func(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
				return serve(ctx, args, getenv, stdout)
			}},
		{"user add", "create an account; the password is read from standard input", addUser},
		{"user passwd", "give an account (EMAIL) a new password, read from standard input; ends its sign-ins", setUserPassword},
		{"user reset-2fa", "remove an account's second factor (a lost phone and lost recovery codes)", resetSecondFactor},
		{"user 2fa-policy", "set whether roles must sign in with a second factor", setSecondFactorPolicy},
		{"token add", "make a door device's token or an organiser's API token; prints only the token",
			func(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
				return addToken(ctx, args, getenv, stdout)
			}},
		{"token revoke", "stop a door device's (or an organiser's API) tokens from working",
			func(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
				return revokeToken(ctx, args, getenv, stdout)
			}},
		{"schedule plan", "run the automatic planner (a dry run unless --apply)",
			func(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
				return planSchedule(ctx, args, getenv, stdout)
			}},
		{"audit verify", "check the audit log's hash chain; fails naming the first broken entry", auditVerify},
		{"audit anonymise", "remove the personal data from audit entries older than --before YYYY-MM-DD", auditAnonymise},
		{"purge", "apply the events' retention periods now (the daily job does too); --dry-run shows what it would do", purge},
		{"allocate", "allocate the seats by preference, once (issue #19); --dry-run computes it with any --seed", allocate},
		{"event copy", "create a new edition from the last one on --date; it starts unpublished (issue #18)", copyEvent},
		{"backup", "copy the database to a new file (SQLite while it runs; PostgreSQL with pg_dump)", backup},
		{"help", "show this help: the commands and the server's flags",
			func(_ context.Context, _ []string, getenv func(string) string, _ io.Reader, stdout io.Writer) error {
				_, err := parseServeFlags([]string{"-h"}, getenv, stdout) // prints printUsage
				return err
			}},
	}
}

// dispatch runs the command args name; without one (or with only flags) it serves.
func dispatch(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return serve(ctx, args, getenv, stdout)
	}
	for _, cmd := range commands() {
		words := strings.Fields(cmd.name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			if cmd.name != "serve" {
				// What a command changes, the audit trail attributes to whoever runs it.
				ctx = models.WithActor(ctx, cliActor(getenv))
			}
			return cmd.run(ctx, args[len(words):], getenv, stdin, stdout)
		}
	}
	var list strings.Builder
	printCommands(&list)
	return fmt.Errorf("unknown command %q\n%s", strings.Join(args, " "), list.String())
}

// cliActor is how the audit trail names the command line: the operating-system account that
// runs it, or "cli" when that is unknown.
func cliActor(getenv func(string) string) models.Actor {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if name == "" {
		name = getenv("USER")
	}
	if name == "" {
		name = "cli"
	}
	return models.Actor{Kind: models.ActorCLI, Name: name}
}

// printCommands writes the list of commands, one line each.
func printCommands(w io.Writer) {
	fmt.Fprintln(w, "Usage: dagplanner [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintln(w, `
Run "dagplanner COMMAND -h" for a command's flags, for example "dagplanner user passwd -h".`)
}

// printUsage is what -h and help show: the commands, then the flags of serve.
func printUsage(w io.Writer, serveFlags *flag.FlagSet) {
	printCommands(w)
	fmt.Fprintln(w, "\nFlags of serve (and of dagplanner without a command):")
	serveFlags.PrintDefaults()
}

// helpShown reports whether err is a command's answer to -h, which printed what was asked
// for and is no failure.
func helpShown(err error) bool { return errors.Is(err, flag.ErrHelp) }

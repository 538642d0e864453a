package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var copyLine = regexp.MustCompile(`^event copy: created edition 2028 \(2028-02-02, id (\d+), unpublished\) from 2027-02-03: 2 venues, (\d+) rooms, (\d+) slots, (\d+) tracks, formats, 0 templates, settings; no people, registrations or votes\n$`)

// TestEventCopyCommand: "event copy --dry-run" prints what it would create and creates
// nothing; "event copy" creates the unpublished edition with the demo's venues, rooms and
// slots and no registrations; a second copy into the same year, a date before the last
// edition's and an unknown part are refused in plain English; on SQLite and PostgreSQL.
func TestEventCopyCommand(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	now, _ := time.Parse(time.DateOnly, "2026-11-22")
	for name, dsn := range map[string]string{"sqlite": "file:" + modelstest.MigratedSQLiteFile(t), "postgres": modelstest.MigratedPostgresDSN(t)} {
		t.Run(name, func(t *testing.T) {
			store, err := models.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if err := demo.Load(ctx, store, demo.Options{Now: now}); err != nil {
				t.Fatal(err)
			}
			registrations := modelstest.Count(t, store, &models.Registration{}, modelstest.Q{})
			cmd := func(args ...string) (string, error) {
				t.Helper()
				var out syncBuffer
				err := run(ctx, append(append([]string{"event", "copy"}, args...), "--db", dsn), envMap(nil), strings.NewReader(""), &out)
				return out.String(), err
			}
			dry, err := cmd("--date", "2028-02-02", "--dry-run")
			if err != nil || !strings.HasPrefix(dry, "event copy: dry run, nothing created; would create edition 2028-02-02 from 2027-02-03: 2 venues, ") {
				t.Fatalf("event copy --dry-run: %v, printed %q", err, dry)
			}
			if n := modelstest.Count(t, store, &models.Event{}, modelstest.Q{}); n != 1 {
				t.Fatalf("%d events after a dry run, want 1", n)
			}
			out, err := cmd("--date", "2028-02-02")
			m := copyLine.FindStringSubmatch(out)
			if err != nil || m == nil {
				t.Fatalf("event copy: %v, printed %q", err, out)
			}
			if !strings.HasSuffix(dry, strings.SplitN(out, "2027-02-03: ", 2)[1]) {
				t.Errorf("the dry run printed %q, the copy %q: want the same counts", dry, out)
			}
			e, err := store.EditionByYear(ctx, 2028)
			if err != nil || e.Published() || e.Date != "2028-02-02" {
				t.Fatalf("edition 2028: %+v, %v; want an unpublished edition on 2028-02-02", e, err)
			}
			slots := modelstest.Count(t, store, &models.Slot{}, modelstest.Where("venue_id IN (SELECT id FROM venues WHERE event_id = ?)", e.ID))
			if m[3] == "0" || m[3] != strconv.FormatInt(slots, 10) {
				t.Errorf("printed %s slots, the edition has %d", m[3], slots)
			}
			if n := modelstest.Count(t, store, &models.Registration{}, modelstest.Q{}); n != registrations {
				t.Errorf("%d registrations after the copy, want %d", n, registrations)
			}
			if n := modelstest.Count(t, store, &models.AuditEntry{}, modelstest.Where("action = ? AND actor_kind = ?", models.ActionEventCopied, models.ActorCLI)); n != 1 {
				t.Errorf("%d audit entries of the command's copy, want 1", n)
			}
			for _, tc := range []struct {
				args []string
				want string
			}{
				{[]string{"--date", "2028-06-01", "--from", "2027"}, "--date: There is an edition in 2028 already"},
				{[]string{"--date", "2027-01-01", "--from", "2027"}, "--date: Choose a date after the date of the edition you copy (2027-02-03)"},
				{[]string{"--date", "2029-01-01", "--what", "venues,people"}, "--what: “people” cannot be copied"},
				{[]string{"--date", "2029-01-01", "--from", "2010"}, "edition"},
				{[]string{}, "--date: "},
			} {
				if out, err := cmd(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) || out != "" {
					t.Errorf("event copy %q: %v, printed %q; want an error saying %q", tc.args, err, out, tc.want)
				}
			}
			if n := modelstest.Count(t, store, &models.Event{}, modelstest.Q{}); n != 2 {
				t.Errorf("%d events after refused copies, want 2", n)
			}
		})
	}
}

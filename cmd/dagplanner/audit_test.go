package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestAuditCommands verifies a sound log, one with a changed row (naming it), and one whose
// old entries were anonymised from the command line.
func TestAuditCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "audit.db")
	store, err := models.Open(ctx, "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	actx := models.WithActor(ctx, models.Actor{Kind: models.ActorUser, ID: 1, Name: "beheer@example.nl"})
	for _, q := range []string{"actie=a", "actie=b", "actie=c"} {
		if err := store.RecordAuditExport(actx, q, "csv"); err != nil {
			t.Fatal(err)
		}
	}
	var second models.AuditEntry
	if err := modelstest.First(store, &second, modelstest.Where("seq = 2")); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		modelstest.Exec(t, store, sql, args...)
	}
	cmd := func(args ...string) (string, error) {
		var out syncBuffer
		err := run(ctx, append(args, "--db", db), envMap(nil), strings.NewReader(""), &out)
		return out.String(), err
	}

	if out, err := cmd("audit", "verify"); err != nil || !strings.Contains(out, "OK: 3 entries") {
		t.Fatalf("audit verify = %q, %v; want OK: 3 entries", out, err)
	}
	exec("UPDATE audit_entries SET details = ? WHERE id = ?", `{"filter":"niets"}`, second.ID)
	_, err = cmd("audit", "verify")
	if err == nil || !strings.Contains(err.Error(), "entry #2 (id ") || !strings.Contains(err.Error(), "contents were changed") {
		t.Errorf("audit verify after a changed row = %v, want it to name entry #2 and why", err)
	}
	exec("UPDATE audit_entries SET details = ? WHERE id = ?", second.Details, second.ID)

	if _, err := cmd("audit", "anonymise"); err == nil || !strings.Contains(err.Error(), "--before") {
		t.Errorf("audit anonymise without --before = %v, want it to ask for --before", err)
	}
	if _, err := cmd("audit", "anonymise", "--before", "gisteren"); err == nil || !strings.Contains(err.Error(), "no date") {
		t.Errorf("audit anonymise --before gisteren = %v, want a refusal", err)
	}
	out, err := cmd("audit", "anonymise", "--before", "2999-01-01")
	if err != nil || !strings.Contains(out, "anonymised 3 entries") {
		t.Fatalf("audit anonymise = %q, %v; want 3 entries", out, err)
	}
	left := modelstest.Count(t, store, &models.AuditEntry{}, modelstest.Where("actor_name <> ''"))
	if left != 0 {
		t.Errorf("%d entries still name their actor", left)
	}
	if out, err := cmd("audit", "verify"); err != nil || !strings.Contains(out, "OK: 4 entries, 3 of them anonymised") {
		t.Errorf("audit verify after anonymising = %q, %v", out, err)
	}
	store.Close()
}

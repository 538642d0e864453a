package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestSchedulePlanCommand(t *testing.T) {
	ctx := modelstest.Ctx()
	db := filepath.Join(t.TempDir(), "plan.db")
	store, err := models.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := demo.Load(ctx, store, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	event, err := store.CurrentEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The demo's own sessions waiting for a place are the handlers' planner test's: this one
	// counts only its own.
	modelstest.Delete(t, store, &models.Session{}, modelstest.Where("event_id = ? AND room_id IS NULL", event.ID))
	fresh, err := store.CreateSession(ctx, event.ID, models.SessionInput{Title: "Nieuw: <b>open data</b>", Format: models.Formats[0], SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	plan := func(args ...string) (string, error) {
		var out syncBuffer
		// No actor in the context: the command line names itself in the audit trail.
		err := run(context.Background(), append([]string{"schedule", "plan", "--db", db, "--iterations", "2000"}, args...), envMap(nil), strings.NewReader(""), &out)
		return out.String(), err
	}
	placed := func() bool {
		se, err := store.Session(ctx, fresh.ID)
		if err != nil {
			t.Fatal(err)
		}
		return se.Placed()
	}

	// A dry run reports and changes nothing; the same seed says the same.
	out, err := plan("--venue", "all", "--seed", "4")
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	for _, want := range []string{"Sessions placed: 1; moved: 0; unplaced: 0; changes: 1", "Hard-rule violations: 0", "Attendable wishes:", "Dry run: nothing changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if placed() {
		t.Fatal("a dry run placed the session")
	}
	t.Logf("dry run:\n%s", out)
	again, _ := plan("--venue", "all", "--seed", "4")
	if again != out {
		t.Errorf("the same seed printed\n%s\nthen\n%s", out, again)
	}

	// Bad flags are refused before anything happens.
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no venue", nil, "--venue is required"},
		{"unknown venue", []string{"--venue", "atlantis"}, `--venue "atlantis" names no venue`},
		{"two modes", []string{"--venue", "all", "--all", "--minimal-change"}, "not both"},
		{"zero budget", []string{"--venue", "all", "--budget", "0s"}, "must be positive"},
		{"unknown flag", []string{"--venue", "all", "--fast"}, "flag provided but not defined"},
		{"stray argument", []string{"--venue", "all", "now"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := plan(append(tc.args, "--apply")...); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tc.wantErr)
			}
			if placed() {
				t.Fatal("a refused command placed the session")
			}
		})
	}

	// --apply places it, at one venue, with minimal change.
	out, err = plan("--venue", "zwolle", "--minimal-change", "--apply")
	if err != nil || !strings.Contains(out, "Applied 1 change(s)") {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if !placed() {
		t.Fatal("--apply left the session unplaced")
	}
	se, _ := store.Session(ctx, fresh.ID)
	zwolle, _ := store.VenueBySlug(ctx, "zwolle")
	if se.VenueID == nil || *se.VenueID != zwolle.ID {
		t.Errorf("planning zwolle placed the session at venue %v, want %d", se.VenueID, zwolle.ID)
	}
	// The run applied is in the audit trail, attributed to the command line's user.
	var applied []models.AuditEntry
	modelstest.Find(t, store, &applied, modelstest.Where("action = ?", models.ActionPlanApplied))
	if want := cliActor(envMap(nil)); len(applied) != 1 || applied[0].ActorKind != models.ActorCLI || applied[0].ActorName != want.Name ||
		applied[0].SubjectID != event.ID || applied[0].DetailMap()["count"] != float64(1) {
		t.Errorf("audit entries of the applied plan: %+v, want one by %+v with one move", applied, want)
	}

	// A pinned session in a room too small for it makes the plan infeasible: an error, and
	// nothing changes.
	modelstest.Set(t, store, &models.Session{}, fresh.ID, "capacity_limit", 100000)
	if err := store.SetPinned(ctx, fresh.ID, true); err != nil {
		t.Fatal(err)
	}
	out, err = plan("--venue", "all", "--all", "--apply")
	if err == nil || !strings.Contains(err.Error(), "infeasible") || !strings.Contains(err.Error(), "a room too small") {
		t.Errorf("infeasible plan: got %v, want an infeasible error naming the room\n%s", err, out)
	}
	if strings.Contains(out, "Applied") {
		t.Errorf("an infeasible plan was applied:\n%s", out)
	}
}

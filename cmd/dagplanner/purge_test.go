package main

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestPurgeCommand: on an event whose needs period has ended but not its personal one,
// "purge --dry-run" says what it would do and changes nothing; "purge" does it and says so;
// a second "purge" has nothing to do. The daily job runs the same purge.
func TestPurgeCommand(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	db := modelstest.MigratedSQLiteFile(t)
	store, err := models.Open(ctx, "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().AddDate(0, 0, -20) // needs (7 days) are due, personal data (90) not yet
	e, err := store.CreateEvent(ctx, models.EventInput{Name: "Dag", Date: day.Format(time.DateOnly), Timezone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateVenue(ctx, e.ID, models.VenueInput{Slug: "zwolle", Name: "Provinciehuis", City: "Zwolle", Address: "Luttenbergstraat 2", Capacity: 10}); err != nil {
		t.Fatal(err)
	}
	r, err := store.Register(ctx, models.RegistrationInput{Name: "Anna Purge", Email: "anna.purge@example.nl", Organisation: "Gemeente Zwolle",
		Dietary: "Veganistisch", Lang: "nl", Venue: "zwolle", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	cmd := func(args ...string) string {
		t.Helper()
		var out syncBuffer
		if err := run(ctx, append(append([]string{"purge"}, args...), "--db", db), envMap(nil), strings.NewReader(""), &out); err != nil {
			t.Fatalf("purge %q: %v", args, err)
		}
		return out.String()
	}
	needsLine := "- needs, event 1 (period ended " + e.RetentionEnds(7).UTC().Format("2006-01-02 15:04 UTC") + "): registrations 1\n" +
		"  registrations: " + strconv.FormatUint(uint64(r.Registration.ID), 10) + "\n"

	out := cmd("--dry-run")
	if !strings.HasPrefix(out, "Dry run at ") || !strings.Contains(out, "nothing was changed") || !strings.HasSuffix(out, needsLine) {
		t.Errorf("purge --dry-run printed\n%s\nwant the dry-run line and then\n%s", out, needsLine)
	}
	reopen := func() *models.Store {
		s, err := models.Open(ctx, "file:"+db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	if got, _ := reopen().Registration(ctx, r.Registration.ID); got.Dietary != "Veganistisch" {
		t.Errorf("after the dry run the needs are %q, want them kept", got.Dietary)
	}

	out = cmd()
	if !strings.HasPrefix(out, "Purge at ") || !strings.HasSuffix(out, needsLine) {
		t.Errorf("purge printed\n%s\nwant the purge line and then\n%s", out, needsLine)
	}
	s := reopen()
	if got, _ := s.Registration(ctx, r.Registration.ID); got.Dietary != "" || got.Name != "Anna Purge" {
		t.Errorf("after purge the registration is %q with needs %q, want the name kept and the needs gone", got.Name, got.Dietary)
	}
	if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ? AND actor_kind = ?",
		models.ActionRetentionNeeds, models.ActorCLI)); n != 1 {
		t.Errorf("%d audit entries of the command's purge, want 1", n)
	}
	if out = cmd(); !strings.Contains(out, "Nothing to do") {
		t.Errorf("a second purge printed\n%s\nwant nothing to do", out)
	}
	// The daily job is the same purge, by the system: a registration with needs added since
	// is cleared.
	late, err := s.Register(ctx, models.RegistrationInput{Name: "Bram Purge", Email: "bram.purge@example.nl", Organisation: "Gemeente Zwolle",
		Accessibility: "Ringleiding", Lang: "nl", Venue: "zwolle", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	runDueJobs(context.Background(), s, slog.New(slog.DiscardHandler), time.Now())
	if got, _ := s.Registration(ctx, late.Registration.ID); got.Accessibility != "" {
		t.Errorf("after the daily job the needs are %q, want them gone", got.Accessibility)
	}
	if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ? AND actor_kind = ?",
		models.ActionRetentionNeeds, models.ActorSystem)); n != 1 {
		t.Errorf("%d audit entries of the daily job's purge, want 1", n)
	}
}

package main

import (
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/cluster"
	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

var allocateLine = regexp.MustCompile(`^allocate: venue=utrecht people=6 first=\d+ second=\d+ third=\d+ none=\d+ cost=\d+ seed=(.+) optimal=true bound=\d+\n$`)

// TestAllocateCommand: "allocate --dry-run" prints the line with any seed and writes nothing;
// "allocate" writes the allocation with the published seed and prints the line a dry run
// with that seed printed; a second "allocate" is refused.
func TestAllocateCommand(t *testing.T) {
	t.Parallel()
	ctx := modelstest.Ctx()
	db := modelstest.MigratedSQLiteFile(t)
	store, err := models.Open(ctx, "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	then := time.Now().Add(-48 * time.Hour) // the window closed a day ago
	store.SetClock(func() time.Time { return then })
	f := modelstest.NewPreferenceEvent(t, store, then)
	store.Close()
	cmd := func(args ...string) (string, error) {
		t.Helper()
		var out syncBuffer
		err := run(ctx, append(append([]string{"allocate"}, args...), "--db", db), envMap(nil), strings.NewReader(""), &out)
		return out.String(), err
	}

	out, err := cmd("--dry-run", "--seed", "Ander-getal")
	if m := allocateLine.FindStringSubmatch(out); err != nil || m == nil || m[1] != "Ander-getal" {
		t.Fatalf("allocate --dry-run --seed Ander-getal: %v, printed %q", err, out)
	}
	dry, err := cmd("--dry-run", "--venue", "utrecht")
	if m := allocateLine.FindStringSubmatch(dry); err != nil || m == nil || m[1] != `"`+f.Seed+`"` {
		t.Fatalf("allocate --dry-run: %v, printed %q; want the published seed, quoted", err, dry)
	}
	if _, err := cmd("--seed", "Ander-getal"); err == nil || !strings.Contains(err.Error(), "published seed") {
		t.Fatalf("a real run with another seed: %v, want it refused", err)
	}
	s, err := models.Open(ctx, "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := modelstest.Count(t, s, &models.Allocation{}, modelstest.Q{}) + modelstest.Count(t, s, &models.Booking{}, modelstest.Q{}); n != 0 {
		t.Fatalf("dry runs and a refused run wrote %d rows", n)
	}

	if out, err = cmd(); err != nil || out != dry {
		t.Fatalf("allocate: %v, printed %q; want what the dry run printed, %q", err, out, dry)
	}
	if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ? AND actor_kind = ?", models.ActionAllocationRun, models.ActorCLI)); n != 1 {
		t.Errorf("%d audit entries of the command's allocation, want 1", n)
	}
	if out, err = cmd(); err == nil || !strings.Contains(err.Error(), "runs once") || out != "" {
		t.Errorf("a second allocate: %v, printed %q; want it refused", err, out)
	}
	// A dry run still runs; it sees the seats the allocation took, so it prints other counts.
	if out, err = cmd("--dry-run"); err != nil || !allocateLine.MatchString(out) {
		t.Errorf("a dry run after the allocation: %v, printed %q", err, out)
	}
	if _, err = cmd("--dry-run", "--venue", "nergens"); err == nil {
		t.Errorf("allocate --venue nergens: no error")
	}
}

// TestAllocationJobMailsEveryoneOnce: two processes run the periodic jobs at the allocation
// time and both send mail from the shared outbox; every registrant gets exactly one result
// e-mail, in their language, with their programme.
func TestAllocationJobMailsEveryoneOnce(t *testing.T) {
	t.Parallel()
	modelstest.EachShared(t, func(t *testing.T, a, b *models.Store) {
		ctx := modelstest.Ctx()
		start := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		now := start
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		a.SetClock(clock)
		b.SetClock(clock)
		f := modelstest.NewPreferenceEvent(t, a, start)
		log := slog.New(slog.DiscardHandler)

		runDueJobs(ctx, a, log, clock()) // the window is open: nothing happens
		if n := modelstest.Count(t, a, &models.Allocation{}, modelstest.Q{}); n != 0 {
			t.Fatalf("%d allocations while the window is open", n)
		}
		mu.Lock()
		now = f.Event.AllocationAt.Add(time.Minute)
		mu.Unlock()
		var wg sync.WaitGroup
		for _, s := range []*models.Store{a, b} {
			wg.Go(func() { runDueJobs(ctx, s, log, clock()) })
		}
		wg.Wait()
		if n := modelstest.Count(t, a, &models.Allocation{}, modelstest.Q{}); n != 1 {
			t.Fatalf("%d allocations after the allocation time, want 1", n)
		}
		if n := modelstest.Count(t, a, &models.AuditEntry{}, modelstest.Where("action = ? AND actor_kind = ?", models.ActionAllocationRun, models.ActorSystem)); n != 1 {
			t.Errorf("%d audit entries of the job's allocation, want 1", n)
		}

		srv, err := cluster.StartMailServer()
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		renderer, err := tickets.NewRenderer()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*models.Store{a, b} {
			sender, err := mail.NewSMTPSender(srv.URL(), "Dag van de Voorkeur <noreply@dagplanner.example>")
			if err != nil {
				t.Fatal(err)
			}
			w := &mail.Worker{Store: s, Composer: &mail.Composer{Store: s, Tickets: renderer, BaseURL: "https://dagplanner.example"},
				Sender: sender, Log: log, Batch: 3, Lease: time.Minute}
			wg.Go(func() {
				for {
					sent, _, err := w.RunOnce(ctx)
					if err != nil {
						t.Errorf("RunOnce: %v", err)
						return
					}
					if sent == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		results := map[string][]cluster.Mail{}
		for _, m := range srv.Messages() {
			if strings.Contains(m.Subject, "zijn verdeeld") || strings.Contains(m.Subject, "have been allocated") {
				results[strings.ToLower(m.To[0])] = append(results[strings.ToLower(m.To[0])], m)
			}
		}
		for _, r := range f.People {
			got := results[strings.ToLower(r.Email)]
			if len(got) != 1 {
				t.Errorf("%s got %d result e-mails, want 1", r.Email, len(got))
				continue
			}
			english := strings.Contains(got[0].Subject, "have been allocated")
			if english != (r.Lang == "en") {
				t.Errorf("%s (%s) got the result in the other language: %q", r.Email, r.Lang, got[0].Subject)
			}
		}
		if got := results["sam@example.org"]; len(got) == 1 && !strings.Contains(got[0].Text, "Populair, Zaal A") {
			t.Errorf("the speaker's result does not list their own session:\n%s", got[0].Text)
		}
		if len(results) != len(f.People) {
			t.Errorf("%d addresses got a result, want %d", len(results), len(f.People))
		}
	})
}

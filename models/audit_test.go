package models_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var auditAdmin = models.Actor{Kind: models.ActorUser, ID: 3, Name: "beheer@example.nl"}

// personalEdit is an organiser's correction of a person's details: their name and address
// before and after (personal), and their job title's field name only.
func personalEdit(regID uint, n int) models.AuditRecord {
	return models.AuditRecord{Action: models.AuditRegistrationDetails, SubjectKind: models.SubjectRegistration, SubjectID: regID,
		VenueID: 1, Reason: fmt.Sprintf("Anna belde op (%d)", n), Details: map[string]any{
			"fields": []string{"name", "email", "dietary"},
			"old":    map[string]any{"name": "Anna de Vries", "email": "anna@example.nl"},
			"new":    map[string]any{"name": "Anna de Wit", "email": "anna.dewit@example.nl"},
		}}
}

func mustVerify(t *testing.T, s *models.Store, wantEntries int) models.AuditCheck {
	t.Helper()
	check, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	if check.Broken != nil {
		t.Fatalf("VerifyAudit broken: %s", check.Broken)
	}
	if check.Entries != wantEntries {
		t.Errorf("VerifyAudit checked %d entries, want %d", check.Entries, wantEntries)
	}
	return check
}

func allEntries(t *testing.T, s *models.Store) []models.AuditEntry {
	t.Helper()
	var out []models.AuditEntry
	if err := s.DB().Order("seq").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAuditChainLinksEntries(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		mustVerify(t, s, 0) // an empty log is a sound chain
		actx := models.WithClientAddress(models.WithActor(ctx, auditAdmin), "192.0.2.7")
		for i := range 3 {
			if err := s.WriteAuditAlone(actx, auditAdmin, personalEdit(uint(10+i), i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordAuditExport(actx, "actie=x", "csv"); err != nil {
			t.Fatal(err)
		}
		entries := allEntries(t, s)
		if len(entries) != 4 {
			t.Fatalf("%d entries, want 4", len(entries))
		}
		prev := strings.Repeat("0", 64)
		for i, e := range entries {
			if e.Seq != int64(i+1) || e.PrevHash != prev || len(e.Hash) != 64 || e.Hash == prev {
				t.Errorf("entry %d: seq %d prev %s hash %s, want seq %d after %s", i, e.Seq, e.PrevHash, e.Hash, i+1, prev)
			}
			prev = e.Hash
		}
		e := entries[0]
		if strings.Contains(e.Details, "Anna") || strings.Contains(e.Details, "anna@") {
			t.Errorf("details %s hold the person's name or address", e.Details)
		}
		if !strings.Contains(e.Personal, "Anna de Vries") || !strings.Contains(e.Personal, "anna.dewit@example.nl") {
			t.Errorf("personal %q, want the name and address before and after", e.Personal)
		}
		if e.ClientAddress != "192.0.2.7" || e.ActorName != auditAdmin.Name || e.PersonalSalt == "" || e.PersonalDigest == "" {
			t.Errorf("entry %+v, want the address, actor, salt and digest", e)
		}
		det := e.DetailMap()
		if old, _ := det["old"].(map[string]any); old["name"] != "Anna de Vries" {
			t.Errorf("DetailMap()[old] = %v, want the old name laid over the details", det["old"])
		}
		if exp := entries[3]; exp.Action != models.ActionAuditExported || !strings.Contains(exp.Details, "actie=x") {
			t.Errorf("export entry %+v", exp)
		}
		mustVerify(t, s, 4)
	})
}

// TestAuditChainConcurrentWriters makes many writers in two processes append at once, each
// in its own transaction: none may fail and the chain may not fork.
func TestAuditChainConcurrentWriters(t *testing.T) {
	t.Parallel()
	modelstest.EachShared(t, func(t *testing.T, a, b *models.Store) {
		const writers, each = 6, 15
		var wg sync.WaitGroup
		errs := make(chan error, 2*writers*each)
		for _, s := range []*models.Store{a, b} {
			for w := range writers {
				wg.Go(func() {
					for i := range each {
						errs <- s.WriteAuditAlone(ctx, auditAdmin, personalEdit(uint(w*100+i), i))
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("a concurrent writer failed: %v", err)
			}
		}
		mustVerify(t, a, 2*writers*each)
		mustVerify(t, b, 2*writers*each)
	})
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		actx := models.WithActor(ctx, auditAdmin)
		for i := range 5 {
			if err := s.WriteAuditAlone(actx, auditAdmin, personalEdit(uint(i+1), i)); err != nil {
				t.Fatal(err)
			}
		}
		orig := allEntries(t, s)
		db := s.DB()
		exec := func(sql string, args ...any) {
			t.Helper()
			if err := db.Exec(sql, args...).Error; err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		restore := func(e models.AuditEntry) {
			t.Helper()
			if err := db.Save(&e).Error; err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name          string
			tamper, undo  func()
			wantID        uint
			wantInMessage string
		}{
			{"details changed", func() { exec("UPDATE audit_entries SET details = ? WHERE id = ?", `{"fields":["email"]}`, orig[2].ID) },
				func() { restore(orig[2]) }, orig[2].ID, "contents were changed"},
			{"subject changed", func() { exec("UPDATE audit_entries SET subject_id = 99 WHERE id = ?", orig[1].ID) },
				func() { restore(orig[1]) }, orig[1].ID, "contents were changed"},
			{"actor changed", func() { exec("UPDATE audit_entries SET actor_name = 'iemand@example.nl' WHERE id = ?", orig[3].ID) },
				func() { restore(orig[3]) }, orig[3].ID, "personal fields"},
			{"personal details changed", func() { exec("UPDATE audit_entries SET personal = '{}' WHERE id = ?", orig[0].ID) },
				func() { restore(orig[0]) }, orig[0].ID, "personal fields"},
			{"salt removed without anonymising", func() { exec("UPDATE audit_entries SET personal_salt = '' WHERE id = ?", orig[0].ID) },
				func() { restore(orig[0]) }, orig[0].ID, "no salt"},
			{"entry removed", func() { exec("DELETE FROM audit_entries WHERE id = ?", orig[2].ID) },
				func() { restore(orig[2]) }, orig[3].ID, "entry #3 is missing"},
			{"last entry removed", func() { exec("DELETE FROM audit_entries WHERE id = ?", orig[4].ID) },
				func() { restore(orig[4]) }, 0, "entries at the end were removed"},
			{"entries swapped", func() {
				exec("UPDATE audit_entries SET seq = -1 WHERE id = ?", orig[1].ID)
				exec("UPDATE audit_entries SET seq = 2 WHERE id = ?", orig[2].ID)
				exec("UPDATE audit_entries SET seq = 3 WHERE id = ?", orig[1].ID)
			}, func() {
				exec("UPDATE audit_entries SET seq = -1 WHERE id = ?", orig[1].ID)
				restore(orig[2])
				restore(orig[1])
			}, orig[2].ID, "does not follow the entry before it"},
			{"entry added after the head", func() {
				fake := orig[4]
				fake.ID, fake.Seq = 0, 6
				if err := db.Create(&fake).Error; err != nil {
					t.Fatal(err)
				}
			}, func() { exec("DELETE FROM audit_entries WHERE seq = 6") }, 0, "outside the chain"},
		}
		for _, tc := range tests {
			tc.tamper()
			check, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatalf("%s: VerifyAudit: %v", tc.name, err)
			}
			switch {
			case check.Broken == nil:
				t.Errorf("%s: VerifyAudit found nothing wrong", tc.name)
			case (tc.wantID != 0 && check.Broken.ID != tc.wantID) || !strings.Contains(check.Broken.String(), tc.wantInMessage):
				t.Errorf("%s: broken %s (id %d), want id %d and %q", tc.name, check.Broken, check.Broken.ID, tc.wantID, tc.wantInMessage)
			}
			tc.undo()
			mustVerify(t, s, 5)
		}
	})
}

func TestAnonymiseAuditKeepsTheChain(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		day := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
		actx := models.WithClientAddress(models.WithActor(ctx, auditAdmin), "192.0.2.7")
		for i := range 4 {
			s.SetClock(func() time.Time { return day.AddDate(0, 0, i) })
			if err := s.WriteAuditAlone(actx, auditAdmin, personalEdit(uint(i+1), i)); err != nil {
				t.Fatal(err)
			}
		}
		s.SetClock(func() time.Time { return day.AddDate(0, 1, 0) })
		n, err := s.AnonymiseAuditBefore(models.WithActor(ctx, models.Actor{Kind: models.ActorCLI}), day.AddDate(0, 0, 2))
		if err != nil || n != 2 {
			t.Fatalf("AnonymiseAuditBefore = %d, %v, want 2", n, err)
		}
		check := mustVerify(t, s, 5)
		if check.Anonymised != 2 {
			t.Errorf("verify counted %d anonymised entries, want 2", check.Anonymised)
		}
		entries := allEntries(t, s)
		for i, e := range entries[:4] {
			personal := e.ActorName + e.ClientAddress + e.Reason + e.Personal + e.PersonalSalt
			if i < 2 {
				if personal != "" || e.ActorID != nil || !e.Anonymised() || e.PersonalDigest == "" {
					t.Errorf("anonymised entry %d keeps %q (actor id %v, digest %q)", i, personal, e.ActorID, e.PersonalDigest)
				}
				if old, _ := e.DetailMap()["old"].(map[string]any); len(old) != 0 || e.Details == "" {
					t.Errorf("anonymised entry %d: old values %v, details %q; want no names, the field list kept", i, old, e.Details)
				}
				continue
			}
			if e.Anonymised() || !strings.Contains(e.Personal, "Anna") || e.ActorName == "" {
				t.Errorf("entry %d after the date was anonymised: %+v", i, e)
			}
		}
		last := entries[4]
		if last.Action != models.ActionAuditAnonymised || last.ActorKind != models.ActorCLI || !strings.Contains(last.Details, `"entries":2`) {
			t.Errorf("the anonymisation's own entry: %+v", last)
		}
		// Again: nothing left to do, one more entry.
		if n, err := s.AnonymiseAuditBefore(noActor, day.AddDate(0, 0, 2)); err != nil || n != 0 {
			t.Errorf("second AnonymiseAuditBefore = %d, %v, want 0", n, err)
		}
		if e := allEntries(t, s)[5]; e.ActorKind != models.ActorSystem {
			t.Errorf("without an actor the anonymisation is the system's, got %+v", e)
		}
		mustVerify(t, s, 6)
	})
}

func TestAuditLogFiltersAndPages(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		other := models.Actor{Kind: models.ActorToken, ID: 4, Name: "Koppeling"}
		day := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
		for i := range 7 {
			s.SetClock(func() time.Time { return day.AddDate(0, 0, i) })
			by := auditAdmin
			if i%2 == 1 {
				by = other
			}
			if err := s.WriteAuditAlone(ctx, by, personalEdit(uint(i%3+1), i)); err != nil {
				t.Fatal(err)
			}
		}
		seqs := func(p models.AuditPage) []int64 {
			var out []int64
			for _, e := range p.Entries {
				out = append(out, e.Seq)
			}
			return out
		}
		tests := []struct {
			name  string
			f     models.AuditFilter
			limit int
			want  string
			older bool
			newer bool
		}{
			{"all, first page", models.AuditFilter{}, 3, "[7 6 5]", true, false},
			{"older", models.AuditFilter{Older: 5}, 3, "[4 3 2]", true, true},
			{"last page", models.AuditFilter{Older: 2}, 3, "[1]", false, true},
			{"newer", models.AuditFilter{Newer: 1}, 3, "[4 3 2]", true, true},
			{"actor", models.AuditFilter{ActorKind: models.ActorToken, ActorID: 4}, 10, "[6 4 2]", false, false},
			{"object", models.AuditFilter{SubjectKind: models.SubjectRegistration, SubjectID: 2}, 10, "[5 2]", false, false},
			{"kind", models.AuditFilter{SubjectKind: models.SubjectRegistration}, 2, "[7 6]", true, false},
			{"dates", models.AuditFilter{From: day.AddDate(0, 0, 2), To: day.AddDate(0, 0, 4)}, 10, "[4 3]", false, false},
			{"action", models.AuditFilter{Action: "nothing.like.it"}, 10, "[]", false, false},
		}
		for _, tc := range tests {
			p, err := s.AuditLog(ctx, tc.f, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(seqs(p)); got != tc.want || p.Older != tc.older || p.Newer != tc.newer {
				t.Errorf("%s: %s older %v newer %v, want %s older %v newer %v", tc.name, got, p.Older, p.Newer, tc.want, tc.older, tc.newer)
			}
		}
		var streamed []int64
		if err := s.EachAuditEntry(ctx, models.AuditFilter{ActorKind: models.ActorUser}, func(e models.AuditEntry) error {
			streamed = append(streamed, e.Seq)
			return nil
		}); err != nil || fmt.Sprint(streamed) != "[7 5 3 1]" {
			t.Errorf("EachAuditEntry: %v (%v), want [7 5 3 1]", streamed, err)
		}
		actors, err := s.AuditActors(ctx)
		if err != nil || len(actors) != 2 || actors[0].Name != "Koppeling" || actors[1].ID != auditAdmin.ID || actors[1].Name != auditAdmin.Name {
			t.Errorf("AuditActors = %+v (%v)", actors, err)
		}
		kinds, actions, err := s.AuditKinds(ctx)
		if err != nil || fmt.Sprint(kinds) != "[registration]" || fmt.Sprint(actions) != "["+models.AuditRegistrationDetails+"]" {
			t.Errorf("AuditKinds = %v, %v (%v)", kinds, actions, err)
		}
	})
}

// TestAuditChainMigration chains the entries an older version wrote, in their order, with
// their personal values moved apart.
func TestAuditChainMigration(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			dsn := "file:" + filepath.Join(t.TempDir(), "old.db")
			if kind == "postgres" {
				dsn = modelstest.PostgresDSN(t)
			}
			at := time.Date(2027, 1, 10, 9, 0, 0, 123456789, time.UTC)
			err := models.MigrateTo(ctx, dsn, "2026120804_english_content", func(db *gorm.DB) error {
				rows := []struct{ action, details string }{
					{models.AuditRegistrationDetails, `{"fields":["name"],"old":{"name":"Anna de Vries"},"new":{"name":"Anna de Wit"}}`},
					{"message.sent", `{"group":"attendees","recipients":3}`},
					{models.ActionWalkIn, ""},
				}
				for i, r := range rows {
					err := db.Exec(`INSERT INTO audit_entries (at, actor_kind, actor_id, actor_name, action, subject_kind, subject_id, reason, details)
						VALUES (?, 'user', 3, 'beheer@example.nl', ?, 'registration', ?, 'oud', ?)`, at.Add(time.Duration(i)*time.Minute), r.action, i+1, r.details).Error
					if err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatalf("migrate to the version before: %v", err)
			}
			s, err := models.Open(ctx, dsn)
			if err != nil {
				t.Fatalf("open (the chain's migration): %v", err)
			}
			defer s.Close()
			mustVerify(t, s, 3)
			entries := allEntries(t, s)
			if e := entries[0]; e.Seq != 1 || e.Action != models.AuditRegistrationDetails || strings.Contains(e.Details, "Anna") ||
				!strings.Contains(e.Personal, "Anna de Wit") || !strings.Contains(e.Details, `"fields":["name"]`) {
				t.Errorf("first entry after the migration: %+v", e)
			}
			if e := entries[2]; e.Seq != 3 || e.Action != models.ActionWalkIn || e.Details != "" {
				t.Errorf("last entry after the migration: %+v", e)
			}
			// New entries carry on from there.
			if err := s.RecordAuditExport(models.WithActor(ctx, auditAdmin), "", "csv"); err != nil {
				t.Fatal(err)
			}
			mustVerify(t, s, 4)
		})
	}
}

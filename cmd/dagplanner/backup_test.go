package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// runBackup runs "dagplanner backup" and returns its output.
func runBackup(t *testing.T, db, to string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(modelstest.Ctx(), []string{"backup", "--db", db, "--to", to}, envMap(nil), strings.NewReader(""), &out)
	return out.String(), err
}

// checkRestored opens a restored database and checks it is whole: the venues' counters equal
// the registrations stored, and at least want registrations are there.
func checkRestored(t *testing.T, dsn string, want int64) {
	t.Helper()
	store, err := models.Open(modelstest.Ctx(), dsn)
	if err != nil {
		t.Fatalf("open the restored database: %v", err)
	}
	defer store.Close()
	if err := store.Ready(modelstest.Ctx()); err != nil {
		t.Errorf("the restored database is not ready: %v", err)
	}
	var stored, counted int64
	modelstest.Scalar(t, store, &stored, "SELECT count(*) FROM registrations WHERE status = ?", models.RegistrationActive)
	modelstest.Scalar(t, store, &counted, "SELECT coalesce(sum(registered), 0) FROM venues")
	if stored < want || stored != counted {
		t.Errorf("restored: %d registrations, venues count %d; want at least %d, and the two equal", stored, counted, want)
	}
}

// tryRegister registers email at Zwolle through the API, for use off the test's goroutine.
func tryRegister(base, email string) error {
	body, _ := json.Marshal(map[string]any{"name": "Test Deelnemer", "email": email, "organisation": "Gemeente Test",
		"venue": "zwolle", "consent": true})
	resp, err := http.Post(base+"/api/v1/registrations", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		text, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("register %s = %d, want 201: %s", email, resp.StatusCode, text)
	}
	return nil
}

func TestBackupSQLiteWhileWriting(t *testing.T) {
	t.Parallel()
	db := demoDB(t, false)
	srv := startServer(t, "--db", db, "--demo", "--demo-registrations=false", "--registration-burst", "1000")

	// Registrations keep coming while the backup runs.
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := tryRegister(srv.URL, fmt.Sprintf("backup-%d-%d@example.org", w, i)); err != nil {
					t.Error(err)
					return
				}
				acked.Add(1)
			}
		})
	}
	for acked.Load() < 50 && !t.Failed() {
		time.Sleep(10 * time.Millisecond)
	}
	before := acked.Load()
	to := filepath.Join(t.TempDir(), "copy.db")
	out, err := runBackup(t, db, to)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if acked.Load() == before {
		t.Log("no registration finished during the backup; the copy is still checked")
	}

	copyDB, err := sql.Open("sqlite3", to)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := copyDB.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("PRAGMA integrity_check on the copy = %q, %v; want ok", check, err)
	}
	copyDB.Close()
	checkRestored(t, "file:"+to, before)

	// A backup never overwrites.
	info, _ := os.Stat(to)
	if _, err := runBackup(t, db, to); !errors.Is(err, models.ErrBackupExists) {
		t.Errorf("a second backup to the same file: %v, want ErrBackupExists", err)
	}
	if again, _ := os.Stat(to); again.Size() != info.Size() || !again.ModTime().Equal(info.ModTime()) {
		t.Errorf("the existing backup was changed")
	}
}

func TestBackupPostgresRestore(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pg_restore"); err != nil {
		t.Skip("pg_restore not installed")
	}
	dsn := modelstest.PostgresDSN(t)
	srv := startServer(t, "--db", dsn, "--demo", "--demo-registrations=false")
	for i := range 20 {
		registerViaAPI(t, srv.URL, fmt.Sprintf("pg-backup-%d@example.org", i))
	}
	to := filepath.Join(t.TempDir(), "dagplanner.dump")
	if out, err := runBackup(t, dsn, to); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}

	fresh := modelstest.PostgresDSN(t) // an empty database, dropped after the test
	restore := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname", fresh, to)
	if out, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	checkRestored(t, fresh, 20)
}

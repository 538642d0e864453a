package models

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestWALStaysSmallWhileReadersKeepReading writes on and on, rewriting the same pages, while
// two readers read the whole table every few milliseconds: the WAL can then hardly ever start over
// from its beginning, and without the writer's truncation (checkpointSoon) it grows by every
// commit, to ~80 MB here. It must stay within a few times the size at which it is truncated
// (a truncation that finds a reader in the way leaves the WAL to grow a while before the next).
func TestWALStaysSmallWhileReadersKeepReading(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wal.db")
	s, err := Open(ctx, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const rows = 2000
	if err := s.DB().Exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, pad BLOB)").Error; err != nil {
		t.Fatal(err)
	}
	if err := s.DB().Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO filler SELECT i, randomblob(1000) FROM n`, rows).Error; err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				var n int64
				s.DB().Raw("SELECT sum(length(pad)) FROM filler").Scan(&n)
				time.Sleep(3 * time.Millisecond)
			}
		})
	}
	var peak atomic.Int64
	var writers sync.WaitGroup
	for w := range 2 {
		writers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for range 500 {
				ids := make([]string, 20)
				for i := range ids {
					ids[i] = "?"
				}
				args := make([]any, len(ids))
				for i := range args {
					args[i] = rng.IntN(rows) + 1
				}
				err := s.write(ctx, func(tx *gorm.DB) error {
					return tx.Exec("UPDATE filler SET pad = randomblob(1000) WHERE id IN ("+strings.Join(ids, ",")+")", args...).Error
				})
				if err != nil {
					t.Error(err)
					return
				}
				if fi, err := os.Stat(path + "-wal"); err == nil {
					for cur := peak.Load(); fi.Size() > cur && !peak.CompareAndSwap(cur, fi.Size()); cur = peak.Load() {
					}
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	db, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("WAL peaked at %.1f MB; the database is %.1f MB", float64(peak.Load())/(1<<20), float64(db.Size())/(1<<20))
	if limit := 4 * max(int64(walTruncateBytes), db.Size()); peak.Load() > limit {
		t.Errorf("WAL grew to %d bytes, want at most %d (4 × the larger of the database and %d)", peak.Load(), limit, walTruncateBytes)
	}
}

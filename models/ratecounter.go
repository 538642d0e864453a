package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RateCounter counts attempts against one key (an e-mail address, an account) in a fixed
// window, for rate limits that must hold across all processes on the database.
type RateCounter struct {
	Name string `gorm:"size:300;primaryKey"`
	// WindowStart is the start of the window counted, in Unix seconds.
	WindowStart int64 `gorm:"not null;index"`
	Hits        int   `gorm:"not null;default:0"`
}

// CountAttempt adds one attempt to key in the window of length window that holds now, and
// returns the attempts in that window so far (this one included) and when the window ends.
// It is one upsert: processes counting the same key at once never lose a count.
func (s *Store) CountAttempt(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	start := s.now().UTC().Truncate(window)
	var hits int
	err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`INSERT INTO rate_counters (name, window_start, hits) VALUES (?, ?, 1)
ON CONFLICT (name) DO UPDATE SET
  hits = CASE WHEN excluded.window_start > rate_counters.window_start THEN 1 ELSE rate_counters.hits + 1 END,
  window_start = CASE WHEN excluded.window_start > rate_counters.window_start THEN excluded.window_start ELSE rate_counters.window_start END
RETURNING hits`, key, start.Unix()).Scan(&hits).Error
	})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count attempt: %w", err)
	}
	return hits, start.Add(window), nil
}

// UncountAttempt takes back one attempt counted for key: it did not go ahead, or it
// succeeded and only failures count.
func (s *Store) UncountAttempt(ctx context.Context, key string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Exec("UPDATE rate_counters SET hits = hits - 1 WHERE name = ? AND hits > 0", key).Error
	})
}

// DeleteOldRateCounters removes counters whose window started before cutoff; the periodic
// jobs call it, so that the table holds only the keys counted lately.
func (s *Store) DeleteOldRateCounters(ctx context.Context, cutoff time.Time) error {
	return s.wdb.WithContext(ctx).Where("window_start < ?", cutoff.Unix()).Delete(&RateCounter{}).Error
}

package models

import (
	"context"
	"fmt"
	"time"
)

// JobRun remembers, per periodic job, the last due time a process claimed; it is how several
// Dagplanner processes on one database run each due run of a job once.
type JobRun struct {
	Name string `gorm:"size:60;primaryKey"`
	// LastDue is the due time, in Unix seconds, of the last run claimed.
	LastDue int64 `gorm:"not null;default:0"`
}

// ClaimJobRun reports whether the caller may run job name for due time due: the first
// process to ask for a due time gets true, every other false. The claim is one conditional
// write, the same on SQLite and PostgreSQL. A process that dies during its run loses that
// due time; the job runs again at its next one (the jobs are written to be repeated).
func (s *Store) ClaimJobRun(ctx context.Context, name string, due time.Time) (bool, error) {
	db := s.wdb.WithContext(ctx)
	if err := db.Exec("INSERT INTO job_runs (name, last_due) VALUES (?, 0) ON CONFLICT (name) DO NOTHING", name).Error; err != nil {
		return false, fmt.Errorf("claim job %s: %w", name, err)
	}
	res := db.Exec("UPDATE job_runs SET last_due = ? WHERE name = ? AND last_due < ?", due.Unix(), name, due.Unix())
	if res.Error != nil {
		return false, fmt.Errorf("claim job %s: %w", name, res.Error)
	}
	return res.RowsAffected == 1, nil
}

package modelstest

import (
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

// The helpers below give the command's and the demo's tests the raw SQL that the generic
// helpers of setters_handlers.go do not express: a check across tables (the counters against
// the rows they count), a pragma, or a change that tampers with the audit chain behind the
// store's back. Like the others they fail the test on a database error.

// Exec runs sql, a statement with ? placeholders for args, and fails the test on an error.
func Exec(t testing.TB, s *models.Store, sql string, args ...any) {
	t.Helper()
	if err := s.DB().Exec(sql, args...).Error; err != nil {
		t.Fatalf("exec %q %v: %v", sql, args, err)
	}
}

// Scalar runs sql, a query with ? placeholders for args, and scans the first column of its
// first row into dst (a pointer: *int64, *string, ...); it fails the test on an error.
func Scalar(t testing.TB, s *models.Store, dst any, sql string, args ...any) {
	t.Helper()
	if err := s.DB().Raw(sql, args...).Scan(dst).Error; err != nil {
		t.Fatalf("query %q %v: %v", sql, args, err)
	}
}

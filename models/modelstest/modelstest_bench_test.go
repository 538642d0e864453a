package modelstest_test

import (
	"testing"

	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// BenchmarkSQLite measures what a test pays for a fresh, migrated SQLite store.
func BenchmarkSQLite(b *testing.B) {
	for b.Loop() {
		modelstest.SQLite(b)
	}
}

// BenchmarkPostgres measures what a test pays for a fresh, migrated PostgreSQL store.
func BenchmarkPostgres(b *testing.B) {
	for b.Loop() {
		modelstest.Postgres(b)
	}
}

package models

import (
	"slices"
	"strings"
	"testing"
)

// TestMigrationsAreInIDOrder: Ready takes the newest migration to be the last of the list, and
// a database's newest to be the greatest id; both hold only while the list is in id order.
func TestMigrationsAreInIDOrder(t *testing.T) {
	ids := make([]string, len(migrations))
	for i, m := range migrations {
		ids[i] = m.ID
	}
	if !slices.IsSortedFunc(ids, strings.Compare) {
		t.Errorf("migrations are not in id order: %v", ids)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("migration %s twice", id)
		}
		seen[id] = true
	}
}

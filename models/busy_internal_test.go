package models

import "testing"

// The store says it is busy once a batch only a crowd produces has committed, and not for
// the small batches of everyday use.
func TestStoreBusyAfterARushBatch(t *testing.T) {
	var s Store
	if s.Busy() {
		t.Fatal("a new store says it is busy")
	}
	s.stats.observeBatch(rushBatch - 1)
	if s.Busy() {
		t.Errorf("a batch of %d made the store busy", rushBatch-1)
	}
	s.stats.observeBatch(rushBatch)
	if !s.Busy() {
		t.Errorf("a batch of %d did not make the store busy", rushBatch)
	}
}

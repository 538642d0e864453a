package models

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"gorm.io/gorm"
)

// TestCommitBatchUndoesOnlyTheFailingWrite runs a batch whose middle write fails after it
// has written: the other writes must commit, the failing one must leave nothing behind.
func TestCommitBatchUndoesOnlyTheFailingWrite(t *testing.T) {
	ctx := WithActor(context.Background(), Actor{Kind: ActorCLI, Name: "test"})
	s, err := Open(ctx, "file:"+filepath.Join(t.TempDir(), "batch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e, err := s.CreateEvent(ctx, EventInput{Name: "Dag", Date: "2027-02-03"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.CreateVenue(ctx, e.ID, VenueInput{Slug: "zwolle", Name: "P", City: "Z", Address: "A", Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	room := func(name string, fail bool) *writeJob {
		return &writeJob{ctx: ctx, done: make(chan error, 1), fn: func(tx *gorm.DB) error {
			if err := tx.Create(&Room{VenueID: v.ID, Name: name, Capacity: 5}).Error; err != nil {
				return err
			}
			if fail {
				return boom
			}
			return nil
		}}
	}
	batch := []*writeJob{room("A", false), room("B", true), room("C", false)}
	s.commitBatch(0, batch)
	for i, want := range []error{nil, boom, nil} {
		if got := <-batch[i].done; !errors.Is(got, want) {
			t.Errorf("job %d: err = %v, want %v", i, got, want)
		}
	}
	var names []string
	s.db.Model(&Room{}).Order("name").Pluck("name", &names)
	if len(names) != 2 || names[0] != "A" || names[1] != "C" {
		t.Errorf("rooms after the batch = %v, want [A C]", names)
	}
}

package mail

import (
	"errors"
	"testing"
	"time"
)

// During a rush the worker rests longer after a full batch; otherwise nothing changes.
func TestWorkerTricklesDuringARush(t *testing.T) {
	rush := false
	w := &Worker{Busy: func() bool { return rush }}
	for _, c := range []struct {
		claimed int
		err     error
		rush    bool
		want    time.Duration
	}{
		{DefaultBatch, nil, false, DefaultPause},
		{DefaultBatch, nil, true, RushPause},
		{DefaultBatch - 1, nil, true, DefaultInterval}, // the outbox is drained: wait as always
		{0, errors.New("database down"), true, DefaultInterval},
	} {
		rush = c.rush
		if got := w.nextPoll(c.claimed, c.err); got != c.want {
			t.Errorf("claimed %d, err %v, rush %v: next poll after %v, want %v", c.claimed, c.err, c.rush, got, c.want)
		}
	}
	if got := (&Worker{}).nextPoll(DefaultBatch, nil); got != DefaultPause {
		t.Errorf("a worker that is not told about rushes rests %v, want %v", got, DefaultPause)
	}
}

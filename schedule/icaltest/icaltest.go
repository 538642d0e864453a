// Package icaltest reads iCalendar feeds in tests with libical, the C library behind
// Evolution, GNOME Calendar and many CalDAV servers: a parser independent of the Go
// library that writes the feeds. testdata/icalcheck.c parses a feed, applies libical's RFC
// 5545/5546 restriction check and lists every event with its times resolved against the
// feed's VTIMEZONE. It is built with gcc against Debian's libical-dev.
package icaltest

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

//go:embed testdata/icalcheck.c
var checker []byte

// Event is one VEVENT as libical read it.
type Event struct {
	UID        string
	Start, End time.Time
	Summary    string
}

// Check runs libical on the feed raw. It fails the test when libical reports a problem or
// cannot read the feed, and returns the events in the feed's order. Without gcc or
// libical's headers it skips, or fails where scripts/test promised every tool
// (DAGPLANNER_REQUIRE_POSTGRES=1).
func Check(t testing.TB, raw []byte) []Event {
	t.Helper()
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "icalcheck.c"), filepath.Join(dir, "icalcheck")
	if err := os.WriteFile(src, checker, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("gcc", "-o", bin, src, "-lical").CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot build the libical checker (apt-get install gcc libical-dev): %v\n%s", err, out)
		if os.Getenv("DAGPLANNER_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	feed := filepath.Join(dir, "feed.ics")
	if err := os.WriteFile(feed, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, feed).Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	var events []Event
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "error":
			t.Errorf("libical: %s", strings.Join(f[1:], ": "))
		case f[0] == "event" && len(f) == 5:
			var start, end int64
			if _, err := fmt.Sscan(f[2], &start); err != nil {
				t.Fatalf("libical start %q: %v", f[2], err)
			}
			if _, err := fmt.Sscan(f[3], &end); err != nil {
				t.Fatalf("libical end %q: %v", f[3], err)
			}
			events = append(events, Event{UID: f[1], Start: time.Unix(start, 0).UTC(), End: time.Unix(end, 0).UTC(), Summary: f[4]})
		case line != "":
			t.Errorf("libical checker printed %q", line)
		}
	}
	if err != nil {
		t.Errorf("libical refused the feed (%v): %s", err, exit.Stderr)
	}
	return events
}

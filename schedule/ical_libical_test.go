package schedule

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The feeds are read a second time by libical, the C library behind Evolution, GNOME
// Calendar and many CalDAV servers, which is independent of the Go library that writes
// them. testdata/icalcheck.c parses a feed, applies libical's RFC 5545/5546 restriction
// check and lists every event with its times resolved against the feed's VTIMEZONE.

// libicalEvent is one VEVENT as libical read it.
type libicalEvent struct {
	UID        string
	Start, End time.Time
	Summary    string
}

// libicalCheck builds testdata/icalcheck.c and runs it on raw. It fails the test when
// libical reports a problem or cannot read the feed, and returns the events. Without gcc
// or libical's headers it skips, or fails where scripts/test promised every tool.
func libicalCheck(t *testing.T, raw []byte) []libicalEvent {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "icalcheck")
	if out, err := exec.Command("gcc", "-o", bin, filepath.Join("testdata", "icalcheck.c"), "-lical").CombinedOutput(); err != nil {
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
	var events []libicalEvent
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
			events = append(events, libicalEvent{f[1], time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC(), f[4]})
		case line != "":
			t.Errorf("libical checker printed %q", line)
		}
	}
	if err != nil {
		t.Errorf("libical refused the feed (%v): %s\n%s", err, exit.Stderr, raw)
	}
	return events
}

// wantLibicalEvents compares what libical read with the sessions the feed should hold.
func wantLibicalEvents(t *testing.T, p Programme, got []libicalEvent, want []ProgrammeSession) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("libical read %d events, want %d", len(got), len(want))
	}
	for i, s := range want {
		w := libicalEvent{SessionUID(p, s), s.Start.UTC(), s.End.UTC(), icalText(s.Title)}
		if got[i] != w {
			t.Errorf("libical event %d = %+v, want %+v", i, got[i], w)
		}
	}
}

func TestVenueICalReadByLibical(t *testing.T) {
	for _, tc := range []struct{ date, venue string }{{"2027-01-14", "zwolle"}, {"2027-06-10", "rotterdam"}} {
		t.Run(tc.venue+"/"+tc.date, func(t *testing.T) {
			e, vs, ss := testModels(tc.date)
			p := FromModels(e, vs, ss, testPublication)
			raw := venueICal(t, p, tc.venue)
			if bytes.Contains(raw, []byte("\r\nMETHOD:")) {
				t.Errorf("the feed declares a METHOD; a subscription feed has none (RFC 5546 would then want an ORGANIZER in every event)")
			}
			v, err := p.venue(tc.venue)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Sessions) == 0 {
				t.Fatalf("venue %s has no sessions to check", tc.venue)
			}
			wantLibicalEvents(t, p, libicalCheck(t, raw), v.Sessions)
		})
	}
}

func TestPersonalICalReadByLibical(t *testing.T) {
	p := testProgramme()
	var buf bytes.Buffer
	if err := WritePersonalICal(&buf, p, []uint{104, 200, 101}, "Mijn programma, Dag van de Ambtenaar"); err != nil {
		t.Fatal(err)
	}
	var want []ProgrammeSession
	for _, v := range p.Venues {
		for _, s := range v.Sessions {
			if slices.Contains([]uint{104, 200, 101}, s.ID) {
				want = append(want, s)
			}
		}
	}
	slices.SortStableFunc(want, func(a, b ProgrammeSession) int { return a.Start.Compare(b.Start) })
	wantLibicalEvents(t, p, libicalCheck(t, buf.Bytes()), want)
}

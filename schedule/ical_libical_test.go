package schedule

import (
	"bytes"
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/schedule/icaltest"
)

// The feeds are read a second time by libical (package icaltest), independent of the Go
// library that writes them.

// wantLibicalEvents compares what libical read with the sessions the feed should hold.
func wantLibicalEvents(t *testing.T, p Programme, got []icaltest.Event, want []ProgrammeSession) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("libical read %d events, want %d", len(got), len(want))
	}
	for i, s := range want {
		w := icaltest.Event{UID: SessionUID(p, s), Start: s.Start.UTC(), End: s.End.UTC(), Summary: icalText(s.Title)}
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
			wantLibicalEvents(t, p, icaltest.Check(t, raw), v.Sessions)
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
	wantLibicalEvents(t, p, icaltest.Check(t, buf.Bytes()), want)
}

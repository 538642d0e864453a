package schedule

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

func venueICal(t *testing.T, p Programme, slug string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteVenueICal(&buf, p, slug); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkLines checks RFC 5545's line rules: CRLF after every line, no bare CR or LF,
// no line longer than 75 octets.
func checkLines(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("END:VCALENDAR\r\n")) {
		t.Errorf("calendar does not end with END:VCALENDAR and CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(raw, []byte("\r\n")), []byte("\r\n"))
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i+1, len(l), l)
		}
	}
}

func parseICal(t *testing.T, raw []byte) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ParseCalendar: %v\n%s", err, raw)
	}
	return cal
}

func prop(c *ics.ComponentBase, name ics.ComponentProperty) string {
	if p := c.GetProperty(name); p != nil {
		return ics.FromText(p.Value)
	}
	return ""
}

func TestVenueICal(t *testing.T) {
	p := testProgramme()
	raw := venueICal(t, p, "zwolle")
	checkLines(t, raw)
	cal := parseICal(t, raw)

	tzs := cal.Timezones()
	if len(tzs) != 1 || prop(&tzs[0].ComponentBase, ics.ComponentPropertyTzid) != "Europe/Amsterdam" {
		t.Fatalf("VTIMEZONE = %v, want one for Europe/Amsterdam", tzs)
	}
	for _, want := range []string{"TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST", "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET",
		"DTSTART:20261025T030000", "DTSTART:20270328T020000", "X-WR-TIMEZONE:Europe/Amsterdam"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("calendar lacks %q", want)
		}
	}

	events := cal.Events()
	if len(events) != 5 {
		t.Fatalf("%d events, want 5", len(events))
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	byUID := map[string]*ics.VEvent{}
	for _, e := range events {
		byUID[e.Id()] = e
		if got := prop(&e.ComponentBase, ics.ComponentPropertySequence); got != "3" {
			t.Errorf("%s: SEQUENCE = %q, want 3", e.Id(), got)
		}
		if got := e.GetProperty(ics.ComponentPropertyDtStart).ICalParameters["TZID"]; len(got) != 1 || got[0] != "Europe/Amsterdam" {
			t.Errorf("%s: DTSTART TZID = %v", e.Id(), got)
		}
	}
	training := byUID["session-102@event-7.dagplanner"]
	if training == nil {
		t.Fatalf("no event with UID session-102@event-7.dagplanner; have %v", byUID)
	}
	start, err := training.GetStartAt()
	if err != nil || !start.Equal(time.Date(2027, 1, 14, 13, 0, 0, 0, ams)) {
		t.Errorf("training starts %v (%v), want 13:00 Amsterdam time", start, err)
	}
	end, err := training.GetEndAt()
	if err != nil || !end.Equal(time.Date(2027, 1, 14, 15, 15, 0, 0, ams)) {
		t.Errorf("training ends %v (%v), want 15:15 Amsterdam time", end, err)
	}
	if got := prop(&training.ComponentBase, ics.ComponentPropertyLocation); got != "Kamer 3.01, Stadskantoor, Lübeckplein 2, Zwolle" {
		t.Errorf("LOCATION = %q", got)
	}
	if got := prop(&training.ComponentBase, ics.ComponentPropertyDtstamp); got != "20261201T090000Z" {
		t.Errorf("DTSTAMP = %q, want the publication time", got)
	}

	// A long title is folded over several lines and reads back whole.
	long := byUID["session-103@event-7.dagplanner"]
	if got := prop(&long.ComponentBase, ics.ComponentPropertySummary); got != longTitle {
		t.Errorf("SUMMARY = %q, want %q", got, longTitle)
	}
	if !bytes.Contains(raw, []byte("\r\n ")) || bytes.Contains(raw, []byte(longTitle)) {
		t.Error("the long title is not folded")
	}
	// Commas, semicolons and accents survive.
	cafe := byUID["session-101@event-7.dagplanner"]
	if got := prop(&cafe.ComponentBase, ics.ComponentPropertySummary); got != accentTitle {
		t.Errorf("SUMMARY = %q, want %q", got, accentTitle)
	}
	if got := prop(&cafe.ComponentBase, ics.ComponentPropertyDescription); !strings.HasPrefix(got, "Een gesprek over keuzes; met koffie, thee en taart.\n\nZoë") {
		t.Errorf("DESCRIPTION = %q", got)
	}

	// The same session keeps its UID in a later version, with a higher SEQUENCE.
	later := p
	later.Version = 4
	again := parseICal(t, venueICal(t, later, "zwolle"))
	for _, e := range again.Events() {
		if byUID[e.Id()] == nil {
			t.Errorf("version 4 has UID %s, which version 3 did not", e.Id())
		}
		if got := prop(&e.ComponentBase, ics.ComponentPropertySequence); got != "4" {
			t.Errorf("version 4: SEQUENCE = %q", got)
		}
	}
}

func TestVenueICalSummerTime(t *testing.T) {
	e, vs, ss := testModels("2027-06-10")
	p := FromModels(e, vs, ss, testPublication)
	cal := parseICal(t, venueICal(t, p, "rotterdam"))
	for _, ev := range cal.Events() {
		if ev.Id() != "session-200@event-7.dagplanner" {
			continue
		}
		start, err := ev.GetStartAt()
		if err != nil || start.UTC().Format(time.RFC3339) != "2027-06-10T07:30:00Z" {
			t.Errorf("09:30 in June starts %v (%v), want 07:30 UTC", start, err)
		}
		if got := ev.GetProperty(ics.ComponentPropertyDtStart).Value; got != "20270610T093000" {
			t.Errorf("DTSTART = %q, want local time 20270610T093000", got)
		}
		return
	}
	t.Error("session 200 missing from the Rotterdam calendar")
}

func TestPersonalICal(t *testing.T) {
	p := testProgramme()
	var buf bytes.Buffer
	// 999 is not in the programme (dropped in this version); 200 is at another venue.
	if err := WritePersonalICal(&buf, p, []uint{104, 999, 200, 101}, "Mijn programma, Dag van de Ambtenaar"); err != nil {
		t.Fatal(err)
	}
	checkLines(t, buf.Bytes())
	cal := parseICal(t, buf.Bytes())
	var uids []string
	for _, e := range cal.Events() {
		uids = append(uids, e.Id())
	}
	want := "session-101@event-7.dagplanner session-200@event-7.dagplanner session-104@event-7.dagplanner"
	if strings.Join(uids, " ") != want {
		t.Errorf("events = %v, want %s (by start time)", uids, want)
	}
	if !bytes.Contains(buf.Bytes(), []byte("X-WR-CALNAME:Mijn programma\\, Dag van de Ambtenaar\r\n")) {
		t.Errorf("calendar name missing or unescaped:\n%s", buf.Bytes())
	}
	buf.Reset()
	if err := WritePersonalICal(&buf, p, nil, "Leeg"); err != nil {
		t.Fatal(err)
	}
	if cal := parseICal(t, buf.Bytes()); len(cal.Events()) != 0 {
		t.Errorf("empty personal calendar has %d events", len(cal.Events()))
	}
}

func TestICalText(t *testing.T) {
	if got := icalText("a\r\nb\rc\x00d\te"); got != "a\nb c d e" {
		t.Errorf("icalText = %q", got)
	}
}

func TestGoldenICal(t *testing.T) {
	golden(t, "zwolle.ics.golden", venueICal(t, testProgramme(), "zwolle"))
}

package demo

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var validFormats = map[string]bool{
	"workshop": true, "presentation": true, "lecture": true,
	"training": true, "discussion": true, "other": true,
}

func venueBySlug(slug string) (VenueSpec, bool) {
	for _, v := range Venues {
		if v.Slug == slug {
			return v, true
		}
	}
	return VenueSpec{}, false
}

func roomAt(v VenueSpec, name string) (RoomSpec, bool) {
	for _, r := range v.Rooms {
		if r.Name == name {
			return r, true
		}
	}
	return RoomSpec{}, false
}

func sessionLabel(i int, s SessionSpec) string {
	return fmt.Sprintf("session %d %q (%s/%s, slot %d+%d)", i, s.Title, s.Venue, s.Room, s.Slot, s.Slots)
}

// sentences counts sentence terminators (., ?, !) followed by a space or the end of the text.
func sentences(text string) int {
	text = strings.TrimSpace(text)
	n := 0
	for i, r := range text {
		if r != '.' && r != '?' && r != '!' {
			continue
		}
		if i+1 == len(text) || text[i+1] == ' ' {
			n++
		}
	}
	return n
}

func parseClock(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse("15:04", s)
	if err != nil {
		t.Fatalf("time %q: got parse error %v, want \"HH:MM\"", s, err)
	}
	return tm
}

func TestEventTexts(t *testing.T) {
	if EventName != "Dag van de Ambtenaar 2.0" {
		t.Errorf("EventName = %q, want %q", EventName, "Dag van de Ambtenaar 2.0")
	}
	if EventTheme != "Wij, de overheid" {
		t.Errorf("EventTheme = %q, want %q", EventTheme, "Wij, de overheid")
	}
	if n := sentences(EventDescription); n < 2 || n > 3 {
		t.Errorf("EventDescription has %d sentences, want 2-3: %q", n, EventDescription)
	}
}

func TestVenues(t *testing.T) {
	if got := len(Venues); got != 2 {
		t.Fatalf("got %d venues, want exactly 2", got)
	}
	want := map[string]string{"zwolle": "Provinciehuis Overijssel", "rotterdam": "Stadhuis Rotterdam"}
	total := 0
	seen := map[string]bool{}
	for _, v := range Venues {
		if seen[v.Slug] {
			t.Errorf("venue slug %q appears twice, want unique slugs", v.Slug)
		}
		seen[v.Slug] = true
		if name, ok := want[v.Slug]; !ok {
			t.Errorf("unexpected venue slug %q, want one of zwolle, rotterdam", v.Slug)
		} else if v.Name != name {
			t.Errorf("venue %q name = %q, want %q", v.Slug, v.Name, name)
		}
		for field, val := range map[string]string{"City": v.City, "Address": v.Address, "RouteHint": v.RouteHint, "Accessibility": v.Accessibility} {
			if strings.TrimSpace(val) == "" {
				t.Errorf("venue %q: %s is empty, want text", v.Slug, field)
			}
		}
		if n := len(v.Rooms); n < 5 || n > 8 {
			t.Errorf("venue %q has %d rooms, want 5..8", v.Slug, n)
		}
		sum := 0
		names := map[string]bool{}
		for _, r := range v.Rooms {
			if names[r.Name] {
				t.Errorf("venue %q: room %q appears twice, want unique room names", v.Slug, r.Name)
			}
			names[r.Name] = true
			if r.Capacity < 25 || r.Capacity > 200 {
				t.Errorf("venue %q room %q: capacity %d, want 25..200", v.Slug, r.Name, r.Capacity)
			}
			if strings.TrimSpace(r.Accessibility) == "" {
				t.Errorf("venue %q room %q: empty Accessibility, want text", v.Slug, r.Name)
			}
			sum += r.Capacity
		}
		if v.Capacity <= 0 || v.Capacity > sum {
			t.Errorf("venue %q: capacity %d, want 1..%d (sum of room capacities)", v.Slug, v.Capacity, sum)
		}
		total += v.Capacity
	}
	for slug := range want {
		if !seen[slug] {
			t.Errorf("venue %q missing, want it present", slug)
		}
	}
	if total < 700 {
		t.Errorf("total venue capacity %d, want >= 700 (the 2013 attendance)", total)
	}
}

func TestVenueSlots(t *testing.T) {
	for _, v := range Venues {
		if got := len(v.Slots); got != 4 {
			t.Errorf("venue %q has %d slots, want 4", v.Slug, got)
		}
		var prevEnd time.Time
		for i, sl := range v.Slots {
			start, end := parseClock(t, sl.Start), parseClock(t, sl.End)
			if len(sl.Start) != 5 || len(sl.End) != 5 {
				t.Errorf("venue %q slot %d: got %q-%q, want zero-padded HH:MM", v.Slug, i, sl.Start, sl.End)
			}
			if !start.Before(end) {
				t.Errorf("venue %q slot %d: start %s not before end %s, want start < end", v.Slug, i, sl.Start, sl.End)
			}
			if i > 0 && start.Before(prevEnd) {
				t.Errorf("venue %q slot %d starts %s before previous slot ends %s, want ordered, non-overlapping slots", v.Slug, i, sl.Start, prevEnd.Format("15:04"))
			}
			prevEnd = end
		}
	}
}

func TestSessionsBasic(t *testing.T) {
	if got := len(Sessions); got < 30 {
		t.Errorf("got %d sessions, want >= 30", got)
	}
	perVenue := map[string]int{}
	formats := map[string]int{}
	titles := map[string]int{}
	for i, s := range Sessions {
		label := sessionLabel(i, s)
		v, ok := venueBySlug(s.Venue)
		if !ok {
			t.Errorf("%s: venue %q unknown, want zwolle or rotterdam", label, s.Venue)
			continue
		}
		perVenue[s.Venue]++
		r, ok := roomAt(v, s.Room)
		if !ok {
			t.Errorf("%s: room %q does not exist at venue %q", label, s.Room, s.Venue)
		}
		if !validFormats[s.Format] {
			t.Errorf("%s: format %q, want one of workshop, presentation, lecture, training, discussion, other", label, s.Format)
		}
		formats[s.Format]++
		if s.Slots != 1 && s.Slots != 2 {
			t.Errorf("%s: Slots = %d, want 1 or 2", label, s.Slots)
		}
		if s.Slot < 0 || s.Slot+s.Slots > len(v.Slots) {
			t.Errorf("%s: spans slots %d..%d, want within 0..%d", label, s.Slot, s.Slot+s.Slots-1, len(v.Slots)-1)
		}
		if s.Capacity < 0 {
			t.Errorf("%s: capacity %d, want >= 0", label, s.Capacity)
		}
		if ok && s.Capacity > r.Capacity {
			t.Errorf("%s: capacity %d, want <= room capacity %d", label, s.Capacity, r.Capacity)
		}
		if strings.TrimSpace(s.Title) == "" || strings.TrimSpace(s.Track) == "" {
			t.Errorf("%s: empty title or track (%q), want both set", label, s.Track)
		}
		if n := sentences(s.Abstract); n < 2 || n > 4 {
			t.Errorf("%s: abstract has %d sentences, want 2-4", label, n)
		}
		titles[s.Title]++
		if n := len(s.Speakers); n < 1 || n > 2 {
			t.Errorf("%s: %d speakers, want 1 or 2", label, n)
		}
		for _, sp := range s.Speakers {
			if strings.TrimSpace(sp.Name) == "" || strings.TrimSpace(sp.Organisation) == "" || strings.TrimSpace(sp.Bio) == "" {
				t.Errorf("%s: speaker %+v has an empty field, want name, organisation and bio", label, sp)
			}
		}
	}
	for title, n := range titles {
		if n > 1 {
			t.Errorf("title %q used %d times, want unique titles", title, n)
		}
	}
	for _, v := range Venues {
		if perVenue[v.Slug] < 10 {
			t.Errorf("venue %q has %d sessions, want >= 10 (spread over both venues)", v.Slug, perVenue[v.Slug])
		}
	}
	if len(formats) < 5 {
		t.Errorf("got formats %v, want a mix of at least 5 formats", formats)
	}
}

func TestNoRoomDoubleBooked(t *testing.T) {
	type roomSlot struct {
		venue, room string
		slot        int
	}
	taken := map[roomSlot]int{}
	for i, s := range Sessions {
		for k := s.Slot; k < s.Slot+s.Slots; k++ {
			key := roomSlot{s.Venue, s.Room, k}
			if j, dup := taken[key]; dup {
				t.Errorf("room %s/%s slot %d double-booked: got %s and %s, want at most one session",
					s.Venue, s.Room, k, sessionLabel(j, Sessions[j]), sessionLabel(i, s))
				continue
			}
			taken[key] = i
		}
	}
}

func TestTwoSlotSessions(t *testing.T) {
	n := 0
	for _, s := range Sessions {
		if s.Slots == 2 {
			n++
		}
	}
	if n < 2 {
		t.Errorf("got %d two-slot sessions, want >= 2", n)
	}
}

func TestSmallSessions(t *testing.T) {
	n := 0
	for _, s := range Sessions {
		if s.Capacity >= 12 && s.Capacity <= 20 {
			n++
		}
	}
	if n < 3 {
		t.Errorf("got %d sessions with capacity 12..20, want >= 3", n)
	}
}

func TestMultiSpeakerAndDiacritics(t *testing.T) {
	pairs, diacritics := 0, 0
	for _, s := range Sessions {
		if len(s.Speakers) == 2 {
			pairs++
		}
		for _, sp := range s.Speakers {
			if utf8.RuneCountInString(sp.Name) != len(sp.Name) {
				diacritics++
			}
		}
	}
	if pairs < 3 {
		t.Errorf("got %d sessions with 2 speakers, want >= 3", pairs)
	}
	if diacritics < 3 {
		t.Errorf("got %d speaker appearances with non-ASCII names, want >= 3", diacritics)
	}
}

func TestNoSpeakerDoubleBooked(t *testing.T) {
	type booking struct {
		idx   int
		venue string
		slot  int
	}
	byName := map[string][]booking{}
	org := map[string]string{}
	for i, s := range Sessions {
		names := map[string]bool{}
		for _, sp := range s.Speakers {
			if names[sp.Name] {
				t.Errorf("%s: speaker %q listed twice, want once", sessionLabel(i, s), sp.Name)
			}
			names[sp.Name] = true
			if o, ok := org[sp.Name]; ok && o != sp.Organisation {
				t.Errorf("speaker %q: organisation %q in %s, want %q as elsewhere", sp.Name, sp.Organisation, sessionLabel(i, s), o)
			}
			org[sp.Name] = sp.Organisation
			for k := s.Slot; k < s.Slot+s.Slots; k++ {
				for _, b := range byName[sp.Name] {
					if b.idx == i {
						continue
					}
					if b.venue != s.Venue {
						t.Errorf("speaker %q at two venues: got %s and %s, want one venue per speaker",
							sp.Name, sessionLabel(b.idx, Sessions[b.idx]), sessionLabel(i, s))
					} else if b.slot == k {
						t.Errorf("speaker %q double-booked in %s slot %d: got %s and %s, want one session per slot",
							sp.Name, s.Venue, k, sessionLabel(b.idx, Sessions[b.idx]), sessionLabel(i, s))
					}
				}
				byName[sp.Name] = append(byName[sp.Name], booking{i, s.Venue, k})
			}
		}
	}
}

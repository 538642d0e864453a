package schedule

import (
	"testing"
	"time"
)

// TestUnplacedReasonIsTheRealOne: a two-slot session whose speakers chose one venue but
// have no two consecutive slots free there is left out because of that, not because of the
// many places at the venue they did not choose.
func TestUnplacedReasonIsTheRealOne(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return time.Date(2027, 2, 3, h, 0, 0, 0, time.UTC) }
	slots := []Slot{{at(9), at(10)}, {at(10), at(11)}, {at(11), at(12)}, {at(12), at(13)}}
	rooms := []Room{{"A", 50}, {"B", 50}, {"C", 50}}
	big := Venue{Name: "Rotterdam", City: "Rotterdam", Rooms: append(rooms, Room{"D", 50}, Room{"E", 50}), Slots: slots}
	pr := Problem{
		Venues: []Venue{{Name: "Zwolle", City: "Zwolle", Rooms: rooms, Slots: slots}, big},
		Speakers: []Speaker{
			{Name: "Anna", Unavailable: map[SlotRef]bool{{0, 1}: true}},
			{Name: "Bert", Unavailable: map[SlotRef]bool{{0, 3}: true}},
			{Name: "Cor", Unavailable: map[SlotRef]bool{}},
		},
		Sessions: []Session{
			// Anna cannot do 10–11, Bert not 12–13: no two consecutive slots for both.
			{Title: "Samen lang", Length: 2, Speakers: []int{0, 1}, Venues: []int{0}},
			{Title: "Te groot", Length: 2, Speakers: []int{2}, Venues: []int{0}, MinSeats: 80},
			{Title: "Past", Length: 2, Speakers: []int{2}, Venues: []int{0}},
		},
	}
	want := map[string]string{"Samen lang": "no_consecutive", "Te groot": "room_too_small"}
	check := func(name string, unplaced []Unplaced) {
		t.Helper()
		got := map[string]string{}
		for _, u := range unplaced {
			got[pr.Sessions[u.Session].Title] = u.Rule
		}
		if len(got) != len(want) || got["Samen lang"] != want["Samen lang"] || got["Te groot"] != want["Te groot"] {
			t.Errorf("%s: unplaced rules %v, want %v", name, got, want)
		}
	}
	check("Solve", pr.Solve(Options{Seed: 1, Iterations: 500}).Unplaced)
	check("Greedy", pr.Greedy().Unplaced)
	for _, venue := range []int{-1, 0} {
		res, err := pr.Plan(Request{Mode: PlaceUnplaced, Venue: venue, Current: Plan{Places: make([]*Place, 3)}, Seed: 1, Iterations: 500})
		if err != nil {
			t.Fatal(err)
		}
		check("Plan", res.Unplaced)
	}
	check("Unplaceable", pr.Unplaceable(Plan{Places: make([]*Place, 3)}))
	for _, u := range pr.Unplaceable(Plan{Places: make([]*Place, 3)}) {
		if u.Rule == "no_consecutive" && u.Reason != reasonNoConsecutive {
			t.Errorf("reason %q, want %q", u.Reason, reasonNoConsecutive)
		}
	}
}

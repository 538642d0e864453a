package schedule

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSolveKeepsHardRules solves generated problems of every tier and checks every hard rule
// on the result, and that the planner does at least as well as the greedy baseline.
func TestSolveKeepsHardRules(t *testing.T) {
	t.Parallel()
	for _, tier := range []Tier{SmallTier, RealisticTier} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%s/%d", tier.Name, seed), func(t *testing.T) {
				t.Parallel()
				pr := Generate(tier, seed)
				if err := pr.Check(); err != nil {
					t.Fatalf("generated problem: %v", err)
				}
				greedy := pr.Greedy()
				res := pr.Solve(Options{Seed: seed, Iterations: 20000})
				for name, r := range map[string]Result{"greedy": greedy, "solve": res} {
					if v := pr.Violations(r.Plan); len(v) > 0 {
						t.Errorf("%s breaks hard rules: %q", name, v)
					}
					if got := len(r.Unplaced); got != r.Score.Unplaced {
						t.Errorf("%s: %d unplaced reasons for %d unplaced sessions", name, got, r.Score.Unplaced)
					}
				}
				if objective(res.Score) < objective(greedy.Score) {
					t.Errorf("solve scored %+v, worse than greedy's %+v", res.Score, greedy.Score)
				}
			})
		}
	}
}

func TestSolveIsDeterministic(t *testing.T) {
	t.Parallel()
	pr := Generate(RealisticTier, 4)
	a := pr.Solve(Options{Seed: 9, Iterations: 5000})
	b := pr.Solve(Options{Seed: 9, Iterations: 5000})
	if !reflect.DeepEqual(a.Plan, b.Plan) {
		t.Error("the same seed gave two different plans")
	}
	c := pr.Solve(Options{Seed: 10, Iterations: 5000})
	if reflect.DeepEqual(a.Plan, c.Plan) {
		t.Error("two seeds gave the very same plan; the seed does not steer the search")
	}
}

func TestSolveLeavesPinnedSessions(t *testing.T) {
	t.Parallel()
	pr := Generate(RealisticTier, 2)
	pins := map[int]Place{0: {0, 3, 1}, 5: {1, 0, 2}}
	for i, pl := range pins {
		p := pl
		pr.Sessions[i].Pinned = &p
		pr.Sessions[i].Venues = nil
		pr.Sessions[i].Speakers = nil // so the pin itself is allowed
		pr.Sessions[i].Length = 1
		pr.Sessions[i].MinSeats = 0
	}
	res := pr.Solve(Options{Seed: 1, Iterations: 20000})
	for i, pl := range pins {
		if got := res.Plan.Places[i]; got == nil || *got != pl {
			t.Errorf("pinned session %d is at %v, want %v", i, got, pl)
		}
	}
	if v := pr.Violations(res.Plan); len(v) > 0 {
		t.Errorf("hard rules broken: %q", v)
	}
}

// TestInfeasibleIsReported: sessions that cannot be placed are left out with a reason, never
// squeezed in.
func TestInfeasibleIsReported(t *testing.T) {
	t.Parallel()
	day := time.Date(2027, 2, 3, 10, 0, 0, 0, time.UTC)
	pr := Problem{
		Venues: []Venue{{Name: "A", City: "Zwolle", Rooms: []Room{{"Klein", 20}},
			Slots: []Slot{{day, day.Add(time.Hour)}, {day.Add(90 * time.Minute), day.Add(150 * time.Minute)}}}},
		Speakers: []Speaker{{Name: "Anna", Unavailable: map[SlotRef]bool{{0, 1}: true}}, {Name: "Bert"}},
		Sessions: []Session{
			{Title: "Groot", Length: 1, MinSeats: 100},       // no room big enough
			{Title: "Lang", Length: 2},                       // the slots have a break between them
			{Title: "Anna 1", Length: 1, Speakers: []int{0}}, // fits in slot 0
			{Title: "Anna 2", Length: 1, Speakers: []int{0}}, // slot 1 she cannot do, slot 0 is Anna 1's
			{Title: "Bert", Length: 1, Speakers: []int{1}},   // the one room is full once Anna 1 is in slot 0? no: slot 1 is free
		},
		Wishes: [][]int{{2, 3, 4}},
	}
	res := pr.Solve(Options{Seed: 1, Iterations: 2000})
	if v := pr.Violations(res.Plan); len(v) > 0 {
		t.Fatalf("hard rules broken: %q", v)
	}
	want := map[string]string{"Groot": "a room too small", "Lang": "a break between its two slots", "Anna 2": "taken, or its speakers"}
	got := map[string]string{}
	for _, u := range res.Unplaced {
		got[pr.Sessions[u.Session].Title] = u.Reason
	}
	if len(got) != len(want) {
		t.Errorf("unplaced %v, want exactly %v", got, want)
	}
	for title, part := range want {
		if !strings.Contains(got[title], part) {
			t.Errorf("%q: reason %q, want it to mention %q", title, got[title], part)
		}
	}
	if exp := res.Explain(pr); !strings.HasPrefix(exp, "3 sessions could not be placed") {
		t.Errorf("explanation %q", exp)
	}
}

func TestSpeakerTravelTime(t *testing.T) {
	t.Parallel()
	day := time.Date(2027, 2, 3, 10, 0, 0, 0, time.UTC)
	slots := []Slot{{day, day.Add(time.Hour)}, {day.Add(time.Hour), day.Add(2 * time.Hour)}}
	pr := Problem{
		Venues: []Venue{
			{Name: "Z", City: "Zwolle", Rooms: []Room{{"1", 50}}, Slots: slots},
			{Name: "R", City: "Rotterdam", Rooms: []Room{{"1", 50}}, Slots: slots},
		},
		Speakers: []Speaker{{Name: "Cas"}},
		Sessions: []Session{{Title: "In Zwolle", Length: 1, Speakers: []int{0}, Venues: []int{0}, Pinned: &Place{0, 0, 0}},
			{Title: "In Rotterdam", Length: 1, Speakers: []int{0}, Venues: []int{1}}},
		Travel: func(a, b string) time.Duration { return 90 * time.Minute },
	}
	res := pr.Solve(Options{Seed: 1, Iterations: 500})
	if res.Plan.Places[1] != nil {
		t.Errorf("Cas is placed in Rotterdam at %v, an hour after Zwolle with 90 minutes of travel", res.Plan.Places[1])
	}
	bad := Plan{Places: []*Place{{0, 0, 0}, {1, 0, 1}}}
	if v := pr.Violations(bad); len(v) != 1 || !strings.Contains(v[0], "elsewhere") {
		t.Errorf("violations of a plan without travel time: %q, want the speaker clash", v)
	}
}

func TestEvaluateCountsAttendableWishes(t *testing.T) {
	t.Parallel()
	day := time.Date(2027, 2, 3, 10, 0, 0, 0, time.UTC)
	slots := []Slot{{day, day.Add(time.Hour)}, {day.Add(time.Hour), day.Add(2 * time.Hour)}}
	pr := Problem{
		Venues:   []Venue{{Name: "Z", City: "Zwolle", Rooms: []Room{{"1", 1}, {"2", 5}}, Slots: slots}},
		Speakers: []Speaker{{Name: "x"}},
		Sessions: []Session{{Title: "a", Length: 1}, {Title: "b", Length: 1}, {Title: "c", Length: 2}},
		// Two attendees want a and b; one wants all three.
		Wishes: [][]int{{0, 1}, {0, 1}, {0, 1, 2}},
	}
	clash := Plan{Places: []*Place{{0, 0, 0}, {0, 1, 0}, nil}}       // a and b at the same time
	apart := Plan{Places: []*Place{{0, 0, 0}, {0, 0, 1}, {0, 1, 0}}} // a then b; c across both
	if s := pr.Evaluate(clash); s.Attendable != 3 || s.Unplaced != 1 || s.UpperBound != 6 {
		t.Errorf("clash: %+v, want 3 attendable of 6, 1 unplaced", s)
	}
	s := pr.Evaluate(apart)
	if s.Attendable != 6 {
		t.Errorf("apart: %d attendable, want 6", s.Attendable)
	}
	// Room 1 has one seat: a and b each draw 3 people into it.
	if s.Overflow != 4 {
		t.Errorf("apart: overflow %d, want 4", s.Overflow)
	}
}

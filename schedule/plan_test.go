package schedule

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// solved returns a generated problem and a full plan of it, as a timetable to start from.
func solved(t *testing.T, tier Tier, seed uint64) (Problem, Plan) {
	t.Helper()
	pr := Generate(tier, seed)
	res := pr.Solve(Options{Seed: seed, Iterations: 3000})
	return pr, res.Plan
}

func TestPlanModesKeepHardRules(t *testing.T) {
	t.Parallel()
	for _, tier := range []Tier{SmallTier, RealisticTier} {
		for seed := uint64(1); seed <= 3; seed++ {
			pr, current := solved(t, tier, seed)
			// Take a third of the sessions off the timetable, as if they were new.
			for i := range current.Places {
				if i%3 == 0 {
					current.Places[i] = nil
				}
			}
			for _, mode := range []Mode{PlaceUnplaced, PlaceAll, MinimalChange} {
				t.Run(fmt.Sprintf("%s/%d/mode%d", tier.Name, seed, mode), func(t *testing.T) {
					res, err := pr.Plan(Request{Mode: mode, Current: current, Venue: -1, Seed: seed, Iterations: 3000})
					if err != nil {
						t.Fatal(err)
					}
					if v := pr.Violations(res.Plan); len(v) > 0 {
						t.Errorf("hard rules broken: %q", v)
					}
					if got := len(res.Unplaced); got != res.Score.Unplaced {
						t.Errorf("%d reasons for %d unplaced sessions", got, res.Score.Unplaced)
					}
					if mode == PlaceUnplaced {
						for i, pl := range current.Places {
							if pl != nil && (res.Plan.Places[i] == nil || *res.Plan.Places[i] != *pl) {
								t.Errorf("session %d moved from %v to %v in place-unplaced mode", i, pl, res.Plan.Places[i])
							}
						}
						if res.Moved != 0 {
							t.Errorf("Moved = %d, want 0", res.Moved)
						}
					}
				})
			}
		}
	}
}

func TestPlanIsDeterministicAndKeepsPins(t *testing.T) {
	t.Parallel()
	pr, current := solved(t, RealisticTier, 5)
	pins := map[int]Place{}
	for _, i := range []int{1, 7, 20} {
		p := *current.Places[i]
		pr.Sessions[i].Pinned = &p
		pins[i] = p
	}
	req := Request{Mode: PlaceAll, Current: current, Venue: -1, Seed: 3, Iterations: 4000}
	a, err := pr.Plan(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pr.Plan(req)
	if !reflect.DeepEqual(a.Plan, b.Plan) {
		t.Error("the same seed gave two different plans")
	}
	for i, pl := range pins {
		if got := a.Plan.Places[i]; got == nil || *got != pl {
			t.Errorf("pinned session %d is at %v, want %v", i, got, pl)
		}
	}
}

// TestPlanOneVenue: with a venue, sessions elsewhere stay where they are, and the moved ones
// stay at the venue.
func TestPlanOneVenue(t *testing.T) {
	t.Parallel()
	pr, current := solved(t, RealisticTier, 2)
	res, err := pr.Plan(Request{Mode: PlaceAll, Current: current, Venue: 1, Seed: 1, Iterations: 3000})
	if err != nil {
		t.Fatal(err)
	}
	for i, pl := range current.Places {
		got := res.Plan.Places[i]
		if pl != nil && pl.Venue != 1 && (got == nil || *got != *pl) {
			t.Errorf("session %d at venue %d moved to %v", i, pl.Venue, got)
		}
		if pl != nil && pl.Venue == 1 && got != nil && got.Venue != 1 {
			t.Errorf("session %d moved from venue 1 to %v", i, got)
		}
	}
}

func TestPlanReportsInfeasible(t *testing.T) {
	t.Parallel()
	day := time.Date(2027, 2, 3, 10, 0, 0, 0, time.UTC)
	base := func() Problem {
		return Problem{
			Venues: []Venue{{Name: "A", City: "Zwolle", Rooms: []Room{{"Groot", 100}, {"Klein", 20}},
				Slots: []Slot{{day, day.Add(time.Hour)}, {day.Add(time.Hour), day.Add(2 * time.Hour)}}}},
			Speakers: []Speaker{{Name: "Anna"}},
			Sessions: []Session{{Title: "Eén", Length: 1, Speakers: []int{0}}, {Title: "Twee", Length: 1, Speakers: []int{0}, MinSeats: 50}},
		}
	}
	empty := Plan{Places: []*Place{nil, nil}}
	for _, tc := range []struct {
		name string
		edit func(*Problem) Plan
		want string
	}{
		{"pinned in a room too small", func(pr *Problem) Plan {
			pr.Sessions[1].Pinned = &Place{0, 1, 0}
			return Plan{Places: []*Place{nil, {0, 1, 0}}}
		}, `"Twee": a room too small`},
		{"one speaker pinned twice at once", func(pr *Problem) Plan {
			pr.Sessions[0].Pinned = &Place{0, 1, 1}
			pr.Sessions[1].Pinned = &Place{0, 0, 1}
			return Plan{Places: []*Place{{0, 1, 1}, {0, 0, 1}}}
		}, "Anna is elsewhere"},
		{"timetable clash kept in place", func(pr *Problem) Plan {
			return Plan{Places: []*Place{{0, 1, 0}, {0, 0, 0}}}
		}, "stay where they are break hard rules"},
		{"bad length", func(pr *Problem) Plan { pr.Sessions[0].Length = 3; return empty }, "inconsistent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr := base()
			cur := tc.edit(&pr)
			res, err := pr.Plan(Request{Current: cur, Venue: -1, Seed: 1, Iterations: 500})
			if !errors.Is(err, ErrInfeasible) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Plan() error = %v, want infeasible mentioning %q", err, tc.want)
			}
			if res.Plan.Places != nil {
				t.Errorf("an infeasible request returned a plan: %v", res.Plan.Places)
			}
			var inf *InfeasibleError
			if errors.As(err, &inf) && tc.want != "inconsistent" && len(inf.Sessions) == 0 {
				t.Errorf("the infeasible error names no session: %+v", inf)
			}
		})
	}

	// Minimal change repairs the clash that place-unplaced refuses to keep.
	pr := base()
	res, err := pr.Plan(Request{Mode: MinimalChange, Current: Plan{Places: []*Place{{0, 1, 0}, {0, 0, 0}}}, Venue: -1, Seed: 1, Iterations: 500})
	if err != nil {
		t.Fatal(err)
	}
	if v := pr.Violations(res.Plan); len(v) > 0 || res.Score.Unplaced != 0 || res.Moved != 1 {
		t.Errorf("minimal change: violations %q, %d unplaced, %d moved; want none, 0, 1", v, res.Score.Unplaced, res.Moved)
	}
}

// TestMinimalChangeMovesLittle adds a session to a full timetable: minimal change places it
// and moves far fewer sessions than re-planning everything does.
func TestMinimalChangeMovesLittle(t *testing.T) {
	t.Parallel()
	pr, current := solved(t, RealisticTier, 3)
	for i, pl := range current.Places {
		if pl == nil {
			pr.Sessions[i].Venues = []int{0} // keep the generated leftovers out of the count
			pr.Sessions[i].MinSeats = 1000
		}
	}
	pr.Sessions = append(pr.Sessions, Session{Title: "Nieuw", Length: 1, Speakers: []int{0}})
	current.Places = append(current.Places, nil)
	pr.Wishes = append(pr.Wishes, []int{len(pr.Sessions) - 1, 0})

	minimal, err := pr.Plan(Request{Mode: MinimalChange, Current: current, Venue: -1, Seed: 1, Iterations: 4000})
	if err != nil {
		t.Fatal(err)
	}
	all, err := pr.Plan(Request{Mode: PlaceAll, Current: current, Venue: -1, Seed: 1, Iterations: 4000})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("minimal change moved %d, re-planning all %d", minimal.Moved, all.Moved)
	if minimal.Plan.Places[len(pr.Sessions)-1] == nil {
		t.Errorf("minimal change left the new session out: %s", minimal.Explain(pr))
	}
	if minimal.Placed != 1 {
		t.Errorf("minimal change placed %d sessions, want 1", minimal.Placed)
	}
	if minimal.Moved > 3 || minimal.Moved*5 > all.Moved {
		t.Errorf("minimal change moved %d sessions, re-planning all %d; want at most 3 and far fewer", minimal.Moved, all.Moved)
	}
}

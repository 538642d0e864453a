package schedule

import (
	"sort"
	"testing"
)

// optimumOneVenue finds, by trying every assignment of sessions to slots, the most attendable
// wishes a one-venue problem of one-slot sessions allows. (With one venue, what an attendee
// can attend is the number of different slots among their wishes; rooms only have to be big
// enough.) It is the exact answer the small tier's planner is held to.
func optimumOneVenue(t *testing.T, pr Problem) int {
	t.Helper()
	v := pr.Venues[0]
	if len(pr.Venues) != 1 {
		t.Fatal("optimumOneVenue: one venue only")
	}
	caps := make([]int, len(v.Rooms))
	for r, room := range v.Rooms {
		caps[r] = room.Capacity
	}
	sort.Sort(sort.Reverse(sort.IntSlice(caps)))
	slotOf := make([]int, len(pr.Sessions))
	perSlot := make([][]int, len(v.Slots))
	best := -1
	// fits reports whether the sessions in one slot can have rooms big enough, and speakers
	// who are free then and not in two sessions at once.
	fits := func(k int) bool {
		ss := perSlot[k]
		need := make([]int, len(ss))
		seen := map[int]bool{}
		for x, i := range ss {
			need[x] = pr.Sessions[i].MinSeats
			for _, sp := range pr.Sessions[i].Speakers {
				if seen[sp] || pr.Speakers[sp].Unavailable[SlotRef{0, k}] {
					return false
				}
				seen[sp] = true
			}
		}
		sort.Sort(sort.Reverse(sort.IntSlice(need)))
		for x := range need {
			if need[x] > caps[x] {
				return false
			}
		}
		return true
	}
	var walk func(i int)
	walk = func(i int) {
		if i == len(pr.Sessions) {
			total := 0
			for _, ws := range pr.Wishes {
				var used [16]bool
				n := 0
				for _, w := range ws {
					if !used[slotOf[w]] {
						used[slotOf[w]] = true
						n++
					}
				}
				total += n
			}
			best = max(best, total)
			return
		}
		for k := range v.Slots {
			if len(perSlot[k]) == len(v.Rooms) {
				continue
			}
			// Slots are alike but for speaker availability; the first session need not
			// try them all when no speaker is ever unavailable (symmetry), but trying them
			// all is cheap enough here.
			perSlot[k] = append(perSlot[k], i)
			if fits(k) {
				slotOf[i] = k
				walk(i + 1)
			}
			perSlot[k] = perSlot[k][:len(perSlot[k])-1]
		}
	}
	walk(0)
	return best
}

// TestPlannerFindsSmallOptima holds the planner to the exact optimum of the small tier (one
// venue, four slots, three rooms, twelve sessions, a hundred attendees) for ten seeds: it must
// reach it in at least nine.
func TestPlannerFindsSmallOptima(t *testing.T) {
	reached := 0
	for seed := uint64(1); seed <= 10; seed++ {
		pr := Generate(SmallTier, seed)
		opt := optimumOneVenue(t, pr)
		res := pr.Solve(Options{Seed: seed, Iterations: smallIterations})
		if v := pr.Violations(res.Plan); len(v) > 0 {
			t.Fatalf("seed %d: hard rules broken: %q", seed, v)
		}
		if res.Score.Attendable > opt {
			t.Fatalf("seed %d: the planner claims %d attendable wishes, more than the optimum %d", seed, res.Score.Attendable, opt)
		}
		if res.Score.Attendable == opt {
			reached++
		} else {
			t.Logf("seed %d: planner %d, optimum %d", seed, res.Score.Attendable, opt)
		}
	}
	if reached < 9 {
		t.Errorf("the planner reached the optimum in %d of 10 seeds, want at least 9", reached)
	}
}

// smallIterations is the search budget for the small tier (BenchmarkPlanner times it).
const smallIterations = 100000

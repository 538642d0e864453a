package schedule

import (
	"fmt"
	"slices"
	"sort"
	"sync/atomic"
	"testing"
)

// optimumOneVenue finds, by trying every assignment of sessions to slots, the most attendable
// wishes a one-venue problem of one-slot sessions allows. (With one venue, what an attendee
// can attend is the number of different slots among their wishes; rooms only have to be big
// enough.) It is the exact answer the small tier's planner is held to.
//
// Sets of sessions are bit masks, so that each of the few hundred thousand complete
// assignments is scored with one lookup per slot: an attendee can attend one session in
// every slot that holds one of their wishes, so an assignment's attendable wishes are the
// sum over its slots of reach[the slot's sessions], the attendees with a wish among them.
func optimumOneVenue(t *testing.T, pr Problem) int {
	t.Helper()
	if len(pr.Venues) != 1 {
		t.Fatal("optimumOneVenue: one venue only")
	}
	v := pr.Venues[0]
	n := len(pr.Sessions)
	if n > 16 || len(pr.Speakers) > 64 {
		t.Fatalf("optimumOneVenue: at most 16 sessions and 64 speakers, got %d and %d", n, len(pr.Speakers))
	}
	caps := make([]int, len(v.Rooms))
	for r, room := range v.Rooms {
		caps[r] = room.Capacity
	}
	sort.Sort(sort.Reverse(sort.IntSlice(caps)))

	// within[m] counts the attendees whose wishes all lie in m (a sum over subsets), so
	// reach[m], those with a wish in m, is everyone but within[the sessions outside m].
	full := 1<<n - 1
	within := make([]int, 1<<n)
	for _, ws := range pr.Wishes {
		w := 0
		for _, s := range ws {
			w |= 1 << s
		}
		within[w]++
	}
	for b := range n {
		for m := range within {
			if m&(1<<b) != 0 {
				within[m] += within[m^(1<<b)]
			}
		}
	}
	reach := func(m int) int { return len(pr.Wishes) - within[full^m] }

	// speakers[i] are session i's speakers; canAt[i][k] is false when one of them cannot
	// come in slot k, or is named twice (and so would be in two sessions at once).
	speakers := make([]uint64, n)
	canAt := make([][]bool, n)
	for i, s := range pr.Sessions {
		canAt[i] = make([]bool, len(v.Slots))
		twice := false
		for _, sp := range s.Speakers {
			twice = twice || speakers[i]&(1<<sp) != 0
			speakers[i] |= 1 << sp
		}
		for k := range v.Slots {
			canAt[i][k] = !twice
			for _, sp := range s.Speakers {
				if pr.Speakers[sp].Unavailable[SlotRef{0, k}] {
					canAt[i][k] = false
				}
			}
		}
	}

	sessionsIn := make([]int, len(v.Slots))    // the sessions in slot k, as a mask
	speakersIn := make([]uint64, len(v.Slots)) // their speakers
	seats := make([][]int, len(v.Slots))       // their MinSeats, largest first
	// roomy reports whether slot k's sessions have rooms big enough: the largest session
	// the largest room, and so on.
	roomy := func(k int) bool {
		for x, need := range seats[k] {
			if need > caps[x] {
				return false
			}
		}
		return true
	}
	best := -1
	var walk func(i int)
	walk = func(i int) {
		if i == n {
			total := 0
			for _, m := range sessionsIn {
				total += reach(m)
			}
			best = max(best, total)
			return
		}
		for k := range v.Slots {
			if len(seats[k]) == len(v.Rooms) || !canAt[i][k] || speakersIn[k]&speakers[i] != 0 {
				continue
			}
			before := seats[k]
			seats[k] = append(slices.Clone(before), pr.Sessions[i].MinSeats)
			sort.Sort(sort.Reverse(sort.IntSlice(seats[k])))
			if roomy(k) {
				sessionsIn[k] |= 1 << i
				speakersIn[k] |= speakers[i]
				walk(i + 1)
				sessionsIn[k] &^= 1 << i
				speakersIn[k] &^= speakers[i]
			}
			seats[k] = before
		}
	}
	walk(0)
	return best
}

// TestPlannerFindsSmallOptima holds the planner to the exact optimum of the small tier (one
// venue, four slots, three rooms, twelve sessions, a hundred attendees) for ten seeds: it must
// reach it in at least nine.
func TestPlannerFindsSmallOptima(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	t.Run("seeds", func(t *testing.T) {
		for seed := uint64(1); seed <= 10; seed++ {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				pr := Generate(SmallTier, seed)
				opt := optimumOneVenue(t, pr)
				res := pr.Solve(Options{Seed: seed, Iterations: smallIterations})
				if v := pr.Violations(res.Plan); len(v) > 0 {
					t.Fatalf("hard rules broken: %q", v)
				}
				if res.Score.Attendable > opt {
					t.Fatalf("the planner claims %d attendable wishes, more than the optimum %d", res.Score.Attendable, opt)
				}
				if res.Score.Attendable == opt {
					reached.Add(1)
				} else {
					t.Logf("planner %d, optimum %d", res.Score.Attendable, opt)
				}
			})
		}
	})
	if reached.Load() < 9 {
		t.Errorf("the planner reached the optimum in %d of 10 seeds, want at least 9", reached.Load())
	}
}

// smallIterations is the search budget for the small tier (BenchmarkPlanner times it).
const smallIterations = 100000

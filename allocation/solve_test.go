package allocation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// brute is the least scaled cost (rank costs and tie-breaking) over every allocation.
func brute(m *model) int64 {
	g := m.emptySeating()
	free := make([]int, len(m.sess))
	for x, s := range m.sess {
		free[x] = s.capacity
	}
	type pos struct{ p, s int }
	var order []pos
	for p := range m.people {
		for s := range m.slots {
			order = append(order, pos{p, s})
		}
	}
	// rest[i] is a lower bound on what positions i… still cost: each ranking's cheapest outcome.
	rest := make([]int64, len(order)+1)
	for i := len(order) - 1; i >= 0; i-- {
		p, s := order[i].p, order[i].s
		lo := int64(0)
		if q := m.people[p]; !q.busy[s] && len(q.rank[s]) > 0 {
			lo = m.cost(p, s, 0, -1)
			for r, x := range q.rank[s] {
				lo = min(lo, m.cost(p, s, r+1, x))
			}
			if s > 0 {
				for _, x := range q.rank[s-1] {
					lo = min(lo, m.cost(p, s, m.rankOf(p, s-1, x), x))
				}
			}
		}
		rest[i] = rest[i+1] + lo
	}
	best := int64(math.MaxInt64)
	var rec func(i int, sum int64)
	rec = func(i int, sum int64) {
		if sum+rest[i] >= best {
			return
		}
		if i == len(order) {
			best = sum
			return
		}
		p, s := order[i].p, order[i].s
		q := m.people[p]
		if q.busy[s] || len(q.rank[s]) == 0 {
			rec(i+1, sum)
			return
		}
		if x := g[p][s]; x >= 0 { // filled by a two-slot session from the slot before
			rec(i+1, sum+m.cost(p, s, m.rankOf(p, s-1, x), x))
			return
		}
		for r, x := range q.rank[s] {
			if free[x] == 0 || (m.sess[x].span == 2 && g[p][s+1] >= 0) {
				continue
			}
			free[x]--
			m.seat(g, p, x)
			rec(i+1, sum+m.cost(p, s, r+1, x))
			for k := range m.sess[x].span {
				g[p][s+k] = -1
			}
			free[x]++
		}
		rec(i+1, sum+m.cost(p, s, 0, -1))
	}
	rec(0, 0)
	return best
}

// seatingOf reads a Result back into index form.
func seatingOf(t *testing.T, m *model, res Result) seating {
	t.Helper()
	g := make(seating, len(m.people))
	for p, q := range m.people {
		g[p] = make([]int, len(m.slots))
		for s := range g[p] {
			g[p][s] = -1
		}
		for _, id := range res.Seats[q.id] {
			x := slices.IndexFunc(m.sess, func(s session) bool { return s.id == id })
			for k := range m.sess[x].span {
				if g[p][m.sess[x].first+k] >= 0 {
					t.Fatalf("person %d has two sessions in slot %d", q.id, m.slots[m.sess[x].first+k])
				}
			}
			m.seat(g, p, x)
		}
	}
	return g
}

// TestSolveIsOptimal: on 1,000 small random instances Solve's allocation costs exactly the
// brute-force minimum in rank cost, and without two-slot sessions also with the seed's
// tie-breaking.
func TestSolveIsOptimal(t *testing.T) {
	t.Parallel()
	for seed := range uint64(1000) {
		r := rand.New(rand.NewPCG(seed, 19))
		in := tiny(r)
		s := Seed(fmt.Sprint(seed))
		res, err := Solve(in, s)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkInvariants(t, in, res)
		if !res.Tally.Optimal {
			t.Fatalf("seed %d: the search did not prove its allocation optimal on a tiny instance", seed)
		}
		m, _ := newModel(in, s)
		want := brute(m)
		got := m.scaled(seatingOf(t, m, res))
		if res.Tally.Cost != want>>m.shift {
			t.Fatalf("seed %d: cost %d, brute force %d\n%+v\n%+v", seed, res.Tally.Cost, want>>m.shift, in, res)
		}
		// Branch and bound prunes on real cost, so on two-slot blocks the tie-breaking picks
		// among the cheapest allocations, not always the cheapest in tie-breaking terms.
		if got < want {
			t.Fatalf("seed %d: scaled cost %d below the brute-force minimum %d", seed, got, want)
		}
		if m.blocksOfOne() && got != want {
			t.Fatalf("seed %d: scaled cost %d, brute force %d (tie-breaking)", seed, got, want)
		}
	}
}

// TestStagesAreExact: on the same 1,000 instances each of the two stages Solve starts from
// (stages.go) costs exactly the brute-force minimum of what it allocates, and the search
// never ends above the two stages' allocation.
func TestStagesAreExact(t *testing.T) {
	t.Parallel()
	staged := 0
	for seed := range uint64(1000) {
		r := rand.New(rand.NewPCG(seed, 19))
		in := tiny(r)
		s := Seed(fmt.Sprint(seed))
		res, err := Solve(in, s)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		m, _ := newModel(in, s)
		first, held := deferred(in)
		fm, _ := newModel(first, s)
		res1, err := Solve(first, s)
		if err != nil {
			t.Fatalf("seed %d, first stage: %v", seed, err)
		}
		optimal(t, seed, fm, res1)
		g := seatingOf(t, m, res1)
		second, ok := fallbacks(m, g, in, held)
		if ok {
			staged++
			sm, _ := newModel(second, s)
			res2, err := Solve(second, s)
			if err != nil {
				t.Fatalf("seed %d, second stage: %v", seed, err)
			}
			optimal(t, seed, sm, res2)
			for id, seats := range res2.Seats {
				res1.Seats[id] = append(res1.Seats[id], seats...)
			}
			g = seatingOfUnique(t, m, res1)
		}
		start, err := stagedSeating(m, in, s)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if got, want := m.tally(start), m.tally(g); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: stagedSeating's tally %+v, the two stages' by hand %+v", seed, got, want)
		}
		if res.Tally.Cost > m.tally(start).Cost {
			t.Fatalf("seed %d: the search ended at %d, above the two stages' %d", seed, res.Tally.Cost, m.tally(start).Cost)
		}
	}
	if staged < 50 {
		t.Fatalf("only %d of 1,000 instances had a second stage: the test does not exercise it", staged)
	}
}

// optimal fails unless res costs the brute-force minimum of m in rank cost, and, when no two
// slots are joined, also with the tie-breaking.
func optimal(t *testing.T, seed uint64, m *model, res Result) {
	t.Helper()
	want := brute(m)
	got := m.scaled(seatingOf(t, m, res))
	if res.Tally.Cost != want>>m.shift {
		t.Fatalf("seed %d: cost %d, brute force %d\n%+v", seed, res.Tally.Cost, want>>m.shift, res)
	}
	// Branch and bound prunes on real cost, so on two-slot blocks the tie-breaking picks
	// among the cheapest allocations, not always the cheapest in tie-breaking terms.
	if got < want {
		t.Fatalf("seed %d: scaled cost %d below the brute-force minimum %d", seed, got, want)
	}
	if m.blocksOfOne() && got != want {
		t.Fatalf("seed %d: scaled cost %d, brute force %d (tie-breaking)", seed, got, want)
	}
}

// seatingOfUnique is seatingOf for a merge of two stages' seats, where a person's fixed
// (first-stage) seats appear twice.
func seatingOfUnique(t *testing.T, m *model, res Result) seating {
	t.Helper()
	for id, seats := range res.Seats {
		slices.Sort(seats)
		res.Seats[id] = slices.Compact(seats)
	}
	return seatingOf(t, m, res)
}

// checkInvariants: capacities, one session per slot, two-slot sessions in both slots,
// speakers in their sessions, seats only where ranked, waiting lists in order and never
// listing someone seated there; the tally counts every ranking once.
func checkInvariants(t *testing.T, in Instance, res Result) {
	t.Helper()
	sess := map[uint]Session{}
	for _, s := range in.Sessions {
		sess[s.ID] = s
	}
	seated := map[uint]int{}
	speakers := map[uint]int{}
	rankOf := map[[2]uint]int{} // person, session → rank
	counted := 0
	for _, p := range in.People {
		busy := map[uint]uint{}
		for _, f := range p.Fixed {
			speakers[f]++
			if !slices.Contains(res.Seats[p.ID], f) {
				t.Fatalf("speaker %d not seated in own session %d", p.ID, f)
			}
			for _, sl := range sess[f].Slots {
				busy[sl] = f
			}
		}
		for slot, ranked := range p.Rankings {
			for i, id := range ranked {
				rankOf[[2]uint{p.ID, id}] = i + 1
			}
			if _, fixed := busy[slot]; !fixed && len(ranked) > 0 {
				counted++
			}
		}
		taken := map[uint]bool{}
		for _, id := range res.Seats[p.ID] {
			seated[id]++
			s := sess[id]
			if !slices.Contains(p.Fixed, id) && !slices.Contains(p.Rankings[s.Slots[0]], id) {
				t.Fatalf("person %d seated in %d, not ranked there", p.ID, id)
			}
			for _, sl := range s.Slots {
				if taken[sl] {
					t.Fatalf("person %d has two sessions in slot %d", p.ID, sl)
				}
				taken[sl] = true
			}
		}
	}
	for id, n := range seated {
		if n > max(sess[id].Capacity, speakers[id]) {
			t.Fatalf("session %d: %d seated, capacity %d", id, n, sess[id].Capacity)
		}
	}
	for id, list := range res.Waitlists {
		for i, pid := range list {
			if slices.Contains(res.Seats[pid], id) {
				t.Fatalf("session %d waitlists %d, who is seated there", id, pid)
			}
			if rankOf[[2]uint{pid, id}] == 0 {
				t.Fatalf("session %d waitlists %d, who did not rank it", id, pid)
			}
			if i > 0 && rankOf[[2]uint{list[i-1], id}] > rankOf[[2]uint{pid, id}] {
				t.Fatalf("session %d's waiting list is not by rank: %v", id, list)
			}
		}
	}
	n := res.Tally.None
	for _, k := range res.Tally.ByRank {
		n += k
	}
	if n != counted || res.Tally.People != len(in.People) {
		t.Fatalf("tally counts %d rankings of %d people, want %d of %d", n, res.Tally.People, counted, len(in.People))
	}
}

// TestNeverWorseThanFirstComeFirstServed: on 100 realistic venues the allocation costs no
// more than any of 20 random orders of first come, first served, nor their average.
func TestNeverWorseThanFirstComeFirstServed(t *testing.T) {
	t.Parallel()
	for seed := range uint64(100) {
		r := rand.New(rand.NewPCG(seed, 100))
		in := realistic(r, 20+r.IntN(120), 6+r.IntN(12), 2+r.IntN(3), r.IntN(3))
		s := Seed(fmt.Sprint("realistic", seed))
		res, err := Solve(in, s)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkInvariants(t, in, res)
		m, _ := newModel(in, s)
		for k := range 20 {
			if c := m.tally(m.serial(r.Perm(len(m.people)))).Cost; c < res.Tally.Cost {
				t.Fatalf("seed %d: order %d costs %d, the allocation %d", seed, k, c, res.Tally.Cost)
			}
		}
		if b := Baseline(in, s, 20); b.Cost < float64(res.Tally.Cost) || b.Orders != 20 {
			t.Fatalf("seed %d: baseline %+v beats %d", seed, b, res.Tally.Cost)
		}
	}
}

// TestDeterministic: the same seed gives the same result, whatever the order of the input's
// slices; and the seed does break ties.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 4))
		in := realistic(r, 200, 12, 3, 2)
		s := Seed("published")
		a, err := Solve(in, s)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Solve(shuffled(in, r), s)
		c, _ := Solve(in, s)
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
			t.Fatalf("seed %d: results differ between runs or input orders", seed)
		}
		if x, y := Baseline(in, s, 10), Baseline(shuffled(in, r), s, 10); x != y {
			t.Fatalf("seed %d: baseline differs by input order: %+v %+v", seed, x, y)
		}
	}
	// Two people want the one seat of session 7 equally: the seed decides who gets it.
	in := Instance{Slots: []uint{1}, Ranks: 1, Sessions: []Session{{ID: 7, Slots: []uint{1}, Capacity: 1}},
		People: []Person{{ID: 1, Rankings: map[uint][]uint{1: {7}}}, {ID: 2, Rankings: map[uint][]uint{1: {7}}}}}
	winners := map[uint]bool{}
	for k := range 32 {
		res, err := Solve(in, Seed(fmt.Sprint(k)))
		if err != nil {
			t.Fatal(err)
		}
		for id, seats := range res.Seats {
			winners[id] = winners[id] || len(seats) > 0
		}
		if res.Tally.Cost != 1+RankCost(0, 1) {
			t.Fatalf("cost %d", res.Tally.Cost)
		}
		if w := res.Waitlists[7]; len(w) != 1 || len(res.Seats[w[0]]) != 0 {
			t.Fatalf("waiting list %v, seats %v", w, res.Seats)
		}
	}
	if !winners[1] || !winners[2] {
		t.Fatalf("32 seeds always seat the same person: %v", winners)
	}
}

// TestMalformedInstances are refused with an error, never a panic.
func TestMalformedInstances(t *testing.T) {
	t.Parallel()
	ok := func() Instance {
		return Instance{Slots: []uint{1, 2, 3}, Ranks: 2,
			Sessions: []Session{{ID: 10, Slots: []uint{1}, Capacity: 2}, {ID: 11, Slots: []uint{2, 3}, Capacity: 2}},
			People:   []Person{{ID: 1, Rankings: map[uint][]uint{1: {10}, 2: {11}}, Fixed: []uint{10}}}}
	}
	if _, err := Solve(ok(), Seed("x")); err != nil {
		t.Fatalf("well-formed instance refused: %v", err)
	}
	cases := map[string]func(*Instance){
		"unknown session":       func(in *Instance) { in.People[0].Rankings[1] = []uint{99} },
		"slot not the venue's":  func(in *Instance) { in.Sessions[0].Slots = []uint{9} },
		"ranked slot not venue": func(in *Instance) { in.People[0].Rankings[9] = []uint{10} },
		"not consecutive":       func(in *Instance) { in.Sessions[1].Slots = []uint{1, 3} },
		"three slots":           func(in *Instance) { in.Sessions[1].Slots = []uint{1, 2, 3} },
		"no slot":               func(in *Instance) { in.Sessions[1].Slots = nil },
		"negative capacity":     func(in *Instance) { in.Sessions[0].Capacity = -1 },
		"ranking too long":      func(in *Instance) { in.People[0].Rankings[1] = []uint{10, 10, 10} },
		"ranked twice":          func(in *Instance) { in.People[0].Rankings[1] = []uint{10, 10} },
		"not in its first slot": func(in *Instance) { in.People[0].Rankings[3] = []uint{11} },
		"unknown fixed":         func(in *Instance) { in.People[0].Fixed = []uint{42} },
		"two fixed at once": func(in *Instance) {
			in.People[0].Fixed = []uint{11, 12}
			in.Sessions = append(in.Sessions, Session{ID: 12, Slots: []uint{3}})
		},
		"duplicate session": func(in *Instance) { in.Sessions = append(in.Sessions, in.Sessions[0]) },
		"duplicate person":  func(in *Instance) { in.People = append(in.People, in.People[0]) },
		"duplicate slot":    func(in *Instance) { in.Slots = append(in.Slots, 1) },
		"negative ranks":    func(in *Instance) { in.Ranks = -1; in.People[0].Rankings = nil },
	}
	for name, spoil := range cases {
		in := ok()
		spoil(&in)
		if _, err := Solve(in, Seed("x")); err == nil || !strings.HasPrefix(err.Error(), "allocation: ") {
			t.Errorf("%s: got %v, want an error", name, err)
		}
		if b := Baseline(in, Seed("x"), 3); b != (Average{}) {
			t.Errorf("%s: baseline %+v, want zero", name, b)
		}
	}
}

func (m *model) blocksOfOne() bool {
	for _, b := range m.blocks() {
		if len(b.twins) > 0 {
			return false
		}
	}
	return true
}

// TestBoundHolds: when the search stops early (a budget of one relaxation per block), its
// allocation is still real and no worse than the two stages', and its lower bound is at most
// the brute-force minimum; Solve's Bound is its Cost when proven optimal.
func TestBoundHolds(t *testing.T) {
	t.Parallel()
	cut := 0
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 77))
		in := tiny(r)
		s := Seed(fmt.Sprint(seed))
		m, _ := newModel(in, s)
		start, err := stagedSeating(m, in, s)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		g := m.emptySeating()
		var lower int64
		for _, b := range m.blocks() {
			budget := 0
			if len(b.twins) > 0 {
				budget = 1
			}
			proven, l, err := b.solve(g, start, budget)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			if !proven {
				cut++
			}
			lower += max(b.realBound(l), 0)
		}
		want := brute(m) >> m.shift
		got := m.tally(g).Cost
		if lower > want || got < want || got > m.tally(start).Cost {
			t.Fatalf("seed %d: bound %d, brute force %d, cost %d, two stages %d", seed, lower, want, got, m.tally(start).Cost)
		}
		res, _ := Solve(in, s)
		if !res.Tally.Optimal || res.Tally.Bound != res.Tally.Cost {
			t.Fatalf("seed %d: Solve's tally %+v: want proven, bound = cost", seed, res.Tally)
		}
	}
	if cut < 20 {
		t.Fatalf("only %d of 3,000 searches stopped early: the test does not exercise the bound", cut)
	}
}

package allocation

import (
	"errors"
	"sync"

	"github.com/ambtenaar20/dagplanner/allocation/flow"
)

// A block is a run of consecutive slots joined by two-slot sessions; blocks are independent
// problems. A block of one slot is a single transportation problem, solved exactly by flow.
// A longer block is solved by branch and bound over per-slot flows (see bnb.go).
type block struct {
	m      *model
	lo, hi int // slot indices, inclusive
	// twins are the (person, two-slot session) pairs that can be chosen inside the block:
	// the couplings between its slots.
	twins         []twin
	nodes, rounds int // branch-and-bound nodes visited and relaxations solved, for tests
	// eps is epsMax's answer, worked out once.
	eps     int64
	epsOnce sync.Once
}

// twin is person p's two-slot session x, ranked in slot s (x then also fills s+1).
type twin struct{ p, x, s int }

func (m *model) blocks() []*block {
	joined := make([]bool, len(m.slots)) // joined[s]: slot s and s+1 share a two-slot session
	for _, x := range m.sess {
		if x.span == 2 {
			joined[x.first] = true
		}
	}
	var out []*block
	for lo := 0; lo < len(m.slots); {
		hi := lo
		for hi+1 < len(m.slots) && joined[hi] {
			hi++
		}
		b := &block{m: m, lo: lo, hi: hi}
		for p, q := range m.people {
			for s := lo; s < hi; s++ {
				for _, x := range q.rank[s] {
					if m.sess[x].span == 2 && !q.busy[s+1] {
						b.twins = append(b.twins, twin{p, x, s})
					}
				}
			}
		}
		out = append(out, b)
		lo = hi + 1
	}
	return out
}

// Constraints on twins in a branch-and-bound node, and the Lagrangian shift of each twin's
// cost from its first slot to its second.
const (
	free int8 = iota
	forced
	forbidden
)

type node struct {
	state  []int8  // per twin
	lambda []int64 // per twin
	// bound is a lower bound (scaled) on every allocation of the node: its parent's.
	bound int64
}

// relax builds and solves slot s of the relaxation under the node's constraints. Every person
// with a ranking there, or with a two-slot session reaching into it, is an item; the bins are
// the sessions filling s plus "not met", which holds anyone. A two-slot session appears in
// both its slots, its cost split between them (the first slot's ranking there, the second
// slot's ranking in the second — zero without one — shifted by the twin's lambda), so every
// real allocation costs the same here and the sum over the slots is a lower bound.
// It returns the slot's cost, and for each item (people[i]) its session or −1.
func (b *block) relax(s int, n *node) (cost int64, got []int, people []int, err error) {
	m := b.m
	binOf := map[int]int{}
	var bins []int
	for x := range m.sess {
		if m.covers(x, s) {
			binOf[x] = len(bins)
			bins = append(bins, x)
		}
	}
	none := len(bins)
	bins = append(bins, -1)
	capacity := make([]int, len(bins))
	for i, x := range bins[:none] {
		capacity[i] = m.sess[x].capacity
	}
	capacity[none] = flow.Unlimited
	// twins of this slot, per person: from the slot before (reaching in) and starting here.
	var items [][]flow.Option
	ti := 0
	for p, q := range m.people {
		if q.busy[s] {
			continue
		}
		var opts []flow.Option
		add := func(x int, c int64) {
			bin := none
			if x >= 0 {
				bin = binOf[x]
			}
			opts = append(opts, flow.Option{Bin: bin, Cost: c})
		}
		forcedX := -1
		reaching := false
		// Twins are sorted by person, then slot, then rank order: walk this person's.
		for ti < len(b.twins) && b.twins[ti].p < p {
			ti++
		}
		for k := ti; k < len(b.twins) && b.twins[k].p == p; k++ {
			tw := b.twins[k]
			if tw.s != s-1 {
				continue
			}
			reaching = true
		}
		// A person forced into two sessions filling this slot has no allocation here.
		for k := ti; k < len(b.twins) && b.twins[k].p == p; k++ {
			if tw := b.twins[k]; (tw.s == s || tw.s == s-1) && n.state[k] == forced {
				if forcedX >= 0 {
					return 0, nil, nil, errInfeasible
				}
				forcedX = tw.x
			}
		}
		if len(q.rank[s]) == 0 && !reaching {
			continue
		}
		for k := ti; k < len(b.twins) && b.twins[k].p == p; k++ {
			tw := b.twins[k]
			if tw.s != s-1 || n.state[k] == forbidden || (forcedX >= 0 && forcedX != tw.x) {
				continue
			}
			var c int64
			if len(q.rank[s]) > 0 {
				c = m.cost(p, s, m.rankOf(p, s-1, tw.x), tw.x)
			}
			add(tw.x, c-n.lambda[k])
		}
		for r, x := range q.rank[s] {
			if forcedX >= 0 && forcedX != x {
				continue
			}
			c := m.cost(p, s, r+1, x)
			if m.sess[x].span == 2 {
				k := b.twinIndex(ti, p, x, s)
				if k < 0 || n.state[k] == forbidden {
					continue // its second slot is a speaker's, or this branch rules it out
				}
				c += n.lambda[k]
			}
			add(x, c)
		}
		if forcedX < 0 {
			if len(q.rank[s]) > 0 {
				add(-1, m.cost(p, s, 0, -1))
			} else {
				add(-1, 0)
			}
		}
		items, people = append(items, opts), append(people, p)
	}
	at, total, err := flow.Assign(capacity, items)
	if errors.Is(err, flow.ErrInfeasible) {
		return 0, nil, nil, errInfeasible
	} else if err != nil {
		return 0, nil, nil, err
	}
	got = make([]int, len(at))
	for i, bin := range at {
		got[i] = bins[bin]
	}
	return total, got, people, nil
}

func (b *block) twinIndex(from, p, x, s int) int {
	for k := from; k < len(b.twins) && b.twins[k].p == p; k++ {
		if b.twins[k].x == x && b.twins[k].s == s {
			return k
		}
	}
	return -1
}

var errInfeasible = errors.New("allocation: branch infeasible")

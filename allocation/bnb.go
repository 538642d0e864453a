package allocation

import (
	"errors"
	"math"
	"slices"
	"sync"
)

// relaxation is one solve of all of a block's slots: per slot (from lo), per person, the
// session they got there (−1: none or not an item), and the summed cost.
type relaxation struct {
	cost   int64
	inSlot [][]int
}

func (b *block) solveRelax(n *node) (relaxation, error) {
	m := b.m
	r := relaxation{inSlot: make([][]int, b.hi-b.lo+1)}
	costs := make([]int64, len(r.inSlot))
	errs := make([]error, len(r.inSlot))
	var wg sync.WaitGroup
	for i := range r.inSlot {
		wg.Go(func() {
			c, got, people, err := b.relax(b.lo+i, n)
			row := make([]int, len(m.people))
			for p := range row {
				row[p] = -1
			}
			for k, p := range people {
				row[p] = got[k]
			}
			r.inSlot[i], costs[i], errs[i] = row, c, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return r, err
	}
	for _, c := range costs {
		r.cost += c
	}
	return r, nil
}

// split is +1 when the twin's person has its session in the first slot only, −1 in the
// second only, 0 when the two slots agree.
func (b *block) split(r relaxation, k int) int64 {
	tw := b.twins[k]
	var g int64
	if r.inSlot[tw.s-b.lo][tw.p] == tw.x {
		g++
	}
	if r.inSlot[tw.s+1-b.lo][tw.p] == tw.x {
		g--
	}
	return g
}

func (b *block) inconsistent(r relaxation) []int {
	var out []int
	for k := range b.twins {
		if b.split(r, k) != 0 {
			out = append(out, k)
		}
	}
	return out
}

// Rounds of subgradient steps at the root and at every other node (which starts from its
// parent's multipliers, so needs fewer).
const (
	rootRounds = 300
	nodeRounds = 40
)

// incumbent is the best real allocation found so far in a block.
type incumbent struct {
	r    relaxation
	cost int64
	// start: the best is still the allocation the search started from.
	start bool
}

func (in *incumbent) offer(r relaxation) {
	if r.cost < in.cost {
		in.r, in.cost, in.start = r, r.cost, false
	}
}

// lagrange tightens the node's lower bound by moving cost between a twin's two slots: any
// shift leaves real allocations' costs unchanged, so every round's sum is a lower bound, and
// the best is kept. A twin seated only in its first slot gets dearer there and cheaper in
// the second, and the other way round, by Polyak's step (the gap to the best allocation
// known, shared out). Every round is also rounded to a real allocation (round), which is
// how good allocations are found. It stops when the slots agree (the relaxation is then a
// real allocation, optimal for the node), when the bound reaches the incumbent, or after
// rounds; it returns the last relaxation's inconsistent twins to branch on.
func (b *block) lagrange(n *node, best *incumbent, rounds int) ([]int, int64, error) {
	bound := int64(math.MinInt64)
	theta := 1.0
	fewest := math.MaxInt
	var bad []int
	for range rounds {
		b.rounds++
		r, err := b.solveRelax(n)
		if err != nil {
			return nil, 0, err
		}
		if r.cost > bound {
			bound = r.cost
		} else {
			theta *= 0.8
		}
		if bad = b.inconsistent(r); len(bad) == 0 {
			best.offer(r)
			return nil, bound, nil
		}
		if len(bad) < fewest { // rounding is a solve too: only when the slots agree more
			fewest = len(bad)
			if h, err := b.round(r); err == nil {
				best.offer(h)
			}
		}
		if b.settled(bound, best) || theta < 0.05 {
			return bad, bound, nil // pruned, or stalled: branching does better from here
		}
		step := max(1, int64(theta*float64(best.cost-r.cost)/float64(len(bad))))
		for _, k := range bad {
			n.lambda[k] += step * b.split(r, k)
		}
	}
	return bad, bound, nil
}

// round makes a real allocation from a relaxation: every two-slot session keeps the people
// the relaxation gave it in its first slot (unless an earlier one already holds that slot
// for them) and no one else; the rest is re-solved per slot.
func (b *block) round(r relaxation) (relaxation, error) {
	n := &node{state: make([]int8, len(b.twins)), lambda: make([]int64, len(b.twins))}
	holds := map[[2]int]bool{} // person, slot taken by a forced twin
	order := make([]int, len(b.twins))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(i, j int) int { return b.twins[i].s - b.twins[j].s })
	for _, k := range order {
		tw := b.twins[k]
		n.state[k] = forbidden
		if r.inSlot[tw.s-b.lo][tw.p] == tw.x && !holds[[2]int{tw.p, tw.s}] {
			n.state[k] = forced
			holds[[2]int{tw.p, tw.s}], holds[[2]int{tw.p, tw.s + 1}] = true, true
		}
	}
	h, err := b.solveRelax(n)
	if err == nil && len(b.inconsistent(h)) > 0 {
		err = errInfeasible // cannot happen: every twin is forced or forbidden
	}
	return h, err
}

// solve finds the block's least-cost allocation by branch and bound, starting from the
// allocation start (the two stages' one, see stages.go), and seats it in g. Branching on an
// inconsistent twin: in one child the person takes the two-slot session (in both slots), in
// the other never; the two children cover every allocation of the node, and a node is
// dropped only when its lower bound reaches the best allocation found. The search stops
// after budget relaxations (counted, not timed, so the result stays a function of the
// instance and the seed); proven reports whether it ran to the end, so that the result is
// optimal (and, on equal scaled cost, the first found in a fixed order: deterministic).
func (b *block) solve(g, start seating, budget int) (proven bool, lower int64, err error) {
	best := &incumbent{cost: b.costOf(start), start: true}
	if budget == 0 { // nothing to search: a block without twins, solved exactly by the two stages
		b.seat(g, start, best)
		if len(b.twins) > 0 {
			return false, math.MinInt64, nil
		}
		return true, best.cost, nil
	}
	stack := []*node{{state: make([]int8, len(b.twins)), lambda: make([]int64, len(b.twins)), bound: math.MinInt64}}
	for rounds := rootRounds; len(stack) > 0 && b.rounds < budget; rounds = nodeRounds {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		b.nodes++
		bad, bound, err := b.lagrange(n, best, min(rounds, budget-b.rounds))
		if errors.Is(err, errInfeasible) {
			continue
		} else if err != nil {
			return false, 0, err
		}
		if len(bad) == 0 || b.settled(bound, best) {
			continue
		}
		k := bad[0]
		n.bound = max(n.bound, bound)
		stack = append(stack, n.child(k, forbidden), n.child(k, forced))
	}
	b.seat(g, start, best)
	// The least cost still possible: the best found, or a node left unsearched, whose
	// allocations cost at least its parent's bound.
	lower = best.cost
	for _, n := range stack {
		lower = min(lower, n.bound)
	}
	return len(stack) == 0, lower, nil
}

// seat puts the best allocation's sessions of the block's slots in g.
func (b *block) seat(g, start seating, best *incumbent) {
	for i := range b.hi - b.lo + 1 {
		s := b.lo + i
		for p := range b.m.people {
			x := start[p][s]
			if !best.start {
				x = best.r.inSlot[i][p]
			}
			if x >= 0 && b.m.sess[x].first == s {
				b.m.seat(g, p, x)
			}
		}
	}
}

// costOf is a real allocation's scaled cost over the block's slots: what a relaxation of it
// would cost, its Lagrangian shifts cancelling out.
func (b *block) costOf(g seating) int64 {
	var total int64
	for p := range b.m.people {
		for s := b.lo; s <= b.hi; s++ {
			if r, ok := b.m.met(g, p, s); ok {
				total += b.m.cost(p, s, r, g[p][s])
			}
		}
	}
	return total
}

// settled reports whether a node with this lower bound (scaled) can hold no allocation of
// smaller real cost than the incumbent (see realBound). Pruning on real cost, not scaled, is
// what keeps the search short: closing gaps in the tie-breaking alone would take a tree of
// its own. Among allocations of the least real cost the first found wins; the search order
// is fixed and steered by the seed's tie-breaking, so the choice is still a function of the
// instance and the seed.
func (b *block) settled(bound int64, best *incumbent) bool {
	return b.realBound(bound) >= best.cost>>b.m.shift
}

// realBound is the least real cost that a scaled lower bound allows in the block. A scaled
// cost is real<<shift plus the tie-breaking of each of the block's rankings, together at
// most b.eps (below 1<<shift), so bound ≤ real<<shift + b.eps gives real ≥
// ⌈(bound − b.eps) / 2^shift⌉. (Taking the tie-breaking as a full 1<<shift instead, as
// ⌊bound>>shift⌋ does, left blocks one unit short of proving the allocation they had.)
func (b *block) realBound(bound int64) int64 {
	if bound == math.MinInt64 {
		return math.MinInt64
	}
	d := bound - b.epsMax()
	if d <= 0 {
		return d >> b.m.shift // floor: a negative bound proves nothing more
	}
	return (d + 1<<b.m.shift - 1) >> b.m.shift
}

// epsMax is the most the tie-breaking of the block's rankings can add up to: per ranking
// (a person's list for one of the block's slots), the largest tie-breaking term of its
// sessions and of not meeting it.
func (b *block) epsMax() int64 {
	b.epsOnce.Do(func() {
		m := b.m
		for p, q := range m.people {
			for s := b.lo; s <= b.hi; s++ {
				if len(q.rank[s]) == 0 {
					continue
				}
				most := m.eps(p, s, -1)
				for _, x := range q.rank[s] {
					most = max(most, m.eps(p, s, x))
				}
				// A two-slot session ranked in the slot before also meets this ranking.
				if s > b.lo {
					for _, x := range q.rank[s-1] {
						if m.sess[x].span == 2 {
							most = max(most, m.eps(p, s, x))
						}
					}
				}
				b.eps += most
			}
		}
	})
	return b.eps
}

func (n *node) child(k int, st int8) *node {
	c := &node{state: slices.Clone(n.state), lambda: slices.Clone(n.lambda), bound: n.bound}
	c.state[k] = st
	return c
}

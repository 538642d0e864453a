// Package flow solves the transportation problem the allocation is made of, exactly: every
// item (a person) goes to one of its few options (sessions, or "unassigned"), bins hold at
// most their capacity, and the total cost is the least possible. It is a minimum-cost flow
// on integer costs, solved by successive shortest paths with potentials.
//
// Why not the textbook graph with a node per person: with 10,000 people every shortest path
// would cross 10,000 nodes. The residual graph is condensed instead to the bins: an edge a→b
// is the cheapest move of one item now in a to b (cost(item, b) − cost(item, a)), read off a
// heap per ordered pair of bins. A shortest path in this graph, with the potentials of
// Dijkstra's algorithm, is a shortest path in the full graph (each item's potential is its
// bin's minus its cost there, so reduced costs agree), hence adding the items one by one
// along shortest paths keeps the assignment optimal (no negative cycle) — the classic
// argument for successive shortest paths.
package flow

import (
	"errors"
	"math"
)

// Unlimited is the capacity of a bin that takes any number of items.
const Unlimited = -1

// ErrInfeasible means some item cannot be placed within the capacities.
var ErrInfeasible = errors.New("flow: no feasible assignment")

// Option is one bin an item may go to, and what that costs (any integer, negative too).
type Option struct {
	Bin  int
	Cost int64
}

const inf = math.MaxInt64 / 4

// Assign places every item in one of its options, within capacity, at the least total cost,
// and returns each item's bin and that total. Equal-cost choices fall deterministically
// (by index order), so the same input always gives the same answer.
func Assign(capacity []int, items [][]Option) ([]int, int64, error) {
	nb := len(capacity)
	s := &solver{nb: nb, items: items, free: append([]int(nil), capacity...),
		at: make([]int, len(items)), ver: make([]int32, len(items)),
		heaps: make([]moves, nb*nb), pot: make([]int64, nb),
		dist: make([]int64, nb), prev: make([]int, nb), via: make([]int, nb), done: make([]bool, nb)}
	for i, opts := range items {
		for _, o := range opts {
			if o.Bin < 0 || o.Bin >= nb {
				return nil, 0, errors.New("flow: option names a bin that does not exist")
			}
		}
		if !s.add(i) {
			return nil, 0, ErrInfeasible
		}
	}
	var total int64
	for i, b := range s.at {
		total += s.cost(i, b)
	}
	return s.at, total, nil
}

type solver struct {
	nb    int
	items [][]Option
	free  []int   // seats left per bin, or Unlimited
	at    []int   // the bin of each placed item
	ver   []int32 // bumped when an item moves, so its old heap entries read as stale
	heaps []moves // heaps[a*nb+b]: items in a, keyed by what moving them to b costs
	pot   []int64
	// Scratch for one shortest-path search.
	dist      []int64
	prev, via []int // prev bin on the path (−1: the new item's own option) and the item moved
	done      []bool
}

func (s *solver) cost(i, b int) int64 {
	for _, o := range s.items[i] {
		if o.Bin == b {
			return o.Cost
		}
	}
	return inf
}

// add places item i along a shortest path to a bin with a free seat; false if there is none.
func (s *solver) add(i int) bool {
	for b := range s.nb {
		s.dist[b], s.prev[b], s.done[b] = inf, -1, false
	}
	for _, o := range s.items[i] {
		// Reduced cost from the new item; it may be negative, which Dijkstra tolerates on
		// the edges out of its source.
		if d := o.Cost - s.pot[o.Bin]; d < s.dist[o.Bin] {
			s.dist[o.Bin] = d
		}
	}
	for {
		u := -1
		for b := range s.nb {
			if !s.done[b] && s.dist[b] < inf && (u < 0 || s.dist[b] < s.dist[u]) {
				u = b
			}
		}
		if u < 0 {
			break
		}
		s.done[u] = true
		for v := range s.nb {
			if v == u || s.done[v] {
				continue
			}
			e, ok := s.top(u, v)
			if !ok {
				continue
			}
			if d := s.dist[u] + e.key + s.pot[u] - s.pot[v]; d < s.dist[v] {
				s.dist[v], s.prev[v], s.via[v] = d, u, int(e.item)
			}
		}
	}
	t := -1
	for b := range s.nb {
		if s.done[b] && s.free[b] != 0 && (t < 0 || s.dist[b]+s.pot[b] < s.dist[t]+s.pot[t]) {
			t = b
		}
	}
	if t < 0 {
		return false
	}
	// New potentials: distances capped at the target's keep every reduced cost ≥ 0.
	D := s.dist[t]
	for b := range s.nb {
		s.pot[b] += min(s.dist[b], D)
	}
	if s.free[t] > 0 {
		s.free[t]--
	}
	for v := t; ; {
		u := s.prev[v]
		if u < 0 {
			s.place(i, v)
			return true
		}
		s.place(s.via[v], v)
		v = u
	}
}

// place puts item i in bin b and offers its moves out of b.
func (s *solver) place(i, b int) {
	s.at[i] = b
	s.ver[i]++
	c := s.cost(i, b)
	for _, o := range s.items[i] {
		if o.Bin != b {
			s.heaps[b*s.nb+o.Bin].push(move{key: o.Cost - c, item: int32(i), ver: s.ver[i]})
		}
	}
}

// top is the cheapest live move from a to b, dropping stale entries on the way.
func (s *solver) top(a, b int) (move, bool) {
	h := &s.heaps[a*s.nb+b]
	for len(*h) > 0 {
		e := (*h)[0]
		if s.ver[e.item] == e.ver {
			return e, true
		}
		h.pop()
	}
	return move{}, false
}

type move struct {
	key  int64
	item int32
	ver  int32
}

// moves is a binary min-heap by key, then item (written out: container/heap's interface
// would box every entry).
type moves []move

func (h moves) less(i, j int) bool {
	if h[i].key != h[j].key {
		return h[i].key < h[j].key
	}
	return h[i].item < h[j].item
}

func (h *moves) push(m move) {
	*h = append(*h, m)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a.less(i, p) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *moves) pop() {
	a := *h
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && a.less(l, m) {
			m = l
		}
		if l+1 < n && a.less(l+1, m) {
			m = l + 1
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
}

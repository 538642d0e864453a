package allocation

import (
	"cmp"
	"slices"
)

// seating is an allocation in index form: for each person and slot, the session that fills
// that slot for them (a fixed seat, a ranked session, or a two-slot session from the slot
// before), or −1.
type seating [][]int

func (m *model) emptySeating() seating {
	g := make(seating, len(m.people))
	for p, q := range m.people {
		g[p] = make([]int, len(m.slots))
		for s := range g[p] {
			g[p][s] = -1
		}
		for _, x := range q.fixed {
			m.seat(g, p, x)
		}
	}
	return g
}

func (m *model) seat(g seating, p, x int) {
	for k := range m.sess[x].span {
		g[p][m.sess[x].first+k] = x
	}
}

// met is how person p's ranking in slot s came out: the rank it was met at (0: not met)
// and whether it counts at all (a ranking exists and no fixed seat covers the slot).
// A slot filled by the person's two-slot session from the slot before counts as met with
// that session's rank there.
func (m *model) met(g seating, p, s int) (rank int, counts bool) {
	q := m.people[p]
	if q.busy[s] || len(q.rank[s]) == 0 {
		return 0, false
	}
	x := g[p][s]
	if x < 0 {
		return 0, true
	}
	return m.rankOf(p, m.sess[x].first, x), true
}

// scaled is the allocation's total cost with the tie-breaking: what the solver minimises.
func (m *model) scaled(g seating) int64 {
	var total int64
	for p := range m.people {
		for s := range m.slots {
			if r, ok := m.met(g, p, s); ok {
				total += m.cost(p, s, r, g[p][s])
			}
		}
	}
	return total
}

func (m *model) tally(g seating) Tally {
	t := Tally{People: len(m.people), ByRank: make([]int, m.ranks)}
	for p := range m.people {
		for s := range m.slots {
			r, ok := m.met(g, p, s)
			switch {
			case !ok:
			case r == 0:
				t.None++
			default:
				t.ByRank[r-1]++
			}
			if ok {
				t.Cost += RankCost(r, m.ranks)
			}
		}
	}
	return t
}

// result turns a seating into the published form: seats, waiting lists and tally.
func (m *model) result(g seating) Result {
	res := Result{Seats: map[uint][]uint{}, Waitlists: map[uint][]uint{}, Tally: m.tally(g)}
	type wait struct {
		p, rank int
		key     uint64
	}
	waits := make([][]wait, len(m.sess))
	for p, q := range m.people {
		for s, x := range g[p] {
			if x >= 0 && m.sess[x].first == s {
				res.Seats[q.id] = append(res.Seats[q.id], m.sess[x].id)
			}
			// Waiting lists come from rankings met in their own slot or not at all: a slot
			// filled by the person's two-slot session was decided by the slot before.
			if _, ok := m.met(g, p, s); !ok || (x >= 0 && m.sess[x].first != s) {
				continue
			}
			for i, y := range q.rank[s] {
				if y == x {
					break
				}
				waits[y] = append(waits[y], wait{p, i + 1, m.key(p)})
			}
		}
	}
	for x, w := range waits {
		slices.SortFunc(w, func(a, b wait) int {
			return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.key, b.key), cmp.Compare(a.p, b.p))
		})
		for _, e := range w {
			res.Waitlists[m.sess[x].id] = append(res.Waitlists[m.sess[x].id], m.people[e.p].id)
		}
	}
	return res
}

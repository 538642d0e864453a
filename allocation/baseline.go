package allocation

import (
	"encoding/binary"
	"math/rand/v2"
)

// Baseline is first come, first served in random order (random serial dictatorship): for
// each of orders orders drawn from seed, speakers sit first, then people in that order take,
// slot by slot, their best ranked session that still has a seat and whose slots are free for
// them. It returns the average tally. A malformed instance gives the zero Average.
func Baseline(in Instance, seed [32]byte, orders int) Average {
	m, err := newModel(in, seed)
	if err != nil || orders <= 0 {
		return Average{}
	}
	rng := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[16:24]), binary.LittleEndian.Uint64(seed[24:32])))
	avg := Average{Orders: orders}
	for range orders {
		t := m.tally(m.serial(rng.Perm(len(m.people))))
		avg.First += float64(t.First())
		avg.Second += float64(t.Second())
		avg.Third += float64(t.Third())
		avg.None += float64(t.None)
		avg.Cost += float64(t.Cost)
	}
	n := float64(orders)
	avg.First, avg.Second, avg.Third, avg.None, avg.Cost = avg.First/n, avg.Second/n, avg.Third/n, avg.None/n, avg.Cost/n
	return avg
}

// serial seats people one by one in the given order of (canonical) person indices.
func (m *model) serial(order []int) seating {
	g := m.emptySeating()
	free := make([]int, len(m.sess))
	for x, s := range m.sess {
		free[x] = s.capacity
	}
	for _, p := range order {
		q := m.people[p]
		for s := range m.slots {
			if g[p][s] >= 0 {
				continue
			}
			for _, x := range q.rank[s] {
				if free[x] == 0 || (m.sess[x].span == 2 && g[p][s+1] >= 0) {
					continue
				}
				free[x]--
				m.seat(g, p, x)
				break
			}
		}
	}
	return g
}

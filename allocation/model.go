package allocation

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
)

// model is an Instance checked and put in canonical order (slots by time, sessions and
// people by id, everything by index), so the solver never depends on the order of the
// caller's slices or on map iteration: the result is a function of content and seed only.
type model struct {
	slots  []uint
	sess   []session // by id
	people []person  // by id
	ranks  int
	// shift scales a real rank cost above the tie-breaking: cost<<shift + eps, where the eps
	// of all rankings together stay below 1<<shift, so they only ever decide between
	// allocations of equal real cost.
	shift uint
	seed  uint64
}

type session struct {
	id          uint
	first, span int // index of its first slot; 1 or 2 slots
	capacity    int // seats left once the speakers sit
}

type person struct {
	id    uint
	fixed []int   // sessions they speak in
	busy  []bool  // per slot: taken by a fixed seat (their ranking there does not count)
	rank  [][]int // per slot: ranked sessions, best first; nil is "none"
}

// epsBits is the size of one ranking's tie-breaking term.
const epsBits = 16

func newModel(in Instance, seed [32]byte) (*model, error) {
	m := &model{slots: in.Slots, ranks: in.Ranks, seed: binary.LittleEndian.Uint64(seed[:8]) ^ binary.LittleEndian.Uint64(seed[8:16])}
	slotAt := map[uint]int{}
	for i, s := range in.Slots {
		if _, dup := slotAt[s]; dup {
			return nil, fmt.Errorf("allocation: slot %d listed twice", s)
		}
		slotAt[s] = i
	}
	sessions := slices.Clone(in.Sessions)
	slices.SortFunc(sessions, func(a, b Session) int { return cmpUint(a.ID, b.ID) })
	sessAt := map[uint]int{}
	for i, s := range sessions {
		if _, dup := sessAt[s.ID]; dup {
			return nil, fmt.Errorf("allocation: session %d listed twice", s.ID)
		}
		sessAt[s.ID] = i
		if s.Capacity < 0 {
			return nil, fmt.Errorf("allocation: session %d has negative capacity %d", s.ID, s.Capacity)
		}
		if len(s.Slots) < 1 || len(s.Slots) > 2 {
			return nil, fmt.Errorf("allocation: session %d fills %d slots (one or two)", s.ID, len(s.Slots))
		}
		first, ok := slotAt[s.Slots[0]]
		if !ok {
			return nil, fmt.Errorf("allocation: session %d is in slot %d, not one of the venue's", s.ID, s.Slots[0])
		}
		if len(s.Slots) == 2 {
			if second, ok := slotAt[s.Slots[1]]; !ok || second != first+1 {
				return nil, fmt.Errorf("allocation: two-slot session %d: slots %d and %d are not consecutive", s.ID, s.Slots[0], s.Slots[1])
			}
		}
		m.sess = append(m.sess, session{id: s.ID, first: first, span: len(s.Slots), capacity: s.Capacity})
	}
	people := slices.Clone(in.People)
	slices.SortFunc(people, func(a, b Person) int { return cmpUint(a.ID, b.ID) })
	rankings := 0
	for i, p := range people {
		if i > 0 && people[i-1].ID == p.ID {
			return nil, fmt.Errorf("allocation: person %d listed twice", p.ID)
		}
		q := person{id: p.ID, busy: make([]bool, len(m.slots)), rank: make([][]int, len(m.slots))}
		for _, f := range p.Fixed {
			x, ok := sessAt[f]
			if !ok {
				return nil, fmt.Errorf("allocation: person %d speaks in unknown session %d", p.ID, f)
			}
			if slices.Contains(q.fixed, x) {
				continue
			}
			for k := range m.sess[x].span {
				if q.busy[m.sess[x].first+k] {
					return nil, fmt.Errorf("allocation: person %d speaks in two sessions at once", p.ID)
				}
				q.busy[m.sess[x].first+k] = true
			}
			q.fixed = append(q.fixed, x)
			m.sess[x].capacity = max(0, m.sess[x].capacity-1)
		}
		for slot, ranked := range p.Rankings {
			s, ok := slotAt[slot]
			if !ok {
				return nil, fmt.Errorf("allocation: person %d ranks slot %d, not one of the venue's", p.ID, slot)
			}
			if len(ranked) > in.Ranks {
				return nil, fmt.Errorf("allocation: person %d ranks %d sessions in slot %d, at most %d", p.ID, len(ranked), slot, in.Ranks)
			}
			for _, id := range ranked {
				x, ok := sessAt[id]
				if !ok {
					return nil, fmt.Errorf("allocation: person %d ranks unknown session %d", p.ID, id)
				}
				if m.sess[x].first != s {
					return nil, fmt.Errorf("allocation: person %d ranks session %d in slot %d, where it does not start", p.ID, id, slot)
				}
				if slices.Contains(q.rank[s], x) {
					return nil, fmt.Errorf("allocation: person %d ranks session %d twice", p.ID, id)
				}
				q.rank[s] = append(q.rank[s], x)
			}
		}
		for s := range q.rank {
			if q.busy[s] {
				q.rank[s] = nil // a speaker's slot: their ranking there does not count
			} else if len(q.rank[s]) > 0 {
				rankings++
			}
		}
		m.people = append(m.people, q)
	}
	m.shift = epsBits + uint(bits.Len(uint(rankings+1)))
	if worst := uint64(rankings+1) * uint64(RankCost(0, in.Ranks)); in.Ranks < 0 || bits.Len64(worst)+int(m.shift) > 60 {
		return nil, fmt.Errorf("allocation: instance too large for exact integer costs (%d rankings, %d ranks)", rankings, in.Ranks)
	}
	return m, nil
}

func cmpUint(a, b uint) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// eps is the tie-breaking term of person p meeting their ranking in slot s with session x
// (x < 0: not meeting it): a hash of the seed and the ids, below 1<<epsBits.
func (m *model) eps(p, s, x int) int64 {
	var sid uint64
	if x >= 0 {
		sid = uint64(m.sess[x].id) + 1
	}
	h := mix(m.seed ^ mix(uint64(m.people[p].id)^mix(sid^mix(uint64(m.slots[s])))))
	return int64(h & (1<<epsBits - 1))
}

// key orders a session's waiting list among people who gave it the same rank.
func (m *model) key(p int) uint64 { return mix(m.seed ^ mix(uint64(m.people[p].id)+0x51ed)) }

// mix is splitmix64's finaliser: a fast, well-spread, fixed function.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// cost is the scaled cost of person p's ranking in slot s met at rank r (0: not met) by
// session x (−1: not met).
func (m *model) cost(p, s, r, x int) int64 {
	return RankCost(r, m.ranks)<<m.shift + m.eps(p, s, x)
}

// rankOf is x's 1-based rank in p's list for slot s, 0 if absent.
func (m *model) rankOf(p, s, x int) int {
	return slices.Index(m.people[p].rank[s], x) + 1
}

// covers reports whether session x fills slot s.
func (m *model) covers(x, s int) bool {
	return x >= 0 && s >= m.sess[x].first && s < m.sess[x].first+m.sess[x].span
}

package allocation

import "slices"

// Why two stages. A person who ranks a two-slot session either takes it, filling the next
// slot too, or takes one session in each of the two slots. Deciding both at once for
// everyone is as hard as three-dimensional matching: no flow is exact for it, and branch and
// bound over it took minutes to hours on a 10,000-person event. So a ranking of the slot a
// person's ranked two-slot session also fills is a fallback, met in a second stage:
//
//  1. every other ranking is allocated exactly (per-slot minimum-cost flows; the blocks of
//     slots joined by two-slot sessions then close at the first bound, see bnb.go);
//  2. the fallback rankings of people who did not get their two-slot session are allocated
//     exactly from the seats left (again by Solve, so a fallback that ranks a two-slot
//     session defers its own next slot in turn).
//
// Both stages are exact for what they allocate, and the tally counts every ranking, the
// fallbacks included.

// deferred splits the instance: the first stage's instance, without the rankings of slots
// that a two-slot session the person ranked would also fill, and those rankings, by person
// id and slot id. None deferred is a nil map.
func deferred(in Instance) (Instance, map[uint]map[uint][]uint) {
	later := map[uint]uint{} // two-slot session → the slot it also fills
	for _, s := range in.Sessions {
		if len(s.Slots) == 2 {
			later[s.ID] = s.Slots[1]
		}
	}
	var held map[uint]map[uint][]uint
	first := in
	first.People = slices.Clone(in.People)
	for i, p := range first.People {
		var mine map[uint][]uint
		for _, ranked := range p.Rankings {
			for _, x := range ranked {
				t, two := later[x]
				if !two || len(p.Rankings[t]) == 0 {
					continue
				}
				if mine == nil {
					mine = map[uint][]uint{}
				}
				mine[t] = p.Rankings[t]
			}
		}
		if mine == nil {
			continue
		}
		rest := map[uint][]uint{}
		for slot, ranked := range p.Rankings {
			if _, gone := mine[slot]; !gone {
				rest[slot] = ranked
			}
		}
		first.People[i].Rankings = rest
		if held == nil {
			held = map[uint]map[uint][]uint{}
		}
		held[p.ID] = mine
	}
	return first, held
}

// stagedSeating allocates m (the whole instance in) in the two stages.
func stagedSeating(m *model, in Instance, seed [32]byte) (seating, error) {
	first, held := deferred(in)
	if held == nil {
		return exactSeating(m)
	}
	fm, err := newModel(first, seed)
	if err != nil {
		return nil, err
	}
	// The first stage's model has the same people, sessions and slots as m, in the same
	// canonical order, so its seating is m's.
	g, err := exactSeating(fm)
	if err != nil {
		return nil, err
	}
	second, ok := fallbacks(m, g, in, held)
	if !ok {
		return g, nil
	}
	res, err := Solve(second, seed)
	if err != nil {
		return nil, err
	}
	personAt := map[uint]int{}
	for p, q := range m.people {
		personAt[q.id] = p
	}
	sessAt := map[uint]int{}
	for x, s := range m.sess {
		sessAt[s.id] = x
	}
	for id, seats := range res.Seats {
		p := personAt[id]
		for _, sid := range seats {
			x := sessAt[sid]
			if g[p][m.sess[x].first] != x { // not a seat of the first stage, kept as Fixed
				m.seat(g, p, x)
			}
		}
	}
	return g, nil
}

// fallbacks is the second stage's instance: the people whose deferred slot is still free
// after the first stage, ranking only there, with their first-stage seats as fixed seats
// (they keep them and they block their slots), and each session's seats left.
func fallbacks(m *model, g seating, in Instance, held map[uint]map[uint][]uint) (Instance, bool) {
	slotAt := map[uint]int{}
	for s, id := range m.slots {
		slotAt[id] = s
	}
	taken := make([]int, len(m.sess)) // seats of the first stage, speakers' included
	for p := range m.people {
		for s, x := range g[p] {
			if x >= 0 && m.sess[x].first == s {
				taken[x]++
			}
		}
	}
	out := Instance{Slots: in.Slots, Ranks: in.Ranks}
	fixedHere := make([]int, len(m.sess))
	for p, q := range m.people {
		mine := held[q.id]
		person := Person{ID: q.id, Rankings: map[uint][]uint{}}
		for t, ranked := range mine {
			if g[p][slotAt[t]] < 0 {
				person.Rankings[t] = ranked
			}
		}
		if len(person.Rankings) == 0 {
			continue
		}
		for s, x := range g[p] {
			if x >= 0 && m.sess[x].first == s {
				person.Fixed = append(person.Fixed, m.sess[x].id)
				fixedHere[x]++
			}
		}
		out.People = append(out.People, person)
	}
	if len(out.People) == 0 {
		return out, false
	}
	raw := map[uint]int{}
	for _, s := range in.Sessions {
		raw[s.ID] = s.Capacity
	}
	for x, s := range m.sess {
		// Fixed seats are seated even beyond capacity; these people already hold theirs.
		left := max(raw[s.id]-taken[x], 0) + fixedHere[x]
		slots := []uint{m.slots[s.first]}
		if s.span == 2 {
			slots = append(slots, m.slots[s.first+1])
		}
		out.Sessions = append(out.Sessions, Session{ID: s.id, Slots: slots, Capacity: left})
	}
	return out, true
}

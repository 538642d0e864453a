package schedule

import "sort"

// construct builds a starting plan with the attendees in mind, in two steps: first it
// decides the venue of each session, grouping sessions that the same people want (an
// attendee goes to one venue), then it places the sessions at their venue, the most wished-for
// first, in the slot where they clash least with what the same people want and the biggest
// room free there. Solve starts from it when it beats Greedy.
func (pr Problem) construct(cands [][]Place) Plan {
	n := len(pr.Sessions)
	pop := pr.popularity()
	venueOf := make([]int, n)
	cells := make([]int, len(pr.Venues)) // cells still free per venue
	for v, venue := range pr.Venues {
		cells[v] = len(venue.Rooms) * len(venue.Slots)
	}
	allowed := func(i, v int) bool {
		for _, pl := range cands[i] {
			if pl.Venue == v {
				return true
			}
		}
		return false
	}
	// Start: each session at its allowed venue with the most free cells.
	for i, s := range pr.Sessions {
		best := -1
		for v := range pr.Venues {
			if allowed(i, v) && (best < 0 || cells[v] > cells[best]) {
				best = v
			}
		}
		venueOf[i] = best
		if best >= 0 {
			cells[best] -= s.Length
		}
	}
	// Improve: move a session to another venue when more attendees then have more of their
	// wishes at one venue, while each venue keeps a tenth of its cells free.
	wishers := make([][]int, n)
	for a, ws := range pr.Wishes {
		for _, w := range ws {
			wishers[w] = append(wishers[w], a)
		}
	}
	atBest := func(a int) int { // the most wishes of a at one venue
		count := make([]int, len(pr.Venues))
		m := 0
		for _, w := range pr.Wishes[a] {
			if v := venueOf[w]; v >= 0 {
				count[v]++
				m = max(m, count[v])
			}
		}
		return min(m, len(pr.Venues[0].Slots))
	}
	slack := func(v int) int { return len(pr.Venues[v].Rooms) * len(pr.Venues[v].Slots) / 10 }
	for round := 0; round < 20; round++ {
		improved := false
		for i, s := range pr.Sessions {
			if s.Pinned != nil || venueOf[i] < 0 {
				continue
			}
			from := venueOf[i]
			for v := range pr.Venues {
				if v == from || !allowed(i, v) || cells[v]-s.Length < slack(v) {
					continue
				}
				before := 0
				for _, a := range wishers[i] {
					before += atBest(a)
				}
				venueOf[i] = v
				after := 0
				for _, a := range wishers[i] {
					after += atBest(a)
				}
				if after > before {
					cells[from] += s.Length
					cells[v] -= s.Length
					from = v
					improved = true
				} else {
					venueOf[i] = from
				}
			}
		}
		if !improved {
			break
		}
	}
	// Place at the chosen venues: pinned first, then by popularity, in the slot with the
	// fewest co-wishers already there, then the biggest free room.
	together := make(map[[2]int]int)
	for _, ws := range pr.Wishes {
		for x := range ws {
			for y := x + 1; y < len(ws); y++ {
				a, b := ws[x], ws[y]
				if a > b {
					a, b = b, a
				}
				together[[2]int{a, b}]++
			}
		}
	}
	clash := func(i, j int) int {
		if i > j {
			i, j = j, i
		}
		return together[[2]int{i, j}]
	}
	b := newBoard(&pr, Plan{Places: make([]*Place, n)})
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		i, j := order[x], order[y]
		if (pr.Sessions[i].Pinned != nil) != (pr.Sessions[j].Pinned != nil) {
			return pr.Sessions[i].Pinned != nil
		}
		return pop[i] > pop[j]
	})
	for _, i := range order {
		bestC, bestCost, bestCap := -1, 0, 0
		for pass := 0; pass < 2 && bestC < 0; pass++ { // the chosen venue first, then any
			for c, pl := range cands[i] {
				if pass == 0 && pl.Venue != venueOf[i] || b.dynamicReason(i, pl) != "" {
					continue
				}
				cost := 0
				for k := pl.Slot; k < pl.Slot+pr.Sessions[i].Length; k++ {
					for _, row := range b.room[pl.Venue] {
						if j := row[k]; j >= 0 && j != i {
							cost += clash(i, j)
						}
					}
				}
				cp := pr.roomCap(pl)
				if bestC < 0 || cost < bestCost || cost == bestCost && cp > bestCap {
					bestC, bestCost, bestCap = c, cost, cp
				}
			}
		}
		if bestC >= 0 {
			pl := cands[i][bestC]
			b.place(i, &pl)
		}
	}
	return b.plan
}

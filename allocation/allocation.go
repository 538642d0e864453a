// Package allocation seats people in sessions by their preferences (issue #19): an exact
// minimum-cost allocation per venue over all slots, with ties broken by a published seed,
// and the first-come-first-served baseline it is compared with. Pure code: no database, no HTTP.
package allocation

import "crypto/sha256"

// Instance is one venue's allocation problem.
type Instance struct {
	// Slots are the venue's slot ids in time order.
	Slots    []uint
	Sessions []Session
	People   []Person
	// Ranks is how many sessions a person may rank per slot (N).
	Ranks int
}

// Session is a session that takes seats: one slot, or two consecutive ones.
type Session struct {
	ID uint
	// Slots are the slots it fills, in time order (one or two, consecutive in Instance.Slots).
	Slots    []uint
	Capacity int
}

// Person is one registration at the venue.
type Person struct {
	// ID is the registration id: stable on a copy of the database, so the tie-breaking
	// (derived from the seed and this id) is the same for anyone who re-runs the allocation.
	ID uint
	// Rankings maps a slot id to session ids, best first; a two-slot session is ranked in its
	// first slot. A slot that is absent or empty means "none there".
	Rankings map[uint][]uint
	// Fixed are sessions this person speaks in: they are seated there first, whatever they ranked.
	Fixed []uint
}

// Result is an allocation.
type Result struct {
	// Seats maps a person id to the sessions they are seated in (Fixed included).
	Seats map[uint][]uint
	// Waitlists maps a session id to the people waiting for it, in the order the allocation
	// implies: everyone who ranked it above what they got, by that rank, then by the seed.
	Waitlists map[uint][]uint
	Tally     Tally
}

// Tally counts how the rankings were met. A ranking is one person's list for one slot; a slot
// covered by the person's two-slot session counts with that session's rank.
type Tally struct {
	People int
	// ByRank[0] counts rankings met by the first choice, ByRank[1] by the second…
	ByRank []int
	// None counts rankings not met at all.
	None int
	// Cost is the total rank cost (see RankCost), without the tie-breaking.
	Cost int64
}

// First, Second and Third are the rankings met by that choice.
func (t Tally) First() int  { return t.rank(0) }
func (t Tally) Second() int { return t.rank(1) }
func (t Tally) Third() int  { return t.rank(2) }

func (t Tally) rank(i int) int {
	if i < len(t.ByRank) {
		return t.ByRank[i]
	}
	return 0
}

// Seed derives the tie-breaking seed from the value the organisers published.
func Seed(published string) [32]byte { return sha256.Sum256([]byte(published)) }

// Average is a tally averaged over several runs.
type Average struct {
	Orders                           int
	First, Second, Third, None, Cost float64
}

// Solve allocates the instance's seats exactly: the least total rank cost, ties broken by seed.
// PLACEHOLDER until the solver lands (helper A replaces this body): serial dictatorship in id order.
func Solve(in Instance, seed [32]byte) (Result, error) {
	return serial(in, nil), nil
}

// Baseline is first come, first served in random order: the average over orders orders drawn
// from seed. PLACEHOLDER until the solver lands.
func Baseline(in Instance, seed [32]byte, orders int) Average {
	t := serial(in, nil).Tally
	return Average{Orders: orders, First: float64(t.First()), Second: float64(t.Second()), Third: float64(t.Third()), None: float64(t.None), Cost: float64(t.Cost)}
}

// serial seats people one by one in the given order (id order when nil). PLACEHOLDER.
func serial(in Instance, order []int) Result {
	free := map[uint]int{}
	slotsOf := map[uint][]uint{}
	for _, s := range in.Sessions {
		free[s.ID] = s.Capacity
		slotsOf[s.ID] = s.Slots
	}
	res := Result{Seats: map[uint][]uint{}, Waitlists: map[uint][]uint{}, Tally: Tally{People: len(in.People), ByRank: make([]int, in.Ranks)}}
	if order == nil {
		for i := range in.People {
			order = append(order, i)
		}
	}
	for _, i := range order {
		p := in.People[i]
		busy := map[uint]bool{}
		for _, f := range p.Fixed {
			free[f]--
			res.Seats[p.ID] = append(res.Seats[p.ID], f)
			for _, sl := range slotsOf[f] {
				busy[sl] = true
			}
		}
		for _, slot := range in.Slots {
			ranked := p.Rankings[slot]
			if len(ranked) == 0 || busy[slot] {
				continue
			}
			got := false
			for r, sid := range ranked {
				ok := free[sid] > 0
				for _, sl := range slotsOf[sid] {
					ok = ok && !busy[sl]
				}
				if !ok {
					res.Waitlists[sid] = append(res.Waitlists[sid], p.ID)
					continue
				}
				free[sid]--
				res.Seats[p.ID] = append(res.Seats[p.ID], sid)
				for _, sl := range slotsOf[sid] {
					busy[sl] = true
				}
				res.Tally.ByRank[r]++
				res.Tally.Cost += RankCost(r+1, in.Ranks)
				got = true
				break
			}
			if !got {
				res.Tally.None++
				res.Tally.Cost += RankCost(0, in.Ranks)
			}
		}
	}
	return res
}

// RankCost is what meeting a ranking at rank r (1 is the first choice) costs; r == 0 means
// not met at all, the most expensive. Squares make two second choices cheaper than a first
// and a third, which spreads the good places.
func RankCost(r, ranks int) int64 {
	if r <= 0 {
		return int64(2 * (ranks + 1) * (ranks + 1))
	}
	return int64(r * r)
}

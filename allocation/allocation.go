// Package allocation seats people in sessions by their preferences (issue #19): an exact
// minimum-cost allocation per venue over all slots, with ties broken by a published seed,
// and the first-come-first-served baseline it is compared with. Pure code: no database, no HTTP.
package allocation

import (
	"crypto/sha256"
	"errors"
	"sync"
)

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
// A malformed instance is an error. The blocks of slots (see the package doc) are solved
// side by side.
func Solve(in Instance, seed [32]byte) (Result, error) {
	m, err := newModel(in, seed)
	if err != nil {
		return Result{}, err
	}
	g := m.emptySeating()
	blocks := m.blocks()
	errs := make([]error, len(blocks))
	var wg sync.WaitGroup
	for i, b := range blocks {
		wg.Go(func() { errs[i] = b.solve(g) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Result{}, err
	}
	return m.result(g), nil
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

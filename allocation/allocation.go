// Package allocation seats people in sessions by their preferences (issue #19): a
// minimum-cost allocation per venue over all slots, proven optimal where the search can
// within its budget and otherwise with a proven lower bound, with ties broken by a published seed,
// and the first-come-first-served baseline it is compared with. Pure code: no database, no HTTP.
//
// # What is minimised
//
// A ranking is one person's non-empty list for one slot. Met at rank r it costs RankCost(r)
// (r²), not met RankCost(0). A person's two-slot session (ranked in its first slot) also fills
// the next slot: a ranking there counts as met with the two-slot session's rank (r² again);
// without one it costs nothing. Speakers (Person.Fixed) sit in their sessions first, which
// takes seats; their rankings in the slots those sessions fill do not count at all (not in
// the tally, not in the cost), and nothing else is given them there. A person gets at most
// one session per slot; a session never holds more than its capacity (speakers may exceed it:
// they sit regardless).
//
// Ties: every ranking's cost is scaled, cost<<shift, plus a tie-breaking term below
// 1<<epsBits hashed from the seed, the person's id, the session's id and the slot's id; shift
// is chosen so that the terms of all rankings together stay below one unit of real cost.
// The instance is put in canonical order (by ids) first, so the result depends on its
// content and the seed only — not on the order of slices or maps.
//
// # How, and how exact
//
// Slots not joined by a two-slot session are independent: each is a transportation problem
// (people to sessions or "not met", within capacity), solved exactly by minimum-cost flow
// (package flow), scaled costs included, so there the least tie-breaking cost wins as well.
// Slots joined by two-slot sessions form a block, where a person either takes the two-slot
// session in both slots or one session in each: that coupling is not a flow (it is like
// three-dimensional assignment, NP-hard in general).
//
// Solve therefore starts from two exact stages (stages.go): first everything except, for a
// person who ranked a two-slot session, their ranking of the slot it would also fill; then
// those rankings from the seats left. Without those rankings no block couples anything, so
// both stages are exact and fast. From that allocation a block is improved by branch and
// bound over the whole problem. The relaxation solves each slot of the block as its own
// flow, with every two-slot session present in both of its slots and its cost split between
// them (the first slot's ranking in the first, the second's in the second, shifted by a
// Lagrangian multiplier per person and session); every real allocation costs exactly the same
// there, so the sum is a lower bound. When the slots agree on who takes each two-slot
// session, the relaxation is a real allocation and optimal for its node. Otherwise the
// multipliers are moved by subgradient steps, every round is rounded to a real allocation
// (keep the first slot's takers, re-solve), and the search branches on one disagreeing
// person: takes that session (in both slots) or never does. Nodes are dropped only when their
// bound shows they cannot hold an allocation of smaller real cost than the best found. The
// search stops at the end (Tally.Optimal: the real cost is optimal) or after a budget of
// relaxations that is counted, not timed (see searchWork), so the result never depends on
// the machine; then Tally.Bound is the least bound of the nodes left, a proven lower bound
// on any allocation's cost. Within a block, among allocations of the least real cost the
// first found wins; the order is fixed and steered by the seed's tie-breaking, so it is
// still determined by the instance and the seed (see settled).
//
// Waiting lists: for each ranking met in its own slot or not met, every session ranked
// strictly better than the one given (all of them if none) lists the person, ordered by the
// rank they gave it, then by a seed-derived key of the person. A ranking met by a two-slot
// session from the slot before gives no waiting-list places; speakers' slots give none.
package allocation

import (
	"crypto/sha256"
	"errors"
	"math"
	"slices"
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
	// Optimal: no allocation has a lower Cost (the search proved it within its budget).
	Optimal bool
	// Bound is a proven lower bound on any allocation's Cost: Cost itself when Optimal.
	Bound int64
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

// Solve allocates the instance's seats: the least total rank cost, ties broken by seed. It
// starts from the two stages' allocation (stages.go) and improves it by branch and bound
// within a budget of work (bnb.go); Tally.Optimal says whether the search proved the result
// optimal. A malformed instance is an error.
func Solve(in Instance, seed [32]byte) (Result, error) {
	m, err := newModel(in, seed)
	if err != nil {
		return Result{}, err
	}
	start, err := stagedSeating(m, in, seed)
	if err != nil {
		return Result{}, err
	}
	g := m.emptySeating()
	blocks := m.blocks()
	proven := make([]bool, len(blocks))
	lower := make([]int64, len(blocks))
	errs := make([]error, len(blocks))
	var wg sync.WaitGroup
	for i, b := range blocks {
		wg.Go(func() { proven[i], lower[i], errs[i] = b.solve(g, start, b.budget()) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Result{}, err
	}
	res := m.result(g)
	res.Tally.Optimal = !slices.Contains(proven, false)
	res.Tally.Bound = res.Tally.Cost
	if !res.Tally.Optimal {
		// Each block's bound in real cost (realBound), summed.
		res.Tally.Bound = 0
		for i, l := range lower {
			res.Tally.Bound += max(blocks[i].realBound(l), 0)
		}
	}
	return res, nil
}

// exactSeating is the least-cost allocation of a model whose blocks the search closes
// (the two stages' models: see stages.go); blocks are solved side by side.
func exactSeating(m *model) (seating, error) {
	g := m.emptySeating()
	start := m.emptySeating()
	blocks := m.blocks()
	errs := make([]error, len(blocks))
	var wg sync.WaitGroup
	for i, b := range blocks {
		wg.Go(func() { _, _, errs[i] = b.solve(g, start, math.MaxInt) })
	}
	wg.Wait()
	return g, errors.Join(errs...)
}

// searchWork is how many person-relaxations (one person in one relaxation of a block) the
// search may spend on a block after the two stages: the budget that keeps a 10,000-person
// event's allocation to seconds. The search stops as soon as it has proven the optimum, so
// the budget only limits venues it cannot close: a 3,333-person venue then ends after 90
// relaxations, about half a second. On the benchmark events every venue is proven optimal
// well within it (docs/performance.md).
const searchWork = 300_000

// minRounds is the least search any block with two-slot sessions gets.
const minRounds = 30

// budget is the block's number of relaxations: none for a block without two-slot sessions
// (the two stages solved it exactly), otherwise searchWork shared by its people.
func (b *block) budget() int {
	if len(b.twins) == 0 {
		return 0
	}
	return max(searchWork/max(len(b.m.people), 1), minRounds)
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

package schedule

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// Unplaced is a session the planner could not place, and why: Reason in English, Rule as a
// short code for a translated message (see Rules).
type Unplaced struct {
	Session int
	Reason  string
	Rule    string
}

// Rules are the codes of Unplaced.Rule: the hard rule that kept a session out.
var Rules = []string{"invalid", "pinned", "venue", "room_too_small", "break", "speaker_unavailable", "no_consecutive", "no_place", "full"}

// ruleOf names the code of a static reason.
var ruleOf = map[string]string{
	"no such venue":                       "no_place",
	"no such room or slot":                "no_place",
	"a venue its speakers did not choose": "venue",
	"a room too small":                    "room_too_small",
	"a break between its two slots":       "break",
	"a slot a speaker cannot do":          "speaker_unavailable",
}

// Result is a plan with its score and an explanation of what could not be placed.
type Result struct {
	Plan       Plan
	Score      Score
	Unplaced   []Unplaced
	Iterations int
	// Placed counts the sessions placed that had no place before, Moved those whose place
	// differs from the reference (Problem.Plan only).
	Placed, Moved int
}

// Explain says in a sentence what was not placed and why ("" when everything was).
func (r Result) Explain(pr Problem) string {
	if len(r.Unplaced) == 0 {
		return ""
	}
	why := map[string][]string{}
	var reasons []string
	for _, u := range r.Unplaced {
		if _, ok := why[u.Reason]; !ok {
			reasons = append(reasons, u.Reason)
		}
		why[u.Reason] = append(why[u.Reason], fmt.Sprintf("%q", pr.Sessions[u.Session].Title))
	}
	var parts []string
	for _, r := range reasons {
		parts = append(parts, fmt.Sprintf("%s: %s", r, strings.Join(why[r], ", ")))
	}
	return fmt.Sprintf("%d sessions could not be placed. %s.", len(r.Unplaced), strings.Join(parts, "; "))
}

// candidates lists, per session, every place the static rules allow (all of them for a
// pinned session's own place only).
func (pr Problem) candidates() [][]Place {
	out := make([][]Place, len(pr.Sessions))
	for i, s := range pr.Sessions {
		if s.Pinned != nil {
			out[i] = []Place{*s.Pinned}
			continue
		}
		for v, venue := range pr.Venues {
			for r := range venue.Rooms {
				for k := range venue.Slots {
					pl := Place{v, r, k}
					if pr.staticReason(s, pl) == "" {
						out[i] = append(out[i], pl)
					}
				}
			}
		}
	}
	return out
}

// popularity counts the wishes for each session.
func (pr Problem) popularity() []int {
	out := make([]int, len(pr.Sessions))
	for _, ws := range pr.Wishes {
		for _, w := range ws {
			out[w]++
		}
	}
	return out
}

// Greedy is the baseline: pinned sessions first, then the most wished-for first, each in
// the biggest room free for it (on ties the earliest slot, then the first venue).
func (pr Problem) Greedy() Result {
	if err := pr.Check(); err != nil {
		return Result{Plan: Plan{Places: make([]*Place, len(pr.Sessions))}, Unplaced: allUnplaced(pr, err.Error())}
	}
	cands := pr.candidates()
	b := newBoard(&pr, Plan{Places: make([]*Place, len(pr.Sessions))})
	pop := pr.popularity()
	order := make([]int, len(pr.Sessions))
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
	var unplaced []Unplaced
	for _, i := range order {
		best := -1
		for c, pl := range cands[i] {
			if b.dynamicReason(i, pl) != "" {
				continue
			}
			if best < 0 || pr.roomCap(pl) > pr.roomCap(cands[i][best]) {
				best = c
			}
		}
		if best < 0 {
			unplaced = append(unplaced, pr.whyUnplaced(b, i, cands[i]))
			continue
		}
		pl := cands[i][best]
		b.place(i, &pl)
	}
	return Result{Plan: b.plan, Score: pr.Evaluate(b.plan), Unplaced: unplaced}
}

func allUnplaced(pr Problem, reason string) []Unplaced {
	out := make([]Unplaced, len(pr.Sessions))
	for i := range out {
		out[i] = Unplaced{i, reason, "invalid"}
	}
	return out
}

func (pr Problem) roomCap(pl Place) int { return pr.Venues[pl.Venue].Rooms[pl.Room].Capacity }

// whyUnplaced explains why session i has no place on board b.
func (pr Problem) whyUnplaced(b *board, i int, cands []Place) Unplaced {
	s := pr.Sessions[i]
	if s.Pinned != nil {
		if why := pr.staticReason(s, *s.Pinned); why != "" {
			return Unplaced{i, "its pinned place has " + why, "pinned"}
		}
		return Unplaced{i, "its pinned place clashes: " + b.dynamicReason(i, *s.Pinned), "pinned"}
	}
	if len(cands) == 0 {
		reason, rule := pr.whyNowhere(s)
		return Unplaced{i, reason, rule}
	}
	return Unplaced{i, "every place it could go is taken, or its speakers are elsewhere then", "full"}
}

// Options steer Solve.
type Options struct {
	Seed uint64
	// Iterations bounds the search; the same seed and iterations give the same plan.
	Iterations int
	// TimeLimit stops the search early (then the plan depends on the machine's speed too).
	TimeLimit time.Duration
}

// objective ranks plans: placing sessions first, then attendable wishes, then fewer people
// than seats.
func objective(s Score) float64 {
	return -100000*float64(s.Unplaced) + 100*float64(s.Attendable) - 10*float64(s.Overflow)
}

// Solve places the sessions: it starts from Greedy and improves by moving and swapping
// sessions (simulated annealing), never breaking a hard rule and never moving a pinned
// session. It returns the best plan it saw.
func (pr Problem) Solve(opt Options) Result {
	return pr.solve(opt, nil, nil)
}

// Penalties of minimal change, in objective units (100 is one attendable wish): a session in
// another room at the same time costs less than one at another time or venue, and both cost
// more than a few wishes gained, so the planner moves a session mainly to place another.
const (
	roomMoveCost = 1000
	timeMoveCost = 5000
)

// changeCost is what it costs to have session i at pl when the reference has it at ref[i].
func changeCost(ref []*Place, i int, pl *Place) int {
	if ref == nil || ref[i] == nil || pl == nil || *ref[i] == *pl {
		return 0
	}
	if ref[i].Venue == pl.Venue && ref[i].Slot == pl.Slot {
		return roomMoveCost
	}
	return timeMoveCost
}

func changePenalty(ref []*Place, plan Plan) int {
	pen := 0
	for i, pl := range plan.Places {
		pen += changeCost(ref, i, pl)
	}
	return pen
}

// solve is Solve from a given start (nil: the better of Greedy and construct), with a penalty
// per session whose place differs from ref (nil: none). The start must break no hard rule.
func (pr Problem) solve(opt Options, start *Plan, ref []*Place) Result {
	began := time.Now()
	if err := pr.Check(); err != nil {
		return Result{Plan: Plan{Places: make([]*Place, len(pr.Sessions))}, Unplaced: allUnplaced(pr, err.Error())}
	}
	if opt.Iterations <= 0 {
		opt.Iterations = 200000
	}
	value := func(p Plan) float64 { return objective(pr.Evaluate(p)) - float64(changePenalty(ref, p)) }
	cands := pr.candidates()
	starts := []Plan{}
	if start != nil {
		starts = append(starts, *start)
	} else {
		starts = append(starts, pr.Greedy().Plan, pr.construct(cands))
	}
	// Start from the best of the starts, each with what it left out pushed in where possible.
	var b *board
	for _, start := range starts {
		c := newBoard(&pr, start.clone())
		pr.repair(c, cands)
		if b == nil || value(c.plan) > value(b.plan) {
			b = c
		}
	}
	e := newEvaluator(&pr, &b.plan)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	var movable []int
	for i, s := range pr.Sessions {
		if s.Pinned == nil && len(cands[i]) > 0 {
			movable = append(movable, i)
		}
	}
	pen := changePenalty(ref, b.plan)
	best := b.plan.clone()
	bestValue := objective(e.score) - float64(pen)
	cur := bestValue
	iter := 0
	const t0, t1 = 400.0, 2.0 // temperature, in objective units (100 is one wish), falling geometrically
	for ; iter < opt.Iterations && len(movable) > 0; iter++ {
		if opt.TimeLimit > 0 && iter%256 == 0 && time.Since(began) > opt.TimeLimit {
			break
		}
		temp := t0 * math.Pow(t1/t0, float64(iter)/float64(opt.Iterations))
		i := movable[rng.IntN(len(movable))]
		pl := cands[i][rng.IntN(len(cands[i]))]
		old := b.plan.Places[i]
		if old != nil && *old == pl {
			continue
		}
		// The session in the way, if there is exactly one and it may move, swaps into i's
		// old place.
		other := -1
		for k := pl.Slot; k < pl.Slot+pr.Sessions[i].Length; k++ {
			if o := b.room[pl.Venue][pl.Room][k]; o >= 0 && o != i {
				if other >= 0 && other != o {
					other = -2
					break
				}
				other = o
			}
		}
		if other == -2 || other >= 0 && (pr.Sessions[other].Pinned != nil ||
			old != nil && pr.staticReason(pr.Sessions[other], *old) != "") {
			continue
		}
		moved := []int{i}
		before := []*Place{old}
		to := []*Place{{pl.Venue, pl.Room, pl.Slot}}
		if other >= 0 {
			// It swaps into i's old place; when i had none it is bumped off the board, and
			// may come back later (a chain of moves that way places sessions that fit
			// nowhere free).
			var otherTo *Place
			if old != nil {
				otherTo = &Place{old.Venue, old.Room, old.Slot}
			}
			moved = append(moved, other)
			before = append(before, b.plan.Places[other])
			to = append(to, otherTo)
		}
		// Take the movers off the board, then put each in its new place only if the board as
		// it is then allows it (so two movers cannot land on each other); if one cannot go,
		// all go back.
		for _, s := range moved {
			b.place(s, nil)
		}
		ok := true
		for k, s := range moved {
			if to[k] != nil && b.dynamicReason(s, *to[k]) != "" {
				ok = false
				break
			}
			b.place(s, to[k])
		}
		if !ok {
			for _, s := range moved {
				b.place(s, nil)
			}
			for k, s := range moved {
				b.place(s, before[k])
			}
			continue
		}
		e.moved(moved, before)
		dpen := 0
		for k, s := range moved {
			dpen += changeCost(ref, s, b.plan.Places[s]) - changeCost(ref, s, before[k])
		}
		next := objective(e.score) - float64(pen+dpen)
		if next >= cur || rng.Float64() < math.Exp((next-cur)/temp) {
			cur = next
			pen += dpen
			if next > bestValue {
				best, bestValue = b.plan.clone(), next
			}
			continue
		}
		// Undo.
		after := make([]*Place, len(moved))
		for k, s := range moved {
			after[k] = b.plan.Places[s]
			b.place(s, nil)
		}
		for k, s := range moved {
			b.place(s, before[k])
		}
		e.moved(moved, after)
	}
	// The search may have left a session out that now fits with a little pushing.
	fb := newBoard(&pr, best.clone())
	if pr.repair(fb, cands) > 0 && value(fb.plan) > value(best) {
		best = fb.plan.clone()
	}
	fb = newBoard(&pr, best.clone())
	res := Result{Plan: best, Score: pr.Evaluate(best), Iterations: iter}
	for i := range pr.Sessions {
		if best.Places[i] == nil {
			res.Unplaced = append(res.Unplaced, pr.whyUnplaced(fb, i, cands[i]))
		}
	}
	return res
}

// repair places unplaced sessions by moving what is in the way elsewhere: for each place an
// unplaced session could have, it takes the sessions there off the board, puts the session
// in, and looks for a free place for each of them. It keeps the first such change that works
// and reports how many sessions it placed.
func (pr Problem) repair(b *board, cands [][]Place) int {
	placed := 0
	for i := range pr.Sessions {
		if b.plan.Places[i] != nil || pr.Sessions[i].Pinned != nil {
			continue
		}
		for _, pl := range cands[i] {
			if pr.tryEject(b, cands, i, pl) {
				placed++
				break
			}
		}
	}
	return placed
}

// tryEject puts unplaced session i at pl, moving the movable sessions in its way to free
// places; it changes nothing when that is not possible.
func (pr Problem) tryEject(b *board, cands [][]Place, i int, pl Place) bool {
	var inWay []int
	for k := pl.Slot; k < pl.Slot+pr.Sessions[i].Length; k++ {
		if o := b.room[pl.Venue][pl.Room][k]; o >= 0 && !containsInt(inWay, o) {
			if pr.Sessions[o].Pinned != nil {
				return false
			}
			inWay = append(inWay, o)
		}
	}
	was := make([]*Place, len(inWay))
	for k, o := range inWay {
		was[k] = b.plan.Places[o]
		b.place(o, nil)
	}
	undo := func(moved []int) {
		for _, o := range moved {
			b.place(o, nil)
		}
		b.place(i, nil)
		for k, o := range inWay {
			b.place(o, was[k])
		}
	}
	if b.dynamicReason(i, pl) != "" {
		undo(nil)
		return false
	}
	p := pl
	b.place(i, &p)
	var moved []int
	for _, o := range inWay {
		found := false
		for _, q := range cands[o] {
			if b.dynamicReason(o, q) == "" {
				qq := q
				b.place(o, &qq)
				moved = append(moved, o)
				found = true
				break
			}
		}
		if !found {
			undo(moved)
			return false
		}
	}
	return true
}

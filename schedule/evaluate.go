package schedule

// Score measures a plan against the attendees' wishes.
type Score struct {
	// Attendable is the number of wishes that can all be attended: per attendee, the most
	// wished sessions at one venue (attendees register for one) that do not overlap.
	Attendable int
	// UpperBound is what no plan can beat: per attendee, the number of wishes, but at most
	// the number of slots of the venue with the most.
	UpperBound int
	// Overflow is the number of expected attendees beyond their room's seats, over all
	// sessions. A session's expected attendance is the attendees whose attendable set has it.
	Overflow int
	// SeatsShort is the expected attendance beyond the seats of all a venue's rooms together,
	// summed over every venue and slot.
	SeatsShort int
	// Unplaced is the number of sessions without a place.
	Unplaced int
}

// AttendablePercent is Attendable as a percentage of UpperBound.
func (s Score) AttendablePercent() float64 {
	if s.UpperBound == 0 {
		return 100
	}
	return 100 * float64(s.Attendable) / float64(s.UpperBound)
}

// evaluator keeps a plan's score up to date as sessions move, recounting only the attendees
// who wish for what moved.
type evaluator struct {
	pr      *Problem
	plan    *Plan
	wishers [][]int // per session, the attendees who wish for it
	chosen  [][]int // per attendee, the sessions of their attendable set
	demand  []int   // per session, expected attendance
	score   Score

	// Scratch for moved: who was touched in this round (marked with gen).
	gen          int
	seenAttendee []int
	seenSession  []int
	touched      []int
	affected     []int
	fresh        []int // the touched attendees' new sets, one after the other
	starts       []int // where each touched attendee's new set starts in fresh
	scratchSet   []int
}

func newEvaluator(pr *Problem, plan *Plan) *evaluator {
	e := &evaluator{pr: pr, plan: plan, wishers: make([][]int, len(pr.Sessions)),
		chosen: make([][]int, len(pr.Wishes)), demand: make([]int, len(pr.Sessions)),
		seenAttendee: make([]int, len(pr.Wishes)), seenSession: make([]int, len(pr.Sessions))}
	maxSlots := 0
	for _, v := range pr.Venues {
		maxSlots = max(maxSlots, len(v.Slots))
	}
	for a, ws := range pr.Wishes {
		for _, w := range ws {
			e.wishers[w] = append(e.wishers[w], a)
		}
		e.score.UpperBound += min(len(ws), maxSlots)
	}
	for a := range pr.Wishes {
		e.recount(a)
	}
	for i := range pr.Sessions {
		e.score.Overflow += e.overflow(i)
		if plan.Places[i] == nil {
			e.score.Unplaced++
		}
	}
	return e
}

// attendable puts attendee a's largest set of non-overlapping wished sessions at one venue
// into dst (reusing its array) and returns it. It allocates nothing: it runs for every
// attendee concerned by every move the planner tries.
func (e *evaluator) attendable(a int, dst []int) []int {
	type iv struct{ s, from, to int }
	var buf [16]iv
	var set [16]int
	best := dst[:0]
	for v := range e.pr.Venues {
		ivs := buf[:0]
		for _, w := range e.pr.Wishes[a] {
			if pl := e.plan.Places[w]; pl != nil && pl.Venue == v && len(ivs) < len(buf) {
				ivs = append(ivs, iv{w, pl.Slot, pl.Slot + e.pr.Sessions[w].Length})
			}
		}
		if len(ivs) <= len(best) {
			continue
		}
		// Interval scheduling: taking the one that ends first is optimal. (Insertion sort:
		// there are a handful.)
		for i := 1; i < len(ivs); i++ {
			for j := i; j > 0 && (ivs[j].to < ivs[j-1].to || ivs[j].to == ivs[j-1].to && ivs[j].s < ivs[j-1].s); j-- {
				ivs[j], ivs[j-1] = ivs[j-1], ivs[j]
			}
		}
		n, free := 0, 0
		for _, x := range ivs {
			if x.from >= free {
				set[n] = x.s
				n++
				free = x.to
			}
		}
		if n > len(best) {
			best = append(best[:0], set[:n]...)
		}
	}
	return best
}

func (e *evaluator) overflow(i int) int {
	pl := e.plan.Places[i]
	if pl == nil {
		return 0
	}
	return max(0, e.demand[i]-e.pr.Venues[pl.Venue].Rooms[pl.Room].Capacity)
}

// recount replaces attendee a's attendable set, keeping demand and the score in step.
func (e *evaluator) recount(a int) {
	for _, s := range e.chosen[a] {
		e.demand[s]--
	}
	e.score.Attendable -= len(e.chosen[a])
	e.chosen[a] = e.attendable(a, e.chosen[a])
	e.score.Attendable += len(e.chosen[a])
	for _, s := range e.chosen[a] {
		e.demand[s]++
	}
}

// moved updates the score after the sessions in ss changed place (their Places already set).
// before holds each one's place before the move, for the unplaced count.
func (e *evaluator) moved(ss []int, before []*Place) {
	e.gen++
	touched := e.touched[:0]
	for _, s := range ss {
		for _, a := range e.wishers[s] {
			if e.seenAttendee[a] != e.gen {
				e.seenAttendee[a] = e.gen
				touched = append(touched, a)
			}
		}
	}
	// Each touched attendee's new set, worked out with the new places.
	fresh := e.fresh[:0]
	starts := e.starts[:0]
	for _, a := range touched {
		starts = append(starts, len(fresh))
		e.scratchSet = e.attendable(a, e.scratchSet)
		fresh = append(fresh, e.scratchSet...)
	}
	starts = append(starts, len(fresh))
	// Demand changes only for the sessions in an old or a new set, and overflow also for
	// the sessions that moved.
	affected := e.affected[:0]
	add := func(s int) {
		if e.seenSession[s] != e.gen {
			e.seenSession[s] = e.gen
			affected = append(affected, s)
		}
	}
	for _, s := range ss {
		add(s)
	}
	for _, a := range touched {
		for _, s := range e.chosen[a] {
			add(s)
		}
	}
	for _, s := range fresh {
		add(s)
	}
	// Take the old overflow out with the old places and demand, then put the new in.
	var nowBuf [4]*Place
	now := nowBuf[:0]
	for k, s := range ss {
		now = append(now, e.plan.Places[s])
		e.plan.Places[s] = before[k]
	}
	for _, s := range affected {
		e.score.Overflow -= e.overflow(s)
	}
	for k, s := range ss {
		e.plan.Places[s] = now[k]
		if (before[k] == nil) != (now[k] == nil) {
			if now[k] == nil {
				e.score.Unplaced++
			} else {
				e.score.Unplaced--
			}
		}
	}
	for x, a := range touched {
		for _, s := range e.chosen[a] {
			e.demand[s]--
		}
		e.score.Attendable -= len(e.chosen[a])
		e.chosen[a] = append(e.chosen[a][:0], fresh[starts[x]:starts[x+1]]...)
		e.score.Attendable += len(e.chosen[a])
		for _, s := range e.chosen[a] {
			e.demand[s]++
		}
	}
	for _, s := range affected {
		e.score.Overflow += e.overflow(s)
	}
	e.touched, e.affected, e.fresh, e.starts = touched, affected, fresh, starts
}

// Evaluate scores a plan. It only reads the plan.
func (pr Problem) Evaluate(plan Plan) Score {
	e := newEvaluator(&pr, &plan)
	s := e.score
	for _, short := range pr.seatsShort(plan, e.demand) {
		s.SeatsShort += short
	}
	return s
}

func (pr Problem) seatsShort(plan Plan, demand []int) map[SlotRef]int {
	out := map[SlotRef]int{}
	for v, venue := range pr.Venues {
		seats := 0
		for _, r := range venue.Rooms {
			seats += r.Capacity
		}
		for k := range venue.Slots {
			want := 0
			for i, pl := range plan.Places {
				if pl != nil && pl.Venue == v && pl.Slot <= k && k < pl.Slot+pr.Sessions[i].Length {
					want += demand[i]
				}
			}
			if want > seats {
				out[SlotRef{v, k}] = want - seats
			}
		}
	}
	return out
}

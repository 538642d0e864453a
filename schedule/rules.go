package schedule

import (
	"fmt"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// The hard rules a plan never breaks:
//   - a session is in a room big enough for it (MinSeats);
//   - at a venue it may be at;
//   - in slots all its speakers can do;
//   - a two-slot session in two consecutive slots with no break between them;
//   - one session per room per slot;
//   - no speaker in two places at once, with travel time between cities;
//   - pinned sessions stay where they are.

// MaxChangeover is the longest gap between two slots that a two-slot session runs on
// through, as the changeover between sessions; a longer gap (lunch) is a break that would
// split it. It is models.MaxChangeover: the planner and the proposal form share one rule,
// models.RunsOn.
const MaxChangeover = models.MaxChangeover

// interval returns when a session placed at pl runs.
func (pr Problem) interval(s Session, pl Place) (start, end time.Time) {
	slots := pr.Venues[pl.Venue].Slots
	return slots[pl.Slot].Start, slots[pl.Slot+s.Length-1].End
}

// staticReason says why session s can never be at pl, whatever else is placed; "" if it can.
func (pr Problem) staticReason(s Session, pl Place) string {
	if pl.Venue < 0 || pl.Venue >= len(pr.Venues) {
		return "no such venue"
	}
	v := pr.Venues[pl.Venue]
	if pl.Room < 0 || pl.Room >= len(v.Rooms) || pl.Slot < 0 || pl.Slot+s.Length > len(v.Slots) {
		return "no such room or slot"
	}
	if len(s.Venues) > 0 && !containsInt(s.Venues, pl.Venue) {
		return "a venue its speakers did not choose"
	}
	if v.Rooms[pl.Room].Capacity < s.MinSeats {
		return "a room too small"
	}
	if s.Length == 2 && !models.RunsOn(v.Slots[pl.Slot].End, v.Slots[pl.Slot+1].Start) {
		return "a break between its two slots"
	}
	for k := pl.Slot; k < pl.Slot+s.Length; k++ {
		for _, sp := range s.Speakers {
			if pr.Speakers[sp].Unavailable[SlotRef{pl.Venue, k}] {
				return "a slot a speaker cannot do"
			}
		}
	}
	return ""
}

// board is a plan with the indexes that make checking a move cheap.
type board struct {
	pr   *Problem
	plan Plan
	// room[v][r][k] is the session in room r of venue v in slot k, or -1.
	room [][][]int
	// bySpeaker lists each speaker's sessions.
	bySpeaker [][]int
}

func newBoard(pr *Problem, plan Plan) *board {
	b := &board{pr: pr, plan: plan, bySpeaker: make([][]int, len(pr.Speakers))}
	b.room = make([][][]int, len(pr.Venues))
	for v, venue := range pr.Venues {
		b.room[v] = make([][]int, len(venue.Rooms))
		for r := range venue.Rooms {
			b.room[v][r] = make([]int, len(venue.Slots))
			for k := range b.room[v][r] {
				b.room[v][r][k] = -1
			}
		}
	}
	for i, s := range pr.Sessions {
		for _, sp := range s.Speakers {
			b.bySpeaker[sp] = append(b.bySpeaker[sp], i)
		}
		if pl := plan.Places[i]; pl != nil {
			b.mark(i, *pl, i)
		}
	}
	return b
}

func (b *board) mark(i int, pl Place, who int) {
	for k := pl.Slot; k < pl.Slot+b.pr.Sessions[i].Length; k++ {
		b.room[pl.Venue][pl.Room][k] = who
	}
}

// place puts session i at pl (or takes it off the board when pl is nil).
func (b *board) place(i int, pl *Place) {
	if old := b.plan.Places[i]; old != nil {
		b.mark(i, *old, -1)
	}
	b.plan.Places[i] = pl
	if pl != nil {
		b.mark(i, *pl, i)
	}
}

// dynamicReason says why session i cannot go to pl with the others as they are, ignoring
// the sessions in skip (which are being moved too); "" if it can.
func (b *board) dynamicReason(i int, pl Place, skip ...int) string {
	s := b.pr.Sessions[i]
	for k := pl.Slot; k < pl.Slot+s.Length; k++ {
		if o := b.room[pl.Venue][pl.Room][k]; o >= 0 && o != i && !containsInt(skip, o) {
			return "the room is taken"
		}
	}
	start, end := b.pr.interval(s, pl)
	city := b.pr.Venues[pl.Venue].City
	for _, sp := range s.Speakers {
		for _, j := range b.bySpeaker[sp] {
			if j == i || containsInt(skip, j) || b.plan.Places[j] == nil {
				continue
			}
			other := *b.plan.Places[j]
			os, oe := b.pr.interval(b.pr.Sessions[j], other)
			gap := time.Duration(0)
			if oc := b.pr.Venues[other.Venue].City; oc != city && b.pr.Travel != nil {
				gap = b.pr.Travel(city, oc)
			}
			if start.Before(oe.Add(gap)) && os.Before(end.Add(gap)) {
				return fmt.Sprintf("speaker %s is elsewhere then", b.pr.Speakers[sp].Name)
			}
		}
	}
	return ""
}

// Violations lists every hard rule a plan breaks. A plan from Solve or Greedy has none.
func (pr Problem) Violations(plan Plan) []string {
	var out []string
	for _, v := range pr.violations(plan) {
		out = append(out, fmt.Sprintf("%q: %s", pr.Sessions[v.session].Title, v.why))
	}
	return out
}

// violation is one hard rule broken by one session.
type violation struct {
	session int
	why     string
}

func (pr Problem) violations(plan Plan) []violation {
	var out []violation
	b := newBoard(&pr, Plan{Places: make([]*Place, len(pr.Sessions))})
	for i, pl := range plan.Places {
		if pl == nil {
			continue
		}
		s := pr.Sessions[i]
		if why := pr.staticReason(s, *pl); why != "" {
			out = append(out, violation{i, why})
			continue
		}
		if s.Pinned != nil && *s.Pinned != *pl {
			out = append(out, violation{i, "moved although pinned"})
		}
		if why := b.dynamicReason(i, *pl); why != "" {
			out = append(out, violation{i, why})
		}
		b.place(i, pl)
	}
	for i, s := range pr.Sessions {
		if s.Pinned != nil && plan.Places[i] == nil {
			out = append(out, violation{i, "unplaced although pinned"})
		}
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

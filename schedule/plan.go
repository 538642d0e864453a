package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Mode says which sessions the planner may move.
type Mode int

const (
	// PlaceUnplaced places the unplaced sessions and keeps every placed one where it is.
	PlaceUnplaced Mode = iota
	// PlaceAll re-places every unpinned session from scratch.
	PlaceAll
	// MinimalChange starts from a reference plan (the published schedule) and changes as
	// little of it as it can while placing the unplaced sessions and repairing rule breaks.
	MinimalChange
)

// ParseMode reads a mode as the board and the command name it: "unplaced", "all" or
// "minimal".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "", "unplaced":
		return PlaceUnplaced, nil
	case "all":
		return PlaceAll, nil
	case "minimal":
		return MinimalChange, nil
	}
	return 0, fmt.Errorf("unknown planning mode %q: want unplaced, all or minimal", s)
}

// Request asks the planner for a plan.
type Request struct {
	Mode Mode
	// Current is the timetable as it is; its placed sessions stay put in PlaceUnplaced mode.
	Current Plan
	// Reference is what MinimalChange stays close to and what moves are counted against; nil
	// means Current.
	Reference *Plan
	// Venue limits the planning to one venue (an index; -1 for all): only sessions placed
	// there, or unplaced and allowed there, move, and only within it.
	Venue int
	// Seed, Iterations and TimeLimit steer the search as in Options.
	Seed       uint64
	Iterations int
	TimeLimit  time.Duration
}

// ErrInfeasible marks a request no plan can satisfy without breaking a hard rule.
var ErrInfeasible = errors.New("no plan keeps every hard rule")

// InfeasibleError says why a request has no solution; errors.Is(err, ErrInfeasible) holds.
type InfeasibleError struct {
	// Code names the cause for a translated message: "invalid" (the data contradicts itself),
	// "pinned" (pinned sessions break a rule), "kept" (sessions that may not move break a
	// rule) or "failed" (no plan found).
	Code string
	// Reason is a sentence; Violations lists the hard-rule breaks behind it, if any, and
	// Sessions the sessions (indexes) that break them.
	Reason     string
	Violations []string
	Sessions   []int
}

// infeasible reports the violations of plan (of problem q, whose session k is pr's keep[k];
// keep nil: the same) as the reason a request has no solution.
func infeasible(code, reason string, q Problem, plan Plan, keep []int) *InfeasibleError {
	vs := q.violations(plan)
	if len(vs) == 0 {
		return nil
	}
	e := &InfeasibleError{Code: code, Reason: reason}
	for _, v := range vs {
		e.Violations = append(e.Violations, fmt.Sprintf("%q: %s", q.Sessions[v.session].Title, v.why))
		i := v.session
		if keep != nil {
			i = keep[i]
		}
		if !containsInt(e.Sessions, i) {
			e.Sessions = append(e.Sessions, i)
		}
	}
	return e
}

func (e *InfeasibleError) Error() string {
	if len(e.Violations) == 0 {
		return e.Reason
	}
	return e.Reason + ": " + strings.Join(e.Violations, "; ")
}

// Is makes errors.Is(err, ErrInfeasible) true.
func (e *InfeasibleError) Is(target error) bool { return target == ErrInfeasible }

// Plan answers a request: a plan that breaks no hard rule, with its score, the sessions it
// could not place and why, how many sessions it placed that were unplaced, and how many it
// moved from the reference. When the pinned sessions or the sessions it must keep already break
// a hard rule, or the problem itself is broken, it returns an *InfeasibleError and no plan. The
// same request with the same seed gives the same plan (unless the time limit cuts the search
// short).
func (pr Problem) Plan(req Request) (Result, error) {
	if len(req.Current.Places) != len(pr.Sessions) {
		return Result{}, fmt.Errorf("current plan has %d places for %d sessions", len(req.Current.Places), len(pr.Sessions))
	}
	ref := req.Current
	if req.Reference != nil {
		if len(req.Reference.Places) != len(pr.Sessions) {
			return Result{}, fmt.Errorf("reference plan has %d places for %d sessions", len(req.Reference.Places), len(pr.Sessions))
		}
		ref = *req.Reference
	}
	if err := pr.Check(); err != nil {
		return Result{}, &InfeasibleError{Code: "invalid", Reason: "the planning data is inconsistent: " + err.Error()}
	}
	pinned := Plan{Places: make([]*Place, len(pr.Sessions))}
	for i, s := range pr.Sessions {
		pinned.Places[i] = s.Pinned
	}
	if err := infeasible("pinned", "the pinned sessions break hard rules", pr, pinned, nil); err != nil {
		return Result{}, err
	}
	q, keep := pr.derive(req)
	fixed := Plan{Places: make([]*Place, len(q.Sessions))}
	for k, s := range q.Sessions {
		fixed.Places[k] = s.Pinned
	}
	if err := infeasible("kept", "the sessions that stay where they are break hard rules (try minimal change, which repairs them)", q, fixed, keep); err != nil {
		return Result{}, err
	}
	opt := Options{Seed: req.Seed, Iterations: req.Iterations, TimeLimit: req.TimeLimit}
	var sub Result
	if req.Mode == MinimalChange {
		subRef := make([]*Place, len(keep))
		for k, i := range keep {
			subRef[k] = ref.Places[i]
		}
		start := q.startFrom(subRef)
		sub = q.solve(opt, &start, subRef)
	} else {
		sub = q.solve(opt, nil, nil)
	}

	out := Result{Plan: req.Current.clone(), Iterations: sub.Iterations}
	for k, i := range keep {
		out.Plan.Places[i] = sub.Plan.Places[k]
	}
	for _, u := range sub.Unplaced {
		out.Unplaced = append(out.Unplaced, Unplaced{Session: keep[u.Session], Reason: u.Reason, Rule: u.Rule})
	}
	// Never hand out a plan that breaks a rule, whatever went wrong above.
	if err := infeasible("failed", "the planner found no plan that keeps every hard rule", pr, out.Plan, nil); err != nil {
		return Result{}, err
	}
	out.Score = pr.Evaluate(out.Plan)
	for i, pl := range out.Plan.Places {
		was, at := ref.Places[i], pl
		if req.Current.Places[i] == nil && at != nil {
			out.Placed++
		}
		if was != nil && (at == nil || *was != *at) {
			out.Moved++
		}
	}
	return out, nil
}

// derive builds the problem the planner actually solves for a request: the sessions that may
// not move are pinned where they are now (those without a place are left out), the ones that
// may are limited to the request's venue. keep maps its sessions to pr's.
func (pr Problem) derive(req Request) (Problem, []int) {
	q := pr
	q.Sessions = nil
	at := map[int]int{}
	var keep []int
	for i, s := range pr.Sessions {
		cur := req.Current.Places[i]
		movable := s.Pinned == nil
		if req.Venue >= 0 {
			movable = movable && (cur != nil && cur.Venue == req.Venue ||
				cur == nil && (len(s.Venues) == 0 || containsInt(s.Venues, req.Venue)))
		}
		if req.Mode == PlaceUnplaced && cur != nil {
			movable = false
		}
		switch {
		case s.Pinned != nil:
		case !movable && cur == nil:
			continue
		case !movable:
			p := *cur
			s.Pinned = &p
		case req.Venue >= 0:
			s.Venues = []int{req.Venue}
		}
		at[i] = len(q.Sessions)
		keep = append(keep, i)
		q.Sessions = append(q.Sessions, s)
	}
	q.Wishes = nil
	for _, ws := range pr.Wishes {
		var w []int
		for _, x := range ws {
			if k, ok := at[x]; ok {
				w = append(w, k)
			}
		}
		if len(w) > 0 {
			q.Wishes = append(q.Wishes, w)
		}
	}
	return q, keep
}

// startFrom puts every session at its reference place where that keeps the hard rules
// (pinned sessions first), and leaves the rest for the planner to place.
func (pr Problem) startFrom(ref []*Place) Plan {
	b := newBoard(&pr, Plan{Places: make([]*Place, len(pr.Sessions))})
	for pass := 0; pass < 2; pass++ {
		for i, s := range pr.Sessions {
			pl := ref[i]
			if pass == 0 {
				pl = s.Pinned
			} else if s.Pinned != nil {
				continue
			}
			if pl != nil && pr.staticReason(s, *pl) == "" && b.dynamicReason(i, *pl) == "" {
				p := *pl
				b.place(i, &p)
			}
		}
	}
	return b.plan
}

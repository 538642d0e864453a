package schedule

// Static reasons a session can have no place at all, whatever else is placed.
const (
	reasonNoPlace       = "there is no room or slot at all"
	reasonNoConsecutive = "there are no two consecutive slots its speakers can do"
)

// whyNowhere says why session s has no place that the static rules allow, as an English
// reason and a rule code (see Rules); both are "" when it has one. It looks at the venues
// the session may be at first, so a two-slot session at the one venue its speakers chose is
// explained by what goes wrong there (no two consecutive slots they can do, a break, rooms
// too small), not by the many places at venues they did not choose.
func (pr Problem) whyNowhere(s Session) (reason, rule string) {
	count := map[string]int{}
	top := ""
	places, wished := 0, 0
	for v, venue := range pr.Venues {
		for r := range venue.Rooms {
			for k := range venue.Slots {
				places++
				why := pr.staticReason(s, Place{v, r, k})
				if why == "" {
					return "", ""
				}
				if why == "a venue its speakers did not choose" || why == "no such room or slot" {
					continue
				}
				wished++
				count[why]++
				if top == "" || count[why] > count[top] {
					top = why
				}
			}
		}
	}
	switch {
	case places == 0:
		return reasonNoPlace, "no_place"
	case wished == 0 && len(s.Venues) > 0 && pr.hasRooms(s.Venues):
		// Every venue it may be at has too few slots for it.
		return reasonNoPlace, "no_place"
	case wished == 0 && len(s.Venues) > 0:
		return "every place has a venue its speakers did not choose", "venue"
	case wished == 0:
		return reasonNoPlace, "no_place"
	case s.Length == 2 && count["a room too small"] < wished && pr.speakersMissConsecutive(s):
		return reasonNoConsecutive, "no_consecutive"
	}
	return "every place has " + top, ruleOf[top]
}

// hasRooms reports whether any of the venues vs has a room and a slot.
func (pr Problem) hasRooms(vs []int) bool {
	for _, v := range vs {
		if v >= 0 && v < len(pr.Venues) && len(pr.Venues[v].Rooms) > 0 && len(pr.Venues[v].Slots) > 0 {
			return true
		}
	}
	return false
}

// speakersMissConsecutive reports whether, at the venues session s may be at, there are two
// consecutive slots without a break between them, but none that all its speakers can do.
// Whether two slots run on is staticReason's rule, asked for s without speakers or size.
func (pr Problem) speakersMissConsecutive(s Session) bool {
	probe := s
	probe.Speakers, probe.MinSeats = nil, 0
	pairs := false
	for v, venue := range pr.Venues {
		if len(venue.Rooms) == 0 {
			continue
		}
		for k := 0; k+1 < len(venue.Slots); k++ {
			if pr.staticReason(probe, Place{v, 0, k}) != "" {
				continue // another venue, or a break between the two slots
			}
			pairs = true
			free := true
			for _, sp := range s.Speakers {
				un := pr.Speakers[sp].Unavailable
				if un[SlotRef{v, k}] || un[SlotRef{v, k + 1}] {
					free = false
				}
			}
			if free {
				return false
			}
		}
	}
	return pairs
}

// Unplaceable lists the sessions that have no place in plan and can have none: no place
// allows them whatever else is placed (pinned sessions excepted: the planner reports those).
func (pr Problem) Unplaceable(plan Plan) []Unplaced {
	var out []Unplaced
	for i, s := range pr.Sessions {
		if plan.Places[i] != nil || s.Pinned != nil {
			continue
		}
		if reason, rule := pr.whyNowhere(s); rule != "" {
			out = append(out, Unplaced{Session: i, Reason: reason, Rule: rule})
		}
	}
	return out
}

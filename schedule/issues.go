package schedule

import (
	"cmp"
	"slices"
	"time"
)

// The kinds of Issue, in the order Issues lists them.
const (
	IssueSpeakerDoubleBooked = "speaker_double_booked"
	IssueSpeakerUnavailable  = "speaker_unavailable"
	IssueVenueNotWished      = "venue_not_wished"
	IssueTwoSlotSplit        = "two_slot_split"
	IssueCapacityAboveRoom   = "capacity_above_room"
	IssueDemandAboveRoom     = "demand_above_room"
	IssueVenueSeatsShort     = "venue_seats_short"
	IssueUnplaceable         = "unplaceable"
)

var issueOrder = []string{IssueUnplaceable, IssueSpeakerDoubleBooked, IssueSpeakerUnavailable, IssueVenueNotWished,
	IssueTwoSlotSplit, IssueCapacityAboveRoom, IssueDemandAboveRoom, IssueVenueSeatsShort}

// Issue is one problem with a timetable, for the organisers' board. Indexes are into the
// Problem; −1 means "does not apply".
type Issue struct {
	Kind string
	// Sessions are the sessions that cause it: two for a double-booked speaker, the
	// sessions in the slot for seats short at a venue, otherwise one.
	Sessions []int
	// Venue, Room and Slot are where: the (first) session's place, or the slot of a venue
	// short of seats; for an unavailable speaker, the slot they cannot do.
	Venue, Room, Slot int
	// Speaker is the speaker concerned (double-booked or unavailable), else −1.
	Speaker int
	// Need and Have quantify it, per kind:
	//   - speaker_double_booked: minutes needed between the two sessions (travel between
	//     cities, 0 in one city) and minutes there are (0 when they overlap);
	//   - two_slot_split: MaxChangeover in minutes and the break in minutes, or −1 when the
	//     session runs past the venue's last slot;
	//   - capacity_above_room: the session's capacity limit and the room's seats;
	//   - demand_above_room: the attendees expected and the room's seats;
	//   - venue_seats_short: the attendees expected at the venue in the slot and the seats
	//     of all its rooms together.
	Need, Have int
	// Rule is, for an unplaceable session, the rule code (see Rules) that leaves it no place.
	Rule string
}

// Issues lists what is wrong with a plan, as the board shows it: the hard rules it breaks
// (a speaker in two places at once or in a slot they cannot do, a venue the speakers did not
// choose, a two-slot session split by a break, a room smaller than the session's limit) and
// where the expected attendance does not fit (a room, or all of a venue's rooms in a slot),
// and the unplaced sessions that no place allows (see Unplaceable).
// The order is deterministic: by kind, then by the sessions concerned, then by place.
func (pr Problem) Issues(plan Plan) []Issue {
	var out []Issue
	valid := make([]bool, len(pr.Sessions))
	for i, s := range pr.Sessions {
		pl := plan.Places[i]
		if pl == nil || !pr.inRange(*pl) {
			continue
		}
		valid[i] = true
		v := pr.Venues[pl.Venue]
		at := func(kind string) Issue {
			return Issue{Kind: kind, Sessions: []int{i}, Venue: pl.Venue, Room: pl.Room, Slot: pl.Slot, Speaker: -1}
		}
		if len(s.Venues) > 0 && !containsInt(s.Venues, pl.Venue) {
			out = append(out, at(IssueVenueNotWished))
		}
		last := pl.Slot + s.Length - 1
		if s.Length > 1 {
			switch {
			case last >= len(v.Slots):
				is := at(IssueTwoSlotSplit)
				is.Need, is.Have = minutes(MaxChangeover), -1
				out = append(out, is)
				last = len(v.Slots) - 1
			default:
				for k := pl.Slot; k < last; k++ {
					if gap := v.Slots[k+1].Start.Sub(v.Slots[k].End); gap > MaxChangeover {
						is := at(IssueTwoSlotSplit)
						is.Need, is.Have = minutes(MaxChangeover), minutes(gap)
						out = append(out, is)
						break
					}
				}
			}
		}
		for _, sp := range s.Speakers {
			for k := pl.Slot; k <= last; k++ {
				if pr.Speakers[sp].Unavailable[SlotRef{pl.Venue, k}] {
					is := at(IssueSpeakerUnavailable)
					is.Slot, is.Speaker = k, sp
					out = append(out, is)
					break
				}
			}
		}
		if room := v.Rooms[pl.Room]; s.MinSeats > room.Capacity {
			is := at(IssueCapacityAboveRoom)
			is.Need, is.Have = s.MinSeats, room.Capacity
			out = append(out, is)
		}
	}
	out = append(out, pr.doubleBookings(plan, valid)...)
	for _, u := range pr.Unplaceable(plan) {
		out = append(out, Issue{Kind: IssueUnplaceable, Sessions: []int{u.Session}, Venue: -1, Room: -1, Slot: -1, Speaker: -1, Rule: u.Rule})
	}

	// Expected attendance, as Evaluate counts it; sessions placed out of range are left out.
	clean := Plan{Places: make([]*Place, len(plan.Places))}
	for i, pl := range plan.Places {
		if valid[i] && pl.Slot+pr.Sessions[i].Length <= len(pr.Venues[pl.Venue].Slots) {
			clean.Places[i] = pl
		}
	}
	e := newEvaluator(&pr, &clean)
	for i, pl := range clean.Places {
		if pl == nil {
			continue
		}
		if room := pr.Venues[pl.Venue].Rooms[pl.Room]; e.demand[i] > room.Capacity {
			out = append(out, Issue{Kind: IssueDemandAboveRoom, Sessions: []int{i}, Venue: pl.Venue, Room: pl.Room,
				Slot: pl.Slot, Speaker: -1, Need: e.demand[i], Have: room.Capacity})
		}
	}
	for ref, short := range pr.seatsShort(clean, e.demand) {
		seats := 0
		for _, r := range pr.Venues[ref.Venue].Rooms {
			seats += r.Capacity
		}
		is := Issue{Kind: IssueVenueSeatsShort, Venue: ref.Venue, Room: -1, Slot: ref.Slot, Speaker: -1, Need: seats + short, Have: seats}
		for i, pl := range clean.Places {
			if pl != nil && pl.Venue == ref.Venue && pl.Slot <= ref.Slot && ref.Slot < pl.Slot+pr.Sessions[i].Length {
				is.Sessions = append(is.Sessions, i)
			}
		}
		out = append(out, is)
	}
	slices.SortStableFunc(out, compareIssues)
	return out
}

// doubleBookings lists each pair of sessions that share a speaker and overlap, counting the
// travel time between cities.
func (pr Problem) doubleBookings(plan Plan, valid []bool) []Issue {
	var out []Issue
	for i := range pr.Sessions {
		if !valid[i] {
			continue
		}
		a := *plan.Places[i]
		as, ae := pr.span(pr.Sessions[i], a)
		for j := i + 1; j < len(pr.Sessions); j++ {
			if !valid[j] {
				continue
			}
			b := *plan.Places[j]
			bs, be := pr.span(pr.Sessions[j], b)
			var travel time.Duration
			if from, to := pr.Venues[a.Venue].City, pr.Venues[b.Venue].City; from != to && pr.Travel != nil {
				travel = pr.Travel(from, to)
			}
			if !as.Before(be.Add(travel)) || !bs.Before(ae.Add(travel)) {
				continue
			}
			gap := max(bs.Sub(ae), as.Sub(be), 0)
			for _, sp := range pr.Sessions[i].Speakers {
				if containsInt(pr.Sessions[j].Speakers, sp) {
					out = append(out, Issue{Kind: IssueSpeakerDoubleBooked, Sessions: []int{i, j}, Venue: a.Venue, Room: a.Room,
						Slot: a.Slot, Speaker: sp, Need: minutes(travel), Have: minutes(gap)})
				}
			}
		}
	}
	return out
}

// inRange reports whether pl names an existing venue, room and (first) slot.
func (pr Problem) inRange(pl Place) bool {
	if pl.Venue < 0 || pl.Venue >= len(pr.Venues) {
		return false
	}
	v := pr.Venues[pl.Venue]
	return pl.Room >= 0 && pl.Room < len(v.Rooms) && pl.Slot >= 0 && pl.Slot < len(v.Slots)
}

// span is when a session at pl runs; one that runs past the venue's last slot ends with it.
func (pr Problem) span(s Session, pl Place) (start, end time.Time) {
	slots := pr.Venues[pl.Venue].Slots
	return slots[pl.Slot].Start, slots[min(pl.Slot+s.Length, len(slots))-1].End
}

func minutes(d time.Duration) int { return int(d / time.Minute) }

func compareIssues(a, b Issue) int {
	if c := cmp.Compare(slices.Index(issueOrder, a.Kind), slices.Index(issueOrder, b.Kind)); c != 0 {
		return c
	}
	if c := slices.Compare(a.Sessions, b.Sessions); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.Venue, b.Venue), cmp.Compare(a.Slot, b.Slot), cmp.Compare(a.Speaker, b.Speaker))
}

// Demand is, per session, the attendees expected at it: those whose attendable set (as
// Evaluate counts it) has it. Unplaced sessions expect none.
func (pr Problem) Demand(plan Plan) []int {
	return newEvaluator(&pr, &plan).demand
}

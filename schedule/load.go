package schedule

import (
	"fmt"
	"slices"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
)

// Index maps a Problem built by FromPlanning back to the database's ids.
type Index struct {
	Sessions []uint   // problem session → session id
	Venues   []uint   // problem venue → venue id
	Rooms    [][]uint // [venue][room] → room id
	Slots    [][]uint // [venue][slot] → slot id
}

// FromPlanning builds the planning problem of an event and its current timetable as a plan:
//   - venues with their rooms (by capacity) and slots (by time);
//   - every session with its length, speakers, venue wishes and room size (its capacity
//     limit, or more if more people have a seat); a pinned session, and one people have
//     booked, keeps its place;
//   - speakers, one per person across sessions, unavailable in the slots their sessions'
//     availability leaves out;
//   - the attendees' wishes (votes and registrations);
//   - the event's travel time between different cities.
func FromPlanning(d models.PlanningData) (Problem, Plan, Index) {
	var pr Problem
	var ix Index
	venueAt := map[uint]int{}
	roomAt := map[uint][2]int{}
	slotAt := map[uint][2]int{}
	for vi, v := range d.Venues {
		venueAt[v.ID] = vi
		pv := Venue{Name: v.Name, City: v.City}
		rooms := slices.Clone(v.Rooms)
		slices.SortStableFunc(rooms, func(a, b models.Room) int { return b.Capacity - a.Capacity })
		var roomIDs, slotIDs []uint
		for ri, r := range rooms {
			pv.Rooms = append(pv.Rooms, Room{Name: r.Name, Capacity: r.Capacity})
			roomAt[r.ID] = [2]int{vi, ri}
			roomIDs = append(roomIDs, r.ID)
		}
		slots := slices.Clone(v.Slots)
		slices.SortStableFunc(slots, func(a, b models.Slot) int { return a.StartsAt.Compare(b.StartsAt) })
		for si, sl := range slots {
			pv.Slots = append(pv.Slots, Slot{Start: sl.StartsAt, End: sl.EndsAt})
			slotAt[sl.ID] = [2]int{vi, si}
			slotIDs = append(slotIDs, sl.ID)
		}
		pr.Venues = append(pr.Venues, pv)
		ix.Venues = append(ix.Venues, v.ID)
		ix.Rooms = append(ix.Rooms, roomIDs)
		ix.Slots = append(ix.Slots, slotIDs)
	}

	speakerAt := map[uint]int{}
	sessionAt := map[uint]int{}
	plan := Plan{}
	for _, se := range d.Sessions {
		s := Session{Title: se.Title, Length: max(se.SlotCount, 1), MinSeats: se.CapacityLimit}
		if se.Placed() && len(se.Slots) != s.Length {
			s.Length = len(se.Slots) // the timetable is the truth for a placed session
		}
		for _, v := range d.VenueWishes[se.ID] {
			if vi, ok := venueAt[v]; ok {
				s.Venues = append(s.Venues, vi)
			}
		}
		var place *Place
		if se.Placed() {
			r, okRoom := roomAt[*se.RoomID]
			k, okSlot := slotAt[se.Slots[0].SlotID]
			if okRoom && okSlot && r[0] == k[0] {
				place = &Place{Venue: r[0], Room: r[1], Slot: k[1]}
			}
		}
		// A session people have booked stays where they booked it (ApplyPlacements would
		// refuse to move it in time or venue), so the planner treats it as pinned.
		if (se.Pinned || d.Booked[se.ID] > 0) && place != nil {
			pinned := *place
			s.Pinned = &pinned
		}
		s.MinSeats = max(s.MinSeats, se.Confirmed)
		// The speakers cannot do the slots the availability leaves out.
		var unavailable []SlotRef
		if avail := d.Availability[se.ID]; len(avail) > 0 {
			for slotID, at := range slotAt {
				if !slices.Contains(avail, slotID) {
					unavailable = append(unavailable, SlotRef{Venue: at[0], Slot: at[1]})
				}
			}
		}
		for _, sp := range se.Speakers {
			i, ok := speakerAt[sp.ID]
			if !ok {
				i = len(pr.Speakers)
				speakerAt[sp.ID] = i
				pr.Speakers = append(pr.Speakers, Speaker{Name: sp.Name, Unavailable: map[SlotRef]bool{}})
			}
			for _, ref := range unavailable {
				pr.Speakers[i].Unavailable[ref] = true
			}
			s.Speakers = append(s.Speakers, i)
		}
		sessionAt[se.ID] = len(pr.Sessions)
		pr.Sessions = append(pr.Sessions, s)
		ix.Sessions = append(ix.Sessions, se.ID)
		plan.Places = append(plan.Places, place)
	}
	for _, wish := range d.Interests {
		var w []int
		for _, id := range wish {
			if i, ok := sessionAt[id]; ok && !slices.Contains(w, i) {
				w = append(w, i)
			}
		}
		if len(w) > 0 {
			pr.Wishes = append(pr.Wishes, w)
		}
	}
	travel := d.Event.TravelTime()
	pr.Travel = func(from, to string) time.Duration {
		if from == to {
			return 0
		}
		return travel
	}
	return pr, plan, ix
}

// Placements turns a plan into the moves that make the timetable so: one per session whose
// place differs from before (nil places take a session off the timetable).
func (ix Index) Placements(before, after Plan) []models.Placement {
	var out []models.Placement
	for i, pl := range after.Places {
		old := before.Places[i]
		if (pl == nil) == (old == nil) && (pl == nil || *pl == *old) {
			continue
		}
		m := models.Placement{SessionID: ix.Sessions[i]}
		if pl != nil {
			m.VenueID, m.RoomID, m.FirstSlotID = ix.Venues[pl.Venue], ix.Rooms[pl.Venue][pl.Room], ix.Slots[pl.Venue][pl.Slot]
		}
		out = append(out, m)
	}
	return out
}

// PlanOf turns a published version's sessions into a plan of the problem (for minimal
// change): each session at its published room and first slot; sessions not in it, or whose
// room or slot no longer exists, are unplaced.
func (ix Index) PlanOf(published []models.PublishedSession) Plan {
	plan := Plan{Places: make([]*Place, len(ix.Sessions))}
	byID := map[uint]models.PublishedSession{}
	for _, ps := range published {
		byID[ps.SessionID] = ps
	}
	for i, id := range ix.Sessions {
		ps, ok := byID[id]
		if !ok || len(ps.SlotIDs) == 0 {
			continue
		}
		v := slices.Index(ix.Venues, ps.VenueID)
		if v < 0 {
			continue
		}
		r, k := slices.Index(ix.Rooms[v], ps.RoomID), -1
		for _, id := range ps.SlotIDs { // the earliest of its slots
			if at := slices.Index(ix.Slots[v], id); at >= 0 && (k < 0 || at < k) {
				k = at
			}
		}
		if r >= 0 && k >= 0 {
			plan.Places[i] = &Place{Venue: v, Room: r, Slot: k}
		}
	}
	return plan
}

// EventPlan is the planner's answer for an event, with what it takes to apply and report it.
type EventPlan struct {
	Problem Problem
	Index   Index
	// Before is the timetable as it was; Result.Plan is the new one.
	Before Plan
	Result Result
}

// Moves lists the placements that turn the timetable into the new plan.
func (ep EventPlan) Moves() []models.Placement {
	return ep.Index.Placements(ep.Before, ep.Result.Plan)
}

// PlanEvent runs the planner on an event's planning data. venueID limits it to one venue (0:
// all); published is the latest published schedule, the reference of minimal change (nil:
// the current timetable). req's mode, seed and budget are used; its plans and venue are
// filled in here.
func PlanEvent(d models.PlanningData, published []models.PublishedSession, venueID uint, req Request) (EventPlan, error) {
	pr, before, ix := FromPlanning(d)
	ep := EventPlan{Problem: pr, Index: ix, Before: before}
	req.Current, req.Reference, req.Venue = before, nil, -1
	if venueID != 0 {
		if req.Venue = slices.Index(ix.Venues, venueID); req.Venue < 0 {
			return ep, fmt.Errorf("venue %d is not one of the event's: %w", venueID, models.ErrNotFound)
		}
	}
	if req.Mode == MinimalChange && published != nil {
		// Sessions placed since the publication stay close to where they are now.
		ref := ix.PlanOf(published)
		for i, pl := range ref.Places {
			if pl == nil {
				ref.Places[i] = before.Places[i]
			}
		}
		req.Reference = &ref
	}
	var err error
	ep.Result, err = pr.Plan(req)
	return ep, err
}

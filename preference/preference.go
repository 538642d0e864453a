// Package preference runs signing up by preference (issue #19) on the store: it reads a
// venue's rankings, allocates them with package allocation, and writes the seats, the
// waiting lists, the report and the result e-mails back in one transaction.
package preference

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ambtenaar20/dagplanner/allocation"
	"github.com/ambtenaar20/dagplanner/models"
)

// BaselineOrders is how many random first-come-first-served orders the report's comparison
// averages over.
const BaselineOrders = 100

var (
	// ErrWindowOpen: a real run before the preference window closed.
	ErrWindowOpen = errors.New("the preference window has not closed yet")
	// ErrSeedMismatch: a real run with another seed than the event's published one.
	ErrSeedMismatch = errors.New("a real allocation uses the event's published seed; another seed only with a dry run")
	// ErrNoSeed: neither the event nor the caller gives a seed.
	ErrNoSeed = errors.New("the event has no published allocation seed")
)

// Options say how to run an allocation.
type Options struct {
	// Seed is the published value the tie-breaking seed is derived from; empty means the
	// event's AllocationSeed. A real run refuses any other value.
	Seed string
	// DryRun computes and reports the allocation without writing anything.
	DryRun bool
	// Now is the time the window is checked against; zero means the store's clock.
	Now time.Time
}

// Outcome is one venue's allocation: what it gave and the report, and the seats and waiting
// lists written (or, in a dry run, that would be).
type Outcome struct {
	Venue  string // the venue's slug
	Seed   string // the published value used
	Tally  allocation.Tally
	Report models.AllocationReport
	// Seats maps a registration id to its sessions; Waitlists a session id to the
	// registrations waiting for it, next first (at most one waiting place per person per slot).
	Seats     map[uint][]uint
	Waitlists map[uint][]uint
}

// Run allocates one venue's seats. A real run needs an event in preference mode whose window
// has closed and uses its published seed; it writes once (a second gives
// models.ErrAlreadyAllocated). A dry run may use any seed and writes nothing.
func Run(ctx context.Context, s *models.Store, venueID uint, opt Options) (Outcome, error) {
	d, err := s.AllocationData(ctx, venueID)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Venue: d.Venue.Slug}
	if err := check(d.Event, &opt, s); err != nil {
		return out, fmt.Errorf("allocate %s: %w", d.Venue.Slug, err)
	}
	out.Seed = opt.Seed
	if !opt.DryRun {
		// Not worth solving when it cannot be written.
		if _, err := s.Allocation(ctx, venueID); err == nil {
			return out, fmt.Errorf("allocate %s: %w", d.Venue.Slug, models.ErrAlreadyAllocated)
		} else if !errors.Is(err, models.ErrNotFound) {
			return out, err
		}
	}
	in := Instance(d)
	seed := allocation.Seed(opt.Seed)
	res, err := allocation.Solve(in, seed)
	if err != nil {
		return out, fmt.Errorf("allocate %s: %w", d.Venue.Slug, err)
	}
	out.Tally = res.Tally
	out.Seats = res.Seats
	out.Waitlists = oneWaitPerSlot(d, res.Waitlists)
	out.Report = report(d, in, out, allocation.Baseline(in, seed, BaselineOrders))
	if opt.DryRun {
		return out, nil
	}
	_, err = s.ApplyAllocation(ctx, venueID, models.AllocationOutcome{Seed: opt.Seed, Seats: out.Seats, Waitlists: out.Waitlists,
		People: out.Tally.People, First: out.Tally.First(), Second: out.Tally.Second(), Third: out.Tally.Third(),
		None: out.Tally.None, Cost: out.Tally.Cost, Report: out.Report})
	return out, err
}

// check refuses what a run may not do and fills in the seed.
func check(e models.Event, opt *Options, s *models.Store) error {
	if !e.PreferenceMode() {
		return models.ErrNotPreferenceMode
	}
	if opt.Seed == "" {
		opt.Seed = e.AllocationSeed
	}
	if opt.Seed == "" {
		return ErrNoSeed
	}
	if opt.DryRun {
		return nil
	}
	if e.AllocationSeed == "" {
		return ErrNoSeed
	}
	if opt.Seed != e.AllocationSeed {
		return ErrSeedMismatch
	}
	now := opt.Now
	if now.IsZero() {
		now = s.Now()
	}
	if e.PreferencesCloseAt == nil || now.Before(*e.PreferencesCloseAt) {
		return ErrWindowOpen
	}
	return nil
}

// Instance is the solver's view of a venue's allocation data.
func Instance(d models.AllocationData) allocation.Instance {
	in := allocation.Instance{Slots: d.Slots, Ranks: d.Event.Ranks()}
	// A seat someone already holds is theirs in the allocation too: fixed, as a speaker's, and
	// counted in the capacity the solver shares out.
	held := map[uint]int{}
	for _, p := range d.People {
		for _, id := range p.Held {
			held[id]++
		}
	}
	for _, se := range d.Sessions {
		in.Sessions = append(in.Sessions, allocation.Session{ID: se.ID, Slots: se.Slots, Capacity: se.Seats + held[se.ID]})
	}
	for _, p := range d.People {
		fixed := slices.Clone(p.Fixed)
		for _, id := range p.Held {
			if !slices.Contains(fixed, id) {
				fixed = append(fixed, id)
			}
		}
		in.People = append(in.People, allocation.Person{ID: p.RegistrationID, Rankings: p.Rankings, Fixed: fixed})
	}
	return in
}

// oneWaitPerSlot keeps, of each person's waiting places, the best-ranked one per slot: a
// person waits for at most one session per slot, as when they choose themselves (a promotion
// gives up what they hold in the slot). The order of each list stays the solver's.
func oneWaitPerSlot(d models.AllocationData, waitlists map[uint][]uint) map[uint][]uint {
	slotsOf := map[uint][]uint{}
	for _, se := range d.Sessions {
		slotsOf[se.ID] = se.Slots
	}
	type place struct {
		session uint
		rank    int
		slot    int // the index of the slot it was ranked in
	}
	rankOf := map[uint]map[uint]place{} // person → session → where they ranked it
	for _, p := range d.People {
		rankOf[p.RegistrationID] = map[uint]place{}
		for i, slot := range d.Slots {
			for r, id := range p.Rankings[slot] {
				rankOf[p.RegistrationID][id] = place{session: id, rank: r, slot: i}
			}
		}
	}
	wants := map[uint][]place{}
	for sessionID, people := range waitlists {
		for _, id := range people {
			pl, ok := rankOf[id][sessionID]
			if !ok {
				pl = place{session: sessionID, rank: len(d.Slots) * models.MaxPreferenceRanks}
			}
			wants[id] = append(wants[id], pl)
		}
	}
	keep := map[[2]uint]bool{}
	for id, places := range wants {
		slices.SortFunc(places, func(a, b place) int {
			if a.rank != b.rank {
				return a.rank - b.rank
			}
			if a.slot != b.slot {
				return a.slot - b.slot
			}
			return int(a.session) - int(b.session)
		})
		used := map[uint]bool{}
		for _, pl := range places {
			free := true
			for _, sl := range slotsOf[pl.session] {
				free = free && !used[sl]
			}
			if !free {
				continue
			}
			for _, sl := range slotsOf[pl.session] {
				used[sl] = true
			}
			keep[[2]uint{id, pl.session}] = true
		}
	}
	out := map[uint][]uint{}
	for sessionID, people := range waitlists {
		for _, id := range people {
			if keep[[2]uint{id, sessionID}] {
				out[sessionID] = append(out[sessionID], id)
			}
		}
	}
	return out
}

// report is the organisers' report of an allocation.
func report(d models.AllocationData, in allocation.Instance, out Outcome, random allocation.Average) models.AllocationReport {
	r := models.AllocationReport{Ranks: slices.Clone(out.Tally.ByRank), Optimal: out.Tally.Optimal, Bound: out.Tally.Bound, Random: models.AllocationBaseline{
		Orders: random.Orders, First: random.First, Second: random.Second, Third: random.Third, None: random.None, Cost: random.Cost}}
	if r.Ranks == nil {
		r.Ranks = make([]int, in.Ranks)
	}
	seated := map[uint]int{}
	for _, sessions := range out.Seats {
		for _, id := range sessions {
			seated[id]++
		}
	}
	first, demand := map[uint]int{}, map[uint]int{}
	for _, p := range d.People {
		for _, ranked := range p.Rankings {
			for i, id := range ranked {
				demand[id]++
				if i == 0 {
					first[id]++
				}
			}
		}
	}
	for i, se := range d.Sessions {
		r.Sessions = append(r.Sessions, models.AllocationSessionReport{SessionID: se.ID, Title: se.Title, Seats: in.Sessions[i].Capacity,
			FirstChoice: first[se.ID], Demand: demand[se.ID], Seated: seated[se.ID], Waitlisted: len(out.Waitlists[se.ID])})
	}
	return r
}

// RunEvent runs the allocation for each venue of the event, in the order they were added, or
// only for the venue with slug venue when it is not empty. It stops at the first venue that
// fails and returns the outcomes before it.
func RunEvent(ctx context.Context, s *models.Store, eventID uint, venue string, opt Options) ([]Outcome, error) {
	venues, err := s.Venues(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if venue != "" {
		venues = slices.DeleteFunc(venues, func(v models.Venue) bool { return v.Slug != venue })
		if len(venues) == 0 {
			return nil, fmt.Errorf("allocate %s: venue %w", venue, models.ErrNotFound)
		}
	}
	var outs []Outcome
	for _, v := range venues {
		out, err := Run(ctx, s, v.ID, opt)
		if err != nil {
			return outs, err
		}
		outs = append(outs, out)
	}
	return outs, nil
}

// Due runs, at the current event's allocation time, the allocation of each of its venues that
// has none yet: the periodic job. Several processes may call it at once; the allocation's
// unique row lets one write each venue, and the others skip it.
func Due(ctx context.Context, s *models.Store, now time.Time) ([]Outcome, error) {
	e, err := s.CurrentEvent(ctx)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !e.PreferenceMode() || e.AllocationAt == nil || now.Before(*e.AllocationAt) || e.AllocationSeed == "" {
		return nil, nil
	}
	done, err := s.Allocations(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	venues, err := s.Venues(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	var outs []Outcome
	var errs []error
	for _, v := range venues {
		if slices.ContainsFunc(done, func(a models.Allocation) bool { return a.VenueID == v.ID }) {
			continue
		}
		out, err := Run(ctx, s, v.ID, Options{Now: now})
		if errors.Is(err, models.ErrAlreadyAllocated) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		outs = append(outs, out)
	}
	return outs, errors.Join(errs...)
}

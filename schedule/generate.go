package schedule

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Tier sizes a generated problem.
type Tier struct {
	Name          string
	Venues        int
	RoomsPerVenue int
	Slots         int
	Sessions      int
	TwoSlotShare  float64 // share of sessions that take two slots
	Speakers      int
	Attendees     int
	Wishes        int // per attendee
}

// The tiers of issue #7's benchmarks.
var (
	SmallTier     = Tier{"small", 1, 3, 4, 12, 0, 12, 100, 4}
	RealisticTier = Tier{"realistic", 2, 10, 4, 60, 0.10, 54, 700, 5}
	StressTier    = Tier{"stress", 3, 10, 5, 120, 0.10, 110, 2000, 5}
)

var cities = []string{"Zwolle", "Rotterdam", "Utrecht", "Groningen"}

// Generate makes a deterministic problem of the tier's size for a seed: venues whose rooms
// range from a hall to a meeting room, slots with a lunch break (two-slot sessions fit before
// or after it), speakers of whom some give two sessions and some cannot come all day, sessions
// of which some want one venue or a big room, and attendees whose wishes are skewed towards
// popular sessions and correlated through tracks and their home venue.
func Generate(t Tier, seed uint64) Problem {
	rng := rand.New(rand.NewPCG(seed, 7))
	day := time.Date(2027, 2, 3, 0, 0, 0, 0, time.UTC)
	roomSizes := []int{200, 120, 90, 70, 50, 40, 30, 25, 20, 20, 15}
	var pr Problem
	for v := range t.Venues {
		venue := Venue{Name: fmt.Sprintf("Locatie %d", v+1), City: cities[v%len(cities)]}
		for r := range t.RoomsPerVenue {
			size := roomSizes[r%len(roomSizes)]
			if v > 0 {
				size = size * 3 / 4 // the second venue is smaller
			}
			venue.Rooms = append(venue.Rooms, Room{Name: fmt.Sprintf("Zaal %d", r+1), Capacity: size})
		}
		// 10:00-11:00, 11:00-12:00, lunch, 13:00-14:00, 14:00-15:00, 15:15-16:15 …
		starts := []int{10 * 60, 11 * 60, 13 * 60, 14 * 60, 15*60 + 15, 16*60 + 15}
		for k := range t.Slots {
			st := day.Add(time.Duration(starts[k%len(starts)]) * time.Minute)
			venue.Slots = append(venue.Slots, Slot{Start: st, End: st.Add(time.Hour)})
		}
		pr.Venues = append(pr.Venues, venue)
	}
	pr.Travel = func(a, b string) time.Duration {
		if a == b {
			return 0
		}
		return 90 * time.Minute
	}
	for s := range t.Speakers {
		pr.Speakers = append(pr.Speakers, Speaker{Name: fmt.Sprintf("Spreker %d", s+1), Unavailable: map[SlotRef]bool{}})
	}
	tracks := 4
	track := make([]int, t.Sessions)
	sessionsOf := make([]int, t.Speakers)
	for i := range t.Sessions {
		s := Session{Title: fmt.Sprintf("Sessie %d", i+1), Length: 1}
		if rng.Float64() < t.TwoSlotShare {
			s.Length = 2
		}
		// Every speaker gives a session; the sessions left over go to speakers who give two.
		// Some sessions have a second speaker, who then gives two sessions at most.
		s.Speakers = []int{i % t.Speakers}
		if rng.Float64() < 0.15 && t.Speakers > 1 {
			co := rng.IntN(t.Speakers)
			if co != s.Speakers[0] && sessionsOf[co] < 2 {
				s.Speakers = append(s.Speakers, co)
			}
		}
		for _, sp := range s.Speakers {
			sessionsOf[sp]++
		}
		if t.Venues > 1 && rng.Float64() < 0.3 {
			s.Venues = []int{rng.IntN(t.Venues)}
		}
		if rng.Float64() < 0.1 {
			s.MinSeats = 60
		}
		track[i] = rng.IntN(tracks)
		pr.Sessions = append(pr.Sessions, s)
	}
	// One in five speakers with a single session cannot come in the morning or the afternoon.
	for sp := range pr.Speakers {
		if sessionsOf[sp] != 1 || rng.Float64() >= 0.2 {
			continue
		}
		from, to := 0, t.Slots/2
		if rng.IntN(2) == 1 {
			from, to = t.Slots/2, t.Slots
		}
		for v := range t.Venues {
			for k := from; k < to; k++ {
				pr.Speakers[sp].Unavailable[SlotRef{v, k}] = true
			}
		}
	}
	// Popularity: Zipf-like over a random order of the sessions.
	order := rng.Perm(t.Sessions)
	weight := make([]float64, t.Sessions)
	for rank, i := range order {
		weight[i] = 1 / float64(rank+2)
	}
	for range t.Attendees {
		home := 0
		if t.Venues > 1 && rng.Float64() >= 0.55 {
			home = 1 + rng.IntN(t.Venues-1)
		}
		favourite := rng.IntN(tracks)
		seen := map[int]bool{}
		var wishes []int
		for tries := 0; len(wishes) < t.Wishes && tries < 200; tries++ {
			i := pick(rng, weight)
			s := pr.Sessions[i]
			if seen[i] {
				continue
			}
			// People mostly want their own track, and sessions that can be at their venue.
			if track[i] != favourite && rng.Float64() < 0.6 {
				continue
			}
			if len(s.Venues) > 0 && s.Venues[0] != home && rng.Float64() < 0.8 {
				continue
			}
			seen[i] = true
			wishes = append(wishes, i)
		}
		pr.Wishes = append(pr.Wishes, wishes)
	}
	return pr
}

// pick draws an index with probability proportional to its weight.
func pick(rng *rand.Rand, weight []float64) int {
	total := 0.0
	for _, w := range weight {
		total += w
	}
	x := rng.Float64() * total
	for i, w := range weight {
		x -= w
		if x <= 0 {
			return i
		}
	}
	return len(weight) - 1
}

package allocation

import (
	"math"
	"math/rand/v2"
	"slices"
)

// tiny is a small random instance for brute force: up to 8 people, 4 sessions, 2 slots,
// with two-slot sessions, capacities 0–3, speakers, and N up to 3.
func tiny(r *rand.Rand) Instance {
	in := Instance{Slots: []uint{10, 20}, Ranks: 1 + r.IntN(3)}
	nsess := 1 + r.IntN(4)
	for i := range nsess {
		s := Session{ID: uint(100 + i), Capacity: r.IntN(4), Slots: []uint{10}}
		switch r.IntN(3) {
		case 0:
			s.Slots = []uint{20}
		case 1:
			if r.IntN(2) == 0 {
				s.Slots = []uint{10, 20}
			}
		}
		in.Sessions = append(in.Sessions, s)
	}
	for i := range r.IntN(9) {
		p := Person{ID: uint(1 + 3*i), Rankings: map[uint][]uint{}}
		if r.IntN(6) == 0 {
			p.Fixed = []uint{in.Sessions[r.IntN(nsess)].ID}
		}
		for _, slot := range in.Slots {
			var here []uint
			for _, s := range in.Sessions {
				if s.Slots[0] == slot {
					here = append(here, s.ID)
				}
			}
			r.Shuffle(len(here), func(i, j int) { here[i], here[j] = here[j], here[i] })
			if k := r.IntN(in.Ranks + 1); k > 0 && len(here) > 0 {
				p.Rankings[slot] = here[:min(k, len(here))]
			}
		}
		in.People = append(in.People, p)
	}
	return in
}

// realistic is a generated venue: skewed popularity (the most wanted sessions oversubscribed
// several times), a few two-slot sessions, speakers, and people with "none" in some slots.
func realistic(r *rand.Rand, people, sessions, slots, twoSlot int) Instance {
	in := Instance{Ranks: 3}
	for s := range slots {
		in.Slots = append(in.Slots, uint(1000+s))
	}
	perSlot := make([][]int, slots) // session indices starting in each slot
	weight := make([]float64, sessions)
	for i := range sessions {
		s := i % slots
		ses := Session{ID: uint(5000 + 7*i), Slots: []uint{in.Slots[s]}}
		// The two-slot sessions (workshops): popular, but not the favourite of their slot,
		// in every other slot from the first.
		if j := i - slots; j >= 0 && j%2 == 0 && j/2 < twoSlot && s+1 < slots {
			ses.Slots = append(ses.Slots, in.Slots[s+1])
		}
		weight[i] = 1 / math.Pow(float64(i/slots+1), 1.5)
		in.Sessions = append(in.Sessions, ses)
		perSlot[s] = append(perSlot[s], i)
	}
	for s := range slots {
		var total float64
		for _, i := range perSlot[s] {
			total += weight[i]
		}
		for _, i := range perSlot[s] {
			// Seats for about 1.15 of the slot's people, spread evenly: the favourites are
			// wanted several times over.
			in.Sessions[i].Capacity = int(1.15 * float64(people) / float64(len(perSlot[s])) * (0.7 + 0.6*r.Float64()))
		}
	}
	for p := range people {
		q := Person{ID: uint(1 + p), Rankings: map[uint][]uint{}}
		for s := range slots {
			if r.IntN(10) == 0 {
				continue // "none" here
			}
			q.Rankings[in.Slots[s]] = pick(r, perSlot[s], weight, in)
		}
		in.People = append(in.People, q)
	}
	// One or two speakers per session, where they are free.
	for i, ses := range in.Sessions {
		for range 1 + r.IntN(2) {
			p := &in.People[r.IntN(people)]
			clash := false
			for _, f := range p.Fixed {
				for _, sl := range in.Sessions[indexOf(in, f)].Slots {
					clash = clash || slices.Contains(ses.Slots, sl)
				}
			}
			if !clash && !slices.Contains(p.Fixed, ses.ID) {
				p.Fixed = append(p.Fixed, in.Sessions[i].ID)
			}
		}
	}
	return in
}

func indexOf(in Instance, id uint) int {
	return slices.IndexFunc(in.Sessions, func(s Session) bool { return s.ID == id })
}

// pick draws up to three distinct sessions, by weight.
func pick(r *rand.Rand, cands []int, weight []float64, in Instance) []uint {
	left := slices.Clone(cands)
	var out []uint
	for len(out) < in.Ranks && len(left) > 0 {
		var total float64
		for _, i := range left {
			total += weight[i]
		}
		x := r.Float64() * total
		k := 0
		for k < len(left)-1 && x >= weight[left[k]] {
			x -= weight[left[k]]
			k++
		}
		out = append(out, in.Sessions[left[k]].ID)
		left = slices.Delete(left, k, k+1)
	}
	return out
}

// shuffled is the same instance with every slice (but the ordered ones: slots, rankings,
// a session's slots) in another order.
func shuffled(in Instance, r *rand.Rand) Instance {
	out := in
	out.Sessions = slices.Clone(in.Sessions)
	out.People = slices.Clone(in.People)
	r.Shuffle(len(out.Sessions), func(i, j int) { out.Sessions[i], out.Sessions[j] = out.Sessions[j], out.Sessions[i] })
	r.Shuffle(len(out.People), func(i, j int) { out.People[i], out.People[j] = out.People[j], out.People[i] })
	for i := range out.People {
		f := slices.Clone(out.People[i].Fixed)
		r.Shuffle(len(f), func(a, b int) { f[a], f[b] = f[b], f[a] })
		out.People[i].Fixed = f
	}
	return out
}

package allocation

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// event is a generated event: people and sessions spread over venues, each venue with the
// given slots and a few two-slot sessions, popularity skewed.
func event(people, sessions, venues, slots int) []Instance {
	r := rand.New(rand.NewPCG(2026, 19))
	var out []Instance
	for range venues {
		out = append(out, realistic(r, people/venues, sessions/venues, slots, 2))
	}
	return out
}

func benchEvent(b *testing.B, venues []Instance) {
	seed := Seed("bench")
	var peak uint64
	proven := 0
	b.ReportAllocs()
	for b.Loop() {
		proven = 0
		for _, in := range venues {
			res, err := Solve(in, seed)
			if err != nil {
				b.Fatal(err)
			}
			if res.Tally.Optimal {
				proven++
			}
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapSys)
	}
	b.ReportMetric(float64(peak)/(1<<20), "heapsys-MB")
	// The same in every iteration (the result is a function of instance and seed): how many
	// venues the search proved optimal.
	b.ReportMetric(float64(proven), "proven-venues")
}

// BenchmarkSmall: 700 people, 60 sessions, 2 venues, 4 slots (target ≤ 50 ms).
func BenchmarkSmall(b *testing.B) { benchEvent(b, event(700, 60, 2, 4)) }

// BenchmarkBig: 10,000 people, 120 sessions, 3 venues, 5 slots (target ≤ 2 s, ≤ 200 MB).
func BenchmarkBig(b *testing.B) { benchEvent(b, event(10000, 120, 3, 5)) }

// BenchmarkBaseline: the report's 100 random orders on the small event.
func BenchmarkBaseline(b *testing.B) {
	venues := event(700, 60, 2, 4)
	for b.Loop() {
		for _, in := range venues {
			Baseline(in, Seed("bench"), 100)
		}
	}
}

// TestSmallBenchEventIsProvenOptimal: the 700-person event's allocation is proven optimal in
// both venues, its cost equal to the proven lower bound.
func TestSmallBenchEventIsProvenOptimal(t *testing.T) {
	t.Parallel()
	for i, in := range event(700, 60, 2, 4) {
		res, err := Solve(in, Seed("bench"))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Tally.Optimal || res.Tally.Bound != res.Tally.Cost {
			t.Errorf("venue %d: cost %d, bound %d, optimal %v: want proven optimal", i, res.Tally.Cost, res.Tally.Bound, res.Tally.Optimal)
		}
	}
}

// TestBenchEventsHaveTwoSlotSessions keeps the benchmarks honest: their venues do couple
// slots, and the popular sessions are oversubscribed.
func TestBenchEventsHaveTwoSlotSessions(t *testing.T) {
	t.Parallel()
	for _, in := range event(700, 60, 2, 4) {
		two, over := 0, 0
		first := map[uint]int{}
		for _, p := range in.People {
			for _, ranked := range p.Rankings {
				first[ranked[0]]++
			}
		}
		for _, s := range in.Sessions {
			if len(s.Slots) == 2 {
				two++
			}
			if first[s.ID] >= 3*s.Capacity {
				over++
			}
		}
		if two == 0 || over == 0 {
			t.Fatalf("venue has %d two-slot sessions and %d sessions wanted 3× over", two, over)
		}
	}
}

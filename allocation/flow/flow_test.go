package flow

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// brute is the least total cost by trying every assignment; ok false when none fits.
func brute(capacity []int, items [][]Option) (int64, bool) {
	free := append([]int(nil), capacity...)
	best, found := int64(0), false
	var rec func(i int, sum int64)
	rec = func(i int, sum int64) {
		if i == len(items) {
			if !found || sum < best {
				best, found = sum, true
			}
			return
		}
		for _, o := range items[i] {
			if free[o.Bin] == 0 {
				continue
			}
			free[o.Bin]--
			rec(i+1, sum+o.Cost)
			free[o.Bin]++
		}
	}
	rec(0, 0)
	return best, found
}

func randomProblem(r *rand.Rand) ([]int, [][]Option) {
	nb := 1 + r.IntN(5)
	capacity := make([]int, nb)
	for b := range capacity {
		capacity[b] = r.IntN(4)
		if r.IntN(6) == 0 {
			capacity[b] = Unlimited
		}
	}
	items := make([][]Option, r.IntN(8))
	for i := range items {
		for _, b := range r.Perm(nb)[:1+r.IntN(nb)] {
			items[i] = append(items[i], Option{Bin: b, Cost: int64(r.IntN(21) - 5)})
		}
	}
	return capacity, items
}

// TestAssignMatchesBruteForce: on 3,000 small random problems (negative costs, zero and
// unlimited capacities, infeasible ones) Assign finds the brute-force minimum, within capacity.
func TestAssignMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 7))
		capacity, items := randomProblem(r)
		want, ok := brute(capacity, items)
		got, total, err := Assign(capacity, items)
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("seed %d: want ErrInfeasible, got %v", seed, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if total != want {
			t.Fatalf("seed %d: cost %d, brute force %d (cap %v items %v)", seed, total, want, capacity, items)
		}
		used := make([]int, len(capacity))
		var sum int64
		for i, b := range got {
			used[b]++
			c := int64(-1 << 62)
			for _, o := range items[i] {
				if o.Bin == b {
					c = o.Cost
				}
			}
			if c == -1<<62 {
				t.Fatalf("seed %d: item %d put in bin %d it did not offer", seed, i, b)
			}
			sum += c
		}
		for b, n := range used {
			if capacity[b] != Unlimited && n > capacity[b] {
				t.Fatalf("seed %d: bin %d holds %d > %d", seed, b, n, capacity[b])
			}
		}
		if sum != total {
			t.Fatalf("seed %d: reported %d, assignment costs %d", seed, total, sum)
		}
	}
}

func TestAssignRejectsUnknownBin(t *testing.T) {
	t.Parallel()
	if _, _, err := Assign([]int{1}, [][]Option{{{Bin: 3, Cost: 1}}}); err == nil {
		t.Fatal("an option naming bin 3 of 1 was accepted")
	}
}

// BenchmarkAssign: 10,000 people, 25 bins (24 sessions and "unassigned"), 3 ranked each.
func BenchmarkAssign(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	capacity := make([]int, 25)
	for i := range 24 {
		capacity[i] = 200 + r.IntN(400)
	}
	capacity[24] = Unlimited
	items := make([][]Option, 10000)
	for i := range items {
		for k, s := range r.Perm(24)[:3] {
			items[i] = append(items[i], Option{Bin: s, Cost: int64((k+1)*(k+1)) << 20})
		}
		items[i] = append(items[i], Option{Bin: 24, Cost: 32 << 20})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Assign(capacity, items); err != nil {
			b.Fatal(err)
		}
	}
}

package schedule

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkPlanner solves generated problems per tier and seed and reports, besides the time,
// the planner's and the greedy baseline's share of attendable wishes (% of the upper bound),
// hard violations, seats short per venue and slot (summed), expected overflow and unplaced
// sessions:
//
//	go test -run '^$' -bench Planner -benchtime 1x ./schedule/
func BenchmarkPlanner(b *testing.B) {
	for _, c := range []struct {
		tier       Tier
		iterations int
		limit      time.Duration
	}{
		{SmallTier, smallIterations, time.Second},
		{RealisticTier, 300000, 5 * time.Second},
		{StressTier, 400000, 10 * time.Second},
	} {
		for seed := uint64(1); seed <= 5; seed++ {
			pr := Generate(c.tier, seed)
			b.Run(fmt.Sprintf("%s/seed=%d", c.tier.Name, seed), func(b *testing.B) {
				var res Result
				for b.Loop() {
					res = pr.Solve(Options{Seed: seed, Iterations: c.iterations, TimeLimit: c.limit})
				}
				greedy := pr.Greedy()
				b.ReportMetric(res.Score.AttendablePercent(), "attendable%")
				b.ReportMetric(greedy.Score.AttendablePercent(), "greedy%")
				b.ReportMetric(float64(len(pr.Violations(res.Plan))), "violations")
				b.ReportMetric(float64(res.Score.SeatsShort), "seats-short")
				b.ReportMetric(float64(res.Score.Overflow), "overflow")
				b.ReportMetric(float64(res.Score.Unplaced), "unplaced")
				b.ReportMetric(float64(res.Iterations), "iterations")
			})
		}
	}
}

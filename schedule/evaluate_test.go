package schedule

import (
	"math/rand/v2"
	"testing"
)

// TestEvaluatorKeepsCount moves sessions at random (to free places, off the board, and back)
// and checks after every move that the planner's running score equals a count from scratch.
func TestEvaluatorKeepsCount(t *testing.T) {
	t.Parallel()
	for _, tier := range []Tier{SmallTier, RealisticTier} {
		pr := Generate(tier, 1)
		b := newBoard(&pr, pr.Greedy().Plan.clone())
		e := newEvaluator(&pr, &b.plan)
		rng := rand.New(rand.NewPCG(1, 2))
		cands := pr.candidates()
		moves := 0
		for it := 0; it < 3000; it++ {
			i := rng.IntN(len(pr.Sessions))
			before := b.plan.Places[i]
			var to *Place
			if rng.IntN(10) > 0 && len(cands[i]) > 0 {
				pl := cands[i][rng.IntN(len(cands[i]))]
				if b.dynamicReason(i, pl) != "" {
					continue
				}
				to = &pl
			}
			b.place(i, to)
			e.moved([]int{i}, []*Place{before})
			moves++
			full := pr.Evaluate(b.plan)
			if full.Attendable != e.score.Attendable || full.Overflow != e.score.Overflow || full.Unplaced != e.score.Unplaced {
				t.Fatalf("%s, move %d: running score %+v, counted afresh %+v", tier.Name, moves, e.score, full)
			}
		}
		if moves < 100 {
			t.Errorf("%s: only %d moves tried", tier.Name, moves)
		}
	}
}

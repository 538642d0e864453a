package schedule_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// TestFromPlanningReadsTheDemo builds the planning problem of the demo event and checks it
// against the database: every placed session is in the plan where it is, the timetable
// breaks no hard rule, registrations are wishes, and a plan's moves go back to the database.
func TestFromPlanningReadsTheDemo(t *testing.T) {
	ctx := modelstest.Ctx()
	s := modelstest.SQLite(t)
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	if err := demo.Load(ctx, s, demo.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	e, err := s.CurrentEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.PlanningData(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	pr, plan, ix := schedule.FromPlanning(d)
	if err := pr.Check(); err != nil {
		t.Fatal(err)
	}
	if len(pr.Sessions) != len(d.Sessions) || len(pr.Venues) != 2 {
		t.Fatalf("problem has %d sessions and %d venues, want %d and 2", len(pr.Sessions), len(pr.Venues), len(d.Sessions))
	}
	if v := pr.Violations(plan); len(v) != 0 {
		t.Errorf("the demo timetable breaks hard rules: %q", v)
	}
	if len(pr.Wishes) < 100 {
		t.Errorf("%d attendees with wishes, want the demo's registrations", len(pr.Wishes))
	}
	if got := pr.Travel("Zwolle", "Rotterdam"); got != 90*time.Minute {
		t.Errorf("travel Zwolle–Rotterdam %v, want the default 90 minutes", got)
	}
	unplaced := 0
	for i, se := range d.Sessions {
		pl := plan.Places[i]
		if !se.Placed() {
			// The demo keeps a few sessions waiting for a place (issue #12 points 10 and 16).
			unplaced++
			if pl != nil || ix.Sessions[i] != se.ID {
				t.Errorf("unplaced session %q: plan place %+v, want none", se.Title, pl)
			}
			continue
		}
		if pl == nil || ix.Sessions[i] != se.ID || ix.Rooms[pl.Venue][pl.Room] != *se.RoomID ||
			ix.Slots[pl.Venue][pl.Slot] != se.Slots[0].SlotID || pr.Sessions[i].Length != len(se.Slots) {
			t.Errorf("session %q: plan place %+v does not match the database", se.Title, pl)
		}
	}
	if unplaced == 0 {
		t.Error("the demo has no session waiting for a place")
	}
	if moves := ix.Placements(plan, plan); len(moves) != 0 {
		t.Errorf("an unchanged plan gives %d moves, want none", len(moves))
	}

	// Sessions people booked keep their place: the planner sees them pinned, and the store
	// refuses to move them to another time or off the timetable.
	booked := -1
	for i, se := range d.Sessions {
		if d.Booked[se.ID] > 0 {
			if pr.Sessions[i].Pinned == nil || *pr.Sessions[i].Pinned != *plan.Places[i] {
				t.Errorf("booked session %q is not pinned in the problem", se.Title)
			}
			if pr.Sessions[i].MinSeats < se.Confirmed {
				t.Errorf("booked session %q needs %d seats in the problem, but %d people have one", se.Title, pr.Sessions[i].MinSeats, se.Confirmed)
			}
			if booked < 0 && pr.Sessions[i].Length == 1 {
				booked = i
			}
		}
	}
	if booked < 0 {
		t.Fatal("no booked one-slot session in the demo")
	}
	pl := *plan.Places[booked]
	other := (pl.Slot + 1) % len(pr.Venues[pl.Venue].Slots)
	for name, m := range map[string]models.Placement{
		"another time":      {SessionID: ix.Sessions[booked], VenueID: ix.Venues[pl.Venue], RoomID: ix.Rooms[pl.Venue][pl.Room], FirstSlotID: ix.Slots[pl.Venue][other]},
		"off the timetable": {SessionID: ix.Sessions[booked]},
	} {
		var verr *models.ValidationError
		if err := s.ApplyPlacements(ctx, e.ID, []models.Placement{m}); !errors.As(err, &verr) || verr.Problems["room"].Key != "form.booked_keeps_place" {
			t.Errorf("moving a booked session to %s got %v, want form.booked_keeps_place", name, err)
		}
	}

	// Without bookings, sessions move freely.
	s = modelstest.SQLite(t)
	if err := demo.Load(ctx, s, demo.Options{Now: now, NoRegistrations: true}); err != nil {
		t.Fatal(err)
	}
	if e, err = s.CurrentEvent(ctx); err != nil {
		t.Fatal(err)
	}
	if d, err = s.PlanningData(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	pr, plan, ix = schedule.FromPlanning(d)

	// Swap two one-slot sessions of the same slot and venue between their rooms, and take
	// a third off the timetable: the moves apply in one go.
	a, b := -1, -1
	for i := range plan.Places {
		for j := i + 1; j < len(plan.Places) && a < 0; j++ {
			pi, pj := plan.Places[i], plan.Places[j]
			if pi != nil && pj != nil && pr.Sessions[i].Length == 1 && pr.Sessions[j].Length == 1 && pi.Venue == pj.Venue && pi.Slot == pj.Slot &&
				pr.Sessions[i].MinSeats <= pr.Venues[pj.Venue].Rooms[pj.Room].Capacity &&
				pr.Sessions[j].MinSeats <= pr.Venues[pi.Venue].Rooms[pi.Room].Capacity {
				a, b = i, j
			}
		}
	}
	if a < 0 {
		t.Fatal("no two sessions to swap in the demo")
	}
	off := (b + 1) % len(plan.Places)
	for off == a || plan.Places[off] == nil {
		off = (off + 1) % len(plan.Places)
	}
	after := schedule.Plan{Places: append([]*schedule.Place{}, plan.Places...)}
	pa, pb := *plan.Places[a], *plan.Places[b]
	after.Places[a], after.Places[b], after.Places[off] = &pb, &pa, nil
	moves := ix.Placements(plan, after)
	if len(moves) != 3 {
		t.Fatalf("moves %+v, want 3", moves)
	}
	if err := s.ApplyPlacements(ctx, e.ID, moves); err != nil {
		t.Fatal(err)
	}
	for i, want := range map[int]*schedule.Place{a: &pb, b: &pa, off: nil} {
		se, err := s.Session(ctx, ix.Sessions[i])
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case want == nil && se.Placed():
			t.Errorf("session %q is still placed", se.Title)
		case want != nil && (!se.Placed() || *se.RoomID != ix.Rooms[want.Venue][want.Room]):
			t.Errorf("session %q is in room %v, want %d", se.Title, se.RoomID, ix.Rooms[want.Venue][want.Room])
		}
	}

	// A pinned session stays: the problem pins it, and the store refuses to move it.
	pinnedID := ix.Sessions[a]
	if err := s.SetPinned(ctx, pinnedID, true); err != nil {
		t.Fatal(err)
	}
	d, _ = s.PlanningData(ctx, e.ID)
	pr, plan, ix = schedule.FromPlanning(d)
	i := slices.Index(ix.Sessions, pinnedID)
	if pin := pr.Sessions[i].Pinned; pin == nil || plan.Places[i] == nil || *pin != *plan.Places[i] {
		t.Errorf("pinned session: problem pin %+v, want its place %+v", pin, plan.Places[i])
	}
	err = s.ApplyPlacements(ctx, e.ID, []models.Placement{{SessionID: pinnedID}})
	if !errors.Is(err, models.ErrConflict) {
		t.Errorf("moving a pinned session got %v, want ErrConflict", err)
	}
}

// TestStalePlanIsRefused: a plan worked out before someone changed the timetable is not
// applied over the change.
func TestStalePlanIsRefused(t *testing.T) {
	ctx := modelstest.Ctx()
	s := modelstest.SQLite(t)
	if err := demo.Load(ctx, s, demo.Options{Now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), NoRegistrations: true}); err != nil {
		t.Fatal(err)
	}
	e, err := s.CurrentEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := s.CreateSession(ctx, e.ID, models.SessionInput{Title: "Nog te plannen", Format: "workshop", SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.PlanningData(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	pr, plan, ix := schedule.FromPlanning(d)
	res, err := pr.Plan(schedule.Request{Mode: schedule.PlaceUnplaced, Current: plan, Venue: -1, Seed: 1, Iterations: 2000})
	if err != nil {
		t.Fatal(err)
	}
	moves := ix.Placements(plan, res.Plan)
	if len(moves) == 0 {
		t.Fatal("the planner placed nothing")
	}
	// Meanwhile an organiser pins a placed session: the plan is refused, nothing changes.
	placed := slices.IndexFunc(plan.Places, func(p *schedule.Place) bool { return p != nil })
	if err := s.SetPinned(ctx, ix.Sessions[placed], true); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyPlan(ctx, e.ID, d.Event.TimetableRevision, moves); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("a stale plan got %v, want ErrConflict", err)
	}
	if got, _ := s.Session(ctx, fresh.ID); got.Placed() {
		t.Error("a refused plan placed the new session")
	}
	// Worked out again, it applies.
	d, _ = s.PlanningData(ctx, e.ID)
	if err := s.ApplyPlan(ctx, e.ID, d.Event.TimetableRevision, moves); err != nil {
		t.Fatalf("a plan on the current timetable got %v", err)
	}
}

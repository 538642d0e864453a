package models_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestPreferenceDemand: per session placed at the venue, how many active registrations ranked
// it first and at all, beside its seats; a cancelled registration and another venue's do not
// count, and a session nobody ranked is listed with zeros.
func TestPreferenceDemand(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		talk := session(t, s, f, "Drukke workshop", f.small, f.s1, 1, 20)
		other := session(t, s, f, "Andere workshop", f.big, f.s1, 1, 0)
		quiet := session(t, s, f, "Stille workshop", f.big, f.s2, 1, 0)
		rank := func(regID uint, ids ...uint) {
			for i, id := range ids {
				modelstest.Insert(t, s, &models.Preference{RegistrationID: regID, SlotID: f.s1.ID, Rank: i + 1, SessionID: id})
			}
		}
		for n := range 3 {
			rank(must(s.Register(ctx, attendee(n))).Registration.ID, talk.ID, other.ID)
		}
		rank(must(s.Register(ctx, attendee(3))).Registration.ID, other.ID)
		cancelled := must(s.Register(ctx, attendee(4))).Registration
		rank(cancelled.ID, talk.ID)
		if err := s.Cancel(ctx, cancelled.ID); err != nil {
			t.Fatal(err)
		}

		d := must(s.PreferenceDemand(ctx, f.venue.ID))
		if d.People != 4 {
			t.Errorf("people ranking = %d, want 4 (the cancelled one not)", d.People)
		}
		got := map[uint]models.AllocationSessionReport{}
		for _, r := range d.Sessions {
			got[r.SessionID] = r
		}
		for _, want := range []models.AllocationSessionReport{
			{SessionID: talk.ID, Title: "Drukke workshop", Seats: 20, FirstChoice: 3, Demand: 3},
			{SessionID: other.ID, Title: "Andere workshop", Seats: 200, FirstChoice: 1, Demand: 4},
			{SessionID: quiet.ID, Title: "Stille workshop", Seats: 200},
		} {
			if got[want.SessionID] != want {
				t.Errorf("demand of %q = %+v, want %+v", want.Title, got[want.SessionID], want)
			}
		}
		if len(d.Sessions) != 3 {
			t.Errorf("%d sessions, want 3", len(d.Sessions))
		}
		if o := must(s.PreferenceDemand(ctx, f.otherVenue.ID)); o.People != 0 || len(o.Sessions) != 0 {
			t.Errorf("the other venue's demand = %+v, want none", o)
		}
	})
}

// TestAllocationsOfEvent: the event's allocations, their report read back as written.
func TestAllocationsOfEvent(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		if as := must(s.Allocations(ctx, f.event.ID)); len(as) != 0 {
			t.Fatalf("allocations before any ran: %v", as)
		}
		report := models.AllocationReport{Ranks: []int{5, 2}, Random: models.AllocationBaseline{Orders: 100, First: 3.5},
			Sessions: []models.AllocationSessionReport{{SessionID: 7, Title: "X", Seats: 5, Demand: 9, Seated: 5, Waitlisted: 4}}}
		js, _ := json.Marshal(report)
		modelstest.Insert(t, s, &models.Allocation{EventID: f.event.ID, VenueID: f.venue.ID, Seed: "s", RanAt: time.Now(), People: 7, First: 5, Second: 2, Report: string(js)})
		as := must(s.Allocations(ctx, f.event.ID))
		if len(as) != 1 || as[0].VenueID != f.venue.ID || as[0].People != 7 {
			t.Fatalf("allocations = %+v, want Zwolle's", as)
		}
		back := must(as[0].DecodedReport())
		if back.Random.First != 3.5 || len(back.Sessions) != 1 || back.Sessions[0].Waitlisted != 4 {
			t.Errorf("report read back = %+v, want %+v", back, report)
		}
		if _, err := (models.Allocation{Report: "{"}).DecodedReport(); err == nil {
			t.Error("a broken report reads without an error")
		}
	})
}

package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestEventDate(t *testing.T) {
	cases := []struct{ now, want string }{
		{"2026-11-22", "2027-02-03"},
		{"2027-01-10", "2028-02-02"}, // 30 days later is 9 February: too late for the 3rd
		{"2027-01-02", "2027-02-03"},
		{"2027-01-05", "2028-02-02"},
	}
	for _, tc := range cases {
		now, _ := time.Parse(time.DateOnly, tc.now)
		if got := demo.EventDate(now).Format(time.DateOnly); got != tc.want {
			t.Errorf("EventDate(%s) = %s, want %s", tc.now, got, tc.want)
		}
	}
}

func TestLoadIfEmpty(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		now, _ := time.Parse(time.DateOnly, "2026-11-22")
		loaded, err := demo.LoadIfEmpty(ctx, s, demo.Options{Now: now, Scale: 3})
		if err != nil || !loaded {
			t.Fatalf("LoadIfEmpty = %v, %v; want true, nil", loaded, err)
		}
		e, err := s.CurrentEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if e.Date != "2027-02-03" || e.Theme != "Wij, de overheid" {
			t.Errorf("event = %s %q, want 2027-02-03 \"Wij, de overheid\"", e.Date, e.Theme)
		}
		venues, err := s.Venues(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(venues) != 2 || venues[0].Capacity != 3*demo.Venues[0].Capacity {
			t.Fatalf("venues = %d, first capacity %d; want 2 with %d", len(venues), venues[0].Capacity, 3*demo.Venues[0].Capacity)
		}
		sessions, err := s.SessionsOfEvent(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sessions) != len(demo.Sessions) {
			t.Errorf("sessions = %d, want %d", len(sessions), len(demo.Sessions))
		}
		twoSlot := 0
		for _, se := range sessions {
			if !se.Placed() {
				t.Errorf("session %q is not placed", se.Title)
			}
			if len(se.Slots) == 2 {
				twoSlot++
			}
		}
		if twoSlot == 0 {
			t.Error("no session spans two slots")
		}
		// A second start finds the event and loads nothing.
		loaded, err = demo.LoadIfEmpty(ctx, s, demo.Options{Now: now})
		if err != nil || loaded {
			t.Errorf("second LoadIfEmpty = %v, %v; want false, nil", loaded, err)
		}
		if got, _ := s.SessionsOfEvent(ctx, e.ID); len(got) != len(demo.Sessions) {
			t.Errorf("sessions after second load = %d, want %d", len(got), len(demo.Sessions))
		}
	})
}

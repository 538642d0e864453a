package models_test

import (
	"errors"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestEventByID finds an older event than the current one by its id, and an unknown id is
// ErrNotFound.
func TestEventByID(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		old := must(s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Test 2026", Date: "2026-02-04"}))
		current := must(s.CreateEvent(ctx, models.EventInput{Name: "Dag van de Test 2027", Date: "2027-02-03"}))
		for _, want := range []models.Event{old, current} {
			got, err := s.Event(ctx, want.ID)
			if err != nil || got.ID != want.ID || got.Name != want.Name {
				t.Errorf("Event(%d) = %d %q, %v; want %d %q", want.ID, got.ID, got.Name, err, want.ID, want.Name)
			}
		}
		if _, err := s.Event(ctx, current.ID+100); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Event(unknown) error = %v, want ErrNotFound", err)
		}
	})
}

// TestRegistrationVenue gives the venue of registrations at two venues, and ErrNotFound for
// an unknown registration.
func TestRegistrationVenue(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		here := must(s.Register(ctx, attendee(1)))
		there := attendee(2)
		there.Venue = f.otherVenue.Slug
		elsewhere := must(s.Register(ctx, there))
		for _, tc := range []struct {
			id, want uint
		}{{here.Registration.ID, f.venue.ID}, {elsewhere.Registration.ID, f.otherVenue.ID}} {
			if got, err := s.RegistrationVenue(ctx, tc.id); err != nil || got != tc.want {
				t.Errorf("RegistrationVenue(%d) = %d, %v; want %d", tc.id, got, err, tc.want)
			}
		}
		if _, err := s.RegistrationVenue(ctx, elsewhere.Registration.ID+100); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("RegistrationVenue(unknown) error = %v, want ErrNotFound", err)
		}
	})
}

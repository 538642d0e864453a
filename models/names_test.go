package models_test

import (
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestDoorListByLastName: the door's list is in the Dutch order by last name, prefixes not
// counting ("Jan van der Berg" under B) and a double name under its first part ("Zoë
// Ğüneş-van den Bërg" under G), accents folded.
func TestDoorListByLastName(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		newFixture(t, s)
		names := []string{"Zoë Ğüneş-van den Bërg", "Jan van der Berg", "Anna Éénhoorn", "Kees de Vries", "Bas Bakker", "Fatima Ganzeboom"}
		for i, name := range names {
			in := attendee(i)
			in.Name = name
			must(s.Register(ctx, in))
		}
		zwolle := must(s.VenueBySlug(ctx, "zwolle"))
		var got []string
		for _, e := range must(s.DoorList(ctx, zwolle.ID)) {
			got = append(got, models.LastNameFirst(e.Name))
		}
		want := []string{"Bakker, Bas", "Berg, Jan van der", "Éénhoorn, Anna", "Ganzeboom, Fatima", "Ğüneş-van den Bërg, Zoë", "Vries, Kees de"}
		if !slices.Equal(got, want) {
			t.Errorf("DoorList order\n%q\nwant\n%q", got, want)
		}
	})
}

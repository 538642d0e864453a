package models_test

import (
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestClassifyNeeds(t *testing.T) {
	for _, c := range []struct {
		kind, text string
		known      []string
		other      []string
	}{
		{models.NeedDietary, "Vegetarisch", []string{"vegetarian"}, nil},
		{models.NeedDietary, "  VEGETARIAN ", []string{"vegetarian"}, nil},
		{models.NeedDietary, "veganistisch", []string{"vegan"}, nil},
		{models.NeedDietary, "Vegan", []string{"vegan"}, nil},
		{models.NeedDietary, "vega, glutenvrij", []string{"vegetarian", "gluten_free"}, nil},
		{models.NeedDietary, "Lactosevrij en notenallergie", []string{"lactose_free", "nut_allergy"}, nil},
		{models.NeedDietary, "nut allergy", []string{"nut_allergy"}, nil},
		{models.NeedDietary, "Halal", []string{"halal"}, nil},
		{models.NeedDietary, "koosjer", []string{"kosher"}, nil},
		{models.NeedDietary, "coeliakie", []string{"gluten_free"}, nil},
		{models.NeedDietary, "Geen koriander", nil, []string{"Geen koriander"}},
		{models.NeedDietary, "geen", nil, nil},
		{models.NeedAccessibility, "Rolstoel", []string{"wheelchair"}, nil},
		{models.NeedAccessibility, "wheelchair user", []string{"wheelchair"}, nil},
		{models.NeedAccessibility, "ringleiding", []string{"hearing_loop"}, nil},
		{models.NeedAccessibility, "Hearing loop please", []string{"hearing_loop"}, nil},
		{models.NeedAccessibility, "doventolk (NGT)", []string{"sign_language"}, nil},
		{models.NeedAccessibility, "sign language interpreter", []string{"sign_language"}, nil},
		{models.NeedAccessibility, "rolstoel; ringleiding", []string{"wheelchair", "hearing_loop"}, nil},
		{models.NeedAccessibility, "Plek voor mijn rolstoel en rolstoel", []string{"wheelchair"}, nil},
	} {
		known, other := models.ClassifyNeeds(c.kind, c.text)
		if !slices.Equal(known, c.known) || !slices.Equal(other, c.other) {
			t.Errorf("ClassifyNeeds(%s, %q) = %q, %q; want %q, %q", c.kind, c.text, known, other, c.known, c.other)
		}
	}
}

func TestVenueNeeds(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		talk := session(t, s, f, "Toegankelijk ontwerpen", f.big, f.s1, 1, 0)
		other := session(t, s, f, "Zonder behoeften", f.small, f.s2, 1, 0)
		add := func(n int, dietary, access string, sessions ...uint) models.Registration {
			in := attendee(n, sessions...)
			in.Dietary, in.Accessibility = dietary, access
			return must(s.Register(ctx, in)).Registration
		}
		add(1, "Vegetarisch", "", talk.ID)
		add(2, "vegetarian", "Rolstoel", talk.ID)
		add(3, " végétarisch ", "ringleiding")
		add(4, "Geen koriander", "", other.ID)
		add(5, "geen  Koriander.", "")
		add(6, "", "", talk.ID, other.ID)
		cancelled := add(7, "Halal", "Rolstoel", talk.ID)
		if err := s.Cancel(ctx, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		rotterdam := attendee(8)
		rotterdam.Venue, rotterdam.Dietary = "rotterdam", "Halal"
		must(s.Register(ctx, rotterdam))

		got := must(s.VenueNeeds(ctx, f.venue.ID))
		if got.Registered != 6 || got.WithNeeds != 5 {
			t.Errorf("registered %d with needs %d, want 6 and 5", got.Registered, got.WithNeeds)
		}
		want := []models.NeedCount{{Key: "vegetarian", Count: 3}, {Text: "Geen koriander", Count: 2}}
		if !slices.Equal(got.Dietary, want) {
			t.Errorf("dietary %+v, want %+v", got.Dietary, want)
		}
		wantAccess := []models.NeedCount{{Key: "hearing_loop", Count: 1}, {Key: "wheelchair", Count: 1}}
		if !slices.Equal(got.Accessibility, wantAccess) {
			t.Errorf("accessibility %+v, want %+v", got.Accessibility, wantAccess)
		}
		if len(got.Sessions) != 2 {
			t.Fatalf("sessions %+v, want two", got.Sessions)
		}
		first := got.Sessions[0]
		if first.SessionID != talk.ID || first.Seated != 3 || len(first.People) != 2 || first.Room != "Statenzaal" {
			t.Errorf("first session %+v, want %d with 3 seated of whom 2 with needs in the Statenzaal", first, talk.ID)
		}
		if !slices.Equal(first.Dietary, []models.NeedCount{{Key: "vegetarian", Count: 2}}) ||
			!slices.Equal(first.Accessibility, []models.NeedCount{{Key: "wheelchair", Count: 1}}) {
			t.Errorf("first session's needs %+v %+v", first.Dietary, first.Accessibility)
		}
		if got.Sessions[1].SessionID != other.ID || len(got.Sessions[1].People) != 1 {
			t.Errorf("second session %+v", got.Sessions[1])
		}
	})
}

package models_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestVenueRenameKeepsItsNames: a venue's ticket key never changes; its old slugs keep
// pointing at it, no other venue may take them, and it may take one back.
func TestVenueRenameKeepsItsNames(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		in := models.VenueInput{Slug: "zwolle-centrum", Name: f.venue.Name, City: f.venue.City, Address: f.venue.Address, Capacity: f.venue.Capacity}
		v := must(s.UpdateVenue(ctx, f.venue.ID, in))
		if v.Slug != "zwolle-centrum" || v.TicketName() != "zwolle" {
			t.Errorf("after the rename: slug %q, ticket name %q; want zwolle-centrum and zwolle", v.Slug, v.TicketName())
		}
		if got := must(s.VenueByOldSlug(ctx, "zwolle")); got.ID != f.venue.ID || got.Slug != "zwolle-centrum" {
			t.Errorf("VenueByOldSlug(zwolle) = %d %q, want %d zwolle-centrum", got.ID, got.Slug, f.venue.ID)
		}
		for _, name := range []string{"zwolle", "zwolle-centrum"} {
			if got := must(s.VenueByTicketName(ctx, f.event.ID, name)); got.ID != f.venue.ID {
				t.Errorf("VenueByTicketName(%s) = venue %d, want %d", name, got.ID, f.venue.ID)
			}
		}
		if _, err := s.VenueByTicketName(ctx, f.event.ID, "atlantis"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("VenueByTicketName(atlantis) error = %v, want ErrNotFound", err)
		}
		_, err := s.CreateVenue(ctx, f.event.ID, models.VenueInput{Slug: "zwolle", Name: "Ander", City: "Zwolle", Address: "Straat 1", Capacity: 10})
		wantProblem(t, err, "slug", "form.slug_taken")
		rin := in
		rin.Slug, rin.Name, rin.City, rin.Address = "zwolle", f.otherVenue.Name, f.otherVenue.City, f.otherVenue.Address
		_, err = s.UpdateVenue(ctx, f.otherVenue.ID, rin)
		wantProblem(t, err, "slug", "form.slug_taken")

		in.Slug = "zwolle"
		v = must(s.UpdateVenue(ctx, f.venue.ID, in))
		if v.Slug != "zwolle" || v.TicketName() != "zwolle" {
			t.Errorf("taken back: slug %q, ticket name %q; want zwolle twice", v.Slug, v.TicketName())
		}
		if _, err := s.VenueByOldSlug(ctx, "zwolle"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the current slug is also an old one: %v", err)
		}
		names := must(s.VenueNames(ctx, v))
		if !slices.Equal(names, []string{"zwolle", "zwolle-centrum"}) {
			t.Errorf("VenueNames = %v, want [zwolle zwolle-centrum]", names)
		}
	})
}

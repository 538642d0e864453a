package models_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// A certificate is for everyone admitted at the venue's door and only them: not for the one
// whose check-in was undone, not for the one never scanned, not once erased or anonymised
// by the retention job, and not at
// another venue or for another event's code.
func TestCertificateHolders(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		talk := session(t, s, f, "Ochtend", f.big, f.s1, 1, 0)
		in := func(venue models.Venue, slug string) uint {
			t.Helper()
			var sessions []uint
			if venue.ID == f.venue.ID {
				sessions = []uint{talk.ID}
			}
			r := modelstest.Attendee(t, s, slug, sessions...).Registration
			out := must(s.CheckIn(ctx, models.CheckInInput{VenueID: venue.ID, RegistrationID: r.ID, Door: "Hoofdingang"}))
			if out.Result != models.CheckInAdmitted {
				t.Fatalf("check in %d: %s, want admitted", r.ID, out.Result)
			}
			return r.ID
		}
		anna, bram, cancelledAfter := in(f.venue, "zwolle"), in(f.venue, "zwolle"), in(f.venue, "zwolle")
		if err := s.Cancel(ctx, cancelledAfter); err != nil {
			t.Fatal(err)
		}
		undone := modelstest.Attendee(t, s, "zwolle").Registration.ID
		scan := must(s.CheckIn(ctx, models.CheckInInput{VenueID: f.venue.ID, RegistrationID: undone, Door: "Hoofdingang"}))
		must(s.UndoCheckIn(ctx, scan.CheckIn.ID, f.venue.ID, "test"))
		erased := in(f.venue, "zwolle")
		must(s.EraseRegistration(ctx, erased))
		anonymised := in(f.venue, "zwolle")
		modelstest.Set(t, s, &models.Registration{}, anonymised, "name", "") // as the retention job leaves it
		never := modelstest.Attendee(t, s, "zwolle", talk.ID).Registration.ID
		elsewhere := in(f.otherVenue, "rotterdam")

		var got []uint
		for _, h := range must(s.CertificateHolders(ctx, f.venue.ID)) {
			got = append(got, h.ID)
			if h.Name == "" || h.Lang != "nl" || h.Organisation == "" {
				t.Errorf("holder %+v lacks a name, an organisation or a language", h)
			}
		}
		slices.Sort(got)
		if want := []uint{anna, bram, cancelledAfter}; !slices.Equal(got, want) {
			t.Errorf("CertificateHolders(zwolle) = %v, want %v", got, want)
		}
		for _, id := range []uint{anna, cancelledAfter} {
			r, err := s.CertificateHolder(ctx, f.event.ID, id)
			if err != nil || r.ID != id || r.Venue.Slug != "zwolle" {
				t.Errorf("CertificateHolder(%d) = %d at %q, %v; want it with its venue", id, r.ID, r.Venue.Slug, err)
			}
		}
		if r, err := s.CertificateHolder(ctx, f.event.ID, elsewhere); err != nil || r.Venue.Slug != "rotterdam" {
			t.Errorf("CertificateHolder(rotterdam's) = %q, %v; want it at rotterdam", r.Venue.Slug, err)
		}
		for name, id := range map[string]uint{"undone": undone, "erased": erased, "anonymised": anonymised, "never scanned": never, "unknown": 1 << 30} {
			if _, err := s.CertificateHolder(ctx, f.event.ID, id); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("CertificateHolder(%s) error = %v, want ErrNotFound", name, err)
			}
		}
		if _, err := s.CertificateHolder(ctx, f.event.ID+1, anna); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("CertificateHolder(another event) error = %v, want ErrNotFound", err)
		}
	})
}

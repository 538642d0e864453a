package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

var demoNow, _ = time.Parse(time.DateOnly, "2026-11-22")

// demoEvent holds the demo event (2027-02-03), with its attendees, votes and proposals.
var demoEvent = modelstest.NewFilled(func(ctx context.Context, s *models.Store) error {
	return demo.Load(ctx, s, demo.Options{Now: demoNow})
})

// personal are the rows about people: a new edition gets none of them.
var personal = map[string]any{"registrations": &models.Registration{}, "bookings": &models.Booking{},
	"check-ins": &models.CheckIn{}, "room check-ins": &models.RoomCheckIn{}, "votes": &models.Vote{},
	"voters": &models.Voter{}, "reviews": &models.Review{}, "speakers": &models.Speaker{},
	"preferences": &models.Preference{}, "accounts": &models.User{}}

// TestCopyDemoEdition: a copy of the demo event has the same venues, rooms and slots on the new
// date at the same clock times, its tracks and settings with the dates moved, no people and no
// registrations, bookings or votes; it starts unpublished, so the demo stays the current event.
func TestCopyDemoEdition(t *testing.T) {
	t.Parallel()
	demoEvent.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		src, err := s.CurrentEvent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		before := map[string]int64{}
		for name, m := range personal {
			before[name] = modelstest.Count(t, s, m, modelstest.Q{})
		}
		if before["registrations"] == 0 || before["votes"] == 0 {
			t.Fatalf("the demo has %d registrations and %d votes; the test wants some", before["registrations"], before["votes"])
		}
		plan, err := s.PlanCopy(ctx, src.ID, models.CopyInput{Date: "2028-02-02"})
		if err != nil {
			t.Fatal(err)
		}
		e, sum, err := s.CopyEvent(ctx, src.ID, models.CopyInput{Date: "2028-02-02"})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Venues != 2 || sum.Slots == 0 || sum.Rooms == 0 || sum.Sessions != 0 || plan.Venues != sum.Venues || plan.Slots != sum.Slots {
			t.Errorf("summary %+v (plan %+v), want 2 venues, their rooms and slots, no sessions", sum, plan)
		}
		if e.Published() || e.Date != "2028-02-02" || e.Theme != src.Theme || e.ContactEmail != src.ContactEmail {
			t.Errorf("new edition %+v, want an unpublished copy of the settings on 2028-02-02", e)
		}
		if got, want := e.RegistrationClosesAt.In(e.Location()).Format("2006-01-02 15:04"), "2028-02-01 17:00"; got != want {
			t.Errorf("registration closes %s, want %s (the day before, as in the demo)", got, want)
		}
		if cur, _ := s.CurrentEvent(ctx); cur.ID != src.ID {
			t.Errorf("current event %d after the copy, want the demo's %d: the copy is not published", cur.ID, src.ID)
		}
		oldVenues, _ := s.Venues(ctx, src.ID)
		newVenues, err := s.Venues(ctx, e.ID)
		if err != nil || len(newVenues) != len(oldVenues) {
			t.Fatalf("venues of the copy: %d, %v; want %d", len(newVenues), err, len(oldVenues))
		}
		for i, nv := range newVenues {
			ov := oldVenues[i]
			if nv.Slug != ov.Slug || nv.Name != ov.Name || nv.Capacity != ov.Capacity || nv.Registered != 0 || len(nv.Rooms) != len(ov.Rooms) || len(nv.Slots) != len(ov.Slots) {
				t.Errorf("venue %s: copy %s cap %d reg %d rooms %d slots %d; want cap %d, nobody registered, %d rooms, %d slots",
					ov.Slug, nv.Slug, nv.Capacity, nv.Registered, len(nv.Rooms), len(nv.Slots), ov.Capacity, len(ov.Rooms), len(ov.Slots))
				continue
			}
			for j, r := range nv.Rooms {
				if r.Name != ov.Rooms[j].Name || r.Capacity != ov.Rooms[j].Capacity {
					t.Errorf("room %d of %s: %s %d, want %s %d", j, ov.Slug, r.Name, r.Capacity, ov.Rooms[j].Name, ov.Rooms[j].Capacity)
				}
			}
			for j, sl := range nv.Slots {
				o := ov.Slots[j]
				got := sl.StartsAt.In(e.Location()).Format("2006-01-02 15:04") + "–" + sl.EndsAt.In(e.Location()).Format("15:04")
				want := "2028-02-02 " + o.StartsAt.In(src.Location()).Format("15:04") + "–" + o.EndsAt.In(src.Location()).Format("15:04")
				if got != want {
					t.Errorf("slot %d of %s: %s, want %s", j, ov.Slug, got, want)
				}
			}
		}
		oldTracks, _ := s.Tracks(ctx, src.ID)
		newTracks, _ := s.Tracks(ctx, e.ID)
		if len(newTracks) != len(oldTracks) {
			t.Errorf("tracks: %d, want %d", len(newTracks), len(oldTracks))
		}
		for name, m := range personal {
			if n := modelstest.Count(t, s, m, modelstest.Q{}); n != before[name] {
				t.Errorf("%s: %d after the copy, want %d: a copy takes no people", name, n, before[name])
			}
		}
		for name, m := range map[string]any{"sessions": &models.Session{}, "proposals": &models.Proposal{}} {
			if n := modelstest.Count(t, s, m, modelstest.Where("event_id = ?", e.ID)); n != 0 {
				t.Errorf("%d %s in the copy, want none without --what sessions", n, name)
			}
		}
		if n := modelstest.Count(t, s, &models.AuditEntry{}, modelstest.Where("action = ? AND subject_id = ?", models.ActionEventCopied, e.ID)); n != 1 {
			t.Errorf("%d audit entries of the copy, want 1", n)
		}
		// The addresses go on meaning the current edition: the demo's venue, until the copy is published.
		if v, err := s.VenueBySlug(ctx, oldVenues[0].Slug); err != nil || v.ID != oldVenues[0].ID {
			t.Errorf("VenueBySlug(%s) = %d, %v; want the demo's venue %d", oldVenues[0].Slug, v.ID, err, oldVenues[0].ID)
		}
		if _, err := s.PublishEvent(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		if cur, _ := s.CurrentEvent(ctx); cur.ID != e.ID {
			t.Errorf("current event %d after publishing, want the new edition %d", cur.ID, e.ID)
		}
		if v, err := s.VenueBySlug(ctx, oldVenues[0].Slug); err != nil || v.ID != newVenues[0].ID {
			t.Errorf("VenueBySlug(%s) after publishing = %d, %v; want the new edition's venue %d", oldVenues[0].Slug, v.ID, err, newVenues[0].ID)
		}
		if archived, err := s.ArchivedEditions(ctx); err != nil || len(archived) != 1 || archived[0].ID != src.ID {
			t.Errorf("archived editions = %v, %v; want the demo's", archived, err)
		}
	})
}

// TestCopyDemoSessionsAsProposals: with sessions, every session of the demo becomes a
// submitted proposal of the new edition, naming its speakers and nobody's address.
func TestCopyDemoSessionsAsProposals(t *testing.T) {
	t.Parallel()
	demoEvent.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		src, _ := s.CurrentEvent(ctx)
		sessions := modelstest.Count(t, s, &models.Session{}, modelstest.Where("event_id = ?", src.ID))
		e, sum, err := s.CopyEvent(ctx, src.ID, models.CopyInput{Date: "2028-03-01", What: []string{"sessions", "tracks"}})
		if err != nil {
			t.Fatal(err)
		}
		if int64(sum.Sessions) != sessions || sum.Venues != 0 {
			t.Errorf("summary %+v, want %d sessions and no venues", sum, sessions)
		}
		if n := modelstest.Count(t, s, &models.Proposal{}, modelstest.Where("event_id = ? AND status = ? AND speaker_email = ''", e.ID, models.ProposalSubmitted)); n != sessions {
			t.Errorf("%d submitted proposals without an address in the copy, want %d", n, sessions)
		}
		if n := modelstest.Count(t, s, &models.Venue{}, modelstest.Where("event_id = ?", e.ID)); n != 0 {
			t.Errorf("%d venues in a copy without venues", n)
		}
		// Without the settings, the new edition has its name and zone, and no dates of the last one.
		if e.RegistrationClosesAt != nil || e.ContactEmail != "" || e.Timezone != src.Timezone {
			t.Errorf("a copy without settings: %+v", e)
		}
	})
}

// TestCopyRefused: a date not after the source's, a year that has an edition, an unknown part
// and an unknown edition are refused, and nothing is written.
func TestCopyRefused(t *testing.T) {
	t.Parallel()
	demoEvent.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		src, _ := s.CurrentEvent(ctx)
		for _, tc := range []struct {
			name, date, problem string
			what                []string
		}{
			{"before", "2026-02-01", "edition.date_not_after", nil},
			{"same year", "2027-11-01", "edition.year_taken", nil},
			{"no date", "", "form.required", nil},
			{"bad date", "2028-02-31", "form.invalid_date", nil},
			{"unknown part", "2028-02-02", "edition.unknown_part", []string{"venues", "people"}},
		} {
			_, _, err := s.CopyEvent(ctx, src.ID, models.CopyInput{Date: tc.date, What: tc.what})
			var verr *models.ValidationError
			if !errors.As(err, &verr) || !hasProblem(verr.Problems, tc.problem) {
				t.Errorf("%s: CopyEvent = %v, want the problem %s", tc.name, err, tc.problem)
			}
		}
		if _, _, err := s.CopyEvent(ctx, src.ID+100, models.CopyInput{Date: "2029-01-01"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("copy of an unknown edition: %v, want ErrNotFound", err)
		}
		if n := modelstest.Count(t, s, &models.Event{}, modelstest.Q{}); n != 1 {
			t.Errorf("%d events after refused copies, want 1", n)
		}
	})
}

func hasProblem(p models.Problems, key string) bool {
	for _, f := range p.Fields() {
		if p[f].Key == key {
			return true
		}
	}
	return false
}

// TestEditionYearsStayApart: an edition's date cannot move into a year another edition has.
func TestEditionYearsStayApart(t *testing.T) {
	t.Parallel()
	demoEvent.Each(t, func(t *testing.T, s *models.Store) {
		ctx := modelstest.Ctx()
		src, _ := s.CurrentEvent(ctx)
		e, _, err := s.CopyEvent(ctx, src.ID, models.CopyInput{Date: "2028-02-02", What: []string{"tracks"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateEvent(ctx, e.ID, models.EventInput{Name: e.Name, Date: "2027-06-01", Timezone: e.Timezone})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Problems["date"].Key != "edition.year_taken" {
			t.Errorf("moving 2028 into 2027: %v, want the problem edition.year_taken", err)
		}
		if _, err := s.UpdateEvent(ctx, e.ID, models.EventInput{Name: e.Name, Date: "2028-03-01", Timezone: e.Timezone}); err != nil {
			t.Errorf("moving 2028 within its year: %v", err)
		}
	})
}

package models_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// changeKinds lists "kind title" per change, for compact comparison.
func changeKinds(cs []models.ScheduleChange) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Kind+" "+c.Title)
	}
	return out
}

func TestPublishScheduleVersionsAndChanges(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		a := session(t, s, f, "Open data", f.big, f.s1, 1, 0)
		b := session(t, s, f, "Schrijven", f.small, f.s2, 1, 0)
		c := session(t, s, f, "Lang verhaal", f.big, f.s2, 2, 0)
		speaker := must(s.CreateSession(ctx, f.event.ID, models.SessionInput{Title: "Onderweg", Format: "lecture", SlotCount: 1,
			Speakers: []models.SpeakerInput{{Name: "Sanne Spreker", Organisation: "Gemeente Zwolle"}}}))
		if err := s.DB().Model(&models.Speaker{}).Where("id = ?", speaker.Speakers[0].ID).
			Update("email", "sanne@example.nl").Error; err != nil {
			t.Fatal(err)
		}
		onA := must(s.Register(ctx, attendee(1, a.ID)))
		onB := must(s.Register(ctx, attendee(2, b.ID)))

		pending := must(s.UnpublishedChanges(ctx, f.event.ID))
		if got, want := changeKinds(pending), []string{"added Open data", "added Schrijven", "added Lang verhaal"}; !slices.Equal(got, want) {
			t.Errorf("before v1, unpublished changes got %q, want %q", got, want)
		}
		v1 := must(s.PublishSchedule(ctx, f.event.ID, nil))
		if v1.Number != 1 || len(v1.Sessions) != 3 || len(v1.Changes) != 0 {
			t.Fatalf("v1 got number %d, %d sessions, %d changes; want 1, 3, 0", v1.Number, len(v1.Sessions), len(v1.Changes))
		}
		if long := v1.Sessions[slices.IndexFunc(v1.Sessions, func(p models.PublishedSession) bool { return p.SessionID == c.ID })]; len(long.SlotIDs) != 2 || !long.EndsAt.Equal(f.s3.EndsAt) {
			t.Errorf("the two-slot session got slots %v ending %v, want two slots ending %v", long.SlotIDs, long.EndsAt, f.s3.EndsAt)
		}
		if _, err := s.PublishSchedule(ctx, f.event.ID, nil); !errors.Is(err, models.ErrNothingToPublish) {
			t.Errorf("publishing again without a change got %v, want ErrNothingToPublish", err)
		}
		mailsBefore := count(t, s, &models.OutboxMessage{})

		// Open data is booked, so it keeps its time: moving it to another slot is refused and
		// changes nothing.
		_, err := s.UpdateSession(ctx, a.ID, models.SessionInput{Title: a.Title, Format: a.Format, VenueID: f.venue.ID, RoomID: f.big.ID, FirstSlotID: f.s3.ID, SlotCount: 1})
		wantProblem(t, err, "room", "form.booked_keeps_place")
		if got := must(s.Session(ctx, a.ID)); !slices.Equal(got.SlotIDs(), []uint{f.s1.ID}) || got.RoomID == nil || *got.RoomID != f.big.ID {
			t.Errorf("a refused move left Open data in slots %v, room %v; want %v, %d", got.SlotIDs(), got.RoomID, []uint{f.s1.ID}, f.big.ID)
		}
		if pending := must(s.UnpublishedChanges(ctx, f.event.ID)); len(pending) != 0 {
			t.Errorf("a refused move left unpublished changes %q", changeKinds(pending))
		}

		// Move Open data to another room at the same time (it seats everyone booked), rename
		// Schrijven, take Lang verhaal off the schedule, and place the speaker's session.
		must(s.UpdateSession(ctx, b.ID, models.SessionInput{Title: "Samen schrijven", Format: b.Format, VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s2.ID, SlotCount: 1}))
		must(s.UpdateSession(ctx, c.ID, models.SessionInput{Title: c.Title, Format: c.Format, SlotCount: 2}))
		must(s.UpdateSession(ctx, a.ID, models.SessionInput{Title: a.Title, Format: a.Format, VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s1.ID, SlotCount: 1}))
		must(s.UpdateSession(ctx, speaker.ID, models.SessionInput{Title: speaker.Title, Format: speaker.Format, VenueID: f.venue.ID, RoomID: f.small.ID, FirstSlotID: f.s3.ID, SlotCount: 1,
			Speakers: []models.SpeakerInput{{Name: "Sanne Spreker", Organisation: "Gemeente Zwolle"}}}))
		if err := s.DB().Model(&models.Speaker{}).Where("event_id = ? AND name = ?", f.event.ID, "Sanne Spreker").
			Update("email", "sanne@example.nl").Error; err != nil {
			t.Fatal(err)
		}

		// PublishMails counts them beforehand; publishing for another number changes nothing.
		if att, sps := must2(s.PublishMails(ctx, f.event.ID)); att != 2 || sps != 1 {
			t.Errorf("PublishMails = %d attendees, %d speakers; want 2, 1", att, sps)
		}
		if _, err := s.PublishScheduleMailing(ctx, f.event.ID, nil, 2); !errors.Is(err, models.ErrRecipientsChanged) {
			t.Errorf("publishing confirmed for 2 of 3 e-mails got %v, want ErrRecipientsChanged", err)
		}
		if n := len(must(s.ScheduleVersions(ctx, f.event.ID))); n != 1 || count(t, s, &models.OutboxMessage{}) != mailsBefore {
			t.Fatalf("a refused publication left %d versions and %d new e-mails", n, count(t, s, &models.OutboxMessage{})-mailsBefore)
		}
		v2 := must(s.PublishScheduleMailing(ctx, f.event.ID, nil, 3))
		want := []string{"moved Open data", "edited Samen schrijven", "removed Lang verhaal", "added Onderweg"}
		if got := changeKinds(v2.Changes); !slices.Equal(got, want) {
			t.Errorf("v2 changes got %q, want %q", got, want)
		}
		moved := v2.Changes[0]
		if moved.From == nil || moved.To == nil || moved.From.RoomName != f.big.Name || moved.To.RoomName != f.small.Name ||
			!moved.From.StartsAt.Equal(f.s1.StartsAt) || !moved.To.StartsAt.Equal(f.s1.StartsAt) {
			t.Errorf("the move got from %+v to %+v, want %s → %s, both at %v", moved.From, moved.To, f.big.Name, f.small.Name, f.s1.StartsAt)
		}
		// Both attendees hear of it (a session in another room and an edited session), and so
		// does the speaker of the added session; nobody else.
		if got := count(t, s, &models.OutboxMessage{}) - mailsBefore; got != 3 {
			t.Errorf("v2 queued %d e-mails, want 3", got)
		}
		for _, reg := range []uint{onA.Registration.ID, onB.Registration.ID} {
			if kinds := outboxKinds(t, s, reg); kinds[len(kinds)-1] != models.MailScheduleChanged {
				t.Errorf("registration %d's last e-mail got %q, want %q", reg, kinds[len(kinds)-1], models.MailScheduleChanged)
			}
		}
		var toSpeaker models.OutboxMessage
		if err := s.DB().Where("kind = ?", models.MailSpeakerSchedule).First(&toSpeaker).Error; err != nil {
			t.Fatalf("no e-mail to the speaker: %v", err)
		}
		if toSpeaker.Recipient != "sanne@example.nl" || toSpeaker.Payload[:2] != "2:" {
			t.Errorf("speaker e-mail got %q with payload %q, want sanne@example.nl and version 2", toSpeaker.Recipient, toSpeaker.Payload)
		}

		latest := must(s.LatestScheduleVersion(ctx, f.event.ID))
		if latest.Number != 2 || len(latest.OfVenue(f.venue.ID)) != 3 {
			t.Errorf("latest got v%d with %d sessions at the venue, want v2 with 3", latest.Number, len(latest.OfVenue(f.venue.ID)))
		}
		if vs := must(s.ScheduleVersions(ctx, f.event.ID)); len(vs) != 2 || vs[0].Number != 2 {
			t.Errorf("versions got %d, newest first; want 2", len(vs))
		}
		if pending := must(s.UnpublishedChanges(ctx, f.event.ID)); len(pending) != 0 {
			t.Errorf("after publishing, unpublished changes got %q, want none", changeKinds(pending))
		}
	})
}

func TestPublishScheduleConcurrently(t *testing.T) {
	t.Parallel()
	modelstest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		session(t, s, f, "Open data", f.big, f.s1, 1, 0)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.PublishSchedule(ctx, f.event.ID, nil)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrNothingToPublish), errors.Is(err, models.ErrConflict):
			default:
				t.Errorf("publish got %v", err)
			}
		}
		if ok != 1 || count(t, s, &models.ScheduleVersion{}) != 1 {
			t.Errorf("%d publications succeeded and %d versions exist, want exactly one of each", ok, count(t, s, &models.ScheduleVersion{}))
		}
	})
}

package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

func TestPublishSchedulePage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	ts.loginAs(t, models.RoleOrganiser, "")
	event := testEvent(t, ts)
	sessions, err := ts.Store.SessionsOfEvent(ctx, event.ID)
	if err != nil {
		t.Fatal(err)
	}
	booked, err := ts.Store.BookedSessions(ctx, event.ID)
	if err != nil {
		t.Fatal(err)
	}
	// busy is the placed session with the most bookings: it keeps its place but may change its
	// title. placed is a session on the timetable nobody booked, in a room of its own, which
	// may leave it (every placed demo session has bookings).
	var busy models.Session
	for _, s := range sessions {
		if s.Placed() && booked[s.ID] > booked[busy.ID] {
			busy = s
		}
	}
	if booked[busy.ID] < 2 {
		t.Fatalf("the demo lacks a placed session with two or more bookings (%d has %d)", busy.ID, booked[busy.ID])
	}
	room, err := ts.Store.CreateRoom(ctx, *busy.VenueID, models.RoomInput{Name: "Extra zaal", Capacity: 40})
	if err != nil {
		t.Fatal(err)
	}
	placed, err := ts.Store.CreateSession(ctx, event.ID, models.SessionInput{Title: "Koffie met de wethouder", Format: busy.Format,
		VenueID: *busy.VenueID, RoomID: room.ID, FirstSlotID: busy.Slots[0].SlotID, SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}

	// Start from an unpublished timetable (the demo ships with version 1).
	modelstest.Delete(t, ts.Store, &models.ScheduleVersion{}, modelstest.Where("event_id = ?", event.ID))
	resp, body := ts.get(t, "/beheer/programma")
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{nlMsg(t, "beheer.publish.never"), nlMsg(t, "beheer.publish.kind.added"), nlMsg(t, "beheer.publish.button", "Number", 1), placed.Title} {
		if !strings.Contains(body, want) {
			t.Errorf("before publishing, the page lacks %q", want)
		}
	}

	resp, body = ts.postForm(t, "/beheer/programma/publiceren", url.Values{})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = ts.get(t, resp.Header.Get("Location"))
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{nlMsg(t, "beheer.publish.done", "Number", 1), nlMsgUpTo(t, "beheer.publish.latest", "When", "Number", 1),
		nlMsg(t, "beheer.publish.no_changes"), nlMsg(t, "beheer.publish.first")} {
		if !strings.Contains(body, want) {
			t.Errorf("after publishing, the page lacks %q", want)
		}
	}
	if strings.Contains(body, nlMsg(t, "beheer.publish.button", "Number", 2)) {
		t.Error("with nothing changed, the page still offers to publish")
	}

	// Nothing changed: publishing again says so and makes no version.
	resp, body = ts.postForm(t, "/beheer/programma/publiceren", url.Values{})
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/beheer/programma")
	if !strings.Contains(body, nlMsg(t, "beheer.publish.nothing")) {
		t.Error("publishing without a change did not say there was nothing to publish")
	}
	if vs, err := ts.Store.ScheduleVersions(ctx, event.ID); err != nil || len(vs) != 1 {
		t.Fatalf("versions got %d (%v), want 1", len(vs), err)
	}

	// A booked session keeps its place: taking it off the schedule is refused and leaves
	// nothing to publish.
	_, err = ts.Store.UpdateSession(ctx, busy.ID, models.SessionInput{Title: busy.Title, Format: busy.Format, SlotCount: len(busy.Slots)})
	var verr *models.ValidationError
	if !errors.As(err, &verr) || verr.Problems["room"].Key != "form.booked_keeps_place" {
		t.Fatalf("taking a booked session off the schedule got %v, want form.booked_keeps_place on the room", err)
	}
	if got, err := ts.Store.Session(ctx, busy.ID); err != nil || !got.Placed() || !slices.Equal(got.SlotIDs(), busy.SlotIDs()) {
		t.Fatalf("a refused change left the booked session in slots %v (%v), want %v", got.SlotIDs(), err, busy.SlotIDs())
	}
	if pending, err := ts.Store.UnpublishedChanges(ctx, event.ID); err != nil || len(pending) != 0 {
		t.Fatalf("a refused change left %d unpublished changes (%v)", len(pending), err)
	}

	// Taking an unbooked session off the schedule and renaming the booked one show up as
	// pending changes, then in version 2.
	if _, err := ts.Store.UpdateSession(ctx, placed.ID, models.SessionInput{Title: placed.Title, Format: placed.Format, SlotCount: len(placed.Slots)}); err != nil {
		t.Fatal(err)
	}
	renamed := busy.Title + " (vernieuwd)"
	in := models.SessionInput{Title: renamed, Format: busy.Format, Abstract: busy.Abstract, Track: busy.Track,
		CapacityLimit: busy.CapacityLimit, VenueID: *busy.VenueID, RoomID: *busy.RoomID, FirstSlotID: busy.Slots[0].SlotID, SlotCount: len(busy.Slots)}
	for _, sp := range busy.Speakers {
		in.Speakers = append(in.Speakers, models.SpeakerInput{Name: sp.Name, Organisation: sp.Organisation})
	}
	if _, err := ts.Store.UpdateSession(ctx, busy.ID, in); err != nil {
		t.Fatal(err)
	}
	_, body = ts.get(t, "/beheer/programma")
	for _, want := range []string{nlMsg(t, "beheer.publish.kind.removed"), nlMsg(t, "beheer.publish.button", "Number", 2), placed.Room.Name, nlMsg(t, "beheer.publish.kind.edited"), renamed} {
		if !strings.Contains(body, want) {
			t.Errorf("with a pending change, the page lacks %q", want)
		}
	}
	// Version 2 e-mails the attendees of the renamed session and its speakers: publishing first
	// asks to confirm their exact number, and publishes nothing until then.
	mails := func() int64 {
		return modelstest.Count(t, ts.Store, &models.OutboxMessage{}, modelstest.Where("kind IN ?", []string{models.MailScheduleChanged, models.MailSpeakerSchedule}))
	}
	before := mails()
	resp, body = ts.postForm(t, "/beheer/programma/publiceren", url.Values{})
	wantStatus(t, resp, body, http.StatusOK)
	shown := regexp.MustCompile(`name="aantal" value="(\d+)"`).FindStringSubmatch(body)
	if shown == nil || shown[1] == "0" || !strings.Contains(body, nlMsg(t, "beheer.mail_confirm.publish", "Count", shown[1])) ||
		!strings.Contains(body, nlMsg(t, "beheer.mail_confirm.publish_attendees", "Count", booked[busy.ID])) {
		t.Fatalf("publishing version 2 does not ask to confirm the number of e-mails:\n%s", body)
	}
	if vs, _ := ts.Store.ScheduleVersions(ctx, event.ID); len(vs) != 1 || mails() != before {
		t.Fatalf("an unconfirmed publish made version %d and queued %d e-mails", len(vs), mails()-before)
	}
	resp, body = ts.postForm(t, "/beheer/programma/publiceren", url.Values{"bevestigd": {"ja"}, "aantal": {shown[1]}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got := mails() - before; fmt.Sprint(got) != shown[1] {
		t.Errorf("publishing queued %d e-mails, the confirmation said %s", got, shown[1])
	}
	_, body = ts.get(t, "/beheer/programma")
	if !strings.Contains(body, nlMsgUpTo(t, "beheer.publish.version", "When", "Number", 2)) || !strings.Contains(body, nlMsgUpTo(t, "beheer.publish.latest", "When", "Number", 2)) {
		t.Error("version 2 is not listed")
	}
}

func TestEventFormSetsTravelTime(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	if got := testEvent(t, ts).TravelMinutes; got != models.DefaultTravelMinutes {
		t.Fatalf("a new event's travel time is %d minutes, want %d", got, models.DefaultTravelMinutes)
	}
	resp, body := ts.get(t, "/beheer/evenement")
	wantStatus(t, resp, body, http.StatusOK)
	if !strings.Contains(body, `name="travel_minutes"`) || !strings.Contains(body, `value="90"`) {
		t.Fatal("the event form lacks the travel time, or does not show 90")
	}
	// Post the form as it is shown, with another travel time.
	e := testEvent(t, ts)
	loc := e.Location()
	form := url.Values{"name": {e.Name}, "date": {e.Date}, "timezone": {e.Timezone}, "travel_minutes": {"601"},
		"proposals_open_at": {models.FormatLocal(e.ProposalsOpenAt, loc)}, "proposals_close_at": {models.FormatLocal(e.ProposalsCloseAt, loc)},
		"registration_closes_at": {models.FormatLocal(e.RegistrationClosesAt, loc)}, "privacy_version": {e.PrivacyVersion}}
	setVotingValues(form, e)
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `href="#veld-travel_minutes"`) || !strings.Contains(body, `value="601"`) {
		t.Error("601 minutes is not refused on its field with the typed value kept")
	}
	if testEvent(t, ts).TravelMinutes != models.DefaultTravelMinutes {
		t.Error("a refused form changed the travel time")
	}
	form.Set("travel_minutes", "120")
	resp, body = ts.postForm(t, "/beheer/evenement", form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got := testEvent(t, ts); got.TravelMinutes != 120 || got.TravelTime() != 2*time.Hour {
		t.Errorf("travel time got %d minutes, want 120", got.TravelMinutes)
	}
}

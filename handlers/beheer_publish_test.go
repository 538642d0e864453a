package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
)

func TestPublishSchedulePage(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	ts.loginAs(t, models.RoleOrganiser, "")
	event := testEvent(t, ts)
	sessions, err := ts.Store.SessionsOfEvent(ctx, event.ID)
	if err != nil {
		t.Fatal(err)
	}
	var placed models.Session
	for _, s := range sessions {
		if s.Placed() {
			placed = s
			break
		}
	}

	// Start from an unpublished timetable (the demo ships with version 1).
	if err := ts.Store.DB().Where("event_id = ?", event.ID).Delete(&models.ScheduleVersion{}).Error; err != nil {
		t.Fatal(err)
	}
	resp, body := ts.get(t, "/beheer/programma")
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"Het programma is nog niet gepubliceerd.", "Toegevoegd", "Publiceer versie 1", placed.Title} {
		if !strings.Contains(body, want) {
			t.Errorf("before publishing, the page lacks %q", want)
		}
	}

	resp, body = ts.postForm(t, "/beheer/programma/publiceren", url.Values{})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = ts.get(t, resp.Header.Get("Location"))
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{"Versie 1 van het programma is gepubliceerd.", "Gepubliceerd: versie 1,",
		"Er zijn geen wijzigingen sinds de laatste versie.", "De eerste versie van het programma."} {
		if !strings.Contains(body, want) {
			t.Errorf("after publishing, the page lacks %q", want)
		}
	}
	if strings.Contains(body, "Publiceer versie 2") {
		t.Error("with nothing changed, the page still offers to publish")
	}

	// Nothing changed: publishing again says so and makes no version.
	resp, body = ts.postForm(t, "/beheer/programma/publiceren", url.Values{})
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/beheer/programma")
	if !strings.Contains(body, "Er was niets te publiceren") {
		t.Error("publishing without a change did not say there was nothing to publish")
	}
	if vs, err := ts.Store.ScheduleVersions(ctx, event.ID); err != nil || len(vs) != 1 {
		t.Fatalf("versions got %d (%v), want 1", len(vs), err)
	}

	// Taking a session off the schedule shows up as a pending change, then in version 2.
	if _, err := ts.Store.UpdateSession(ctx, placed.ID, models.SessionInput{Title: placed.Title, Format: placed.Format, SlotCount: len(placed.Slots)}); err != nil {
		t.Fatal(err)
	}
	_, body = ts.get(t, "/beheer/programma")
	for _, want := range []string{"Uit het programma", "Publiceer versie 2", placed.Room.Name} {
		if !strings.Contains(body, want) {
			t.Errorf("with a pending change, the page lacks %q", want)
		}
	}
	resp, body = ts.postForm(t, "/beheer/programma/publiceren", url.Values{})
	wantStatus(t, resp, body, http.StatusSeeOther)
	_, body = ts.get(t, "/beheer/programma")
	if !strings.Contains(body, "Versie 2, ") || !strings.Contains(body, "Gepubliceerd: versie 2,") {
		t.Error("version 2 is not listed")
	}
}

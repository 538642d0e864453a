package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// bhTimetable describes every session's place, to see whether anything moved.
func bhTimetable(t *testing.T, ts *testServer, eventID uint) string {
	t.Helper()
	sessions, err := ts.Store.SessionsOfEvent(modelstest.Ctx(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	id := func(p *uint) uint {
		if p == nil {
			return 0
		}
		return *p
	}
	for _, s := range sessions {
		fmt.Fprintf(&b, "%d:%d:%d:%v ", s.ID, id(s.VenueID), id(s.RoomID), s.SlotIDs())
	}
	return b.String()
}

func TestPlanScheduleButton(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	ts.loginAs(t, models.RoleOrganiser, "")
	event := testEvent(t, ts)
	// The demo's own sessions waiting for a place are for TestDemoPlannerPlacesWaitingSessions:
	// this test counts only its own.
	modelstest.Delete(t, ts.Store, &models.Session{}, modelstest.Where("event_id = ? AND room_id IS NULL", event.ID))
	fresh, err := ts.Store.CreateSession(ctx, event.ID, models.SessionInput{Title: "Nieuw op het rooster", Format: models.Formats[0], SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	giant, err := ts.Store.CreateSession(ctx, event.ID, models.SessionInput{Title: "<b>Reuzensessie</b>", Format: models.Formats[0], SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Bigger than any room (more than a form allows).
	modelstest.Set(t, ts.Store, &models.Session{}, giant.ID, "capacity_limit", 100000)
	zwolle, err := ts.Store.VenueBySlug(ctx, "zwolle")
	if err != nil {
		t.Fatal(err)
	}

	// Refused before anything happens: a cross-origin post, an unknown venue, a bad mode.
	before := bhTimetable(t, ts, event.ID)
	resp, _ := ts.postFormCrossOrigin(t, "/beheer/rooster/plannen", url.Values{"venue": {"zwolle"}, "mode": {"unplaced"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin: status %d, want 403", resp.StatusCode)
	}
	resp, body := ts.postForm(t, "/beheer/rooster/plannen", url.Values{"venue": {"atlantis"}, "mode": {"unplaced"}})
	wantStatus(t, resp, body, http.StatusNotFound)
	resp, body = ts.postForm(t, "/beheer/rooster/plannen", url.Values{"venue": {"zwolle"}, "mode": {"alles"}, "seed": {"-1"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if _, body = ts.get(t, "/beheer"); !strings.Contains(body, nlMsg(t, "beheer.plan.bad_request")) {
		t.Error("a bad mode did not say so")
	}
	if got := bhTimetable(t, ts, event.ID); got != before {
		t.Fatalf("refused requests changed the timetable:\nbefore %s\nafter  %s", before, got)
	}

	// Planning zwolle places the new session there, leaves the rest and says why the giant
	// one found no room.
	resp, body = ts.postForm(t, "/beheer/rooster/plannen", url.Values{"venue": {"zwolle"}, "mode": {"unplaced"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got, want := resp.Header.Get("Location"), "/beheer/rooster/"+bhID(testVenue(t, ts, "zwolle").ID); got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	// Sessions left unplaced make it a warning on the board, not a success.
	_, body = ts.get(t, resp.Header.Get("Location"))
	warning := between(body, `class="utrecht-alert utrecht-alert--warning`, "</div>")
	for _, want := range []string{nlMsg(t, "beheer.plan.warning"), nlMsg(t, "beheer.plan.done", "Placed", 1, "Moved", 0),
		nlMsg(t, "beheer.plan.unplaced", "Count", 1, "List", "„<b>Reuzensessie</b>” ("+nlText(t, "beheer.plan.reason.room_too_small")+")")} {
		if !strings.Contains(warning, want) {
			t.Errorf("the warning lacks %q:\n%s", want, warning)
		}
	}
	if strings.Contains(body, "utrecht-alert--ok") {
		t.Error("a planner run that left a session unplaced shows a success box")
	}
	// The board lists the session no room fits among its problems, and shows the warning once.
	_, body = ts.get(t, resp.Header.Get("Location"))
	if strings.Contains(body, "utrecht-alert--warning") {
		t.Error("the warning shows again on the next visit")
	}
	if want := nlMsg(t, "beheer.board.issue.unplaceable", "Session", "<b>Reuzensessie</b>", "Reason", nlText(t, "beheer.plan.reason.room_too_small")); !strings.Contains(between(body, `id="problemen"`, "</section>"), want) {
		t.Errorf("the board's problems lack %q", want)
	}
	if strings.Contains(body, "<b>Reuzensessie") {
		t.Error("a session title is shown unescaped")
	}
	se, err := ts.Store.Session(ctx, fresh.ID)
	if err != nil || !se.Placed() || *se.VenueID != zwolle.ID {
		t.Errorf("the new session is at venue %v (placed %v, %v), want zwolle", se.VenueID, se.Placed(), err)
	}
	if se, _ := ts.Store.Session(ctx, giant.ID); se.Placed() {
		t.Error("the giant session was squeezed into a room")
	}
	after := bhTimetable(t, ts, event.ID)
	if strings.Count(after, " ") != strings.Count(before, " ") {
		t.Fatal("planning added or removed sessions")
	}
	// Only the new session's entry differs.
	was := map[string]bool{}
	for _, f := range strings.Fields(before) {
		was[f] = true
	}
	changed := 0
	for _, f := range strings.Fields(after) {
		if !was[f] {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d sessions changed place, want only the new one", changed)
	}

	// A pinned session in a room too small: infeasible, nothing changes, and the flash
	// names it.
	modelstest.Set(t, ts.Store, &models.Session{}, fresh.ID, "capacity_limit", 100000)
	if err := ts.Store.SetPinned(ctx, fresh.ID, true); err != nil {
		t.Fatal(err)
	}
	rotterdam := testVenue(t, ts, "rotterdam")
	resp, body = ts.postForm(t, "/beheer/rooster/plannen", url.Values{"venue": {"all"}, "mode": {"all"}, "seed": {"7"}, "terug": {bhID(rotterdam.ID)}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got, want := resp.Header.Get("Location"), "/beheer/rooster/"+bhID(rotterdam.ID); got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	_, body = ts.get(t, "/beheer")
	if want := nlMsg(t, "beheer.plan.infeasible.pinned"); !strings.Contains(body, want) ||
		!strings.Contains(body, nlMsg(t, "beheer.plan.infeasible.sessions", "List", "„Nieuw op het rooster”")) {
		t.Errorf("the infeasible flash lacks %q and the session's title", want)
	}
	if got := bhTimetable(t, ts, event.ID); got != after {
		t.Errorf("an infeasible plan changed the timetable:\nbefore %s\nafter  %s", after, got)
	}
}

// TestBoardPlanForm: the board's planner form offers the modes and the venue, and posting it
// as shown plans and comes back to the same board.
func TestBoardPlanForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	board := "/beheer/rooster/" + bhID(testVenue(t, ts, "zwolle").ID)
	resp, body := ts.get(t, board)
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{`action="/beheer/rooster/plannen"`, `name="terug" value="` + strings.TrimPrefix(board, "/beheer/rooster/") + `"`, `<option value="zwolle" selected>`,
		`<option value="all">`, `name="mode" value="unplaced" checked`, `name="mode" value="minimal"`, `name="mode" value="all"`, `name="seed"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the board's planner form lacks %s", want)
		}
	}
	resp, body = ts.postForm(t, "/beheer/rooster/plannen", url.Values{"terug": {strings.TrimPrefix(board, "/beheer/rooster/")}, "venue": {"zwolle"}, "mode": {"minimal"}, "seed": {"1"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != board {
		t.Fatalf("Location %q, want the board it came from", got)
	}
	_, body = ts.get(t, board)
	if !strings.Contains(body, nlMsgUpTo(t, "beheer.plan.done", "Placed")) {
		t.Error("the board does not show the planner's outcome")
	}
}

// TestDemoPlannerPlacesWaitingSessions: the demo has confirmed sessions nobody booked yet,
// waiting for a place (issue #12 point 16), and "Automatisch plannen" places them.
func TestDemoPlannerPlacesWaitingSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	ts.loginAs(t, models.RoleOrganiser, "")
	event := testEvent(t, ts)
	waiting := func() []models.Session {
		t.Helper()
		sessions, err := ts.Store.SessionsOfEvent(ctx, event.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []models.Session
		for _, s := range sessions {
			if !s.Placed() {
				out = append(out, s)
			}
		}
		return out
	}
	before := waiting()
	booked, err := ts.Store.BookedSessions(ctx, event.ID)
	if err != nil {
		t.Fatal(err)
	}
	fromProposals := 0
	for _, s := range before {
		if booked[s.ID] > 0 || s.Pinned {
			t.Errorf("waiting session %q: %d bookings, pinned %v; want neither", s.Title, booked[s.ID], s.Pinned)
		}
		if s.ProposalID != nil {
			fromProposals++
		}
	}
	if fromProposals < 3 {
		t.Fatalf("the demo has %d confirmed sessions waiting for a place, want a few", fromProposals)
	}
	resp, body := ts.postForm(t, "/beheer/rooster/plannen", url.Values{"venue": {"all"}, "mode": {"unplaced"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	after := waiting()
	placed := len(before) - len(after)
	if placed < 3 {
		t.Errorf("the planner placed %d of the demo's %d waiting sessions, want at least 3", placed, len(before))
	}
	t.Logf("the planner placed %d of %d waiting sessions", placed, len(before))
	_, body = ts.get(t, "/beheer")
	if want := nlMsgUpTo(t, "beheer.plan.done", "Moved", "Placed", placed); !strings.Contains(body, want) {
		t.Errorf("the flash lacks %q", want)
	}
}

// between returns the part of body from the first start up to the next end ("" when start
// is missing).
func between(body, start, end string) string {
	i := strings.Index(body, start)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, end); j >= 0 {
		return rest[:j]
	}
	return rest
}

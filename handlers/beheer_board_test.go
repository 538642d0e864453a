package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// boardCase adds sessions to the demo that cause every kind of problem the board shows, in
// rooms of their own ("Kelder" in Zwolle, "Zolder" in Rotterdam) so the demo's timetable
// stays as it is.
type boardCase struct {
	d                        bhDemo
	kelder, zolder           models.Room
	alpha, beta, gamma, tall models.Session
	split                    models.Session
	busy                     models.Session // a demo session with demand, in a room made too small
}

func newBoardCase(t *testing.T, ts *testServer) boardCase {
	t.Helper()
	ctx := modelstest.Ctx()
	bc := boardCase{d: bhLoadDemo(t, ts)}
	var err error
	if bc.kelder, err = ts.Store.CreateRoom(ctx, bc.d.zwolle.ID, models.RoomInput{Name: "Kelder", Capacity: 10}); err != nil {
		t.Fatal(err)
	}
	if bc.zolder, err = ts.Store.CreateRoom(ctx, bc.d.rotterdam.ID, models.RoomInput{Name: "Zolder", Capacity: 10}); err != nil {
		t.Fatal(err)
	}
	// An evening slot after a break, so a two-slot session from the last day slot is split.
	_, err = ts.Store.CreateSlot(ctx, bc.d.zwolle.ID, models.SlotInput{Start: "21:00", End: "22:00"})
	if err != nil {
		t.Fatal(err)
	}
	zw, rd := bc.d.zwolle, bc.d.rotterdam
	create := func(title string, v models.Venue, room models.Room, slot models.Slot, length, limit int, speaker string) models.Session {
		t.Helper()
		s, err := ts.Store.CreateSession(ctx, bc.d.event.ID, models.SessionInput{Title: title, Format: "workshop", VenueID: v.ID,
			RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: length, CapacityLimit: limit,
			Speakers: []models.SpeakerInput{{Name: speaker, Organisation: "Gemeente"}}})
		if err != nil {
			t.Fatalf("create %q: %v", title, err)
		}
		return s
	}
	// Sanne speaks in Zwolle and in Rotterdam at the same time.
	bc.alpha = create("Alpha <script>alert(1)</script>", zw, bc.kelder, zw.Slots[0], 1, 0, "Sanne <b>Spreker</b>")
	bc.beta = create("Beta in Rotterdam", rd, bc.zolder, rd.Slots[0], 1, 0, "Sanne <b>Spreker</b>")
	// Udo chose Rotterdam and can only do its first slot, but is placed in Zwolle.
	bc.gamma = create("Gamma ongewenst", zw, bc.kelder, zw.Slots[1], 1, 0, "Udo")
	modelstest.Insert(t, ts.Store, &models.SessionVenue{SessionID: bc.gamma.ID, VenueID: rd.ID},
		&models.SessionAvailability{SessionID: bc.gamma.ID, SlotID: rd.Slots[0].ID})
	// Two slots across the evening break, in Zwolle's Kelder.
	last := zw.Slots[len(zw.Slots)-1]
	bc.split = create("Delta lang", zw, bc.kelder, last, 2, 0, "Dirk")
	// A limit of 8 in a room that shrinks to 6 afterwards.
	bc.tall = create("Epsilon groot", rd, bc.zolder, rd.Slots[1], 1, 8, "Eva")
	modelstest.Set(t, ts.Store, &models.Room{}, bc.zolder.ID, "capacity", 6)
	// A demo session attendees want, in a room shrunk to one seat; all Zwolle's other rooms
	// shrink to one seat too, so the venue is short of seats then.
	d, err := ts.Store.PlanningData(ctx, bc.d.event.ID)
	if err != nil {
		t.Fatal(err)
	}
	pr, plan, _ := schedule.FromPlanning(d)
	demand := pr.Demand(plan)
	for i, se := range d.Sessions {
		if se.VenueID != nil && *se.VenueID == zw.ID && demand[i] > 3 && plan.Places[i] != nil && se.CapacityLimit == 0 {
			bc.busy = se
			break
		}
	}
	if bc.busy.ID == 0 {
		t.Fatal("the demo has no session in Zwolle with more than 3 attendees expected")
	}
	modelstest.Update(t, ts.Store, &models.Room{}, modelstest.Where("venue_id = ?", zw.ID), map[string]any{"capacity": 1})
	return bc
}

func TestBoardShowsEveryKindOfProblem(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	bc := newBoardCase(t, ts)
	ts.loginAs(t, models.RoleOrganiser, "")
	path := "/beheer/rooster/" + bhID(bc.d.zwolle.ID)
	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d; body:\n%s", path, resp.StatusCode, body)
	}
	for _, want := range []string{
		// the grid: rooms with capacity as columns, slots as rows, a two-slot session spanning
		`<th scope="col">Kelder <span class="board-capacity">(` + nlMsg(t, "room.capacity_short", "Count", 1) + `)</span></th>`,
		`id="cel-` + bhID(bc.kelder.ID) + `-` + bhID(bc.d.zwolle.Slots[0].ID) + `"`,
		`rowspan="2"`,
		// escaped titles and names
		"Alpha &lt;script&gt;alert(1)&lt;/script&gt;",
		"Sanne &lt;b&gt;Spreker&lt;/b&gt;",
		// every kind, in plain words
		nlMsg(t, "beheer.board.kind.speaker_double_booked") + ":", nlMsgAfter(t, "beheer.board.issue.double_booked_travel", "Have", "Need", 90),
		nlMsg(t, "beheer.board.kind.speaker_unavailable") + ":", nlMsgUpTo(t, "beheer.board.issue.unavailable", "Time", "Speaker", "Udo"),
		nlMsg(t, "beheer.board.kind.venue_not_wished") + ":",
		nlMsg(t, "beheer.board.issue.venue_not_wished", "Session", "Gamma ongewenst", "Venue", bc.d.zwolle.Name),
		nlMsg(t, "beheer.board.kind.two_slot_split") + ":", nlMsgUpTo(t, "beheer.board.issue.split_break", "Minutes", "Session", "Delta lang"),
		nlMsg(t, "beheer.board.kind.demand_above_room") + ":", nlMsg(t, "beheer.board.kind.venue_seats_short") + ":",
		// links to the causes and their cells
		`href="/beheer/sessies/` + bhID(bc.alpha.ID) + `"`,
		`href="/beheer/sessies/` + bhID(bc.beta.ID) + `"`,
		`href="/beheer/rooster/` + bhID(bc.d.rotterdam.ID) + `#cel-` + bhID(bc.zolder.ID) + `-` + bhID(bc.d.rotterdam.Slots[0].ID) + `"`,
		`href="/beheer/sessies/` + bhID(bc.busy.ID) + `"`,
		// tabs, move forms, the planner's button
		`href="/beheer/rooster/` + bhID(bc.d.rotterdam.ID) + `"`, `aria-current="page"`,
		`action="/beheer/rooster/` + bhID(bc.d.zwolle.ID) + `/verplaatsen"`, `<option value="af"`,
		`action="/beheer/rooster/plannen"`, nlMsg(t, "beheer.board.plan"),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<b>Spreker") {
		t.Error("board shows a title or name unescaped")
	}
	// Rotterdam's board has the room too small for its limit, which Zwolle's does not.
	tooSmall := nlMsg(t, "beheer.board.issue.capacity_above_room", "Session", "Epsilon groot", "Need", 8, "Room", "Zolder", "Have", 6)
	if strings.Contains(body, tooSmall) {
		t.Errorf("Zwolle's board shows a problem only at Rotterdam: %q", tooSmall)
	}
	_, rotterdam := ts.get(t, "/beheer/rooster/"+bhID(bc.d.rotterdam.ID))
	for _, want := range []string{nlMsg(t, "beheer.board.kind.capacity_above_room") + ":", tooSmall, nlMsg(t, "beheer.board.kind.speaker_double_booked") + ":"} {
		if !strings.Contains(rotterdam, want) {
			t.Errorf("Rotterdam's board lacks %q", want)
		}
	}
}

func TestBoardListsUnplacedSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := bhLoadDemo(t, ts)
	ctx := modelstest.Ctx()
	free, err := ts.Store.CreateSession(ctx, d.event.ID, models.SessionInput{Title: "Nog zonder plek", Format: "workshop", SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := ts.Store.CreateSession(ctx, d.event.ID, models.SessionInput{Title: "Alleen Rotterdam", Format: "workshop", SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	modelstest.Insert(t, ts.Store, &models.SessionVenue{SessionID: elsewhere.ID, VenueID: d.rotterdam.ID})
	ts.loginAs(t, models.RoleOrganiser, "")
	_, zwolle := ts.get(t, "/beheer/rooster/"+bhID(d.zwolle.ID))
	_, rotterdam := ts.get(t, "/beheer/rooster/"+bhID(d.rotterdam.ID))
	unplaced := func(body string) string {
		_, after, _ := strings.Cut(body, `id="ongepland"`)
		before, _, _ := strings.Cut(after, `id="problemen"`)
		return before
	}
	if !strings.Contains(unplaced(zwolle), free.Title) || !strings.Contains(unplaced(rotterdam), free.Title) {
		t.Errorf("a session without a venue wish is not in both boards' unplaced lists")
	}
	if strings.Contains(unplaced(zwolle), elsewhere.Title) {
		t.Errorf("Zwolle's unplaced list has a session that wants Rotterdam")
	}
	if !strings.Contains(unplaced(rotterdam), elsewhere.Title) {
		t.Errorf("Rotterdam's unplaced list lacks a session that wants Rotterdam")
	}
}

// boardFreeCell finds a room and slot at the venue that no session uses.
func boardFreeCell(t *testing.T, ts *testServer, v models.Venue) (models.Room, models.Slot) {
	t.Helper()
	for _, r := range v.Rooms {
		for _, sl := range v.Slots {
			if bhCountWhere(t, ts, "session_slots", "room_id = ? AND slot_id = ?", r.ID, sl.ID) == 0 {
				return r, sl
			}
		}
	}
	room, err := ts.Store.CreateRoom(modelstest.Ctx(), v.ID, models.RoomInput{Name: "Extra", Capacity: 30})
	if err != nil {
		t.Fatal(err)
	}
	return room, v.Slots[0]
}

func TestBoardMoveWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := bhLoadDemo(t, ts)
	ts.loginAs(t, models.RoleOrganiser, "")
	ctx := modelstest.Ctx()
	path := "/beheer/rooster/" + bhID(d.zwolle.ID)
	// A session of its own, one slot long (and booked below), so the test does not hang on
	// what the demo's sessions are like.
	ownRoom, ownSlot := boardFreeCell(t, ts, d.zwolle)
	s := modelstest.Session(t, ts.Store, d.event.ID, models.SessionInput{Title: "Verhuisbaar", Format: "workshop",
		VenueID: d.zwolle.ID, RoomID: ownRoom.ID, FirstSlotID: ownSlot.ID, SlotCount: 1,
		Speakers: []models.SpeakerInput{{Name: "Vera Verhuizer", Organisation: "Gemeente"}}})
	room, slot := boardFreeCell(t, ts, d.zwolle)

	t.Run("to a free room", func(t *testing.T) {
		resp, body := ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {bhID(room.ID) + "-" + bhID(slot.ID)}})
		bhExpectRedirect(t, resp, body, path)
		got, err := ts.Store.Session(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RoomID == nil || *got.RoomID != room.ID || len(got.Slots) != 1 || got.Slots[0].SlotID != slot.ID {
			t.Errorf("after the move: room %v, slots %+v; want room %d, slot %d", got.RoomID, got.Slots, room.ID, slot.ID)
		}
		if _, page := ts.get(t, path); !strings.Contains(page, nlMsg(t, "beheer.board.moved", "Title", s.Title)) {
			t.Error("no flash message after the move")
		}
	})

	t.Run("into a taken room", func(t *testing.T) {
		var taken models.SessionSlot
		if err := modelstest.First(ts.Store, &taken, modelstest.Where("room_id IN ? AND session_id <> ?", roomIDs(d.zwolle), s.ID)); err != nil {
			t.Fatal(err)
		}
		before := bhSnapshot(t, ts)
		resp, body := ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {bhID(taken.RoomID) + "-" + bhID(taken.SlotID)}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422; body:\n%s", resp.StatusCode, body)
		}
		for _, want := range []string{nlMsg(t, "beheer.board.move_refused"), nlMsg(t, "beheer.board.nothing_changed"), nlMsg(t, "form.room_taken"), `href="#sessie-` + bhID(s.ID) + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("422 page lacks %q", want)
			}
		}
		if got := bhSnapshot(t, ts); got != before {
			t.Errorf("a refused move changed the data:\nbefore %s\nafter  %s", before, got)
		}
	})

	t.Run("a nonsense place", func(t *testing.T) {
		before := bhSnapshot(t, ts)
		resp, body := ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {"<zaal>"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, nlMsg(t, "form.invalid_choice")) {
			t.Errorf("status %d, want 422 with a message; body:\n%s", resp.StatusCode, body)
		}
		if got := bhSnapshot(t, ts); got != before {
			t.Errorf("a refused move changed the data")
		}
	})

	t.Run("pinned", func(t *testing.T) {
		resp, body := ts.postForm(t, path+"/vastzetten", url.Values{"sessie": {bhID(s.ID)}, "vast": {"ja"}})
		bhExpectRedirect(t, resp, body, path)
		if _, page := ts.get(t, path); !strings.Contains(page, "<strong>"+nlMsg(t, "beheer.board.pinned")+"</strong>") {
			t.Error("the board does not mark the pinned session with a text label")
		}
		before := bhSnapshot(t, ts)
		resp, body = ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {"af"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, nlMsg(t, "beheer.board.pinned_refused", "Title", s.Title)) {
			t.Errorf("moving a pinned session: status %d, want 422 with a message", resp.StatusCode)
		}
		if got := bhSnapshot(t, ts); got != before {
			t.Errorf("moving a pinned session changed the data")
		}
		resp, body = ts.postForm(t, path+"/vastzetten", url.Values{"sessie": {bhID(s.ID)}, "vast": {"nee"}})
		bhExpectRedirect(t, resp, body, path)
		back := bhID(*s.RoomID) + "-" + bhID(s.Slots[0].SlotID)
		resp, body = ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {back}})
		bhExpectRedirect(t, resp, body, path)
		if got, _ := ts.Store.Session(ctx, s.ID); got.RoomID == nil || *got.RoomID != *s.RoomID {
			t.Error("after unpinning, the session did not move back to its room")
		}
	})

	t.Run("booked sessions keep their time", func(t *testing.T) {
		modelstest.Attendee(t, ts.Store, "zwolle", s.ID)
		booked, err := ts.Store.BookedSessions(ctx, d.zwolle.EventID)
		if err != nil || booked[s.ID] == 0 {
			t.Fatalf("the session has no bookings (%v)", err)
		}
		later := d.zwolle.Slots[len(d.zwolle.Slots)-1]
		extra, err := ts.Store.CreateRoom(ctx, d.zwolle.ID, models.RoomInput{Name: "Zolder", Capacity: 500})
		if err != nil {
			t.Fatal(err)
		}
		before := bhSnapshot(t, ts)
		for _, plek := range []string{bhID(extra.ID) + "-" + bhID(later.ID), "af"} {
			resp, body := ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {plek}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, nlMsg(t, "form.booked_keeps_place", "Bookings", booked[s.ID])) {
				t.Errorf("moving a booked session to %s: status %d, want 422 saying it has bookings", plek, resp.StatusCode)
			}
		}
		if got := bhSnapshot(t, ts); got != before {
			t.Errorf("a refused move of a booked session changed the data")
		}
		// Another room at the same time, with a seat for everyone, is fine.
		resp, body := ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {bhID(extra.ID) + "-" + bhID(s.Slots[0].SlotID)}})
		bhExpectRedirect(t, resp, body, path)
	})

	t.Run("cross-origin", func(t *testing.T) {
		before := bhSnapshot(t, ts)
		resp, _ := ts.postFormCrossOrigin(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {bhID(room.ID) + "-" + bhID(slot.ID)}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin move: status %d, want 403", resp.StatusCode)
		}
		if got := bhSnapshot(t, ts); got != before {
			t.Errorf("a cross-origin move changed the data")
		}
	})
}

func roomIDs(v models.Venue) []uint {
	var ids []uint
	for _, r := range v.Rooms {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestBoardVenueOrganiserStaysAtOwnVenue(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := bhLoadDemo(t, ts)
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	path := "/beheer/rooster/" + bhID(d.zwolle.ID)
	_, body := ts.get(t, path)
	if strings.Contains(body, `href="/beheer/rooster/`+bhID(d.rotterdam.ID)+`"`) {
		t.Error("a Zwolle organiser's board offers Rotterdam's tab")
	}
	if strings.Contains(body, `action="/beheer/rooster/plannen"`) {
		t.Error("a Zwolle organiser is offered automatic planning of the whole event")
	}
	room, slot := boardFreeCell(t, ts, d.rotterdam)
	before := bhSnapshot(t, ts)
	for name, form := range map[string]url.Values{
		"own session into Rotterdam": {"sessie": {bhID(d.zwolleSession.ID)}, "plek": {bhID(room.ID) + "-" + bhID(slot.ID)}},
		"Rotterdam's session off":    {"sessie": {bhID(d.rotterdamSession.ID)}, "plek": {"af"}},
		"pin Rotterdam's session":    {"sessie": {bhID(d.rotterdamSession.ID)}, "vast": {"ja"}},
	} {
		target := path + "/verplaatsen"
		if form.Has("vast") {
			target = path + "/vastzetten"
		}
		resp, body := ts.postForm(t, target, form)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403; body:\n%s", name, resp.StatusCode, body)
		}
	}
	if got := bhSnapshot(t, ts); got != before {
		t.Errorf("a Zwolle organiser changed Rotterdam's timetable:\nbefore %s\nafter  %s", before, got)
	}
}

// TestBoardOffTheTimetableKeepsTheVenue: a session taken off the timetable stays at its venue,
// in that venue's list of unplaced sessions.
func TestBoardOffTheTimetableKeepsTheVenue(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	d := bhLoadDemo(t, ts)
	ts.loginAs(t, models.RoleOrganiser, "zwolle")
	ctx := modelstest.Ctx()
	room, slot := boardFreeCell(t, ts, d.zwolle)
	s, err := ts.Store.CreateSession(ctx, d.zwolle.EventID, models.SessionInput{Title: "Even eruit", Format: "workshop",
		VenueID: d.zwolle.ID, RoomID: room.ID, FirstSlotID: slot.ID, SlotCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	path := "/beheer/rooster/" + bhID(d.zwolle.ID)
	resp, body := ts.postForm(t, path+"/verplaatsen", url.Values{"sessie": {bhID(s.ID)}, "plek": {"af"}})
	bhExpectRedirect(t, resp, body, path)
	got, err := ts.Store.Session(ctx, s.ID)
	if err != nil || got.Placed() || got.VenueID == nil || *got.VenueID != d.zwolle.ID {
		t.Fatalf("after taking it off: placed %v, venue %v (%v); want unplaced at Zwolle", got.Placed(), got.VenueID, err)
	}
	_, page := ts.get(t, path)
	if !strings.Contains(page, "Even eruit") {
		t.Error("the Zwolle organiser's board no longer lists the session")
	}
}

package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// roomPeople are demo attendees at Zwolle for one session with a waiting list: one booked
// in it, one on its waiting list, one booked in another session at the same time, and one
// with no seat at that time.
type roomPeople struct {
	session                              models.Session
	booked, waiting, elsewhere, unbooked models.Registration
}

func findRoomPeople(t *testing.T, f *doorFixture) roomPeople {
	t.Helper()
	s := f.ts.Store
	ctx := modelstest.Ctx()
	var w []models.Booking
	modelstest.Find(t, s, &w, modelstest.Where("status = ? AND session_id IN (SELECT id FROM sessions WHERE venue_id = ?)",
		models.BookingWaitlisted, f.zwolle.ID).OrderBy("id").Limit(1))
	if len(w) == 0 {
		t.Fatal("the demo has no waiting list at Zwolle")
	}
	sid := w[0].SessionID
	slotMates := fmt.Sprintf("SELECT b.session_id FROM session_slots a JOIN session_slots b ON a.slot_id = b.slot_id WHERE a.session_id = %d", sid)
	one := func(what string, q modelstest.Q) models.Registration {
		var regs []models.Registration
		modelstest.Find(t, s, &regs, q.OrderBy("id").Limit(1))
		if len(regs) == 0 {
			t.Fatalf("the demo has nobody %s", what)
		}
		return regs[0]
	}
	p := roomPeople{session: must(s.Session(ctx, sid))}
	p.booked = one("booked", modelstest.Where("status = ? AND id IN (SELECT registration_id FROM bookings WHERE session_id = ? AND status = ?)",
		models.RegistrationActive, sid, models.BookingConfirmed))
	p.waiting = must(s.Registration(ctx, w[0].RegistrationID))
	p.elsewhere = one("elsewhere", modelstest.Where("status = ? AND id IN (SELECT registration_id FROM bookings WHERE status = ? AND session_id <> ? AND session_id IN ("+slotMates+")) "+
		"AND id NOT IN (SELECT registration_id FROM bookings WHERE session_id = ?)", models.RegistrationActive, models.BookingConfirmed, sid, sid))
	p.unbooked = one("unbooked", modelstest.Where("status = ? AND venue_id = ? AND id NOT IN (SELECT registration_id FROM bookings WHERE session_id IN ("+slotMates+"))",
		models.RegistrationActive, f.zwolle.ID))
	return p
}

// roomScan posts a scan at a room's door and returns the answer and its raw JSON.
func (f *doorFixture) roomScan(t *testing.T, body map[string]any) (RoomCheckInJSON, string) {
	t.Helper()
	raw, _ := json.Marshal(body)
	resp, b := f.ts.apiCall(t, http.MethodPost, "/api/v1/checkins", string(raw), f.tokens["Ingang Oost"])
	wantAPIStatus(t, resp, b, http.StatusOK)
	var out RoomCheckInJSON
	decodeStrict(t, b, &out)
	if out.Message == "" || strings.HasPrefix(out.Message, "[") {
		t.Errorf("scan %v: message %q, want a translated sentence", body, out.Message)
	}
	return out, string(b)
}

func TestRoomCheckInAPI(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		p := findRoomPeople(t, f)
		now := p.session.StartsAt().Add(5 * time.Minute)
		store.SetClock(func() time.Time { return now })
		t.Cleanup(func() { store.SetClock(time.Now) })
		sid := p.session.ID

		t.Run("in_session once, already_in_session after", func(t *testing.T) {
			body := map[string]any{"code": f.payload(p.booked, f.zwolle), "session": sid, "scan_id": "room-1"}
			got, raw := f.roomScan(t, body)
			if got.Result != models.RoomInSession || got.Registration != p.booked.ID || got.Attendee == nil || got.Attendee.Name != p.booked.Name ||
				got.Session != sid || got.Door != "Ingang Oost" || !strings.Contains(got.Message, p.booked.Name) {
				t.Fatalf("first scan: %s, want in_session for %s", raw, p.booked.Name)
			}
			if strings.Contains(raw, "seat_free") {
				t.Errorf("in_session answer %s carries seat_free", raw)
			}
			again, _ := f.roomScan(t, body)
			if again.Result != models.RoomInSession || again.AdmittedAtVenue {
				t.Errorf("the same scan again: %+v, want its first answer", again)
			}
			later, _ := f.roomScan(t, map[string]any{"code": f.payload(p.booked, f.zwolle), "session": sid})
			if later.Result != models.RoomAlreadyInSession || later.FirstScannedAt != got.FirstScannedAt {
				t.Errorf("a new scan: %+v, want already_in_session since %s", later, got.FirstScannedAt)
			}
			if n := modelstest.Count(t, store, &models.RoomCheckIn{}, modelstest.Where("registration_id = ? AND session_id = ?", p.booked.ID, sid)); n != 1 {
				t.Errorf("room check-ins = %d, want 1", n)
			}
			// The venue's door now knows them as in: its answer is unchanged in shape.
			venue := f.scan(t, "Ingang West", map[string]any{"code": f.payload(p.booked, f.zwolle)})
			wantResult(t, "venue door after the room", venue, models.CheckInAlreadyIn)
		})
		t.Run("waitlisted says whether a seat is free", func(t *testing.T) {
			got, raw := f.roomScan(t, map[string]any{"registration": p.waiting.ID, "session": sid})
			if got.Result != models.RoomWaitlisted || got.SeatFree == nil {
				t.Fatalf("answer %s, want waitlisted with seat_free", raw)
			}
			if !*got.SeatFree && (got.Position < 1 || !strings.Contains(raw, `"seat_free":false`)) {
				t.Errorf("answer %s: no seat, want a place in line and seat_free false", raw)
			}
		})
		t.Run("elsewhere names the session and room", func(t *testing.T) {
			got, raw := f.roomScan(t, map[string]any{"code": f.payload(p.elsewhere, f.zwolle), "session": sid})
			if got.Result != models.RoomElsewhere || got.SessionTitle == "" || got.Room == "" || !strings.Contains(got.Message, got.Room) {
				t.Errorf("answer %s, want elsewhere with session_title and room", raw)
			}
		})
		t.Run("not_booked and not_registered", func(t *testing.T) {
			if got, raw := f.roomScan(t, map[string]any{"code": f.payload(p.unbooked, f.zwolle), "session": sid}); got.Result != models.RoomNotBooked {
				t.Errorf("unbooked: %s, want not_booked", raw)
			}
			other := f.attendees(t, f.rotterdam, 1)[0]
			for _, code := range []string{f.payload(other, f.rotterdam), "ABCD-EFGH"} {
				got, raw := f.roomScan(t, map[string]any{"code": code, "session": sid})
				if got.Result != models.RoomNotRegistered || got.Attendee != nil || got.AdmittedAtVenue {
					t.Errorf("code %.20s…: %s, want not_registered", code, raw)
				}
			}
		})

		var rotterdamSession []models.Session
		modelstest.Find(t, store, &rotterdamSession, modelstest.Where("venue_id = ? AND room_id IS NOT NULL", f.rotterdam.ID).Limit(1))
		if len(rotterdamSession) == 0 {
			t.Fatal("no session at Rotterdam")
		}
		for _, tc := range []struct {
			name, body, field string
			status            int
		}{
			{"another venue's session", fmt.Sprintf(`{"code":"ABCD-EFGH","session":%d}`, rotterdamSession[0].ID), "session", http.StatusUnprocessableEntity},
			{"no such session", `{"code":"ABCD-EFGH","session":999999}`, "session", http.StatusUnprocessableEntity},
			{"a session that is not a number", `{"code":"ABCD-EFGH","session":"zaal"}`, "session", http.StatusBadRequest},
			{"a negative session", `{"code":"ABCD-EFGH","session":-3}`, "session", http.StatusBadRequest},
			{"no code", fmt.Sprintf(`{"session":%d}`, sid), "code", http.StatusUnprocessableEntity},
			{"a scan id used for another person", fmt.Sprintf(`{"registration":%d,"session":%d,"scan_id":"room-1"}`, p.unbooked.ID, sid), "scan_id", http.StatusUnprocessableEntity},
		} {
			t.Run("bad input: "+tc.name, func(t *testing.T) {
				for _, lang := range []string{"nl", "en"} {
					resp, b := f.ts.apiCall(t, http.MethodPost, "/api/v1/checkins", tc.body, f.tokens["Ingang Oost"], "Accept-Language", lang)
					wantAPIStatus(t, resp, b, tc.status)
					var e struct {
						Error struct {
							Message string            `json:"message"`
							Fields  map[string]string `json:"fields"`
						} `json:"error"`
					}
					if err := json.Unmarshal(b, &e); err != nil || e.Error.Message == "" || e.Error.Fields[tc.field] == "" {
						t.Errorf("%s: %s, want a message on %q", lang, b, tc.field)
					}
				}
			})
		}
		t.Run("without a door's token", func(t *testing.T) {
			resp, b := f.ts.apiCall(t, http.MethodPost, "/api/v1/checkins", fmt.Sprintf(`{"code":"ABCD-EFGH","session":%d}`, sid), "")
			wantAPIStatus(t, resp, b, http.StatusUnauthorized)
		})

		t.Run("the sessions to choose from and one room's figures", func(t *testing.T) {
			resp, b := f.ts.apiCall(t, http.MethodGet, "/api/v1/door/sessions", "", f.tokens["Ingang Oost"])
			wantAPIStatus(t, resp, b, http.StatusOK)
			var list RoomSessionsJSON
			decodeStrict(t, b, &list)
			found := false
			for _, s := range list.Sessions {
				found = found || s.ID == sid && s.Title != "" && s.Room != "" && s.Capacity > 0
			}
			if !found {
				t.Fatalf("sessions %s, want %d (running now) among them", b, sid)
			}
			resp, b = f.ts.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/door/sessions/%d", sid), "", f.tokens["Ingang Oost"])
			wantAPIStatus(t, resp, b, http.StatusOK)
			var room RoomDoorJSON
			decodeStrict(t, b, &room)
			if room.Session.ID != sid || room.ScannedIn < 1 || !containsUint(room.InRoom, p.booked.ID) || room.SeatsMessage == "" {
				t.Errorf("room %s: want the session, its scan and the seats in words", b)
			}
			if room.SeatsForWaitlist != 0 || room.SeatsMessage != nlMsg(t, "room.no_seats_for_waitlist") {
				t.Errorf("%d seats for the waiting list read %q, want none: %q", room.SeatsForWaitlist, room.SeatsMessage, nlMsg(t, "room.no_seats_for_waitlist"))
			}
			has := func(reg uint, status string) bool {
				for _, bk := range room.Bookings {
					if bk.Registration == reg && bk.Status == status {
						return true
					}
				}
				return false
			}
			if !has(p.booked.ID, models.BookingConfirmed) || !has(p.elsewhere.ID, models.BookingConfirmed) || len(room.Alongside) == 0 {
				t.Errorf("room %s: want the bookings of this slot's sessions, to judge offline", b)
			}
			for _, path := range []string{"/api/v1/door/sessions/zaal", "/api/v1/door/sessions/999999", fmt.Sprintf("/api/v1/door/sessions/%d", rotterdamSession[0].ID)} {
				resp, b := f.ts.apiCall(t, http.MethodGet, path, "", f.tokens["Ingang Oost"])
				wantAPIStatus(t, resp, b, http.StatusNotFound)
			}
		})
	})
}

func containsUint(list []uint, v uint) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// The event form sets the minutes after a session's start when unclaimed seats are released:
// 0 or empty is off, more than four hours or not a number is refused in words.
func TestSeatReleaseSetting(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleAdmin, "")
	base := func() url.Values {
		return url.Values{"name": {"Dag van de Ambtenaar"}, "date": {"2027-02-03"}, "timezone": {"Europe/Amsterdam"}}
	}
	const p = "/beheer/evenement"
	bhRunFormCases(t, ts, base, []bhFormCase{
		{name: "negative", path: p, change: url.Values{"seat_release_minutes": {"-5"}}, field: "seat_release_minutes",
			wantMsg: nlMsg(t, "form.between", "Min", 0, "Max", 240), kept: "-5"},
		{name: "more than four hours", path: p, change: url.Values{"seat_release_minutes": {"241"}}, field: "seat_release_minutes",
			wantMsg: nlMsg(t, "form.between", "Min", 0, "Max", 240), kept: "241"},
		{name: "in words", path: p, change: url.Values{"seat_release_minutes": {"tien"}}, field: "seat_release_minutes",
			wantMsg: nlMsg(t, "form.not_a_number"), kept: "tien"},
	})
	for _, tc := range []struct {
		typed string
		want  int
	}{{"10", 10}, {"", 0}} {
		form := base()
		form.Set("seat_release_minutes", tc.typed)
		resp, body := ts.postForm(t, p, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %q: status %d, want 303\n%s", tc.typed, resp.StatusCode, body)
		}
		e, err := ts.Store.CurrentEvent(modelstest.Ctx())
		if err != nil || e.SeatReleaseMinutes != tc.want {
			t.Errorf("after saving %q: %d minutes (%v), want %d", tc.typed, e.SeatReleaseMinutes, err, tc.want)
		}
	}
}

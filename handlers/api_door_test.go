package handlers

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// doorFixture is a demo event with a paired device at each venue and the ticket signer.
type doorFixture struct {
	ts        *testServer
	signer    tickets.Signer
	zwolle    models.Venue
	rotterdam models.Venue
	tokens    map[string]string // door name → token, all at zwolle unless named "Rotterdam …"
}

// newDoorFixture starts the site on store, which holds the demo (newDemoStore, eachDemo).
func newDoorFixture(t *testing.T, store *models.Store) *doorFixture {
	t.Helper()
	ctx := modelstest.Ctx()
	ts := newTestServerWith(t, store, false)
	f := &doorFixture{ts: ts, zwolle: testVenue(t, ts, "zwolle"), rotterdam: testVenue(t, ts, "rotterdam"), tokens: map[string]string{}}
	key, err := store.EventKey(ctx, f.zwolle.EventID)
	if err != nil {
		t.Fatal(err)
	}
	f.signer = tickets.NewSigner(key.PrivateKey)
	for _, door := range []struct{ name, venue string }{{"Ingang Oost", "zwolle"}, {"Ingang West", "zwolle"}, {"Rotterdam Hal", "rotterdam"}} {
		_, token, err := store.CreateDeviceToken(ctx, models.DeviceTokenInput{Name: door.name, Role: models.RoleDoor, VenueSlug: door.venue})
		if err != nil {
			t.Fatalf("device token %s: %v", door.name, err)
		}
		if !strings.HasPrefix(token, models.DeviceTokenPrefix) || len(token) < 40 {
			t.Fatalf("device token %q: want dpd_ and at least 256 bits", token)
		}
		f.tokens[door.name] = token
	}
	return f
}

// attendees returns n active registrations at a venue, oldest first.
func (f *doorFixture) attendees(t *testing.T, v models.Venue, n int) []models.Registration {
	t.Helper()
	var regs []models.Registration
	modelstest.Find(t, f.ts.Store, &regs, modelstest.Where("venue_id = ? AND status = ?", v.ID, models.RegistrationActive).OrderBy("id").Limit(n))
	if len(regs) != n {
		t.Fatalf("want %d active registrations at %s, got %d", n, v.Slug, len(regs))
	}
	return regs
}

func (f *doorFixture) payload(r models.Registration, v models.Venue) string {
	return f.signer.Payload(tickets.TicketFor(r, v.TicketName()))
}

// scan posts a check-in request with a door's token and returns the answer.
func (f *doorFixture) scan(t *testing.T, door string, body map[string]any) CheckInJSON {
	t.Helper()
	raw, _ := json.Marshal(body)
	resp, b := f.ts.apiCall(t, http.MethodPost, "/api/v1/checkins", string(raw), f.tokens[door])
	wantAPIStatus(t, resp, b, http.StatusOK)
	var out CheckInJSON
	decodeStrict(t, b, &out)
	if out.Message == "" || strings.HasPrefix(out.Message, "[") {
		t.Errorf("scan %v: message %q, want a translated sentence", body, out.Message)
	}
	return out
}

func wantResult(t *testing.T, what string, got CheckInJSON, result string) {
	t.Helper()
	if got.Result != result {
		t.Fatalf("%s: result %q (%s), want %q", what, got.Result, got.Message, result)
	}
}

func TestCheckInAPI(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		regs := f.attendees(t, f.zwolle, 6)
		ctx := modelstest.Ctx()

		t.Run("admitted, then already checked in", func(t *testing.T) {
			r := regs[0]
			got := f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(r, f.zwolle)})
			wantResult(t, "first scan", got, models.CheckInAdmitted)
			if got.Attendee == nil || got.Attendee.Name != r.Name || got.Attendee.Organisation != r.Organisation {
				t.Errorf("attendee %+v, want %q of %q", got.Attendee, r.Name, r.Organisation)
			}
			if got.Session == nil || got.Session.Title == "" || got.Session.Room == "" {
				t.Errorf("session %+v, want the first session with its room", got.Session)
			}
			if got.Venue != "zwolle" || got.Door != "Ingang Oost" || got.ID == 0 || got.CheckedInAt == "" || got.CheckedInAt != got.FirstCheckedInAt {
				t.Errorf("admitted answer %+v: want venue zwolle, door Ingang Oost, an id and equal times", got)
			}
			if !strings.Contains(got.Message, r.Name) {
				t.Errorf("message %q does not greet %q", got.Message, r.Name)
			}
			// Times carry the event's offset, like the rest of the API.
			for _, ts := range []string{got.CheckedInAt, got.Session.StartsAt} {
				at, err := time.Parse(time.RFC3339, ts)
				_, want := at.In(locale.Zone()).Zone()
				if _, off := at.Zone(); err != nil || off != want {
					t.Errorf("time %q: want the event's offset (%d s)", ts, want)
				}
			}
			// A scanner's trailing line end and spaces do not matter.
			again := f.scan(t, "Ingang West", map[string]any{"code": " " + f.payload(r, f.zwolle) + "\r\n"})
			wantResult(t, "second scan", again, models.CheckInAlreadyIn)
			if again.ID != got.ID || again.FirstCheckedInAt != got.FirstCheckedInAt || again.Door != "Ingang Oost" || again.Conflict {
				t.Errorf("already answer %+v: want the first check-in %d at Ingang Oost, no conflict", again, got.ID)
			}
			if !strings.Contains(again.Message, "Ingang Oost") {
				t.Errorf("message %q does not name the first door", again.Message)
			}
			if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ?", r.ID); n != 1 {
				t.Errorf("check-ins stored: %d, want 1", n)
			}
		})

		t.Run("wrong venue names it and tells nothing else", func(t *testing.T) {
			other := f.attendees(t, f.rotterdam, 1)[0]
			got := f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(other, f.rotterdam)})
			wantResult(t, "rotterdam ticket at zwolle", got, models.CheckInWrongVenue)
			if got.Venue != "rotterdam" || got.VenueName != f.rotterdam.Name || !strings.Contains(got.Message, f.rotterdam.Name) {
				t.Errorf("answer %+v: want the other venue named", got)
			}
			if got.Attendee != nil || got.Registration != 0 {
				t.Errorf("answer %+v: a door of another venue learns no attendee", got)
			}
		})

		t.Run("cancelled", func(t *testing.T) {
			r := regs[1]
			old := f.payload(r, f.zwolle)
			if err := store.Cancel(ctx, r.ID); err != nil {
				t.Fatal(err)
			}
			got := f.scan(t, "Ingang Oost", map[string]any{"code": old})
			wantResult(t, "ticket of a cancelled registration", got, models.CheckInCancelled)
		})

		t.Run("superseded", func(t *testing.T) {
			r := regs[2]
			old := f.payload(r, f.zwolle)
			// The attendee drops their sessions: the programme on the ticket changes.
			changed, err := store.ChangeSessions(ctx, r.ID, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if changed.TicketVersion != r.TicketVersion+1 {
				t.Fatalf("ticket version after a change: %d, want %d", changed.TicketVersion, r.TicketVersion+1)
			}
			wantResult(t, "the ticket from before the change", f.scan(t, "Ingang Oost", map[string]any{"code": old}), models.CheckInSuperseded)
			typedOld := tickets.ShortCode(old)
			wantResult(t, "the old ticket's typed code", f.scan(t, "Ingang Oost", map[string]any{"code": typedOld}), models.CheckInSuperseded)
			wantResult(t, "the new ticket", f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(changed, f.zwolle)}), models.CheckInAdmitted)
		})

		t.Run("invalid", func(t *testing.T) {
			good := f.payload(regs[3], f.zwolle)
			_, otherKey, _ := ed25519.GenerateKey(nil)
			forged := tickets.NewSigner(otherKey).Payload(tickets.TicketFor(regs[3], "zwolle"))
			flipped := []byte(good)
			flipped[10] = map[bool]byte{true: 'B', false: 'A'}[flipped[10] == 'A']
			for name, code := range map[string]string{
				"forged": forged, "one character changed": string(flipped), "cut short": good[:60], "text": "hallo",
				"unknown short code": "AAAAA-AAAAA", "control characters": "DP1\x00\x07", "huge": strings.Repeat("DP1", 5000),
				"SQL": "'; DROP TABLE check_ins; --", "script": "<script>alert(1)</script>",
			} {
				got := f.scan(t, "Ingang Oost", map[string]any{"code": code})
				if got.Result != models.CheckInInvalid || got.Attendee != nil {
					t.Errorf("%s: answer %+v, want invalid without attendee", name, got)
				}
			}
			if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ?", regs[3].ID); n != 0 {
				t.Errorf("check-ins after invalid scans: %d, want 0", n)
			}
		})

		t.Run("typed short code", func(t *testing.T) {
			r := regs[3]
			code := tickets.ShortCode(f.payload(r, f.zwolle))
			typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
			got := f.scan(t, "Ingang West", map[string]any{"code": typed})
			wantResult(t, "typed code "+typed, got, models.CheckInAdmitted)
			if got.Registration != r.ID {
				t.Errorf("typed code checked in registration %d, want %d", got.Registration, r.ID)
			}
		})

		t.Run("by name search", func(t *testing.T) {
			r := regs[4]
			got := f.scan(t, "Ingang West", map[string]any{"registration": r.ID})
			wantResult(t, "registration picked by name", got, models.CheckInAdmitted)
			other := f.attendees(t, f.rotterdam, 1)[0]
			wantResult(t, "registration of another venue", f.scan(t, "Ingang West", map[string]any{"registration": other.ID}), models.CheckInInvalid)
			wantResult(t, "unknown registration", f.scan(t, "Ingang West", map[string]any{"registration": 999999}), models.CheckInInvalid)
		})

		t.Run("undo", func(t *testing.T) {
			r := regs[5]
			got := f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(r, f.zwolle)})
			wantResult(t, "scan", got, models.CheckInAdmitted)
			path := fmt.Sprintf("/api/v1/checkins/%d", got.ID)
			resp, b := f.ts.apiCall(t, http.MethodDelete, path, "", f.tokens["Rotterdam Hal"])
			wantAPIStatus(t, resp, b, http.StatusNotFound)
			resp, b = f.ts.apiCall(t, http.MethodDelete, path, "", f.tokens["Ingang Oost"])
			wantAPIStatus(t, resp, b, http.StatusOK)
			var undo UndoJSON
			decodeStrict(t, b, &undo)
			if undo.ID != got.ID || undo.UndoneAt == "" {
				t.Errorf("undo answer %+v", undo)
			}
			resp, b = f.ts.apiCall(t, http.MethodDelete, path, "", f.tokens["Ingang Oost"])
			wantAPIStatus(t, resp, b, http.StatusOK) // twice is harmless
			var undone models.CheckIn
			if err := modelstest.First(store, &undone, modelstest.Where("id = ?", got.ID)); err != nil || undone.UndoneAt == nil || undone.UndoneBy != "Ingang Oost" {
				t.Errorf("undone check-in %+v (%v): want it kept with who undid it", undone, err)
			}
			wantResult(t, "scan after undo", f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(r, f.zwolle)}), models.CheckInAdmitted)
		})
	})
}

// TestCheckInRace scans one ticket at many doors at once: exactly one is admitted.
func TestCheckInRace(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		for round, r := range f.attendees(t, f.zwolle, 3) {
			code := f.payload(r, f.zwolle)
			results := make(chan string, 16)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range 16 {
				door := []string{"Ingang Oost", "Ingang West"}[i%2]
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					results <- f.scan(t, door, map[string]any{"code": code}).Result
				}()
			}
			close(start)
			wg.Wait()
			close(results)
			count := map[string]int{}
			for r := range results {
				count[r]++
			}
			if count[models.CheckInAdmitted] != 1 || count[models.CheckInAlreadyIn] != 15 {
				t.Errorf("round %d: results %v, want exactly 1 admitted and 15 already_checked_in", round, count)
			}
			if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ?", r.ID); n != 1 {
				t.Errorf("round %d: %d check-ins stored, want 1", round, n)
			}
		}
	})
}

// TestCheckInOffline sends scans as a door that was offline does: with its own scan id and
// the time of the scan, possibly more than once.
func TestCheckInOffline(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		regs := f.attendees(t, f.zwolle, 2)
		code := f.payload(regs[0], f.zwolle)
		now := store.Now().UTC().Truncate(time.Second)

		// The west door was offline and scanned at 09:00; the east door, online, scanned the
		// same ticket later. The west door's scan arrives last, but it was first.
		online := f.scan(t, "Ingang Oost", map[string]any{"code": code})
		wantResult(t, "online scan", online, models.CheckInAdmitted)
		early := now.Add(-time.Hour).Format(time.RFC3339)
		west := map[string]any{"code": code, "scan_id": "west-0001", "scanned_at": early}
		got := f.scan(t, "Ingang West", west)
		wantResult(t, "earlier offline scan", got, models.CheckInAdmitted)
		if !got.Conflict || !sameInstant(got.FirstCheckedInAt, early) || got.Door != "Ingang West" {
			t.Errorf("earlier offline scan: %+v, want a conflict won by Ingang West at %s", got, early)
		}
		// Sent again (the answer was lost): same answer, nothing new stored.
		again := f.scan(t, "Ingang West", west)
		if again.Result != got.Result || again.ID != got.ID || !again.Conflict {
			t.Errorf("repeated scan id: %+v, want %+v", again, got)
		}
		// A third door, offline too, scanned after both.
		late := f.scan(t, "Ingang Oost", map[string]any{"code": code, "scan_id": "oost-0002", "scanned_at": now.Format(time.RFC3339)})
		wantResult(t, "later offline scan", late, models.CheckInAlreadyIn)
		if !late.Conflict || late.Door != "Ingang West" {
			t.Errorf("later offline scan: %+v, want a conflict, first at Ingang West", late)
		}
		if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ? AND undone_at IS NULL", regs[0].ID); n != 1 {
			t.Errorf("check-ins: %d, want 1", n)
		}
		if n := countRows(t, f.ts, &models.CheckInConflict{}, "registration_id = ?", regs[0].ID); n != 2 {
			t.Errorf("conflicts flagged: %d, want 2 (the online scan and the last one)", n)
		}
		arrivals, err := store.VenueArrivals(modelstest.Ctx(), f.zwolle.ID, false)
		if err != nil || len(arrivals.Conflicts) != 2 || arrivals.Conflicts[0].Name != regs[0].Name || arrivals.Conflicts[0].FirstDoor != "Ingang West" {
			t.Errorf("organisers' conflicts %+v (%v), want two naming %q, first at Ingang West", arrivals.Conflicts, err, regs[0].Name)
		}

		// A scan id repeated by a new offline scan of a fresh ticket is answered once.
		fresh := map[string]any{"code": f.payload(regs[1], f.zwolle), "scan_id": "west-0003", "scanned_at": now.Format(time.RFC3339)}
		wantResult(t, "offline scan", f.scan(t, "Ingang West", fresh), models.CheckInAdmitted)
		wantResult(t, "same offline scan again", f.scan(t, "Ingang West", fresh), models.CheckInAdmitted)
		if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ?", regs[1].ID); n != 1 {
			t.Errorf("check-ins for a scan sent twice: %d, want 1", n)
		}
		// A device clock ahead of the server's does not put a scan in the future.
		future := f.scan(t, "Ingang West", map[string]any{"registration": f.attendees(t, f.zwolle, 3)[2].ID, "scanned_at": now.Add(48 * time.Hour).Format(time.RFC3339)})
		wantResult(t, "scan from the future", future, models.CheckInAdmitted)
		if at, _ := time.Parse(time.RFC3339, future.CheckedInAt); at.After(store.Now().Add(time.Minute)) {
			t.Errorf("scan from the future stored at %s, want at most now", future.CheckedInAt)
		}
	})
}

func TestDoorAPIAccess(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	ts := f.ts
	ctx := modelstest.Ctx()

	t.Run("device token", func(t *testing.T) {
		resp, b := ts.apiCall(t, http.MethodGet, "/api/v1/door", "", f.tokens["Ingang Oost"])
		wantAPIStatus(t, resp, b, http.StatusOK)
		var door DoorJSON
		decodeStrict(t, b, &door)
		if door.Venue.Slug != "zwolle" || door.Door != "Ingang Oost" || door.Event.Date == "" {
			t.Errorf("door %+v", door)
		}
		resp, b = ts.apiCall(t, http.MethodGet, "/api/v1/venues/rotterdam/checkin-list", "", f.tokens["Ingang Oost"])
		wantAPIStatus(t, resp, b, http.StatusForbidden)
		resp, b = ts.apiCall(t, http.MethodGet, "/api/v1/door?venue=rotterdam", "", f.tokens["Ingang Oost"])
		wantAPIStatus(t, resp, b, http.StatusForbidden)
	})

	t.Run("no, wrong or revoked token", func(t *testing.T) {
		for name, token := range map[string]string{"none": "", "wrong": "dpd_" + strings.Repeat("a", 52), "not a device token": "abc"} {
			for _, call := range []struct{ method, path, body string }{
				{http.MethodGet, "/api/v1/door", ""},
				{http.MethodGet, "/api/v1/venues/zwolle/checkin-list", ""},
				{http.MethodPost, "/api/v1/checkins", `{"code":"x"}`},
				{http.MethodDelete, "/api/v1/checkins/1", ""},
			} {
				resp, b := ts.apiCall(t, call.method, call.path, call.body, token)
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s token, %s %s: status %d, want 401", name, call.method, call.path, resp.StatusCode)
					continue
				}
				wantAPIStatus(t, resp, b, http.StatusUnauthorized)
				wantAPIError(t, b, "unauthorized", "")
			}
		}
		tokens, err := ts.Store.DeviceTokens(ctx, f.zwolle.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if tok.Name == "Ingang West" {
				if err := ts.Store.RevokeDeviceToken(ctx, tok.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		resp, b := ts.apiCall(t, http.MethodGet, "/api/v1/door", "", f.tokens["Ingang West"])
		wantAPIStatus(t, resp, b, http.StatusUnauthorized)
	})

	t.Run("accounts", func(t *testing.T) {
		door := ts.withNewClient(t)
		door.loginAs(t, models.RoleDoor, "rotterdam")
		resp, b := door.apiCall(t, http.MethodGet, "/api/v1/door", "", "")
		wantAPIStatus(t, resp, b, http.StatusOK)
		var d DoorJSON
		decodeStrict(t, b, &d)
		if d.Venue.Slug != "rotterdam" {
			t.Errorf("door account of rotterdam sees %+v", d)
		}
		resp, b = door.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle/checkin-list", "", "")
		wantAPIStatus(t, resp, b, http.StatusForbidden)

		admin := ts.withNewClient(t)
		admin.loginAs(t, models.RoleAdmin, "")
		resp, b = admin.apiCall(t, http.MethodGet, "/api/v1/door", "", "")
		wantAPIStatus(t, resp, b, http.StatusBadRequest)
		wantAPIError(t, b, "venue_required", "venue")
		resp, b = admin.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle/checkin-list?venue=zwolle", "", "")
		wantAPIStatus(t, resp, b, http.StatusOK)

		reviewer := ts.withNewClient(t)
		reviewer.loginAs(t, models.RoleReviewer, "")
		resp, b = reviewer.apiCall(t, http.MethodGet, "/api/v1/door", "", "")
		wantAPIStatus(t, resp, b, http.StatusForbidden)
	})

	t.Run("bad requests", func(t *testing.T) {
		for _, c := range []struct {
			name, body  string
			status      int
			code, field string
		}{
			{"not JSON", `{"code":`, http.StatusBadRequest, "malformed", ""},
			{"wrong type", `{"code": 12}`, http.StatusBadRequest, "malformed", "code"},
			{"unknown field", `{"code": "x", "admit": true}`, http.StatusBadRequest, "malformed", ""},
			{"bad time", `{"code": "x", "scanned_at": "gisteren"}`, http.StatusBadRequest, "malformed", ""},
			{"neither", `{}`, http.StatusUnprocessableEntity, "invalid", "code"},
			{"both", `{"code": "x", "registration": 3}`, http.StatusUnprocessableEntity, "invalid", "registration"},
			{"long scan id", `{"code": "x", "scan_id": "` + strings.Repeat("s", 65) + `"}`, http.StatusUnprocessableEntity, "invalid", "scan_id"},
			{"scan id with newline", `{"code": "x", "scan_id": "a\nb"}`, http.StatusUnprocessableEntity, "invalid", "scan_id"},
		} {
			resp, b := ts.apiCall(t, http.MethodPost, "/api/v1/checkins", c.body, f.tokens["Ingang Oost"])
			if resp.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d; body %s", c.name, resp.StatusCode, c.status, b)
				continue
			}
			wantAPIStatus(t, resp, b, c.status)
			if c.field != "" {
				wantAPIError(t, b, c.code, c.field)
			}
		}
		resp, b := ts.apiCall(t, http.MethodDelete, "/api/v1/checkins/abc", "", f.tokens["Ingang Oost"])
		wantAPIStatus(t, resp, b, http.StatusNotFound)
	})
}

// TestCheckInList checks the door's offline copy against the tickets it must recognise.
func TestCheckInList(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		ctx := modelstest.Ctx()
		regs := f.attendees(t, f.zwolle, 2)
		if err := store.Cancel(ctx, regs[1].ID); err != nil {
			t.Fatal(err)
		}
		in := f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(regs[0], f.zwolle)})
		wantResult(t, "scan", in, models.CheckInAdmitted)

		resp, b := f.ts.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle/checkin-list", "", f.tokens["Ingang West"])
		wantAPIStatus(t, resp, b, http.StatusOK)
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("Cache-Control %q: a list of names must not be stored by caches", cc)
		}
		var list CheckInListJSON
		decodeStrict(t, b, &list)
		total := int(countRows(t, f.ts, &models.Registration{}, "venue_id = ?", f.zwolle.ID))
		if len(list.Attendees) != total || list.Venue.Slug != "zwolle" || list.Venues["rotterdam"] != f.rotterdam.Name || len(list.Keys) != 1 {
			t.Fatalf("list: %d attendees (want %d), venue %+v, venues %v, keys %d", len(list.Attendees), total, list.Venue, list.Venues, len(list.Keys))
		}
		byID := map[uint]DoorEntryJSON{}
		for _, e := range list.Attendees {
			byID[e.ID] = e
		}
		first := byID[regs[0].ID]
		if first.Code != tickets.ShortCode(f.payload(regs[0], f.zwolle)) || first.Status != "active" || first.CheckIn == nil ||
			first.CheckIn.ID != in.ID || first.CheckIn.Door != "Ingang Oost" || first.Session == nil {
			t.Errorf("checked-in entry %+v, want its ticket's code, the check-in at Ingang Oost and a first session", first)
		}
		cancelled := byID[regs[1].ID]
		if cancelled.Status != "cancelled" || cancelled.Version < 2 || cancelled.CheckIn != nil {
			t.Errorf("cancelled entry %+v, want status cancelled with a raised version", cancelled)
		}
		for _, e := range list.Attendees {
			if e.Status == "active" && e.ID != regs[0].ID && e.CheckIn != nil {
				t.Errorf("entry %d has a check-in nobody made", e.ID)
			}
		}
	})
}

// TestCheckInScanIDs covers what door apps do with their own scan ids: number them per device,
// resend them, and undo.
func TestCheckInScanIDs(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		z := f.attendees(t, f.zwolle, 3)
		r := f.attendees(t, f.rotterdam, 1)[0]

		// Two devices both number their first scan "1": each gets its own attendee.
		atRotterdam := f.scan(t, "Rotterdam Hal", map[string]any{"code": f.payload(r, f.rotterdam), "scan_id": "1"})
		atZwolle := f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(z[0], f.zwolle), "scan_id": "1"})
		wantResult(t, "scan 1 at Rotterdam", atRotterdam, models.CheckInAdmitted)
		wantResult(t, "scan 1 at Zwolle", atZwolle, models.CheckInAdmitted)
		if atZwolle.Registration != z[0].ID || atZwolle.Attendee.Name != z[0].Name {
			t.Errorf("zwolle's scan 1 answered for %d %q, want %d %q", atZwolle.Registration, atZwolle.Attendee.Name, z[0].ID, z[0].Name)
		}
		if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ? AND undone_at IS NULL", z[0].ID); n != 1 {
			t.Errorf("zwolle attendee check-ins: %d, want 1", n)
		}

		// One device using one scan id for two tickets is a mistake the API names.
		raw, _ := json.Marshal(map[string]any{"code": f.payload(z[1], f.zwolle), "scan_id": "1"})
		resp, b := f.ts.apiCall(t, http.MethodPost, "/api/v1/checkins", string(raw), f.tokens["Ingang Oost"])
		wantAPIStatus(t, resp, b, http.StatusUnprocessableEntity)
		wantAPIError(t, b, "invalid", "scan_id")
		if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ?", z[1].ID); n != 0 {
			t.Errorf("a refused scan stored %d check-ins", n)
		}

		// Undone, then the same scan arrives again (its answer was lost): nobody is checked in.
		scan := map[string]any{"code": f.payload(z[2], f.zwolle), "scan_id": "2", "scanned_at": store.Now().UTC().Format(time.RFC3339)}
		first := f.scan(t, "Ingang Oost", scan)
		wantResult(t, "offline scan", first, models.CheckInAdmitted)
		resp, b = f.ts.apiCall(t, http.MethodDelete, fmt.Sprintf("/api/v1/checkins/%d", first.ID), "", f.tokens["Ingang Oost"])
		wantAPIStatus(t, resp, b, http.StatusOK)
		again := f.scan(t, "Ingang Oost", scan)
		if again.ID != first.ID {
			t.Errorf("the repeated scan got check-in %d, want its first answer %d", again.ID, first.ID)
		}
		if n := countRows(t, f.ts, &models.CheckIn{}, "registration_id = ? AND undone_at IS NULL", z[2].ID); n != 0 {
			t.Errorf("after undo and a repeat: %d active check-ins, want 0", n)
		}
		// Scanning the ticket anew is a new check-in.
		wantResult(t, "a new scan after undo", f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(z[2], f.zwolle), "scan_id": "3"}), models.CheckInAdmitted)
	})
}

// TestCheckInOfflineRace sends two offline scans of one ticket at the same moment, both earlier
// than the online check-in: the earliest must win, every time, on both databases.
func TestCheckInOfflineRace(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		now := store.Now().UTC().Truncate(time.Second)
		for round, reg := range f.attendees(t, f.zwolle, 8) {
			code := f.payload(reg, f.zwolle)
			wantResult(t, "online scan", f.scan(t, "Ingang Oost", map[string]any{"code": code}), models.CheckInAdmitted)
			earliest := now.Add(-10 * time.Minute).Format(time.RFC3339)
			var wg sync.WaitGroup
			for i, at := range []string{earliest, now.Add(-5 * time.Minute).Format(time.RFC3339)} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					f.scan(t, "Ingang West", map[string]any{"code": code, "scan_id": fmt.Sprintf("r%d-%d", round, i), "scanned_at": at})
				}()
			}
			wg.Wait()
			var in models.CheckIn
			if err := modelstest.First(store, &in, modelstest.Where("registration_id = ? AND undone_at IS NULL", reg.ID)); err != nil {
				t.Fatal(err)
			}
			if got := in.CheckedInAt.UTC().Format(time.RFC3339); got != earliest {
				t.Errorf("round %d: the check-in that counts is from %s, want the earliest scan, %s", round, got, earliest)
			}
			if n := countRows(t, f.ts, &models.CheckInConflict{}, "registration_id = ?", reg.ID); n != 2 {
				t.Errorf("round %d: %d conflicts, want 2", round, n)
			}
		}
	})
}

// TestCheckInDeviceClock: a device whose clock was reset cannot make its scan the first.
func TestCheckInDeviceClock(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	reg := f.attendees(t, f.zwolle, 1)[0]
	code := f.payload(reg, f.zwolle)
	wantResult(t, "online scan", f.scan(t, "Ingang Oost", map[string]any{"code": code}), models.CheckInAdmitted)
	late := f.scan(t, "Ingang West", map[string]any{"code": code, "scan_id": "x", "scanned_at": "1970-01-01T00:00:00Z"})
	wantResult(t, "scan from a device set to 1970", late, models.CheckInAlreadyIn)
	if late.Door != "Ingang Oost" {
		t.Errorf("the first door is now %q, want Ingang Oost", late.Door)
	}
}

// sameInstant reports whether two RFC 3339 times name the same moment, whatever their offsets.
func sameInstant(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339, a)
	tb, errB := time.Parse(time.RFC3339, b)
	return errA == nil && errB == nil && ta.Equal(tb)
}

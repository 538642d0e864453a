package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestCheckInListDelta follows a door that has its copy and asks only for what changed: a
// new registration, a cancellation and a check-in at another door reach it, and a door whose
// copy is current gets nothing.
func TestCheckInListDelta(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		f := newDoorFixture(t, store)
		ctx := modelstest.Ctx()
		door := f.tokens["Ingang West"]
		list := func(since string) CheckInListJSON {
			t.Helper()
			path := "/api/v1/venues/zwolle/checkin-list"
			if since != "" {
				path += "?since=" + url.QueryEscape(since)
			}
			resp, b := f.ts.apiCall(t, http.MethodGet, path, "", door)
			wantAPIStatus(t, resp, b, http.StatusOK)
			var out CheckInListJSON
			decodeStrict(t, b, &out)
			return out
		}
		full := list("")
		if full.Delta || full.Cursor == "" || len(full.Attendees) < 10 {
			t.Fatalf("first copy: delta %v, cursor %q, %d attendees; want the whole list and a cursor", full.Delta, full.Cursor, len(full.Attendees))
		}
		// The server's cursor is a little before the copy was read (the overlap), never after.
		key, err := store.EventKey(ctx, f.zwolle.EventID)
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := decodeDoorCursor(full.Cursor, key.KeyID()); !ok || c.Rows.After(time.Now()) || time.Since(c.Rows) > time.Minute {
			t.Errorf("cursor %q reads as %+v (%v); want a time just before now", full.Cursor, c, ok)
		}
		if d := list("not-a-cursor"); d.Delta || len(d.Attendees) != len(full.Attendees) {
			t.Errorf("unknown cursor: delta %v, %d attendees; want the whole list (%d)", d.Delta, len(d.Attendees), len(full.Attendees))
		}

		// A cursor without the overlap: exactly what changed after mark.
		cursorAt := func(at time.Time) string {
			return encodeDoorCursor(models.DoorCursor{Rows: at, CheckIns: at}, key.KeyID())
		}
		mark := time.Now().UTC()
		if d := list(cursorAt(mark)); !d.Delta || len(d.Attendees) != 0 || len(d.Removed) != 0 || len(d.OtherCodes) != 0 {
			t.Fatalf("unchanged door: delta %v, %d attendees, %d removed, %d codes; want an empty delta",
				d.Delta, len(d.Attendees), len(d.Removed), len(d.OtherCodes))
		}

		regs := f.attendees(t, f.zwolle, 2)
		sessions, err := store.SessionsOfVenue(ctx, f.zwolle.ID)
		if err != nil || len(sessions) == 0 {
			t.Fatalf("sessions of zwolle: %v", err)
		}
		var res models.RegistrationResult
		for _, se := range sessions {
			if res, err = store.Register(ctx, models.RegistrationInput{Name: "Nieuwe Deelnemer", Email: "nieuw-delta@example.nl",
				Organisation: "Gemeente", Venue: "zwolle", Sessions: []uint{se.ID}, Consent: true, Lang: "nl"}); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Cancel(ctx, regs[1].ID); err != nil {
			t.Fatal(err)
		}
		in := f.scan(t, "Ingang Oost", map[string]any{"code": f.payload(regs[0], f.zwolle)})
		wantResult(t, "scan", in, models.CheckInAdmitted)

		d := list(cursorAt(mark))
		byID := map[uint]DoorEntryJSON{}
		for _, e := range d.Attendees {
			byID[e.ID] = e
		}
		// The cancellation may have promoted someone from a waiting list: a change too.
		promoted := int(countRows(t, f.ts, &models.Booking{}, "promoted_at >= ?", mark))
		if !d.Delta || len(byID) < 3 || len(byID) > 3+promoted {
			t.Fatalf("delta after three changes and %d promotions: delta %v, attendees %v; want exactly those", promoted, d.Delta, byID)
		}
		if e, ok := byID[res.Registration.ID]; !ok || e.Name != "Nieuwe Deelnemer" || e.Status != "active" || e.Code == "" {
			t.Errorf("new registration %+v, want it active with a code", e)
		}
		if e := byID[regs[1].ID]; e.Status != "cancelled" || e.Version < 2 {
			t.Errorf("cancelled registration %+v, want status cancelled with a raised version", e)
		}
		if e := byID[regs[0].ID]; e.CheckIn == nil || e.CheckIn.ID != in.ID || e.CheckIn.Door != "Ingang Oost" {
			t.Errorf("checked-in registration %+v, want the check-in %d at Ingang Oost", e, in.ID)
		}

		// Undone at the other door: the delta carries the entry without its check-in.
		mark = time.Now().UTC()
		resp, b := f.ts.apiCall(t, http.MethodDelete, "/api/v1/checkins/"+bhID(in.ID), "", f.tokens["Ingang Oost"])
		wantAPIStatus(t, resp, b, http.StatusOK)
		d = list(cursorAt(mark))
		if len(d.Attendees) != 1 || d.Attendees[0].ID != regs[0].ID || d.Attendees[0].CheckIn != nil {
			t.Errorf("delta after an undo: %+v, want only registration %d without a check-in", d.Attendees, regs[0].ID)
		}
	})
}

// TestCheckInListGzip checks that a door that accepts gzip gets the list compressed.
func TestCheckInListGzip(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	resp, b := f.ts.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle/checkin-list", "", f.tokens["Ingang West"], "Accept-Encoding", "gzip")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, Content-Encoding %q; want 200 gzip", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var list CheckInListJSON
	decodeStrict(t, plain, &list)
	if len(list.Attendees) == 0 || len(plain) <= len(b) {
		t.Errorf("gzipped list: %d attendees, %d bytes from %d; want a list that shrank", len(list.Attendees), len(b), len(plain))
	}
}

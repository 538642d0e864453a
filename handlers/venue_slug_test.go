package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// renameZwolle gives the demo's zwolle venue the slug zwolle-centrum, as the venue form does.
func renameZwolle(t *testing.T, f *doorFixture) models.Venue {
	t.Helper()
	v := f.zwolle
	v, err := f.ts.Store.UpdateVenue(modelstest.Ctx(), v.ID, models.VenueInput{Slug: "zwolle-centrum", Name: v.Name, City: v.City,
		Address: v.Address, RouteHint: v.RouteHint, Accessibility: v.Accessibility, Capacity: v.Capacity})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVenueRenameKeepsTicketsAndAddresses: a venue's new slug voids no ticket already issued
// (QR code and typed code both still admit at its door), and its old addresses send people on
// to the new ones (issue #12 point 9).
func TestVenueRenameKeepsTicketsAndAddresses(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	regs := f.attendees(t, f.zwolle, 2)
	issued := []string{f.payload(regs[0], f.zwolle), tickets.ShortCode(f.payload(regs[1], f.zwolle))}
	renamed := renameZwolle(t, f)
	if renamed.TicketName() != "zwolle" {
		t.Fatalf("ticket name after the rename = %q, want it kept: zwolle", renamed.TicketName())
	}
	for i, code := range issued {
		got := f.scan(t, "Ingang Oost", map[string]any{"code": code})
		wantResult(t, "a ticket issued before the rename", got, models.CheckInAdmitted)
		if got.Registration != regs[i].ID {
			t.Errorf("admitted registration %d, want %d", got.Registration, regs[i].ID)
		}
	}
	// Tickets issued now name the venue the same way.
	if got := f.payload(regs[0], renamed); got != issued[0] {
		t.Errorf("a ticket issued after the rename differs from the one before:\n%s\n%s", got, issued[0])
	}

	// The door's list names the venue by every name its tickets carry.
	resp, body := f.ts.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle-centrum/checkin-list", "", f.tokens["Ingang Oost"])
	wantAPIStatus(t, resp, body, http.StatusOK)
	var list CheckInListJSON
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(list.Venue.TicketNames, []string{"zwolle", "zwolle-centrum"}) || list.Venues["zwolle"] != renamed.Name {
		t.Errorf("check-in list: ticket names %v, venues %v; want zwolle and zwolle-centrum, both named %q", list.Venue.TicketNames, list.Venues, renamed.Name)
	}

	// A door page bookmarked with the old slug still works.
	resp, body = f.ts.apiCall(t, http.MethodGet, "/api/v1/door?venue=zwolle", "", f.tokens["Ingang Oost"])
	wantAPIStatus(t, resp, body, http.StatusOK)

	for _, tc := range []struct {
		method, path, want string
		status             int
	}{
		{"GET", "/programma/zwolle", "/programma/zwolle-centrum", http.StatusMovedPermanently},
		{"GET", "/programma/zwolle/deurbordjes.pdf?taal=en", "/programma/zwolle-centrum/deurbordjes.pdf?taal=en", http.StatusMovedPermanently},
		{"GET", "/aanmelden/zwolle", "/aanmelden/zwolle-centrum", http.StatusMovedPermanently},
		{"GET", "/api/v1/venues/zwolle/sessions", "/api/v1/venues/zwolle-centrum/sessions", http.StatusMovedPermanently},
		{"GET", "/api/v1/venues/zwolle/schedule.ics", "/api/v1/venues/zwolle-centrum/schedule.ics", http.StatusMovedPermanently},
		{"POST", "/aanmelden/zwolle", "/aanmelden/zwolle-centrum", http.StatusPermanentRedirect},
	} {
		var resp *http.Response
		var body string
		if tc.method == "POST" {
			resp, body = f.ts.postForm(t, tc.path, url.Values{"name": {"Anna"}})
		} else {
			resp, body = f.ts.get(t, tc.path)
		}
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.want {
			t.Errorf("%s %s: status %d, Location %q; want %d to %q\n%s", tc.method, tc.path, resp.StatusCode,
				resp.Header.Get("Location"), tc.status, tc.want, body)
		}
	}
	if resp, body := f.ts.get(t, "/programma/zwolle-centrum"); resp.StatusCode != http.StatusOK {
		t.Errorf("the new address: status %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := f.ts.get(t, "/programma/atlantis"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown venue: status %d, want 404", resp.StatusCode)
	}
}

// TestDoorTypedCodeOfAnotherVenue: a typed code of another venue's ticket gets the answer its
// QR code gets, "for Rotterdam", and says it was cancelled when it was, never "forged" (issue
// #12 point 11); the offline list can tell such codes too.
func TestDoorTypedCodeOfAnotherVenue(t *testing.T) {
	t.Parallel()
	f := newDoorFixture(t, newDemoStore(t))
	regs := f.attendees(t, f.rotterdam, 2)
	if err := f.ts.Store.Cancel(modelstest.Ctx(), regs[1].ID); err != nil {
		t.Fatal(err)
	}
	for i, r := range regs {
		payload := f.payload(r, f.rotterdam)
		for _, code := range []string{payload, tickets.ShortCode(payload)} {
			got := f.scan(t, "Ingang Oost", map[string]any{"code": code})
			wantResult(t, "a Rotterdam ticket at Zwolle", got, models.CheckInWrongVenue)
			want := nlText(t, "checkin.wrong_venue", "Venue", "Stadhuis Rotterdam")
			if i == 1 {
				want = nlText(t, "checkin.wrong_venue_cancelled", "Venue", "Stadhuis Rotterdam")
			}
			if got.VenueName != f.rotterdam.Name || got.Venue != "rotterdam" || got.Cancelled != (i == 1) || got.Message != want {
				t.Errorf("%s: got venue %q (%q), cancelled %v, message %q; want rotterdam, %v, %q", code, got.Venue, got.VenueName,
					got.Cancelled, got.Message, i == 1, want)
			}
		}
	}
	// Typed at its own door, the cancelled ticket says so.
	got := f.scan(t, "Rotterdam Hal", map[string]any{"code": tickets.ShortCode(f.payload(regs[1], f.rotterdam))})
	wantResult(t, "a cancelled ticket at its own door", got, models.CheckInCancelled)

	resp, body := f.ts.apiCall(t, http.MethodGet, "/api/v1/venues/zwolle/checkin-list", "", f.tokens["Ingang Oost"])
	wantAPIStatus(t, resp, body, http.StatusOK)
	var list CheckInListJSON
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	hint := tickets.CodeHint(tickets.ShortCode(f.payload(regs[0], f.rotterdam)))
	if list.OtherCodes[hint] != "rotterdam" || list.Venues["rotterdam"] != f.rotterdam.Name {
		t.Errorf("the offline list does not lead a Rotterdam code to Rotterdam: other_codes[%s] = %q", hint, list.OtherCodes[hint])
	}
	for _, a := range list.Attendees {
		if list.OtherCodes[tickets.CodeHint(a.Code)] != "" {
			t.Errorf("own attendee %d's code is among the other venues' codes", a.ID)
		}
	}
}

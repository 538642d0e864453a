package handlers

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// registerNamed registers someone through the API with a name and address of their own.
func registerNamed(t *testing.T, ts *testServer, name string) RegistrationJSON {
	t.Helper()
	return apiRegister(t, ts, registrationBody(t, nil, func(m map[string]any) {
		m["name"], m["email"] = name, uniqueEmail(strings.ToLower(strings.Fields(name)[0]))
	}))
}

// The API's export holds the attendee's own data and no one else's; the erasure answers what
// it did, and afterwards the token finds nothing, so a second erasure is a 404.
func TestAPIRegistrationExportAndErase(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	anna := registerNamed(t, ts, "Annabel Exportsma")
	bert := registerNamed(t, ts, "Bertrand Anderman")
	path := "/api/v1/registrations/" + strconv.Itoa(int(anna.ID))

	resp, body := ts.apiCall(t, http.MethodGet, path+"/export", "", anna.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusOK)
	var export models.RegistrationExport
	decodeStrict(t, body, &export)
	if export.Registration.Name != anna.Name || export.Registration.Email != anna.Email || export.Erased ||
		len(export.Emails) == 0 || export.Emails[0].Kind != models.MailConfirmation {
		t.Errorf("export: %s", body)
	}
	for _, other := range []string{bert.Name, bert.Email} {
		if strings.Contains(string(body), other) {
			t.Errorf("the export holds someone else's %q", other)
		}
	}

	for _, tc := range []struct{ name, path, token string }{
		{"no token", path + "/export", ""},
		{"someone else's token", path + "/export", bert.ManageToken},
		{"a made-up token", path + "/export", strings.Repeat("x", 43)},
		{"erase with someone else's token", path + "/erase", bert.ManageToken},
	} {
		method := http.MethodGet
		if strings.HasSuffix(tc.path, "/erase") {
			method = http.MethodPost
		}
		resp, body := ts.apiCall(t, method, tc.path, "", tc.token)
		wantAPIStatus(t, resp, body, http.StatusNotFound)
		wantAPIError(t, body, "not_found", "")
	}

	resp, body = ts.apiCall(t, http.MethodPost, path+"/erase", "", anna.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusOK)
	var erased ErasureJSON
	decodeStrict(t, body, &erased)
	if !erased.Erased || erased.Attended {
		t.Errorf("erasure: %s", body)
	}
	resp, body = ts.apiCall(t, http.MethodPost, path+"/erase", "", anna.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusNotFound)
	resp, body = ts.apiCall(t, http.MethodGet, path+"/export", "", anna.ManageToken)
	wantAPIStatus(t, resp, body, http.StatusNotFound)

	// Bert is untouched.
	if got := apiRegistration(t, ts, bert.ID, bert.ManageToken); got.Name != bert.Name || got.Status != models.RegistrationActive {
		t.Errorf("the other attendee after the erasure: %+v", got)
	}
}

// The booking page links to the person's data; the data page, the JSON download and the
// erasure page work, also for a cancelled registration; erasing needs the box ticked and a
// request from this site, and afterwards the personal link is gone.
func TestBookingDataAndErasePages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	anna := registerNamed(t, ts, "Annabel Wisselaar")
	booking := "/boeking/" + anna.ManageToken
	// She was scanned into her first session at its room's door (issue #18).
	at := time.Now().UTC()
	_, sessions := venueSessions(t, ts, "zwolle")
	modelstest.Insert(t, ts.Store, &models.RoomCheckIn{SessionID: sessions[0].ID, RegistrationID: anna.ID,
		ScannedAt: at, ReceivedAt: at, Door: "Zaaldeur Statenzaal"})

	resp, page := ts.get(t, booking)
	wantStatus(t, resp, page, http.StatusOK)
	wantContains(t, "booking page", page, nlMsg(t, "mydata.your_data"), `href="`+booking+`/gegevens"`,
		`href="`+booking+`/gegevens.json"`, `href="`+booking+`/wissen"`)

	// A cancelled registration still holds data: it can be seen, taken and erased.
	resp, body := ts.apiCall(t, http.MethodDelete, "/api/v1/registrations/"+strconv.Itoa(int(anna.ID)), "", anna.ManageToken)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("cancel: %d %s", resp.StatusCode, body)
	}
	resp, page = ts.get(t, booking)
	wantStatus(t, resp, page, http.StatusOK)
	wantContains(t, "cancelled booking page", page, `href="`+booking+`/wissen"`)

	resp, page = ts.get(t, booking+"/gegevens")
	wantStatus(t, resp, page, http.StatusOK)
	wantContains(t, "data page", page, nlMsg(t, "mydata.data_title"), html.EscapeString(anna.Name), html.EscapeString(anna.Email),
		nlMsg(t, "mydata.status_cancelled"), nlMsg(t, "mydata.mail.confirmation"), nlMsg(t, "mydata.room_scans"),
		nlMsg(t, "mydata.room_scan_in")+" · Zaaldeur Statenzaal")

	resp, raw := ts.get(t, booking+"/gegevens.json")
	wantStatus(t, resp, raw, http.StatusOK)
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Errorf("Content-Disposition = %q, want an attachment .json", cd)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control = %q, want private, no-store", cc)
	}
	var export models.RegistrationExport
	if err := json.Unmarshal([]byte(raw), &export); err != nil || export.Registration.Name != anna.Name ||
		export.Registration.Status != models.RegistrationCancelled {
		t.Errorf("JSON download (%v): %s", err, raw)
	}

	resp, page = ts.get(t, booking+"/wissen")
	wantStatus(t, resp, page, http.StatusOK)
	wantContains(t, "erase page", page, `action="`+booking+`/wissen"`, `name="confirm"`, nlMsg(t, "mydata.erase_means_seats"),
		nlMsg(t, "mydata.erase_means_ticket"), nlMsg(t, "mydata.erase_final"))

	resp, page = ts.postForm(t, booking+"/wissen", url.Values{})
	wantStatus(t, resp, page, http.StatusUnprocessableEntity)
	wantContains(t, "erase without the box", page, nlMsg(t, "mydata.erase_confirm_required"))
	resp, page = ts.postFormCrossOrigin(t, booking+"/wissen", url.Values{"confirm": {"ja"}})
	wantStatus(t, resp, page, http.StatusForbidden)
	if r, err := ts.Store.Registration(t.Context(), anna.ID); err != nil || r.ErasedAt != nil {
		t.Fatalf("erased without a confirmation or from another site (%v)", err)
	}

	resp, page = ts.postForm(t, booking+"/wissen", url.Values{"confirm": {"ja"}})
	wantStatus(t, resp, page, http.StatusOK)
	wantContains(t, "erased page", page, nlMsg(t, "mydata.erased_title"))
	r, err := ts.Store.Registration(t.Context(), anna.ID)
	if err != nil || r.ErasedAt == nil || r.Name != models.ErasedName || r.Email != "" {
		t.Errorf("after erasing: %+v (%v)", r, err)
	}
	for _, p := range []string{booking, booking + "/gegevens", booking + "/wissen"} {
		resp, page = ts.get(t, p)
		wantStatus(t, resp, page, http.StatusNotFound)
	}

	// Once the outbox has sent the confirmation, nothing anywhere holds her name or address:
	// not the rate limits the pages counted her address in, not the log.
	for {
		msgs, err := ts.Store.ClaimOutbox(t.Context(), 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			if err := ts.Store.MarkSent(t.Context(), m.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if traces, err := ts.Store.FindTraces(t.Context(), anna.Name, anna.Email); err != nil || len(traces) != 0 {
		t.Errorf("traces of the erased person: %v (%v)", traces, err)
	}

	// The organisers still see the row, as "Gewist", with the erasure in its log.
	ts.loginAs(t, models.RoleOrganiser, "")
	resp, page = ts.get(t, personPath(anna.ID))
	wantStatus(t, resp, page, http.StatusOK)
	wantContains(t, "the erased person's page", page, models.ErasedName, nlMsg(t, "person.audit.registration.erased"))
	if strings.Contains(page, html.EscapeString(anna.Name)) || strings.Contains(page, anna.Email) {
		t.Error("the organisers' page still shows the erased person's name or address")
	}
}

package handlers

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestExportsAreAudited: each export of personal data writes one audit entry naming who
// exported what (the signed-in account, or the API token), and a refused export writes none.
func TestExportsAreAudited(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	zwolle := testVenue(t, ts, "zwolle")
	registerWithNeeds(t, ts, "zwolle", "Bea Behoefte", "Geen noten", "")
	organiser := ts.withNewClient(t)
	u := organiser.loginAs(t, models.RoleOrganiser, "")
	token := organiserToken(t, ts, "")
	venuePath := "/beheer/locaties/" + bhID(zwolle.ID)
	entries := func() int64 {
		return modelstest.Count(t, ts.Store, &models.AuditEntry{}, modelstest.All)
	}
	for _, tc := range []struct {
		name, kind string
		venue      uint
		request    func() (*http.Response, string)
		byToken    bool
	}{
		{name: "people CSV", kind: models.ExportPeopleCSV,
			request: func() (*http.Response, string) {
				return organiser.get(t, "/beheer/deelnemers/export.csv?scheiding=komma")
			}},
		{name: "people XLSX of a venue", kind: models.ExportPeopleXLSX, venue: zwolle.ID,
			request: func() (*http.Response, string) {
				return organiser.get(t, "/beheer/deelnemers/export.xlsx?locatie=zwolle")
			}},
		{name: "door list", kind: models.ExportDoorList, venue: zwolle.ID,
			request: func() (*http.Response, string) { return organiser.get(t, venuePath+"/deurlijst.pdf") }},
		{name: "badges", kind: models.ExportBadges, venue: zwolle.ID,
			request: func() (*http.Response, string) {
				return organiser.postForm(t, venuePath+"/badges.pdf", url.Values{"alleen": {"alle"}})
			}},
		{name: "needs page", kind: models.ExportNeeds, venue: zwolle.ID,
			request: func() (*http.Response, string) { return organiser.get(t, venuePath+"/behoeften") }},
		{name: "registrations API", kind: models.ExportRegistrations, byToken: true,
			request: func() (*http.Response, string) {
				resp, body := ts.apiCall(t, http.MethodGet, "/api/v1/registrations?limit=5", "", token)
				return resp, string(body)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := entries()
			resp, body := tc.request()
			wantStatus(t, resp, body, http.StatusOK)
			if n := entries() - before; n != 1 {
				t.Fatalf("%d audit entries, want 1", n)
			}
			var e models.AuditEntry
			if err := modelstest.First(ts.Store, &e, modelstest.All.OrderBy("id DESC")); err != nil {
				t.Fatal(err)
			}
			d := e.DetailMap()
			if e.Action != models.ActionPersonalDataExported || e.SubjectKind != models.SubjectExport || d["kind"] != tc.kind ||
				e.SubjectID != tc.venue {
				t.Errorf("entry %s %s %d %v, want an export of %s at venue %d", e.Action, e.SubjectKind, e.SubjectID, d, tc.kind, tc.venue)
			}
			wantKind, wantName := models.ActorUser, u.Email
			if tc.byToken {
				wantKind, wantName = models.ActorToken, "Koppeling"
			}
			if e.ActorKind != wantKind || e.ActorName != wantName {
				t.Errorf("actor %s %q, want %s %q", e.ActorKind, e.ActorName, wantKind, wantName)
			}
		})
	}
	t.Run("refused export", func(t *testing.T) {
		before := entries()
		resp, body := organiser.get(t, "/beheer/deelnemers/export.csv?soort=alles")
		if resp.StatusCode == http.StatusOK {
			t.Fatalf("status %d for an unknown kind; body %s", resp.StatusCode, body)
		}
		if n := entries() - before; n != 0 {
			t.Errorf("a refused export wrote %d audit entries, want none", n)
		}
	})
}

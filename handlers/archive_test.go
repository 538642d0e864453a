package handlers

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestArchiveAfterPublishing: an unpublished new edition does not replace the public site;
// once it is published, /programma shows it, and /archief lists the last edition, whose
// programme at /archief/2027/programma/zwolle is the one that was published, read-only.
func TestArchiveAfterPublishing(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, store *models.Store) {
		ts := newTestServerWith(t, store, false)
		ctx := modelstest.Ctx()
		f := newEditionFixture(t, store)
		zwolle, err := store.VenueByTicketName(ctx, f.old.ID, "zwolle")
		if err != nil {
			t.Fatal(err)
		}
		sessions, err := store.SessionsOfVenue(ctx, zwolle.ID)
		if err != nil || len(sessions) == 0 {
			t.Fatalf("the demo's sessions at Zwolle: %d, %v", len(sessions), err)
		}
		// The copy is not published: its session's page is not public yet.
		if resp, _ := ts.get(t, "/sessies/"+bhID(f.session.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the unpublished edition's session page: status %d, want 404", resp.StatusCode)
		}
		// The site shows 2027.
		_, body := ts.get(t, "/programma/zwolle")
		old := ""
		for _, s := range sessions {
			if strings.Contains(body, html.EscapeString(s.Title)) {
				old = html.EscapeString(s.Title)
				break
			}
		}
		if old == "" || strings.Contains(body, "Alleen in 2028") {
			t.Errorf("before publishing, /programma/zwolle should show 2027's %q and not 2028's session", old)
		}
		_, body = ts.get(t, "/archief")
		if !strings.Contains(body, nlText(t, "archive.none")) {
			t.Errorf("before publishing, the archive should hold no edition")
		}
		if resp, _ := ts.get(t, "/archief/2028/programma/zwolle"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the unpublished edition's archive page: status %d, want 404", resp.StatusCode)
		}

		admin := ts.withNewClient(t)
		admin.loginAs(t, models.RoleAdmin, "")
		resp, _ := admin.postForm(t, "/beheer/edities/"+bhID(f.new.ID)+"/publiceren", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish 2028: status %d, want 303", resp.StatusCode)
		}

		_, body = ts.get(t, "/programma/zwolle")
		if strings.Contains(body, old) || !strings.Contains(body, "Alleen in 2028") {
			t.Errorf("after publishing, /programma/zwolle should show 2028's programme")
		}
		_, body = ts.get(t, "/archief")
		if !strings.Contains(body, `href="/archief/2027/programma/zwolle"`) || !strings.Contains(body, nlText(t, "archive.edition", "Year", 2027)) {
			t.Errorf("the archive does not list 2027 with its programme at Zwolle:\n%s", body)
		}
		resp, body = ts.get(t, "/archief/2027/programma/zwolle")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, old) {
			t.Fatalf("2027's programme in the archive: status %d, without %q", resp.StatusCode, old)
		}
		for _, gone := range []string{`href="/aanmelden/`, "schedule.pdf", "seats-full", `href="/programma/`, "Alleen in 2028"} {
			if strings.Contains(body, gone) {
				t.Errorf("the archived programme holds %q: it is read-only and 2027's only", gone)
			}
		}
		if !strings.Contains(body, `href="/archief/2027/programma/rotterdam"`) {
			t.Errorf("the archived programme does not link the other venues' archived programmes")
		}
		// A 2027 session's page from the archive: its speakers' names, no organisation or bio.
		for _, s := range sessions {
			if html.EscapeString(s.Title) != old || len(s.Speakers) == 0 {
				continue
			}
			resp, body := ts.get(t, "/sessies/"+bhID(s.ID))
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, html.EscapeString(s.Speakers[0].Name)) ||
				strings.Contains(body, "</strong>, ") || strings.Contains(body, nlText(t, "session.seats")) ||
				!strings.Contains(body, `href="/archief/2027/programma/zwolle"`) || strings.Contains(body, nlText(t, "session.register")) {
				t.Errorf("the archived session page: status %d; want its speaker's name %q without organisation, no seats, a link back to the archive, no registration:\n%s", resp.StatusCode, s.Speakers[0].Name, body)
			}
		}
		if resp, _ := ts.get(t, "/archief/2028/programma/zwolle"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/programma/zwolle" {
			t.Errorf("the current edition's archive address: status %d to %q, want 303 to /programma/zwolle", resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, p := range []string{"/archief/1999/programma/zwolle", "/archief/2027/programma/nergens", "/archief/twee/programma/zwolle"} {
			if resp, _ := ts.get(t, p); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
			}
		}
	})
}

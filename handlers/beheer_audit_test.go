package handlers

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestAuditLogRoles: the log and its export are for admins only; nobody can change the log
// through the site (no other method on its addresses).
func TestAuditLogRoles(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, path := range []string{"/beheer/logboek", "/beheer/logboek/export.csv"} {
		ts.Client = ts.newClient(t)
		resp, _ := ts.get(t, path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/inloggen?terug="+path {
			t.Errorf("anonymous GET %s: %d %s, want 303 to the log-in page", path, resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, role := range []struct{ role, venue string }{{models.RoleOrganiser, ""}, {models.RoleOrganiser, "zwolle"},
			{models.RoleReviewer, ""}, {models.RoleDoor, "zwolle"}} {
			ts.Client = ts.newClient(t)
			ts.loginAs(t, role.role, role.venue)
			if resp, body := ts.get(t, path); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, bhMsgForbidden) {
				t.Errorf("%s@%s GET %s: %d, want 403", role.role, role.venue, path, resp.StatusCode)
			}
		}
		ts.Client = ts.newClient(t)
		ts.loginAs(t, models.RoleAdmin, "")
		if resp, body := ts.get(t, path); resp.StatusCode != http.StatusOK {
			t.Errorf("admin GET %s: %d, want 200; body:\n%s", path, resp.StatusCode, body)
		}
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
			req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(""))
			req.Header.Set("Origin", ts.URL)
			if resp, _ := ts.do(t, req); resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusNotFound {
				t.Errorf("admin %s %s: %d, want no such route", method, path, resp.StatusCode)
			}
		}
	}
}

// auditLogFixture signs in an admin and corrects a person's details through the site, which
// writes an entry with the name before and after.
func auditLogFixture(t *testing.T) (*testServer, models.User, models.Registration) {
	t.Helper()
	ts := newTestServer(t)
	admin := ts.loginAs(t, models.RoleAdmin, "")
	var person models.Registration
	if err := modelstest.First(ts.Store, &person, modelstest.Where("status = ?", models.RegistrationActive).OrderBy("id")); err != nil {
		t.Fatal(err)
	}
	resp, body := ts.postForm(t, personPath(person.ID)+"/gegevens", url.Values{"name": {"Zoë Logboek"}, "email": {person.Email},
		"organisation": {person.Organisation}, "dietary": {"Geen noten"}, "details_reason": {"belde op"}})
	bhExpectRedirect(t, resp, body, personPath(person.ID))
	return ts, admin, person
}

func TestAuditLogPage(t *testing.T) {
	t.Parallel()
	ts, admin, person := auditLogFixture(t)
	object := "registration:" + bhID(person.ID)
	page := func(t *testing.T, query string) (int, string) {
		t.Helper()
		resp, body := ts.get(t, "/beheer/logboek"+query)
		return resp.StatusCode, html.UnescapeString(body)
	}

	t.Run("summary", func(t *testing.T) {
		status, body := page(t, "?object="+url.QueryEscape(object))
		for _, want := range []string{nlMsg(t, "person.audit.registration.details"), nlText(t, "register.name") + ": " + person.Name + " → Zoë Logboek",
			nlText(t, "audit.changed", "Field", nlText(t, "register.dietary")),
			"belde op", admin.Email, `href="` + personPath(person.ID) + `"`, nlText(t, "audit.from_address", "Address", "127.0.0.1")} {
			if !strings.Contains(body, want) {
				t.Errorf("status %d; the log lacks %q", status, want)
			}
		}
		if strings.Contains(body, "Geen noten") {
			t.Error("the log shows the person's dietary needs")
		}
	})
	t.Run("filters", func(t *testing.T) {
		ctx := models.WithActor(context.Background(), models.Actor{Kind: models.ActorCLI})
		if err := ts.Store.RecordAuditExport(ctx, "van=vroeger", "csv"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			query     string
			want, not []string
		}{
			{"?persoon=cli:0", []string{nlMsg(t, "audit.do.audit.exported"), nlMsg(t, "audit.actor_kind.cli")}, []string{nlMsg(t, "person.audit.registration.details")}},
			{"?persoon=user:" + bhID(admin.ID), []string{nlMsg(t, "person.audit.registration.details")}, []string{"van=vroeger"}},
			{"?soort=audit_log", []string{"van=vroeger"}, []string{nlMsg(t, "person.audit.registration.details")}},
			{"?actie=" + models.AuditRegistrationDetails, []string{nlMsg(t, "person.audit.registration.details")}, []string{"van=vroeger"}},
			{"?object=registration:999999", []string{nlMsg(t, "audit.none")}, []string{nlMsg(t, "person.audit.registration.details")}},
			{"?van=2999-01-01", []string{nlMsg(t, "audit.none")}, []string{nlMsg(t, "person.audit.registration.details")}},
			{"?tot=2000-01-01", []string{nlMsg(t, "audit.none")}, []string{nlMsg(t, "person.audit.registration.details")}},
		} {
			status, body := page(t, tc.query)
			if status != http.StatusOK {
				t.Errorf("%s: status %d", tc.query, status)
			}
			_, body, _ = strings.Cut(body, `id="lijst"`) // the entries, not the filter's choices
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: lacks %q", tc.query, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("%s: shows %q", tc.query, n)
				}
			}
		}
	})
	t.Run("bad filters", func(t *testing.T) {
		for _, tc := range []struct{ query, field, msg string }{
			{"?van=gisteren", "van", nlMsg(t, "form.invalid_date")},
			{"?object=sessie", "object", nlMsg(t, "audit.object_invalid")},
			{"?soort=session&object=registration:1", "object", nlMsg(t, "audit.object_other_kind")},
			{"?van=2027-02-03&tot=2027-02-01", "tot", nlMsg(t, "audit.to_before_from")},
			{"?persoon=user:x", "persoon", nlMsg(t, "form.invalid_choice")},
		} {
			status, body := page(t, tc.query)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tc.query, status)
			}
			bhCheckProblem(t, body, tc.field, tc.msg)
		}
	})
	t.Run("pages", func(t *testing.T) {
		ctx := models.WithActor(context.Background(), models.Actor{Kind: models.ActorCLI})
		for i := range auditPerPage + 5 {
			if err := ts.Store.RecordAuditExport(ctx, fmt.Sprintf("pagina-%d", i), "csv"); err != nil {
				t.Fatal(err)
			}
		}
		_, body := page(t, "?soort=audit_log")
		if n := strings.Count(body, "pagina-"); n != auditPerPage {
			t.Errorf("first page shows %d entries, want %d", n, auditPerPage)
		}
		older := attrAfter(body, `rel="next" href="`)
		if older == "" || !strings.Contains(older, "soort=audit_log") || strings.Contains(body, `rel="prev"`) {
			t.Fatalf("first page: older link %q (and no newer link)", older)
		}
		_, body = page(t, "?"+strings.SplitN(older, "?", 2)[1])
		// The rest: 5 more and the first export of the "filters" test.
		if n := strings.Count(body, "pagina-"); n != 5 || !strings.Contains(body, "van=vroeger") || !strings.Contains(body, `rel="prev"`) {
			t.Errorf("second page shows %d of the new entries, want 5 and the oldest, with a link back", n)
		}
	})
	t.Run("session titles", func(t *testing.T) {
		// Someone with a seat loses their sessions: the log names them by title.
		var booking models.Booking
		if err := modelstest.First(ts.Store, &booking, modelstest.Where("status = ?", models.BookingConfirmed).OrderBy("registration_id")); err != nil {
			t.Fatal(err)
		}
		regID, sessionID := booking.RegistrationID, booking.SessionID
		titles, err := ts.Store.SessionTitles(context.Background(), []uint{sessionID})
		if err != nil || titles[sessionID] == "" {
			t.Fatalf("SessionTitles = %v, %v", titles, err)
		}
		resp, body := ts.postForm(t, personPath(regID)+"/sessies", url.Values{})
		bhExpectRedirect(t, resp, body, personPath(regID))
		_, body = page(t, "?actie="+models.AuditRegistrationSessions+"&object=registration:"+bhID(regID))
		_, body, _ = strings.Cut(body, `id="lijst"`)
		_, removed, _ := strings.Cut(body, "<li>"+nlText(t, "audit.field.removed")+": ")
		removed, _, _ = strings.Cut(removed, "</li>")
		if !strings.Contains(removed, titles[sessionID]) || !strings.Contains(body, "<li>"+nlText(t, "audit.field.added")+": –</li>") {
			t.Errorf("the log names the sessions removed as %q, want %q among them, and none added", removed, titles[sessionID])
		}
	})
	t.Run("history links", func(t *testing.T) {
		_, body := ts.get(t, personPath(person.ID))
		if want := `href="/beheer/logboek?object=registration%3A` + bhID(person.ID) + `"`; !strings.Contains(body, want) {
			t.Errorf("the person's page lacks the link %s", want)
		}
		organiser := *ts
		organiser.Client = ts.newClient(t)
		organiser.loginAs(t, models.RoleOrganiser, "")
		if _, body := organiser.get(t, personPath(person.ID)); strings.Contains(body, "/beheer/logboek") {
			t.Error("an organiser, who may not read the log, is shown a link to it")
		}
	})
}

func TestAuditLogCSV(t *testing.T) {
	t.Parallel()
	ts, admin, person := auditLogFixture(t)
	resp, body := ts.get(t, "/beheer/logboek/export.csv?actie="+models.AuditRegistrationDetails, "Accept-Language", "en")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse the CSV: %v\n%s", err, body)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want a header and 1 entry:\n%s", len(rows), body)
	}
	if got := strings.Join(rows[0], "|"); got != "No.|When|Who|Address|Action|Object|Change|Reason|Details|Hash" {
		t.Errorf("header %s", got)
	}
	row := rows[1]
	want := map[int]string{2: admin.Email, 3: "127.0.0.1", 4: "Details corrected", 5: "Attendee #" + bhID(person.ID), 7: "belde op"}
	for col, w := range want {
		if row[col] != w {
			t.Errorf("column %s = %q, want %q", rows[0][col], row[col], w)
		}
	}
	if !strings.Contains(row[6], "Name: "+person.Name+" → Zoë Logboek") || !strings.Contains(row[8], `"Zoë Logboek"`) || len(row[9]) != 64 {
		t.Errorf("change %q, details %q, hash %q", row[6], row[8], row[9])
	}
	if strings.Contains(body, "Geen noten") {
		t.Error("the export holds the person's dietary needs")
	}
	var e models.AuditEntry
	err = modelstest.First(ts.Store, &e, modelstest.Where("action = ?", models.ActionAuditExported))
	if err != nil || e.ActorID == nil || *e.ActorID != admin.ID || !strings.Contains(e.Details, "actie=") {
		t.Errorf("the export's own entry: %+v (%v)", e, err)
	}
	if check, err := ts.Store.VerifyAudit(context.Background()); err != nil || check.Broken != nil {
		t.Errorf("VerifyAudit after the export: %+v, %v", check, err)
	}
	// A bad filter goes back to the page, which explains it.
	resp, _ = ts.get(t, "/beheer/logboek/export.csv?van=gisteren")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/logboek?van=gisteren" {
		t.Errorf("export with a bad date: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// attrAfter returns the (unescaped) attribute value that follows the first from in s, or "".
func attrAfter(s, from string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return html.UnescapeString(v)
}

package handlers

import (
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/demo"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestVenuePageWithSessionWithoutRoom: a session at a venue without a room (the demo keeps
// one; the session form and "off the timetable" make them) is listed on the venue's page,
// which answered 500 before (issue #12 point 10).
func TestVenuePageWithSessionWithoutRoom(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	venue := testVenue(t, ts, demo.VenueOnlySession.Venue)
	resp, body := ts.get(t, "/beheer/locaties/"+bhID(venue.ID))
	wantStatus(t, resp, body, http.StatusOK)
	row := body[strings.Index(body, html.EscapeString(demo.VenueOnlySession.Title))-200:]
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{nlMsg(t, "beheer.session.not_placed"), nlMsg(t, "beheer.session.no_room")} {
		if !strings.Contains(row, want) {
			t.Errorf("the session's row lacks %q:\n%s", want, row)
		}
	}

	// Taken off the timetable on the board, a session stays at its venue without a room.
	s := bhLoadDemo(t, ts).zwolleSession
	modelstest.Delete(t, ts.Store, &models.SessionSlot{}, modelstest.Where("session_id = ?", s.ID))
	modelstest.Set(t, ts.Store, &models.Session{}, s.ID, "room_id", nil)
	for _, path := range []string{"/beheer/locaties/" + bhID(*s.VenueID), "/beheer/sessies", "/beheer/rooster/" + bhID(*s.VenueID),
		"/beheer/sessies/" + bhID(s.ID), "/sessies/" + bhID(s.ID)} {
		resp, body := ts.get(t, path)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s: status %d; body:\n%s", path, resp.StatusCode, body)
		}
	}
}

// TestErrorsAreTheCalmPage: a page that fails to render, a panic and a failing session store
// all answer with the calm error page and its request id, never a bare "Internal Server Error".
func TestErrorsAreTheCalmPage(t *testing.T) {
	t.Parallel()
	store := newDemoStore(t)
	h, err := newHandler(Config{Store: store, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		body := rec.Body.String()
		id := rec.Header().Get("X-Request-Id")
		if rec.Code != http.StatusInternalServerError || id == "" {
			t.Errorf("status %d, request id %q; want 500 with an id", rec.Code, id)
		}
		for _, want := range []string{"<h1", nlMsg(t, "error.server.title"), nlMsg(t, "error.reference", "ID", id)} {
			if !strings.Contains(body, want) {
				t.Errorf("the error page lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "Internal Server Error") {
			t.Errorf("the answer is the bare text:\n%s", body)
		}
	}

	t.Run("render error", func(t *testing.T) {
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		r.Use(h.requestID, h.recoverPanic, h.language)
		// The venue page's data without its venue: the template cannot render it.
		r.GET("/", func(c *gin.Context) { h.render(c, http.StatusOK, "beheer/venue", struct{ Page }{h.page(c, "x", "")}) })
		r.GET("/panic", func(*gin.Context) { panic("boom") })
		r.GET("/panic-in-session", func(c *gin.Context) { h.currentUser(c); panic("boom") })
		for _, path := range []string{"/", "/panic"} {
			rec := httptest.NewRecorder()
			h.sessions.LoadAndSave(r).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			check(t, rec)
		}
		// Without the session layer, the error page itself cannot read the web session.
		for _, path := range []string{"/", "/panic-in-session"} {
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			check(t, rec)
		}
	})

	t.Run("session store", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.sessionStoreError(rec, httptest.NewRequest(http.MethodGet, "/", nil), errors.New("database is locked"))
		check(t, rec)
	})

	t.Run("closed database", func(t *testing.T) {
		srv, err := New(Config{Store: store, Logger: discardLogger()})
		if err != nil {
			t.Fatal(err)
		}
		store.Close()
		for _, path := range []string{"/", "/programma/zwolle", "/beheer/inloggen"} {
			rec := httptest.NewRecorder()
			req := httptest.NewRequestWithContext(modelstest.Ctx(), http.MethodGet, path, nil)
			req.AddCookie(&http.Cookie{Name: "dagplanner_session", Value: "abc"})
			srv.ServeHTTP(rec, req)
			check(t, rec)
		}
	})
}

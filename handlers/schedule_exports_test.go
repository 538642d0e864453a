package handlers

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
	"github.com/ambtenaar20/dagplanner/tickets/ticketstest"
)

// placedAt returns the first session placed at the venue with the given slug.
func placedAt(t *testing.T, ts *testServer, slug string) models.Session {
	t.Helper()
	ctx := modelstest.Ctx()
	v, err := ts.Store.VenueBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := ts.Store.SessionsOfVenue(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if s.RoomID != nil && len(s.Slots) > 0 { // the demo also has sessions waiting for a place or a room
			return s
		}
	}
	t.Fatalf("no placed session at %s", slug)
	return models.Session{}
}

func TestScheduleExportsServeThePublishedVersion(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	event := testEvent(t, ts)
	session := placedAt(t, ts, "zwolle")

	// The demo ships published; without a version, the exports say the programme is not
	// published.
	modelstest.Delete(t, ts.Store, &models.ScheduleVersion{}, modelstest.Where("event_id = ?", event.ID))
	resp, body := ts.get(t, "/api/v1/venues/zwolle/schedule.xml")
	wantStatus(t, resp, body, http.StatusNotFound)
	if !strings.Contains(body, `"not_published"`) {
		t.Errorf("before publishing got %s, want code not_published", body)
	}
	resp, body = ts.get(t, "/programma/zwolle/deurbordjes.pdf")
	wantStatus(t, resp, body, http.StatusNotFound)
	if !strings.Contains(body, nlMsg(t, "schedule.not_published_page.body")) {
		t.Error("the door signs before publishing do not say the programme is not published")
	}

	if _, err := ts.Store.PublishSchedule(ctx, event.ID, nil); err != nil {
		t.Fatal(err)
	}
	// A change after publishing is not public until the next version.
	if _, err := ts.Store.UpdateSession(ctx, session.ID, models.SessionInput{Title: "Nog geheim", Format: session.Format,
		VenueID: *session.VenueID, RoomID: *session.RoomID, FirstSlotID: session.Slots[0].SlotID, SlotCount: len(session.Slots)}); err != nil {
		t.Fatal(err)
	}

	t.Run("frab XML valid against the schema", func(t *testing.T) {
		resp, body := ts.get(t, "/api/v1/venues/zwolle/schedule.xml")
		wantStatus(t, resp, body, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
			t.Errorf("Content-Type %q", ct)
		}
		ticketstest.NeedTool(t, "xmllint")
		path := filepath.Join(t.TempDir(), "schedule.xml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("..", "schedule", "testdata", "schedule.xml.xsd"), path).CombinedOutput(); err != nil {
			t.Fatalf("xmllint: %v\n%s", err, out)
		}
		var doc struct {
			Rooms []struct {
				Name   string   `xml:"name,attr"`
				Titles []string `xml:"event>title"`
			} `xml:"day>room"`
		}
		if err := xml.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, r := range doc.Rooms {
			titles = append(titles, r.Titles...)
			if !strings.HasSuffix(r.Name, "(Zwolle)") {
				t.Errorf("room %q: want the city in its name", r.Name)
			}
		}
		if !strings.Contains(strings.Join(titles, "|"), session.Title) || strings.Contains(body, "Nog geheim") {
			t.Errorf("titles %q: want the published %q and not the unpublished change", titles, session.Title)
		}
	})

	t.Run("frab JSON", func(t *testing.T) {
		resp, body := ts.get(t, "/api/v1/venues/rotterdam/schedule.json")
		wantStatus(t, resp, body, http.StatusOK)
		var doc struct {
			Schedule struct {
				Version    string `json:"version"`
				Conference struct {
					Title string `json:"title"`
					Days  []struct {
						Rooms map[string][]struct {
							Title string `json:"title"`
						} `json:"rooms"`
					} `json:"days"`
				} `json:"conference"`
			} `json:"schedule"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatal(err)
		}
		c := doc.Schedule.Conference
		if !strings.Contains(c.Title, "Rotterdam") || len(c.Days) != 1 || len(c.Days[0].Rooms) == 0 {
			t.Errorf("conference %+v: want Rotterdam's day with rooms", c)
		}
	})

	t.Run("iCal per venue", func(t *testing.T) {
		resp, body := ts.get(t, "/api/v1/venues/zwolle/schedule.ics")
		wantStatus(t, resp, body, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.Contains(body, "TZID=Europe/Amsterdam") ||
			!strings.Contains(body, "UID:session-") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
			t.Errorf("not a CRLF calendar with Amsterdam times and UIDs:\n%.400s", body)
		}
	})

	t.Run("PDF programme and door signs", func(t *testing.T) {
		for _, path := range []string{"/api/v1/venues/zwolle/schedule.pdf", "/programma/zwolle/deurbordjes.pdf"} {
			resp, body := ts.get(t, path)
			wantStatus(t, resp, body, http.StatusOK)
			text := squashSpace(ticketstest.PDFText(t, []byte(body)))
			for _, want := range []string{session.Title, session.Room.Name} {
				if !strings.Contains(text, squashSpace(want)) {
					t.Errorf("%s lacks %q", path, want)
				}
			}
		}
	})

	t.Run("open data with a licence", func(t *testing.T) {
		resp, body := ts.get(t, "/api/v1/programme.json")
		wantStatus(t, resp, body, http.StatusOK)
		if !strings.Contains(resp.Header.Get("Link"), `rel="license"`) || !strings.Contains(body, `"licence"`) {
			t.Errorf("open data JSON lacks its licence (Link %q)", resp.Header.Get("Link"))
		}
		resp, body = ts.get(t, "/api/v1/programme.csv")
		wantStatus(t, resp, body, http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 2 || !strings.Contains(strings.Join(rows[0], ","), "licence") {
			t.Errorf("CSV header %q: want a licence column and rows", rows[0])
		}
	})

	t.Run("personal iCal", func(t *testing.T) {
		res, err := ts.Store.Register(ctx, models.RegistrationInput{Name: "Ida Agenda", Email: "ida@example.nl", Organisation: "Gemeente Zwolle",
			Venue: "zwolle", Sessions: []uint{session.ID}, Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		// The booking page links the feed by a read-only token of its own (#12 point 22).
		resp, page := ts.get(t, "/boeking/"+res.Token)
		wantStatus(t, resp, page, http.StatusOK)
		m := regexp.MustCompile(`value="(http://[^"]+/agenda/([A-Za-z0-9_-]{43})\.ics)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the booking page links no calendar feed:\n%s", excerpt(page))
		}
		feedPath := strings.TrimPrefix(m[1], ts.URL)
		if strings.Contains(page, "/boeking/"+res.Token+"/programma.ics") || m[2] == res.Token {
			t.Errorf("the feed's address %q holds the booking token", m[1])
		}
		wantContains(t, "booking page", page, `href="webcal://`+strings.TrimPrefix(ts.URL, "http://")+`/agenda/`+m[2]+`.ics"`,
			nlMsg(t, "feed.outlook"), nlMsg(t, "feed.google"), nlMsg(t, "feed.apple"))
		resp, body := ts.get(t, feedPath)
		wantStatus(t, resp, body, http.StatusOK)
		if strings.Count(body, "BEGIN:VEVENT") != 1 || !strings.Contains(body, "UID:session-") {
			t.Errorf("personal calendar: want exactly the one booked session:\n%.600s", body)
		}
		// The same token on every visit; the feed token manages nothing.
		_, again := ts.get(t, "/boeking/"+res.Token)
		if !strings.Contains(again, m[1]) {
			t.Errorf("the booking page shows another feed address on a second visit")
		}
		resp, body = ts.get(t, "/boeking/"+m[2])
		wantStatus(t, resp, body, http.StatusNotFound)
		// The old address, with the booking token in it, serves no feed any more.
		for _, gone := range []string{"/boeking/" + res.Token + "/programma.ics", "/agenda/" + res.Token + ".ics",
			"/agenda/" + strings.Repeat("x", 43) + ".ics", "/agenda/" + m[2], "/agenda/.ics"} {
			resp, body = ts.get(t, gone)
			wantStatus(t, resp, body, http.StatusNotFound)
		}
		// Cancelled: the feed stays and empties, so subscribed calendars drop the sessions.
		if err := ts.Store.Cancel(ctx, res.Registration.ID); err != nil {
			t.Fatal(err)
		}
		resp, body = ts.get(t, feedPath)
		wantStatus(t, resp, body, http.StatusOK)
		if strings.Contains(body, "BEGIN:VEVENT") || !strings.Contains(body, "BEGIN:VCALENDAR") {
			t.Errorf("feed of a cancelled registration: want an empty calendar:\n%.600s", body)
		}
	})

	t.Run("unknown venue", func(t *testing.T) {
		for _, path := range []string{"/api/v1/venues/atlantis/schedule.xml", "/api/v1/venues/atlantis/schedule.pdf", "/programma/atlantis/deurbordjes.pdf"} {
			resp, body := ts.get(t, path)
			wantStatus(t, resp, body, http.StatusNotFound)
		}
	})

	t.Run("programme page shows the published version", func(t *testing.T) {
		resp, body := ts.get(t, "/programma/zwolle")
		wantStatus(t, resp, body, http.StatusOK)
		for _, want := range []string{nlMsgUpTo(t, "programme.version", "When", "Number", 1), session.Title, `href="/api/v1/venues/zwolle/schedule.xml"`, `name="format"`,
			nlMsg(t, "programme.pdf_same_as_page")} {
			if !strings.Contains(body, want) {
				t.Errorf("programme page lacks %q", want)
			}
		}
		if strings.Contains(body, "Nog geheim") {
			t.Error("the programme page shows an unpublished change")
		}
		_, body = ts.get(t, "/programma/zwolle?format=nonsense")
		if !strings.Contains(body, session.Title) {
			t.Error("an unknown format filter hid the programme instead of being ignored")
		}
	})
}

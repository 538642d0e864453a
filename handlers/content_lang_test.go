package handlers

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// The demo has English versions of the event, both venues and most sessions (demo.SessionsEn);
// these tests read the public pages as an English and a Dutch visitor.
const (
	translatedNL = "Overheid 2.0 in de stad: Rotterdam en zijn digitale inwoners"
	translatedEN = "Government 2.0 in the city: Rotterdam and its digital residents"
	dutchOnly    = "Wiki-training: samen schrijven aan beleid" // no English version
)

// notIn fails the test for every unwanted string body holds.
func notIn(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s: got %q in the body, want it left out", what, u)
		}
	}
}

func TestEnglishContentOnPublicPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	translated := testSessionByTitle(t, ts, translatedNL)
	plain := testSessionByTitle(t, ts, dutchOnly)
	english := []string{"Accept-Language", "en-GB,en;q=0.9"}
	esc := html.EscapeString

	t.Run("programme", func(t *testing.T) {
		_, en := ts.get(t, "/programma/rotterdam", english...)
		wantContains(t, "English programme", en, esc(translatedEN), "Rotterdam City Hall",
			fmt.Sprintf(`href="/sessies/%d" lang="nl">%s</a>`, plain.ID, esc(dutchOnly)),
			fmt.Sprintf(`href="/sessies/%d" lang="en">%s</a>`, translated.ID, esc(translatedEN)),
			`/api/v1/venues/rotterdam/schedule.ics?lang=en"`)
		notIn(t, "English programme", en, esc(translatedNL))
		_, nl := ts.get(t, "/programma/rotterdam")
		wantContains(t, "Dutch programme", nl, esc(translatedNL), esc(dutchOnly), "Stadhuis Rotterdam")
		notIn(t, "Dutch programme", nl, esc(translatedEN), "Rotterdam City Hall", "?lang=")
	})

	t.Run("session page", func(t *testing.T) {
		_, en := ts.get(t, "/sessies/"+strconv.Itoa(int(translated.ID)), english...)
		wantContains(t, "English session page", en, `<h1 class="utrecht-heading-1" lang="en">`+esc(translatedEN)+`</h1>`,
			"<title>"+esc(translatedEN), "Rotterdammers arrange more and more online", "Rotterdam City Hall")
		notIn(t, "English session page", en, esc(translatedNL), "Rotterdammers regelen")
		_, nl := ts.get(t, "/sessies/"+strconv.Itoa(int(translated.ID)))
		wantContains(t, "Dutch session page", nl, `lang="nl">`+esc(translatedNL)+`</h1>`, "Rotterdammers regelen", "Stadhuis Rotterdam")
		notIn(t, "Dutch session page", nl, esc(translatedEN))
		// No English: the Dutch, marked as Dutch for screen readers.
		_, fallback := ts.get(t, "/sessies/"+strconv.Itoa(int(plain.ID)), english...)
		wantContains(t, "English page of a Dutch-only session", fallback, `<html lang="en"`,
			`<h1 class="utrecht-heading-1" lang="nl">`+esc(dutchOnly)+`</h1>`, `<p class="utrecht-paragraph" lang="nl">`)
	})

	t.Run("home and registration", func(t *testing.T) {
		_, en := ts.get(t, "/", english...)
		wantContains(t, "English home", en, "We, the government", "Civil Servant Day", "Overijssel Provincial House",
			"A 5-minute walk from Zwolle station")
		notIn(t, "English home", en, "Op 5 minuten lopen")
		_, form := ts.get(t, "/aanmelden/rotterdam", english...)
		wantContains(t, "English registration form", form, esc(translatedEN), esc(dutchOnly), "Rotterdam City Hall")
		_, nl := ts.get(t, "/aanmelden/rotterdam")
		notIn(t, "Dutch registration form", nl, esc(translatedEN), "Rotterdam City Hall")
	})

	t.Run("exports", func(t *testing.T) {
		_, ics := ts.get(t, "/api/v1/venues/rotterdam/schedule.ics?lang=en")
		wantContains(t, "English iCal", strings.ReplaceAll(ics, "\r\n ", ""), "SUMMARY;LANGUAGE=en:"+translatedEN,
			"SUMMARY;LANGUAGE=nl:"+dutchOnly)
		_, ics = ts.get(t, "/api/v1/venues/rotterdam/schedule.ics")
		wantContains(t, "Dutch iCal", strings.ReplaceAll(ics, "\r\n ", ""), "SUMMARY;LANGUAGE=nl:"+translatedNL)
		_, xml := ts.get(t, "/api/v1/venues/rotterdam/schedule.xml", english...)
		wantContains(t, "frab XML for an English visitor", xml, "<title>"+esc(translatedEN)+"</title>")

		_, body := ts.get(t, "/api/v1/programme.json", english...)
		var open struct {
			Sessions []struct {
				ID      uint   `json:"id"`
				Title   string `json:"title"`
				TitleEn string `json:"title_en"`
			} `json:"sessions"`
		}
		if err := json.Unmarshal([]byte(body), &open); err != nil {
			t.Fatalf("open data: %v", err)
		}
		found := false
		for _, s := range open.Sessions {
			if s.ID == translated.ID {
				found = s.Title == translatedNL && s.TitleEn == translatedEN
			}
		}
		if !found {
			t.Errorf("open data: want session %d with title %q and title_en %q, whoever asks", translated.ID, translatedNL, translatedEN)
		}
	})
}

// TestSessionFormEnglishFields saves a session's English title through the organisers' form,
// and gets a clear error, with what was typed kept, for one that is too long.
func TestSessionFormEnglishFields(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleOrganiser, "")
	se := testSessionByTitle(t, ts, dutchOnly)
	resp, body := ts.get(t, fmt.Sprintf("/beheer/sessies/%d", se.ID))
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "session form", body, `name="title_en" value="" lang="en"`, `name="abstract_en" rows="6" lang="en"`)

	form := sessionValues(se)
	form.Set("title_en", strings.Repeat("Wiki ", 41))
	form.Set("abstract_en", "Writing policy together.")
	resp, body = ts.postForm(t, fmt.Sprintf("/beheer/sessies/%d", se.ID), form)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "refused English title", body, nlMsg(t, "beheer.session.title_en"), "Writing policy together.",
		`id="veld-title_en-error"`, html.EscapeString(strings.Repeat("Wiki ", 41)))

	form.Set("title_en", "Wiki training: writing policy together")
	resp, body = ts.postForm(t, fmt.Sprintf("/beheer/sessies/%d", se.ID), form)
	wantStatus(t, resp, body, http.StatusSeeOther)
	got, err := ts.Store.Session(modelstest.Ctx(), se.ID)
	if err != nil || got.TitleEn != "Wiki training: writing policy together" || got.AbstractEn != "Writing policy together." || got.Title != dutchOnly {
		t.Fatalf("saved session %q / %q / %q (%v)", got.Title, got.TitleEn, got.AbstractEn, err)
	}
}

// TestOrganiserPagesNameVenuesInTheirLanguage: the organisers' area names a venue as the
// public site does in the page's language — in the shell's venue switch, page titles, option
// lists and charts — so an English-speaking organiser reads "Rotterdam City Hall".
func TestOrganiserPagesNameVenuesInTheirLanguage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.loginAs(t, models.RoleAdmin, "")
	rotterdam, err := ts.Store.VenueBySlug(modelstest.Ctx(), "rotterdam")
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.Itoa(int(rotterdam.ID))
	// An account limited to Rotterdam, so that the team list names the venue.
	modelstest.QuickUser(t, ts.Store, models.UserInput{Email: "rotterdam.team@example.nl", Password: testPassword,
		Role: models.RoleOrganiser, VenueSlug: "rotterdam"})
	english := []string{"Accept-Language", "en-GB,en;q=0.9"}
	for _, path := range []string{"/beheer", "/beheer/rooster/" + id, "/beheer/locaties/" + id + "/apparaten",
		"/beheer/locaties/" + id + "/zalen/nieuw", "/beheer/deelnemers/importeren", "/beheer/voorstellen", "/beheer/team"} {
		resp, en := ts.get(t, path, english...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s in English = %d, want 200", path, resp.StatusCode)
		}
		wantContains(t, path+" in English", en, "Rotterdam City Hall")
		notIn(t, path+" in English", en, "Stadhuis Rotterdam")
		_, nl := ts.get(t, path)
		wantContains(t, path+" in Dutch", nl, "Stadhuis Rotterdam")
		notIn(t, path+" in Dutch", nl, "Rotterdam City Hall")
	}
}

package handlers

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// feedbackSite is the demo with one attendee checked in at Zwolle, seated in one session, a
// feedback link for them, a survey of a scale and a choice question, and the clock on the
// day after the event (Thursday 4 February 2027, 10:00 in Amsterdam).
type feedbackSite struct {
	ts             *testServer
	session        models.Session
	regID          uint
	token, booking string
	scale, choice  models.SurveyQuestion
	event          models.Event
}

func newFeedbackSite(t *testing.T) feedbackSite {
	t.Helper()
	ctx := modelstest.Ctx()
	ts := newTestServer(t)
	f := feedbackSite{ts: ts}
	f.event = must(ts.Store.CurrentEvent(ctx))
	zwolle := testVenue(t, ts, "zwolle")
	for _, se := range must(ts.Store.SessionsOfVenue(ctx, zwolle.ID)) {
		if len(se.Slots) == 0 {
			continue
		}
		res := modelstest.Attendee(t, ts.Store, "zwolle", se.ID)
		must(ts.Store.CheckIn(ctx, models.CheckInInput{VenueID: zwolle.ID, RegistrationID: res.Registration.ID, Door: "Hoofdingang"}))
		if att := must(ts.Store.AttendedSessions(ctx, res.Registration.ID)); len(att.Sessions) == 1 {
			f.session, f.regID, f.booking = se, res.Registration.ID, res.Token
			break
		}
	}
	if f.regID == 0 {
		t.Fatal("no session in Zwolle with a free seat")
	}
	f.token = must(ts.Store.NewFeedbackToken(ctx, f.regID))
	f.scale = must(ts.Store.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionScale, Text: "Hoe was de dag?"}))
	f.choice = must(ts.Store.CreateSurveyQuestion(ctx, f.event.ID, models.SurveyQuestionInput{Kind: models.QuestionChoice,
		Text: "Kom je volgend jaar terug?", Options: "Ja\nNee"}))
	f.at(t, "2027-02-04 10:00")
	return f
}

// at sets the store's clock to a time in Amsterdam.
func (f feedbackSite) at(t *testing.T, when string) {
	t.Helper()
	loc, _ := time.LoadLocation(models.DefaultTimezone)
	now, err := time.ParseInLocation("2006-01-02 15:04", when, loc)
	if err != nil {
		t.Fatal(err)
	}
	f.ts.Store.SetClock(func() time.Time { return now })
	t.Cleanup(func() { f.ts.Store.SetClock(time.Now) })
}

// The feedback form: only behind a checked-in person's link; bad input is shown again with
// what was typed and nothing is stored; a second save changes the first.
func TestFeedbackForm(t *testing.T) {
	t.Parallel()
	f := newFeedbackSite(t)
	ts := f.ts
	path := "/feedback/" + f.token
	resp, body := ts.get(t, path)
	wantStatus(t, resp, body, http.StatusOK)
	rating, comment := models.RatingField(f.session.ID), models.CommentField(f.session.ID)
	wantContains(t, "feedback page", body, "<legend", f.session.Title, `type="radio" id="veld-`+rating+`-5" name="`+rating+`" value="5"`,
		nlMsg(t, "feedback.scale.5"), "Kom je volgend jaar terug?", nlMsg(t, "feedback.open_until", "Day", "woensdag 17 februari 2027"))

	resp, body = ts.get(t, "/feedback/onbekend")
	wantStatus(t, resp, body, http.StatusNotFound)
	away := modelstest.Attendee(t, ts.Store, "zwolle")
	resp, body = ts.get(t, "/feedback/"+must(ts.Store.NewFeedbackToken(modelstest.Ctx(), away.Registration.ID)))
	wantStatus(t, resp, body, http.StatusNotFound)

	bad := url.Values{rating: {"7"}, comment: {"Goed verhaal, te kort"}, models.AnswerField(f.choice.ID): {"Misschien"}}
	resp, body = ts.postForm(t, path, bad)
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "refused feedback", body, nlMsg(t, "feedback.rating_range"), nlMsg(t, "form.invalid_choice"),
		"Goed verhaal, te kort", `href="#veld-`+rating+`"`)
	if n := modelstest.Count(t, ts.Store, &models.SessionRating{}, modelstest.Q{}) + modelstest.Count(t, ts.Store, &models.SurveyAnswer{}, modelstest.Q{}); n != 0 {
		t.Errorf("refused input stored %d rows, want none", n)
	}

	good := url.Values{rating: {"4"}, comment: {"Goed verhaal"}, models.AnswerField(f.scale.ID): {"5"}, models.AnswerField(f.choice.ID): {"Ja"}}
	resp, body = ts.postForm(t, path, good)
	wantStatus(t, resp, body, http.StatusSeeOther)
	good.Set(rating, "2")
	resp, body = ts.postForm(t, path, good)
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = ts.get(t, path)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "saved feedback", body, nlMsg(t, "feedback.saved"), `id="veld-`+rating+`-2" name="`+rating+`" value="2" checked`)
	if n := modelstest.Count(t, ts.Store, &models.SessionRating{}, modelstest.Q{}); n != 1 {
		t.Errorf("%d ratings after two saves, want 1", n)
	}
	if n := modelstest.Count(t, ts.Store, &models.SessionRating{}, modelstest.Where("rating = ?", 2)); n != 1 {
		t.Error("the second save did not change the rating to 2")
	}
	// The person's own data holds their feedback, on the page and in the download.
	_, body = ts.get(t, "/boeking/"+f.booking+"/gegevens")
	wantContains(t, "own data", body, nlMsg(t, "mydata.section_feedback"), nlMsg(t, "feedback.scale.2")+" · Goed verhaal", "Kom je volgend jaar terug?: Ja")
	_, body = ts.get(t, "/boeking/"+f.booking+"/gegevens.json")
	wantContains(t, "own data download", body, `"ratings": [`, `"rating": 2,`, `"comment": "Goed verhaal"`, `"survey_answers": [`)
}

// After 14 days the page is read-only and a change is refused.
func TestFeedbackFormClosesAfterFourteenDays(t *testing.T) {
	t.Parallel()
	f := newFeedbackSite(t)
	path := "/feedback/" + f.token
	f.at(t, "2027-02-18 00:00")
	resp, body := f.ts.get(t, path)
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "closed feedback", body, nlMsg(t, "feedback.read_only", "Day", "woensdag 17 februari 2027"), " disabled>")
	if strings.Contains(body, nlMsg(t, "feedback.save")) {
		t.Error("the closed page still has the save button")
	}
	resp, body = f.ts.postForm(t, path, url.Values{models.RatingField(f.session.ID): {"5"}})
	wantStatus(t, resp, body, http.StatusConflict)
	wantContains(t, "refused late feedback", body, nlMsg(t, "feedback.closed"))
	if n := modelstest.Count(t, f.ts.Store, &models.SessionRating{}, modelstest.Q{}); n != 0 {
		t.Errorf("a late save stored %d ratings", n)
	}
}

// Organisers see every figure and comment and download them; door staff and a venue's own
// organiser do not.
func TestFeedbackResultsAndExports(t *testing.T) {
	t.Parallel()
	f := newFeedbackSite(t)
	ctx := modelstest.Ctx()
	err := f.ts.Store.SubmitFeedback(ctx, f.token, models.FeedbackInput{
		Ratings: map[uint]models.RatingInput{f.session.ID: {Rating: 4, Comment: "Helder; met \"citaten\""}},
		Answers: map[uint]string{f.choice.ID: "Ja"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{models.RoleDoor, models.RoleReviewer} {
		other := f.ts.withNewClient(t)
		other.loginAs(t, role, "zwolle")
		if resp, _ := other.get(t, "/beheer/feedback/sessies.csv"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: sessies.csv %d, want 403", role, resp.StatusCode)
		}
	}
	scoped := f.ts.withNewClient(t)
	scoped.loginAs(t, models.RoleOrganiser, "zwolle")
	resp, body := scoped.get(t, "/beheer/feedback")
	wantStatus(t, resp, body, http.StatusForbidden)

	org := f.ts.withNewClient(t)
	org.loginAs(t, models.RoleOrganiser, "")
	resp, body = org.get(t, "/beheer/feedback")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "results page", body, f.session.Title, "Helder; met &#34;citaten&#34;", "Kom je volgend jaar terug?")

	rows := func(path string) [][]string {
		t.Helper()
		resp, body := org.get(t, path)
		wantStatus(t, resp, body, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.Comma = ';'
		r.FieldsPerRecord = -1
		out, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return out
	}
	find := func(rows [][]string, col int, value string) []string {
		for _, r := range rows {
			if len(r) > col && r[col] == value {
				return r
			}
		}
		t.Errorf("no row with %q in column %d of %q", value, col, rows)
		return nil
	}
	sessions := rows("/beheer/feedback/sessies.csv")
	if got := sessions[0]; got[1] != nlText(t, "feedback.col.session") || got[5] != "1" {
		t.Errorf("sessies.csv header %q", got)
	}
	if r := find(sessions, 1, f.session.Title); r != nil && (r[2] != "1" || r[3] != "1" || r[4] != "4,0" || r[8] != "1") {
		t.Errorf("sessies.csv row %q, want 1 attendee, 1 response, average 4,0, one 4", r)
	}
	if r := find(rows("/beheer/feedback/opmerkingen.csv"), 2, `Helder; met "citaten"`); r != nil && r[1] != f.session.Title {
		t.Errorf("opmerkingen.csv row %q", r)
	}
	survey := rows("/beheer/feedback/enquete.csv")
	if r := find(survey, 1, "Ja"); r != nil && (r[0] != "Kom je volgend jaar terug?" || r[2] != "1") {
		t.Errorf("enquete.csv row %q, want Ja chosen once", r)
	}
	for _, r := range survey {
		if strings.Contains(strings.Join(r, " "), "@example.nl") {
			t.Errorf("an export names a person: %q", r)
		}
	}
}

// The survey's questions: bad input is shown again (422) with its keys; good input is added,
// moved and removed.
func TestSurveyQuestionPages(t *testing.T) {
	t.Parallel()
	f := newFeedbackSite(t)
	org := f.ts.withNewClient(t)
	org.loginAs(t, models.RoleOrganiser, "")
	resp, body := org.postForm(t, "/beheer/feedback/vragen", url.Values{"kind": {"choice"}, "text": {"Welke lunch?"}, "options": {"Soep"}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "refused question", body, nlMsg(t, "feedback.question.options_needed"), `value="Welke lunch?"`, ">Soep</textarea>")
	resp, body = org.postForm(t, "/beheer/feedback/vragen", url.Values{"kind": {"kleur"}, "text": {""}})
	wantStatus(t, resp, body, http.StatusUnprocessableEntity)
	wantContains(t, "refused question", body, nlMsg(t, "form.invalid_choice"), nlMsg(t, "form.required"))
	if n := len(must(f.ts.Store.SurveyQuestions(modelstest.Ctx(), f.event.ID))); n != 2 {
		t.Fatalf("%d questions after refused input, want the 2 there were", n)
	}
	resp, body = org.postForm(t, "/beheer/feedback/vragen", url.Values{"kind": {"choice"}, "text": {"Welke lunch?"}, "options": {"Soep\nBroodje"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	qs := must(f.ts.Store.SurveyQuestions(modelstest.Ctx(), f.event.ID))
	lunch := qs[2]
	resp, body = org.postForm(t, "/beheer/feedback/vragen/"+bhID(lunch.ID)+"/omhoog", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	if qs := must(f.ts.Store.SurveyQuestions(modelstest.Ctx(), f.event.ID)); qs[1].ID != lunch.ID {
		t.Errorf("after moving up the lunch question is at %v", qs)
	}
	resp, body = org.get(t, "/beheer/feedback/vragen")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "survey page", body, "Welke lunch?", "Soep, Broodje")
	resp, body = org.postForm(t, "/beheer/feedback/vragen/"+bhID(lunch.ID)+"/verwijderen", nil)
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = org.get(t, "/beheer/feedback/vragen/"+bhID(lunch.ID))
	wantStatus(t, resp, body, http.StatusNotFound)
}

// The public programme shows the results only when the organisers chose it and the day is
// over.
func TestProgrammeShowsPublicResults(t *testing.T) {
	t.Parallel()
	f := newFeedbackSite(t)
	heading := nlMsg(t, "programme.results.heading")
	resp, body := f.ts.get(t, "/programma/zwolle")
	wantStatus(t, resp, body, http.StatusOK)
	if strings.Contains(body, `id="resultaten"`) {
		t.Error("the programme shows results the organisers did not make public")
	}
	org := f.ts.withNewClient(t)
	org.loginAs(t, models.RoleOrganiser, "")
	resp, body = org.postForm(t, "/beheer/feedback/openbaar", url.Values{"public": {"1"}})
	wantStatus(t, resp, body, http.StatusSeeOther)
	resp, body = f.ts.get(t, "/programma/zwolle")
	wantStatus(t, resp, body, http.StatusOK)
	wantContains(t, "programme with results", body, `id="resultaten"`, heading, f.session.Title, nlMsg(t, "programme.results.too_few"))
	f.at(t, "2027-02-03 16:00")
	_, body = f.ts.get(t, "/programma/zwolle")
	if strings.Contains(body, `id="resultaten"`) {
		t.Error("the programme shows results on the day itself")
	}
}

// The speaker's page shows their session's feedback from three responses, and before that
// only that it will; never a name.
func TestSpeakerPageShowsFeedbackFromThree(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ctx := modelstest.Ctx()
	se, p := confirmedProposalSession(t, ts)
	se = placeInZwolle(t, ts, se)
	token := must(ts.Store.NewProposalToken(ctx, p.ID, nil))
	zwolle := testVenue(t, ts, "zwolle")
	var links []string
	var names []string
	for range 3 {
		res := modelstest.Attendee(t, ts.Store, "zwolle", se.ID)
		must(ts.Store.CheckIn(ctx, models.CheckInInput{VenueID: zwolle.ID, RegistrationID: res.Registration.ID, Door: "Hoofdingang"}))
		links = append(links, must(ts.Store.NewFeedbackToken(ctx, res.Registration.ID)))
		names = append(names, res.Registration.Name)
	}
	f := feedbackSite{ts: ts}
	heading := nlMsg(t, "speaker.feedback.heading")
	f.at(t, "2027-02-03 17:00")
	resp, body := ts.get(t, "/voorstel/"+token)
	wantStatus(t, resp, body, http.StatusOK)
	if strings.Contains(body, heading) {
		t.Error("the speaker page shows feedback on the event day itself")
	}
	f.at(t, "2027-02-04 10:00")
	for i, link := range links {
		in := models.FeedbackInput{Ratings: map[uint]models.RatingInput{se.ID: {Rating: 5 - i, Comment: "Opmerking " + names[i][len(names[i])-1:]}}}
		if err := ts.Store.SubmitFeedback(ctx, link, in); err != nil {
			t.Fatal(err)
		}
		_, body = ts.get(t, "/voorstel/"+token)
		if i < 2 {
			wantContains(t, "speaker page below three", body, heading, nlMsg(t, "speaker.feedback.below_threshold", "Threshold", 3))
			if strings.Contains(body, "Opmerking ") {
				t.Errorf("after %d responses the speaker sees a comment", i+1)
			}
		}
	}
	wantContains(t, "speaker page from three", body, nlMsg(t, "speaker.feedback.summary", "Average", "4,0", "Count", 3),
		"Opmerking ", nlMsg(t, "speaker.feedback.anonymous"))
	for _, n := range names {
		if strings.Contains(body, n) {
			t.Errorf("the speaker page names attendee %q", n)
		}
	}
}

// Saving feedback is rate-limited: a script posting without end is told to wait (429), with
// what it sent kept on the page.
func TestFeedbackSaveIsRateLimited(t *testing.T) {
	t.Parallel()
	f := newFeedbackSite(t)
	form := url.Values{models.RatingField(f.session.ID): {"3"}, models.CommentField(f.session.ID): {"Nog eens"}}
	for range 60 {
		resp, body := f.ts.postForm(t, "/feedback/"+f.token, form)
		if resp.StatusCode == http.StatusTooManyRequests {
			if resp.Header.Get("Retry-After") == "" {
				t.Error("a limited save has no Retry-After")
			}
			wantContains(t, "limited save", body, "Nog eens")
			return
		}
		wantStatus(t, resp, body, http.StatusSeeOther)
	}
	t.Error("60 saves in a row were never limited")
}

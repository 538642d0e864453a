package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambtenaar20/dagplanner/browsertest"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/models/modelstest"
)

// TestFeedbackKeyboardOnly fills in the feedback form after the day (issue #18) with nothing
// but the keyboard: Tab to a session's rating, Space and the arrow keys to choose, type a
// comment, choose a survey answer, Enter on the button. A comment without a rating is refused
// with the comment kept and the error summary pointing at the rating; once a rating is chosen
// the page says thank you and shows it. Axe checks the form, its error state and the saved
// page in Dutch, and the form in English.
func TestFeedbackKeyboardOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	t.Parallel()
	db := demoDB(t, false)
	token, sessionID, questionID := feedbackReady(t, db)
	srv := startServer(t, "--db", db, "--demo")
	catalog, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	nl := catalog.Translator(locale.Dutch)
	ctx := browsertest.New(t)
	page := srv.URL + "/feedback/" + token
	rating := models.RatingField(sessionID)

	setLanguage(t, ctx, srv.URL, "nl")
	navigate(t, ctx, page)
	assertLang(t, ctx, "feedback form", "nl")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "feedback form (nl)")

	// A comment, but no rating yet: refused, the comment kept.
	tabTo(t, ctx, "#veld-"+models.CommentField(sessionID))
	keys(t, ctx, "Heel leerzaam")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".error-summary")
	checkErrorSummary(t, ctx, []string{"#veld-" + rating})
	if text := pageText(t, ctx); !strings.Contains(text, nl.T("feedback.rating_with_comment")) {
		t.Errorf("the refused form does not say %q:\n%s", nl.T("feedback.rating_with_comment"), text)
	}
	kept, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](`document.querySelector('#veld-`+models.CommentField(sessionID)+`').value`))
	if err != nil || kept != "Heel leerzaam" {
		t.Errorf("after the refusal the comment reads %q (%v), want it kept", kept, err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "feedback form with errors (nl)")
	screenshotWidths(t, ctx, "feedback-errors")

	// The rating: Tab into the group, Space takes the first, three arrows make it a 4.
	tabTo(t, ctx, `input[name="`+rating+`"]`)
	keys(t, ctx, " ")
	keys(t, ctx, kb.ArrowRight+kb.ArrowRight+kb.ArrowRight)
	tabTo(t, ctx, `input[name="`+models.AnswerField(questionID)+`"]`)
	keys(t, ctx, " ")
	tabTo(t, ctx, `main form button[type="submit"]`)
	pressAndWait(t, ctx, kb.Enter, ".utrecht-alert--ok")
	if text := pageText(t, ctx); !strings.Contains(text, nl.T("feedback.saved")) {
		t.Errorf("after saving the page does not say %q:\n%s", nl.T("feedback.saved"), text)
	}
	chosen, err := chromedp.Run(timeout(ctx), chromedp.Evaluate[string](
		`[...document.querySelectorAll('input[name="`+rating+`"]:checked, input[name="`+models.AnswerField(questionID)+`"]:checked')].map(i => i.value).join(",")`))
	if err != nil || chosen != "4,Ja" {
		t.Errorf("the saved page has %q checked (%v), want the 4 and Ja", chosen, err)
	}
	browsertest.AssertNoAxeViolationsHere(t, ctx, "feedback form saved (nl)")
	screenshotWidths(t, ctx, "feedback-saved")

	setLanguage(t, ctx, srv.URL, "en")
	navigate(t, ctx, page)
	assertLang(t, ctx, "feedback form", "en")
	browsertest.AssertNoAxeViolationsHere(t, ctx, "feedback form (en)")
}

// feedbackReady makes the demo's event yesterday's, registers and checks in someone with a
// seat in a session, adds a choice question to the survey and returns the person's feedback
// link token, the session's id and the question's.
func feedbackReady(t *testing.T, db string) (token string, sessionID, questionID uint) {
	t.Helper()
	ctx := modelstest.Ctx()
	s, err := models.Open(ctx, db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	defer s.Close()
	event, err := s.CurrentEvent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	venues, err := s.Venues(ctx, event.ID)
	if err != nil || len(venues) == 0 {
		t.Fatalf("venues: %v", err)
	}
	sessions, err := s.SessionsOfVenue(ctx, venues[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, se := range sessions {
		if len(se.Slots) == 0 {
			continue
		}
		res, err := s.Register(ctx, models.RegistrationInput{Name: "Fenna Feedback", Email: "fenna." + strconv.Itoa(i) + "@example.nl",
			Organisation: "Gemeente Terugblik", Lang: "nl", Venue: venues[0].Slug, Sessions: []uint{se.ID}, Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckIn(ctx, models.CheckInInput{VenueID: venues[0].ID, RegistrationID: res.Registration.ID, Door: "Hoofdingang"}); err != nil {
			t.Fatal(err)
		}
		if att, err := s.AttendedSessions(ctx, res.Registration.ID); err == nil && len(att.Sessions) == 1 {
			sessionID = se.ID
			if token, err = s.NewFeedbackToken(ctx, res.Registration.ID); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if sessionID == 0 {
		t.Fatal("no session of the demo had a free seat")
	}
	q, err := s.CreateSurveyQuestion(ctx, event.ID, models.SurveyQuestionInput{Kind: models.QuestionChoice,
		Text: "Kom je volgend jaar terug?", TextEn: "Will you come back next year?", Options: "Ja\nNee"})
	if err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().In(event.Location()).AddDate(0, 0, -1).Format(time.DateOnly)
	modelstest.Update(t, s, &models.Event{}, modelstest.Where("id = ?", event.ID), map[string]any{"date": yesterday})
	return token, sessionID, q.ID
}

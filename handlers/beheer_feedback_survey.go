package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The survey of the feedback after the day (issue #18) at /beheer/feedback/vragen: the
// organisers add, change, order and remove its questions (a scale of 1 to 5, a choice, or
// free text).

// surveyData is the survey page: the questions in order and the form for a new one, or the
// form of the question being changed (Editing).
type surveyData struct {
	Page
	Questions []models.SurveyQuestion
	Editing   *models.SurveyQuestion
	Kinds     []Option
}

// HasNext reports whether the question at i has one after it, to move it down.
func (d surveyData) HasNext(i int) bool { return i+1 < len(d.Questions) }

var surveyFields = []string{"kind:feedback.question.kind", "text:feedback.question.text",
	"text_en:feedback.question.text_en", "options:feedback.question.options"}

func (h *Handler) showSurveyQuestions(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	h.renderSurvey(c, http.StatusOK, event, nil, newForm(url.Values{"kind": {models.QuestionScale}}, surveyFields...))
}

func (h *Handler) createSurveyQuestion(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	form := postedForm(c, surveyFields...)
	_, err := h.store.CreateSurveyQuestion(c.Request.Context(), event.ID, surveyInput(form))
	if h.surveyFailed(c, err, event, nil, form) {
		return
	}
	h.setFlash(c, "feedback.question.added")
	c.Redirect(http.StatusSeeOther, "/beheer/feedback/vragen")
}

func (h *Handler) editSurveyQuestion(c *gin.Context) {
	event, q, ok := h.surveyQuestionFromPath(c)
	if !ok {
		return
	}
	values := url.Values{"kind": {q.Kind}, "text": {q.Text}, "text_en": {q.TextEn}, "options": {q.Options}}
	h.renderSurvey(c, http.StatusOK, event, &q, newForm(values, surveyFields...))
}

func (h *Handler) updateSurveyQuestion(c *gin.Context) {
	event, q, ok := h.surveyQuestionFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c, surveyFields...)
	_, err := h.store.UpdateSurveyQuestion(c.Request.Context(), event.ID, q.ID, surveyInput(form))
	if h.surveyFailed(c, err, event, &q, form) {
		return
	}
	h.setFlash(c, "feedback.question.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/feedback/vragen")
}

func (h *Handler) deleteSurveyQuestion(c *gin.Context) {
	event, q, ok := h.surveyQuestionFromPath(c)
	if !ok {
		return
	}
	if err := h.store.DeleteSurveyQuestion(c.Request.Context(), event.ID, q.ID); err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "feedback.question.removed")
	c.Redirect(http.StatusSeeOther, "/beheer/feedback/vragen")
}

func (h *Handler) moveSurveyQuestionUp(c *gin.Context)   { h.moveSurveyQuestion(c, -1) }
func (h *Handler) moveSurveyQuestionDown(c *gin.Context) { h.moveSurveyQuestion(c, 1) }

func (h *Handler) moveSurveyQuestion(c *gin.Context, by int) {
	event, q, ok := h.surveyQuestionFromPath(c)
	if !ok {
		return
	}
	if err := h.store.MoveSurveyQuestion(c.Request.Context(), event.ID, q.ID, by); err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/beheer/feedback/vragen#vraag-"+strconv.Itoa(int(q.ID)))
}

// surveyQuestionFromPath loads the managed event and its question in the path; another
// event's question is a 404.
func (h *Handler) surveyQuestionFromPath(c *gin.Context) (models.Event, models.SurveyQuestion, bool) {
	event, ok := h.managedEvent(c)
	if !ok {
		return models.Event{}, models.SurveyQuestion{}, false
	}
	id, ok := h.paramID(c, "question")
	if !ok {
		return models.Event{}, models.SurveyQuestion{}, false
	}
	q, err := h.store.SurveyQuestion(c.Request.Context(), event.ID, id)
	if err != nil {
		h.fail(c, err)
		return models.Event{}, models.SurveyQuestion{}, false
	}
	return event, q, true
}

func surveyInput(form *Form) models.SurveyQuestionInput {
	return models.SurveyQuestionInput{Kind: form.String("kind"), Text: form.String("text"),
		TextEn: form.String("text_en"), Options: form.String("options")}
}

// surveyFailed answers a refused change of the survey with the page again (422) and reports
// true; any other error is a 404 or 500. A nil error reports false: the caller redirects.
func (h *Handler) surveyFailed(c *gin.Context, err error, event models.Event, editing *models.SurveyQuestion, form *Form) bool {
	if err == nil {
		return false
	}
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		h.fail(c, err)
		return true
	}
	form.Merge(verr.Problems)
	h.renderSurvey(c, http.StatusUnprocessableEntity, event, editing, form)
	return true
}

func (h *Handler) renderSurvey(c *gin.Context, status int, event models.Event, editing *models.SurveyQuestion, form *Form) {
	p := h.page(c, h.tr(c).T("feedback.survey.title"), "beheer")
	p.Form = form
	qs, err := h.store.SurveyQuestions(c.Request.Context(), event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	d := surveyData{Page: p, Questions: qs, Editing: editing}
	for _, k := range models.QuestionKinds {
		d.Kinds = append(d.Kinds, Option{Value: k, Label: p.T("feedback.question.kind." + k)})
	}
	h.render(c, status, "beheer/feedback_survey", d)
}

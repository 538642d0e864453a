package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The feedback page behind the link in the feedback e-mail (issue #18): /feedback/TOKEN. A
// checked-in person rates the sessions they attended and answers the survey; they may change
// it for models.FeedbackDays days, then the page is read-only. An unknown link, or one of a
// person who was not checked in, is a plain 404.

// feedbackData is the feedback page.
type feedbackData struct {
	Page
	Token     string
	Open      bool
	NotYet    bool
	LastDay   string // the last day the feedback may change
	Sessions  []feedbackSession
	Questions []feedbackQuestion
	// Notice says why a change was refused (the window closed meanwhile).
	Notice string
}

// feedbackSession is one attended session as the form shows it.
type feedbackSession struct {
	ID                        uint
	Title, TitleLang          string
	Time, Room                string
	RatingField, CommentField string
	Rating, Comment           string
	RatingError, CommentError string
}

// feedbackQuestion is one survey question as the form shows it.
type feedbackQuestion struct {
	ID                uint
	Kind, Text, Field string
	Options           []string
	Value, Error      string
}

// scaleValues are the choices of a rating, lowest first.
var scaleValues = []string{"1", "2", "3", "4", "5"}

// Scale is the choices of a rating, for the templates.
func (feedbackData) Scale() []string { return scaleValues }

func (h *Handler) feedbackFromLink(c *gin.Context) (models.Feedback, bool) {
	fb, err := h.store.FeedbackByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return models.Feedback{}, false
	}
	return fb, true
}

func (h *Handler) showFeedback(c *gin.Context) {
	fb, ok := h.feedbackFromLink(c)
	if !ok {
		return
	}
	values := map[string][]string{}
	for id, r := range fb.Ratings {
		values[models.RatingField(id)] = []string{strconv.Itoa(r.Rating)}
		values[models.CommentField(id)] = []string{r.Comment}
	}
	for id, v := range fb.Answers {
		values[models.AnswerField(id)] = []string{v}
	}
	h.renderFeedback(c, http.StatusOK, fb, newForm(values), "")
}

func (h *Handler) saveFeedback(c *gin.Context) {
	fb, ok := h.feedbackFromLink(c)
	if !ok {
		return
	}
	form := postedForm(c)
	// Per client and per person: each save writes a few rows; nobody needs many a minute.
	if wait := h.waitFor(c, byClient(h.mail.clients, c), limitKey{limiter: h.mail.clients,
		key: "feedback:" + strconv.Itoa(int(fb.RegistrationID))}); wait > 0 {
		tooManyProblem(form, "feedback", wait)
		h.renderFeedback(c, http.StatusTooManyRequests, fb, form, "")
		return
	}
	err := h.store.SubmitFeedback(c.Request.Context(), c.Param("token"), feedbackInput(form, fb))
	refused, isRefused := shownStoreError(err, fromTable(models.ErrFeedbackClosed)...)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		h.renderFeedback(c, http.StatusUnprocessableEntity, fb, form, "")
	case isRefused:
		fb.Open = false
		h.renderFeedback(c, refused.Status, fb, form, refused.Key)
	case err != nil:
		h.fail(c, err)
	default:
		h.setFlash(c, "feedback.saved")
		c.Redirect(http.StatusSeeOther, "/feedback/"+c.Param("token"))
	}
}

// feedbackInput reads the form's ratings and answers for the sessions and questions of fb;
// a rating that is no number is out of range.
func feedbackInput(form *Form, fb models.Feedback) models.FeedbackInput {
	in := models.FeedbackInput{Ratings: map[uint]models.RatingInput{}, Answers: map[uint]string{}}
	for _, s := range fb.Sessions {
		r := models.RatingInput{Comment: form.String(models.CommentField(s.SessionID))}
		if v := strings.TrimSpace(form.String(models.RatingField(s.SessionID))); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1
			}
			r.Rating = n
		}
		in.Ratings[s.SessionID] = r
	}
	for _, q := range fb.Questions {
		in.Answers[q.ID] = form.String(models.AnswerField(q.ID))
	}
	return in
}

// renderFeedback shows the feedback page with form's values and problems.
func (h *Handler) renderFeedback(c *gin.Context, status int, fb models.Feedback, form *Form, notice string) {
	tr := h.tr(c).In(fb.Event.Location())
	p := h.page(c, tr.T("feedback.title", "Event", fb.Event.Name), "")
	p.tr = tr
	p.Form = form
	form.Named = map[string]string{}
	lang := string(p.Lang)
	d := feedbackData{Page: p, Token: c.Param("token"), Open: fb.Open, NotYet: fb.NotYetOpen, LastDay: p.Date(fb.ClosesAt.AddDate(0, 0, -1))}
	if notice != "" {
		d.Notice = p.T(notice)
	}
	problem := func(field string) string {
		if pr, ok := form.Problems[field]; ok {
			return p.T(pr.Key, pr.Args...)
		}
		return ""
	}
	for _, s := range fb.Sessions {
		fs := feedbackSession{ID: s.SessionID, Title: models.InLang(lang, s.Title, s.TitleEn), TitleLang: p.TextLang(s.TitleEn),
			Time: p.TimeRange(s.StartsAt, s.EndsAt), Room: s.Room,
			RatingField: models.RatingField(s.SessionID), CommentField: models.CommentField(s.SessionID)}
		fs.Rating, fs.Comment = form.String(fs.RatingField), form.String(fs.CommentField)
		fs.RatingError, fs.CommentError = problem(fs.RatingField), problem(fs.CommentField)
		form.Order = append(form.Order, fs.RatingField, fs.CommentField)
		form.Named[fs.RatingField] = fs.Title
		form.Named[fs.CommentField] = p.T("feedback.comment_on", "Title", fs.Title)
		d.Sessions = append(d.Sessions, fs)
	}
	for _, q := range fb.Questions {
		fq := feedbackQuestion{ID: q.ID, Kind: q.Kind, Text: q.TextIn(lang), Field: models.AnswerField(q.ID), Options: q.OptionList()}
		fq.Value, fq.Error = form.String(fq.Field), problem(fq.Field)
		form.Order = append(form.Order, fq.Field)
		form.Named[fq.Field] = fq.Text
		d.Questions = append(d.Questions, fq)
	}
	h.render(c, status, "feedback", d)
}

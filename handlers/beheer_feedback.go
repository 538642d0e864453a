package handlers

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// The organisers' feedback after the day (issue #18) at /beheer/feedback: per session the
// attendees, responses, average, distribution and comments, the survey's answers, whether
// the results are public, and the exports beside it (CSV, without names).

// feedbackResultsData is the results page.
type feedbackResultsData struct {
	Page
	Event    models.Event
	Settings models.FeedbackSettings
	Sessions []feedbackResultRow
	Survey   []models.QuestionResult
	// Opens and Closes are when the feedback e-mail goes and when the answers stop changing.
	Opens, Closes time.Time
}

// feedbackResultRow is one session's line of the results.
type feedbackResultRow struct {
	models.SessionResult
	Title, Venue string
	AverageText  string
}

// Num writes a number the reader's way.
func (d feedbackResultsData) Num(n int) string { return numberFormat(d.Page).Int(n) }

// Pct is n as a whole percentage of total, for the width of a distribution's bar.
func (feedbackResultsData) Pct(n, total int) int {
	if total == 0 {
		return 0
	}
	return n * 100 / total
}

// Avg writes a question's average the reader's way.
func (d feedbackResultsData) Avg(q models.QuestionResult) string {
	return decimal(d.Lang, q.Average())
}

func (h *Handler) showFeedbackResults(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p := h.page(c, h.tr(c).T("feedback.results.title"), "beheer")
	d := feedbackResultsData{Page: p, Event: event, Opens: models.FeedbackOpens(event), Closes: models.FeedbackCloses(event)}
	var err error
	if d.Settings, err = h.store.FeedbackSettings(ctx, event.ID); err != nil {
		h.fail(c, err)
		return
	}
	if d.Sessions, err = h.feedbackRows(c, p.Lang, event); err != nil {
		h.serverError(c, err)
		return
	}
	if d.Survey, err = h.store.SurveyResults(ctx, event.ID); err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, http.StatusOK, "beheer/feedback", d)
}

// feedbackRows reads the event's results per session, titled in lang.
func (h *Handler) feedbackRows(c *gin.Context, lang locale.Lang, event models.Event) ([]feedbackResultRow, error) {
	ctx := c.Request.Context()
	results, err := h.store.FeedbackResults(ctx, event.ID)
	if err != nil {
		return nil, err
	}
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		return nil, err
	}
	names := map[uint]string{}
	for _, v := range venues {
		names[v.ID] = v.In(string(lang)).Name
	}
	rows := make([]feedbackResultRow, len(results))
	for i, r := range results {
		rows[i] = feedbackResultRow{SessionResult: r, Title: models.InLang(string(lang), r.Title, r.TitleEn), Venue: names[r.VenueID]}
		if r.Responses > 0 {
			rows[i].AverageText = decimal(lang, r.Average())
		}
	}
	return rows, nil
}

// setResultsPublic records the organisers' choice to show the results on the programme.
func (h *Handler) setResultsPublic(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	form := postedForm(c)
	public := form.String("public") == "1"
	if err := h.store.SetResultsPublic(c.Request.Context(), event.ID, public); err != nil {
		h.fail(c, err)
		return
	}
	if public {
		h.setFlash(c, "feedback.results.public_on")
	} else {
		h.setFlash(c, "feedback.results.public_off")
	}
	c.Redirect(http.StatusSeeOther, "/beheer/feedback")
}

// exportFeedbackSessionsCSV writes per session the attendees, responses, average and the
// distribution of the ratings.
func (h *Handler) exportFeedbackSessionsCSV(c *gin.Context) {
	feedbackExport(h, c, "sessies", h.feedbackRowsFor(c), func(p Page, rows []feedbackResultRow, w *csvSheet) error {
		err := w.Header([]string{p.T("feedback.col.venue"), p.T("feedback.col.session"), p.T("feedback.col.attendees"),
			p.T("feedback.col.responses"), p.T("feedback.col.average"), "1", "2", "3", "4", "5"})
		for _, r := range rows {
			if err != nil {
				break
			}
			err = w.Row([]any{r.Venue, r.Title, r.Attendees, r.Responses, r.AverageText, r.Distribution[0], r.Distribution[1],
				r.Distribution[2], r.Distribution[3], r.Distribution[4]})
		}
		return err
	})
}

// exportFeedbackCommentsCSV writes every comment on a session, without who wrote it.
func (h *Handler) exportFeedbackCommentsCSV(c *gin.Context) {
	feedbackExport(h, c, "opmerkingen", h.feedbackRowsFor(c), func(p Page, rows []feedbackResultRow, w *csvSheet) error {
		err := w.Header([]string{p.T("feedback.col.venue"), p.T("feedback.col.session"), p.T("feedback.col.comment")})
		for _, r := range rows {
			for _, comment := range r.Comments {
				if err == nil {
					err = w.Row([]any{r.Venue, r.Title, comment})
				}
			}
		}
		return err
	})
}

// exportSurveyCSV writes the survey's answers: a line per option with its count, and a line
// per text answer.
func (h *Handler) exportSurveyCSV(c *gin.Context) {
	load := func(_ Page, event models.Event) ([]models.QuestionResult, error) {
		return h.store.SurveyResults(c.Request.Context(), event.ID)
	}
	feedbackExport(h, c, "enquete", load, func(p Page, survey []models.QuestionResult, w *csvSheet) error {
		lang := string(p.Lang)
		err := w.Header([]string{p.T("feedback.col.question"), p.T("feedback.col.answer"), p.T("feedback.col.count")})
		for _, q := range survey {
			for _, o := range q.Counts {
				if err == nil {
					err = w.Row([]any{q.Question.TextIn(lang), o.Option, o.Count})
				}
			}
			for _, t := range q.Texts {
				if err == nil {
					err = w.Row([]any{q.Question.TextIn(lang), t, nil})
				}
			}
		}
		return err
	})
}

// feedbackRowsFor loads the managed event's results per session, for an export.
func (h *Handler) feedbackRowsFor(c *gin.Context) func(Page, models.Event) ([]feedbackResultRow, error) {
	return func(p Page, event models.Event) ([]feedbackResultRow, error) { return h.feedbackRows(c, p.Lang, event) }
}

// feedbackExport answers one of the results' CSV downloads for the managed event: load reads
// what it holds (a failure is the calm 500 page), write writes it once the headers are sent
// (a failure then can only be logged, and cuts the file short).
func feedbackExport[T any](h *Handler, c *gin.Context, kind string, load func(Page, models.Event) (T, error), write func(Page, T, *csvSheet) error) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	p := h.page(c, "", "beheer")
	data, err := load(p, event)
	if err != nil {
		h.serverError(c, err)
		return
	}
	w := h.feedbackCSV(c, event, kind)
	if err = write(p, data, w); err == nil {
		err = w.Close()
	}
	if err != nil {
		h.log.Warn("feedback export", "id", c.GetString(ctxRequestID), "path", c.Request.URL.Path, "err", err)
	}
}

// feedbackCSV starts a CSV download named after the event, the kind and today.
func (h *Handler) feedbackCSV(c *gin.Context, event models.Event, kind string) *csvSheet {
	name := fmt.Sprintf("%s-feedback-%s-%s.csv", schedule.Slugify(event.Name, 1, "dagplanner"), kind,
		time.Now().In(event.Location()).Format("2006-01-02"))
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	return newCSVSheet(c.Writer, ';', event.Location())
}

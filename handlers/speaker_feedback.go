package handlers

import (
	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// speakerFeedback is what a speaker's page shows of their session's feedback (issue #18):
// from models.SpeakerThreshold responses the average, the distribution and the comments;
// below it only that the results appear from that many.
type speakerFeedback struct {
	models.SessionResult
	Average   string
	Threshold int
	// Bars are the distribution, five first.
	Bars []feedbackBar
}

// feedbackBar is one rating's share of the responses.
type feedbackBar struct {
	Rating, Count, Percent int
}

// speakerFeedback reads the feedback on the speaker's session se, once the event day is
// over; nil before, or without a session.
func (h *Handler) speakerFeedback(c *gin.Context, p Page, event models.Event, se *models.Session) (*speakerFeedback, error) {
	if se == nil || h.store.Now().Before(models.FeedbackOpens(event)) {
		return nil, nil
	}
	r, err := h.store.SessionFeedback(c.Request.Context(), se.ID)
	if err != nil {
		return nil, err
	}
	f := &speakerFeedback{SessionResult: r, Threshold: models.SpeakerThreshold}
	if r.Visible() {
		f.Average = decimal(p.Lang, r.Average())
		for n := 5; n >= 1; n-- {
			count := r.Distribution[n-1]
			f.Bars = append(f.Bars, feedbackBar{Rating: n, Count: count, Percent: count * 100 / r.Responses})
		}
	}
	return f, nil
}

package handlers

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// privacyData is the privacy statement: the controller and whom to ask, and the retention
// periods as the event's settings make them, so the statement says what Dagplanner does.
type privacyData struct {
	Page
	Version      string
	Organisation string // the controller; "" names the event's organisers instead
	Officer      string // the data protection officer's address, if any
	Retention    []retentionPeriod
	Voting       bool // the event has open voting: the statement says what a vote keeps
}

// retentionPeriod is one line of the statement's retention section: its message (which
// takes Count, the days after the event, and Date, the last day the data is kept) and the
// period.
type retentionPeriod struct {
	Key  string
	Days int
	Ends time.Time // the instant the period ends: midnight after the last day kept
}

// LastDay is the last day the data is kept, formatted in the event's time zone.
func (r retentionPeriod) LastDay(p Page) string { return p.Date(r.Ends.Add(-time.Second)) }

// retentionPeriods lists the event's retention periods in the order the statement gives them.
func retentionPeriods(e models.Event) []retentionPeriod {
	period := func(key string, days int) retentionPeriod {
		return retentionPeriod{Key: key, Days: days, Ends: e.RetentionEnds(days)}
	}
	return []retentionPeriod{
		period("privacy.keep.needs", e.NeedsRetention()),
		period("privacy.keep.personal", e.PersonalRetention()),
		period("privacy.keep.proposals", e.ProposalRetention()),
	}
}

func (h *Handler) showPrivacy(c *gin.Context) {
	event, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("privacy.title"), "")
	h.render(c, http.StatusOK, "privacy", privacyData{Page: p, Version: event.PrivacyVersion, Organisation: event.Organisation,
		Officer: event.PrivacyOfficerEmail, Retention: retentionPeriods(event), Voting: event.VotingEnabled})
}

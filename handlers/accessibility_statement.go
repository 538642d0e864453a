package handlers

import (
	"cmp"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// accessibilityStatementData is the accessibility statement (toegankelijkheidsverklaring):
// the organisation's details from the event form, and what Dagplanner itself is tested for
// and known not to meet.
type accessibilityStatementData struct {
	Page
	Organisation string
	Status       string    // A–E, "" when not filled in
	Date         time.Time // the statement's date, zero when not filled in
	Contact      string    // where to report a problem: the statement's contact, else the organisers'
}

// Complete reports whether the organisers gave the statement a status other than E ("no
// statement").
func (d accessibilityStatementData) Complete() bool { return d.Status != "" && d.Status != "E" }

func (h *Handler) showAccessibilityStatement(c *gin.Context) {
	event, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("a11ystatement.title"), "")
	d := accessibilityStatementData{Page: p, Organisation: event.Organisation, Status: event.AccessibilityStatus,
		Contact: cmp.Or(event.AccessibilityContact, event.ContactEmail)}
	if day, err := time.ParseInLocation(time.DateOnly, event.AccessibilityDate, event.Location()); err == nil {
		d.Date = day
	}
	h.render(c, http.StatusOK, "accessibility_statement", d)
}

package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// mailConfirmData is the page that asks an organiser to confirm an action that e-mails
// several people, with the exact number of e-mails. It posts the action again with
// bevestigd=ja and the number it showed (aantal); the store queues nothing unless that is
// still the number, so what was confirmed is what goes out.
type mailConfirmData struct {
	Page
	Count   int
	Lines   []string // what the e-mails are and whom they go to
	Changed bool     // the number changed since the organiser last saw it
	Action  string
	Hidden  []hiddenField
	Confirm string // the confirm button, naming the number
	Back    string
	// People, when set, lists the recipients in the list of people: the same audience.
	People string
}

type hiddenField struct{ Name, Value string }

// confirmedMails returns the number of e-mails the organiser confirmed, and whether they did.
func confirmedMails(c *gin.Context) (int, bool) {
	if c.PostForm("bevestigd") != "ja" {
		return 0, false
	}
	n, err := strconv.Atoi(c.PostForm("aantal"))
	return n, err == nil && n >= 0
}

// askMailConfirmation renders the confirmation page (200, or 409 when the number changed
// since the organiser confirmed it).
func (h *Handler) askMailConfirmation(c *gin.Context, d mailConfirmData) {
	status := http.StatusOK
	if d.Changed {
		status = http.StatusConflict
	}
	d.Page = h.page(c, h.tr(c).T("beheer.mail_confirm.title", "Count", d.Count), "beheer")
	d.Confirm = h.tr(c).T(d.Confirm, "Count", d.Count)
	h.render(c, status, "beheer/confirm_mail", d)
}

package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
)

// messageComposer writes messages as the mail worker does, for the preview.
func (h *Handler) messageComposer(c *gin.Context) *mail.Composer {
	return &mail.Composer{Store: h.store, BaseURL: h.baseURL(c)}
}

// messagePreviews composes the e-mail of the first person of the audience who gets the
// Dutch text and, when there is an English one, of the first who gets that.
func (h *Handler) messagePreviews(c *gin.Context, m models.Message) ([]messagePreview, error) {
	ctx := c.Request.Context()
	dutch, english, err := h.store.SampleRecipients(ctx, m)
	if err != nil {
		return nil, err
	}
	var out []messagePreview
	for _, r := range []*models.Recipient{dutch, english} {
		if r == nil {
			continue
		}
		person, err := h.store.MessagePerson(ctx, m.Audience, r.Kind, r.ID)
		if err != nil {
			return nil, err
		}
		msg, err := h.messageComposer(c).PreviewMessage(ctx, m, person)
		if err != nil {
			return nil, err
		}
		lang, _, body := m.Texts(person.Lang)
		out = append(out, messagePreview{Lang: lang, To: msg.To, Subject: msg.Subject, Text: msg.Text, Name: person.DisplayName(),
			PlaceholderLinkNote: models.UsedPlaceholders(body)["persoonlijke_link"]})
	}
	return out, nil
}

// sendMessage sends a message now, when the number of recipients is still the one the
// organiser saw (else the page shows the new number, 409), or plans it for a time.
func (h *Handler) sendMessage(c *gin.Context) {
	m, ok := h.managedMessage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	form := postedForm(c, "send_at:message.send_at")
	if form.String("wanneer") == "later" {
		h.scheduleMessage(c, m, form)
		return
	}
	expect, err := strconv.Atoi(form.String("aantal"))
	if err != nil || expect < 0 {
		expect = -2 // never the number: the page shows the number to confirm
	}
	n, err := h.store.SendMessage(ctx, h.actor(c), m.ID, expect)
	changed, isChanged := shownStoreError(err, fromTable(models.ErrRecipientsChanged)...)
	switch {
	case isChanged: // the page shows the new number to confirm
		h.renderMessage(c, changed.Status, m, nil, true)
		return
	case h.flashStoreError(c, err, models.ErrNoRecipients, models.ErrMessageDone):
	case err != nil:
		h.fail(c, err)
		return
	default:
		h.log.Info("message sent", "id", c.GetString(ctxRequestID), "message", m.ID, "recipients", n)
		h.setFlash(c, "message.sent_flash", "Count", n)
	}
	c.Redirect(http.StatusSeeOther, messagePath(m.ID))
}

// scheduleMessage plans a message for the time typed, in the event's time zone.
func (h *Handler) scheduleMessage(c *gin.Context, m models.Message, form *Form) {
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	at, ok := parseLocalTime(form.String("send_at"), event)
	if !ok {
		form.Problems.Add("send_at", "form.invalid_datetime")
		h.renderMessage(c, http.StatusUnprocessableEntity, m, form, false)
		return
	}
	err = h.store.ScheduleMessage(ctx, h.actor(c), m.ID, at)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		h.renderMessage(c, http.StatusUnprocessableEntity, m, form, false)
		return
	case h.flashStoreError(c, err, models.ErrMessageDone):
	case err != nil:
		h.fail(c, err)
		return
	default:
		h.setFlash(c, "message.scheduled_flash", "When", h.tr(c).In(event.Location()).DateTime(at))
	}
	c.Redirect(http.StatusSeeOther, messagePath(m.ID))
}

// testMessage sends the message to the signed-in organiser, once per language it is
// written in, as the first person who would get that language (without a working link).
func (h *Handler) testMessage(c *gin.Context) {
	m, ok := h.managedMessage(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	u, signedIn := h.currentUser(c)
	if !signedIn || hasAPIToken(c) {
		h.setFlash(c, "message.test_needs_account")
		c.Redirect(http.StatusSeeOther, messagePath(m.ID))
		return
	}
	dutch, english, err := h.store.SampleRecipients(ctx, m)
	if err != nil {
		h.fail(c, err)
		return
	}
	sent := 0
	for _, r := range []*models.Recipient{dutch, english} {
		if r == nil {
			continue
		}
		if err := h.store.SendTestMessage(ctx, h.actor(c), m.ID, u.Email, *r); err != nil {
			h.fail(c, err)
			return
		}
		sent++
	}
	if sent == 0 {
		h.setFlash(c, "message.test_nobody")
	} else {
		h.setFlash(c, "message.test_sent", "Count", sent, "Email", u.Email)
	}
	c.Redirect(http.StatusSeeOther, messagePath(m.ID))
}

// cancelMessage stops a message that has not (wholly) gone out: its e-mails still in the
// outbox are taken back.
func (h *Handler) cancelMessage(c *gin.Context) {
	m, ok := h.managedMessage(c)
	if !ok {
		return
	}
	n, err := h.store.CancelMessage(c.Request.Context(), h.actor(c), m.ID)
	switch {
	case h.flashStoreError(c, err, models.ErrMessageDone):
	case err != nil:
		h.fail(c, err)
		return
	default:
		h.setFlash(c, "message.cancelled_flash", "Count", n)
	}
	c.Redirect(http.StatusSeeOther, messagePath(m.ID))
}

package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
)

// Messages to an audience (issue #15): organisers and admins write to a group chosen with
// the people list's filter, preview one real person's e-mail, test it on themselves, and
// send it now or at a set time. A venue-scoped organiser writes to their venue's people and
// sees their venue's messages only.

// messageState is how the pages name a message's state: draft, scheduled, sending (e-mails
// still waiting in the outbox), sent or cancelled.
func messageState(m models.Message, c models.MessageCounts) string {
	if m.Status() == models.MessageQueued {
		if c.Waiting > 0 {
			return "sending"
		}
		return "sent"
	}
	return m.Status()
}

// messageRow is one message as the list shows it.
type messageRow struct {
	models.MessageSummary
	State    string
	Audience string // in words
}

type messageListData struct {
	Page
	Messages []messageRow
}

// listMessages shows the event's messages, newest first, with their counts.
func (h *Handler) listMessages(c *gin.Context) {
	ctx := c.Request.Context()
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	u := h.actingUser(c)
	list, err := h.store.Messages(ctx, event.ID, venueScope(u))
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("message.list_title"), "beheer")
	words, err := h.audienceNamer(c, event)
	if err != nil {
		h.serverError(c, err)
		return
	}
	d := messageListData{Page: p}
	for _, m := range list {
		d.Messages = append(d.Messages, messageRow{MessageSummary: m, State: messageState(m.Message, m.Counts), Audience: words(m.Audience)})
	}
	h.render(c, http.StatusOK, "beheer/messages", d)
}

// managedMessage loads the message the URL names, if the account may see it: any message for
// an organiser of the whole event, their venue's for a venue-scoped one (another's is a 404).
func (h *Handler) managedMessage(c *gin.Context) (models.Message, bool) {
	id, err := strconv.ParseUint(c.Param("message"), 10, 32)
	if err != nil {
		h.notFound(c)
		return models.Message{}, false
	}
	m, err := h.store.Message(c.Request.Context(), uint(id))
	if err != nil {
		h.fail(c, err)
		return models.Message{}, false
	}
	u := h.actingUser(c)
	if !u.CanManageEvent() && (m.ScopeVenueID == nil || !u.CanManageVenue(*m.ScopeVenueID)) {
		h.notFound(c)
		return models.Message{}, false
	}
	return m, true
}

// messagePreview is one person's e-mail as the page shows it, exactly as it will be sent.
type messagePreview struct {
	Lang                string
	To, Subject, Text   string
	Name                string
	PlaceholderLinkNote bool
}

type messageData struct {
	Page
	Message  models.Message
	Counts   models.MessageCounts
	State    string
	Audience string // in words
	// Count is how many people the audience holds now: the number that is sent to.
	Count int
	// Changed is set when that number changed since the organiser saw it: nothing was sent.
	Changed  bool
	Previews []messagePreview
	// TestTo is the signed-in organiser's address, where a test goes; "" for an API token.
	TestTo string
	// SendAt is the planned time as a datetime-local field shows it.
	SendAt string
}

// showMessage shows a message: a draft or a scheduled one with its exact number of
// recipients, a preview of a real person's e-mail in each language and the buttons to test,
// send, plan and cancel it; one that went out with its counts.
func (h *Handler) showMessage(c *gin.Context) {
	m, ok := h.managedMessage(c)
	if !ok {
		return
	}
	h.renderMessage(c, http.StatusOK, m, nil, false)
}

// renderMessage renders a message's page; form, when set, is the send form as posted with
// its problems.
func (h *Handler) renderMessage(c *gin.Context, status int, m models.Message, form *Form, changed bool) {
	ctx := c.Request.Context()
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	words, err := h.audienceNamer(c, event)
	if err != nil {
		h.serverError(c, err)
		return
	}
	counts, err := h.store.MessageCounts(ctx, []uint{m.ID})
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, m.SubjectNL, "beheer")
	p.Form = form
	if p.Form == nil {
		p.Form = newForm(nil)
		p.Form.Values.Set("send_at", models.FormatLocal(m.SendAt, event.Location()))
	}
	d := messageData{Page: p, Message: m, Counts: counts[m.ID], Audience: words(m.Audience), Changed: changed}
	d.State = messageState(m, d.Counts)
	if u, ok := h.currentUser(c); ok && !hasAPIToken(c) {
		d.TestTo = u.Email
	}
	if s := m.Status(); s == models.MessageDraft || s == models.MessageScheduled {
		if d.Count, err = h.store.CountAudience(ctx, m.Audience); err != nil {
			h.serverError(c, err)
			return
		}
		if d.Previews, err = h.messagePreviews(c, m); err != nil {
			h.serverError(c, err)
			return
		}
	}
	h.render(c, status, "beheer/message", d)
}

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
	switch {
	case errors.Is(err, models.ErrRecipientsChanged):
		h.renderMessage(c, http.StatusConflict, m, nil, true)
		return
	case errors.Is(err, models.ErrNoRecipients):
		h.setFlash(c, "message.nobody_now")
	case errors.Is(err, models.ErrMessageDone):
		h.setFlash(c, "message.already_done")
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
	event, err := h.store.CurrentEvent(ctx)
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
	case errors.Is(err, models.ErrMessageDone):
		h.setFlash(c, "message.already_done")
	case err != nil:
		h.fail(c, err)
		return
	default:
		h.setFlash(c, "message.scheduled_flash", "When", h.tr(c).DateTime(at))
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
	case errors.Is(err, models.ErrMessageDone):
		h.setFlash(c, "message.already_done")
	case err != nil:
		h.fail(c, err)
		return
	default:
		h.setFlash(c, "message.cancelled_flash", "Count", n)
	}
	c.Redirect(http.StatusSeeOther, messagePath(m.ID))
}

func messagePath(id uint) string { return "/beheer/berichten/" + strconv.FormatUint(uint64(id), 10) }

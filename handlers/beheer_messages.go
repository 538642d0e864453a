package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

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
	event, err := h.organiserEvent(c)
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
	if err == nil {
		err = h.inEdition(c, m.EventID)
	}
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
	event, err := h.organiserEvent(c)
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

func messagePath(id uint) string { return "/beheer/berichten/" + strconv.FormatUint(uint64(id), 10) }

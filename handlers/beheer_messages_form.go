package handlers

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// messageFields are the compose form's fields after the audience's, with their labels.
var messageFields = []string{"subject_nl:message.subject_nl", "body_nl:message.body_nl", "subject_en:message.subject_en",
	"body_en:message.body_en"}

// placeholderHelp explains one placeholder on the compose form.
type placeholderHelp struct {
	Key         string // the Dutch name without braces, for its explanation's message key
	Name, Alias string
	Groups      []string // the groups it is filled in for, in words
}

type messageFormData struct {
	audienceForm
	// Editing is the message being changed; nil for a new one.
	Editing *models.Message
	// Count is how many people the audience holds now; Counted is false when the audience
	// has problems and was not counted.
	Count   int
	Counted bool
	Group   string
	Helps   []placeholderHelp
}

// EnglishField describes a field of the English version: optional as its fieldset's legend
// already says, so without the marker on each label.
func (d messageFormData) EnglishField(name, labelKey, kind string) FieldView {
	f := d.Field(name, labelKey, kind)
	f.Optional = ""
	return f
}

// Action is where the form posts to.
func (d messageFormData) Action() string {
	if d.Editing != nil {
		return messagePath(d.Editing.ID) + "/bewerken"
	}
	return "/beheer/berichten/nieuw"
}

// newMessage shows the compose form; its audience may come from the list of people's
// query ("send these people a message"), so the message selects exactly whom the list shows.
func (h *Handler) newMessage(c *gin.Context) {
	values := c.Request.URL.Query()
	values.Set("form_key", rand.Text())
	h.renderMessageForm(c, http.StatusOK, nil, newForm(values, messageFormOrder()...))
}

// editMessage shows the compose form for a draft or a scheduled message.
func (h *Handler) editMessage(c *gin.Context) {
	m, ok := h.managedMessage(c)
	if !ok {
		return
	}
	if s := m.Status(); s != models.MessageDraft && s != models.MessageScheduled {
		h.setFlash(c, "message.already_done")
		c.Redirect(http.StatusSeeOther, messagePath(m.ID))
		return
	}
	values, _ := url.ParseQuery(m.AudienceQuery)
	for name, v := range map[string]string{"subject_nl": m.SubjectNL, "body_nl": m.BodyNL, "subject_en": m.SubjectEN, "body_en": m.BodyEN} {
		values.Set(name, v)
	}
	h.renderMessageForm(c, http.StatusOK, &m, newForm(values, messageFormOrder()...))
}

func messageFormOrder() []string {
	return append(append([]string{}, audienceFields...), messageFields...)
}

// createMessage counts the audience again (the "count" button), or stores the draft and
// shows it with its preview.
func (h *Handler) createMessage(c *gin.Context) { h.saveMessage(c, nil) }

// updateMessage saves changes to a draft or a scheduled message, which is a draft again.
func (h *Handler) updateMessage(c *gin.Context) {
	m, ok := h.managedMessage(c)
	if !ok {
		return
	}
	h.saveMessage(c, &m)
}

func (h *Handler) saveMessage(c *gin.Context, editing *models.Message) {
	ctx := c.Request.Context()
	form := postedForm(c, messageFormOrder()...)
	r, err := h.parseAudienceFrom(c, form.Values, pageAudienceParams)
	if err != nil {
		h.fail(c, err)
		return
	}
	if r.Forbidden {
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
		return
	}
	form.Merge(r.Problems)
	if form.String("actie") == "tellen" {
		h.renderMessageForm(c, http.StatusOK, editing, form)
		return
	}
	in := models.MessageInput{Audience: r.Audience, AudienceQuery: audienceQuery(form.Values), SubjectNL: strings.TrimSpace(form.String("subject_nl")),
		BodyNL: form.String("body_nl"), SubjectEN: strings.TrimSpace(form.String("subject_en")), BodyEN: form.String("body_en"),
		FormKey: form.String("form_key")}
	if editing != nil && editing.Audience.Scope != nil && in.Audience.Scope == nil {
		// An organiser of the whole event changing a venue's message keeps it that venue's.
		in.Audience.Scope = editing.Audience.Scope
	}
	form.Merge(messageProblems(in.Validate()))
	if !form.Valid() {
		h.renderMessageForm(c, http.StatusUnprocessableEntity, editing, form)
		return
	}
	var m models.Message
	if editing == nil {
		m, err = h.store.CreateMessage(ctx, r.Event.ID, h.actor(c), in)
	} else {
		m, err = h.store.UpdateMessage(ctx, editing.ID, in)
	}
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(messageProblems(verr.Problems))
		h.renderMessageForm(c, http.StatusUnprocessableEntity, editing, form)
		return
	case h.flashStoreError(c, err, models.ErrMessageDone):
		c.Redirect(http.StatusSeeOther, messagePath(editing.ID))
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	h.setFlash(c, "message.saved")
	c.Redirect(http.StatusSeeOther, messagePath(m.ID))
}

// messageProblems names a message's problems as the form names its fields.
func messageProblems(p models.Problems) models.Problems {
	out := models.Problems{}
	for f, pr := range p {
		out.Add(audienceProblemParam(f), pr.Key, pr.Args...)
	}
	return out
}

// audienceQuery keeps the audience's fields of a posted form, as the list's query string.
func audienceQuery(values url.Values) string {
	out := url.Values{}
	for _, f := range audienceFields {
		name, _, _ := strings.Cut(f, ":")
		if v := strings.TrimSpace(values.Get(name)); v != "" {
			out.Set(name, v)
		}
	}
	return out.Encode()
}

// renderMessageForm renders the compose form as typed, with the audience's number of
// people counted now (when the audience has no problems).
func (h *Handler) renderMessageForm(c *gin.Context, status int, editing *models.Message, form *Form) {
	ctx := c.Request.Context()
	r, err := h.parseAudienceFrom(c, form.Values, pageAudienceParams)
	if err != nil {
		h.fail(c, err)
		return
	}
	form.Merge(r.Problems)
	title := "message.new_title"
	if editing != nil {
		title = "message.edit_title"
	}
	p := h.page(c, h.tr(c).T(title), "beheer")
	p.Form = form
	d := messageFormData{audienceForm: audienceForm{Page: p}, Editing: editing, Group: r.Audience.Group()}
	d.choices(r, h.actingUser(c))
	if len(r.Problems) == 0 {
		if d.Count, err = h.store.CountAudience(ctx, r.Audience); err != nil {
			h.fail(c, err)
			return
		}
		d.Counted = true
	}
	for _, ph := range models.Placeholders {
		help := placeholderHelp{Key: ph.Name, Name: "{" + ph.Name + "}", Alias: "{" + ph.Alias + "}"}
		for _, g := range ph.Groups {
			help.Groups = append(help.Groups, d.T("audience.group."+paramOf(groupParams, g)))
		}
		d.Helps = append(d.Helps, help)
	}
	h.render(c, status, "beheer/message_form", d)
}

// parseLocalTime reads a datetime-local field's value in the event's time zone.
func parseLocalTime(v string, event models.Event) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), event.Location())
	return t, err == nil
}

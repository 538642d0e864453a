package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/mail"
	"github.com/ambtenaar20/dagplanner/models"
)

// The decision outbox /beheer/besluiten: organisers prepare a draft e-mail per decided
// proposal, review them, and send them all at once. Decisions are event-wide, so accounts
// limited to one venue may not use it.

// decisionGroup is one decision's part of the outbox.
type decisionGroup struct {
	Decision string
	Waiting  []models.Proposal
	Drafts   []draftView
}

// draftView is a draft as it will be sent; only the token in the link is still to be made.
type draftView struct {
	models.DecisionMail
	Subject, Body string
	// TemplateChanged: composed now, the draft would read differently (its template or the
	// proposal changed since it was made).
	TemplateChanged bool
}

type decisionOutboxData struct {
	Page
	Groups   []decisionGroup
	DraftIDs []uint
	Waiting  int
	Stale    int
	// ToPrepare counts the decisions "prepare" makes a draft for: those without one, and
	// those whose draft is stale.
	ToPrepare int
	Queued    []models.DecisionMail
	Error     string
}

func (h *Handler) showDecisionOutbox(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	h.renderDecisionOutbox(c, http.StatusOK, event, "")
}

// renderDecisionOutbox shows the outbox, with errorKey's message when an action failed.
func (h *Handler) renderDecisionOutbox(c *gin.Context, status int, event models.Event, errorKey string) {
	ctx := c.Request.Context()
	box, err := h.store.DecisionOutbox(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	templates, err := h.store.DecisionTemplates(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	recompose := mail.DecisionComposer(event, templates)
	p := h.page(c, h.tr(c).T("decision.outbox_title"), "beheer")
	d := decisionOutboxData{Page: p, Queued: box.Queued, Waiting: len(box.Waiting)}
	if errorKey != "" {
		d.Error = p.T(errorKey)
	}
	link := h.baseURL(c) + "/voorstel/" + p.T("decision.token_placeholder")
	for _, decision := range models.Decisions {
		g := decisionGroup{Decision: decision}
		for _, w := range box.Waiting {
			if w.Status == decision {
				g.Waiting = append(g.Waiting, w)
			}
		}
		for _, m := range box.Drafts {
			if m.Decision != decision {
				continue
			}
			v := draftView{DecisionMail: m}
			v.Subject, v.Body = m.Text(link)
			if !m.Stale {
				subject, body, err := recompose(m.Proposal)
				v.TemplateChanged = err != nil || subject != m.Subject || body != m.Body
			}
			g.Drafts = append(g.Drafts, v)
			d.DraftIDs = append(d.DraftIDs, m.ID)
			if m.Stale {
				d.Stale++
			}
		}
		d.Groups = append(d.Groups, g)
	}
	d.ToPrepare = d.Waiting + d.Stale
	h.render(c, status, "beheer/decisions", d)
}

func (h *Handler) prepareDecisionMails(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	templates, err := h.store.DecisionTemplates(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	n, err := h.store.PrepareDecisionMails(ctx, event.ID, mail.DecisionComposer(event, templates))
	if a, ok := shownStoreError(err, fromTable(models.ErrDraftsChanged)...); ok {
		h.renderDecisionOutbox(c, a.Status, event, a.Key)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "decision.prepared", "Count", n)
	c.Redirect(http.StatusSeeOther, "/beheer/besluiten")
}

func (h *Handler) sendDecisionMails(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	var ids []uint
	_ = c.Request.ParseForm()
	for _, v := range c.Request.PostForm["draft"] {
		id, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			h.renderDecisionOutbox(c, http.StatusConflict, event, "decision.drafts_changed")
			return
		}
		ids = append(ids, uint(id))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// The number of e-mails is confirmed on a page of its own; the store sends exactly the
	// drafts posted back, or none when the drafts changed meanwhile.
	if confirmed, ok := confirmedMails(c); len(ids) > 0 && (!ok || confirmed != len(ids)) {
		d := mailConfirmData{Count: len(ids), Changed: ok, Action: "/beheer/besluiten/verzenden",
			Lines:   []string{h.tr(c).T("beheer.mail_confirm.decisions", "Count", len(ids))},
			Confirm: "beheer.mail_confirm.send", Back: "/beheer/besluiten"}
		// The speakers they go to, counted as a message to them would count them: one
		// speaker with two decided proposals gets two e-mails.
		speakers, err := h.store.CountAudience(c.Request.Context(), models.Audience{Kind: models.AudienceSpeakers,
			EventID: event.ID, DecisionDraft: true, ProposalStatus: ""})
		if err != nil {
			h.serverError(c, err)
			return
		}
		d.Lines = append(d.Lines, h.tr(c).T("beheer.mail_confirm.decision_speakers", "Count", speakers))
		for _, id := range ids {
			d.Hidden = append(d.Hidden, hiddenField{Name: "draft", Value: strconv.FormatUint(uint64(id), 10)})
		}
		h.askMailConfirmation(c, d)
		return
	}
	n, err := h.store.SendDecisionMails(c.Request.Context(), event.ID, ids)
	if a, ok := shownStoreError(err, fromTable(models.ErrStaleDraft, models.ErrDraftsChanged)...); ok {
		h.renderDecisionOutbox(c, a.Status, event, a.Key)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.log.Info("decision mails released", "id", c.GetString(ctxRequestID), "count", n)
	h.setFlash(c, "decision.sent", "Count", n)
	c.Redirect(http.StatusSeeOther, "/beheer/besluiten")
}

func (h *Handler) discardDecisionDraft(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	id, ok := h.paramID(c, "draft")
	if !ok {
		return
	}
	if err := h.store.DiscardDecisionDraft(c.Request.Context(), event.ID, id); err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "decision.discarded", "Count", 1)
	c.Redirect(http.StatusSeeOther, "/beheer/besluiten")
}

func (h *Handler) discardDecisionDrafts(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	n, err := h.store.DiscardDecisionDrafts(c.Request.Context(), event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "decision.discarded", "Count", n)
	c.Redirect(http.StatusSeeOther, "/beheer/besluiten")
}

// templateView is one decision template on the list of templates.
type templateView struct {
	Decision, Lang, Subject string
	Edited                  bool
}

type decisionTemplatesData struct {
	Page
	Templates []templateView
}

func (h *Handler) listDecisionTemplates(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	stored, err := h.store.DecisionTemplates(c.Request.Context(), event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	d := decisionTemplatesData{Page: h.page(c, h.tr(c).T("decision.templates_title"), "beheer")}
	for _, decision := range models.Decisions {
		for _, lang := range models.DecisionLangs {
			t, edited, err := mail.DecisionTemplate(stored, decision, lang)
			if err != nil {
				h.serverError(c, err)
				return
			}
			d.Templates = append(d.Templates, templateView{Decision: decision, Lang: lang, Subject: t.Subject, Edited: edited})
		}
	}
	h.render(c, http.StatusOK, "beheer/decision_templates", d)
}

var decisionTemplateFields = []string{"subject:decision.subject", "body:decision.body"}

type decisionTemplateData struct {
	Page
	Decision, Lang string
	Edited         bool
	Fields         []string
}

// templateFromPath reads the decision and language in the path; others are a 404.
func (h *Handler) templateFromPath(c *gin.Context) (decision, lang string, ok bool) {
	decision, lang = c.Param("decision"), c.Param("lang")
	if !slices.Contains(models.Decisions, decision) || !slices.Contains(models.DecisionLangs, lang) {
		h.notFound(c)
		return "", "", false
	}
	return decision, lang, true
}

func (h *Handler) renderDecisionTemplate(c *gin.Context, status int, event models.Event, decision, lang string, form *Form) {
	stored, err := h.store.DecisionTemplates(c.Request.Context(), event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	t, edited, err := mail.DecisionTemplate(stored, decision, lang)
	if err != nil {
		h.serverError(c, err)
		return
	}
	tr := h.tr(c)
	p := h.page(c, tr.T("decision.template_title", "Decision", tr.T("decision.name."+decision), "Lang", tr.T("decision.lang."+lang)), "beheer")
	if form == nil {
		form = newForm(url.Values{"subject": {t.Subject}, "body": {t.Body}}, decisionTemplateFields...)
	}
	p.Form = form
	h.render(c, status, "beheer/decision_template", decisionTemplateData{Page: p, Decision: decision, Lang: lang,
		Edited: edited, Fields: mail.DecisionFields})
}

func (h *Handler) editDecisionTemplate(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	decision, lang, ok := h.templateFromPath(c)
	if !ok {
		return
	}
	h.renderDecisionTemplate(c, http.StatusOK, event, decision, lang, nil)
}

func (h *Handler) saveDecisionTemplate(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	decision, lang, ok := h.templateFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c, decisionTemplateFields...)
	in := models.DecisionTemplateInput{Decision: decision, Lang: lang, Subject: form.String("subject"), Body: form.String("body")}
	_, err := h.store.SaveDecisionTemplate(c.Request.Context(), event.ID, in, mail.CheckDecisionTemplate)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		h.renderDecisionTemplate(c, http.StatusUnprocessableEntity, event, decision, lang, form)
		return
	case err != nil:
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "decision.template_saved")
	c.Redirect(http.StatusSeeOther, "/beheer/besluiten/sjablonen")
}

func (h *Handler) resetDecisionTemplate(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	decision, lang, ok := h.templateFromPath(c)
	if !ok {
		return
	}
	if err := h.store.ResetDecisionTemplate(c.Request.Context(), event.ID, decision, lang); err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "decision.template_reset")
	c.Redirect(http.StatusSeeOther, "/beheer/besluiten/sjablonen")
}

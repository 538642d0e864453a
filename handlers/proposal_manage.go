package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The pages behind a speaker's personal link /voorstel/TOKEN and a co-speaker's link
// /voorstellen/medespreker/TOKEN. Every page looks the token up afresh; an unknown token is a
// plain 404.

// proposalFromLink loads the proposal of the speaker's token in the path.
func (h *Handler) proposalFromLink(c *gin.Context) (models.Proposal, bool) {
	p, err := h.store.ProposalByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return models.Proposal{}, false
	}
	return p, true
}

func (h *Handler) showProposal(c *gin.Context) {
	p, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	h.renderProposal(c, http.StatusOK, p, newForm(proposalValues(p), proposalFields...))
}

// renderProposal shows the speaker's page: the form while the proposal may change, and the
// proposal as it stands otherwise.
func (h *Handler) renderProposal(c *gin.Context, status int, prop models.Proposal, form *Form) {
	p := h.page(c, h.tr(c).T("proposal.yours_title"), "proposals")
	p.Form = form
	event, err := h.store.EventOfProposal(c.Request.Context(), prop)
	if err != nil {
		h.fail(c, err)
		return
	}
	d, err := h.proposalPageFor(c, p, event)
	if err != nil {
		h.fail(c, err)
		return
	}
	if d.Session, err = h.speakerSession(c, prop); err != nil {
		h.serverError(c, err)
		return
	}
	if d.Feedback, err = h.speakerFeedback(c, p, event, d.Session); err != nil {
		h.serverError(c, err)
		return
	}
	if d.Status, err = h.store.SpeakerStatus(c.Request.Context(), prop); err != nil {
		h.serverError(c, err)
		return
	}
	d.Token, d.Proposal = c.Param("token"), &prop
	d.Action = "/voorstel/" + d.Token
	d.Editable = d.Open && prop.Status == models.ProposalSubmitted
	h.render(c, status, "proposal", d)
}

func (h *Handler) updateProposal(c *gin.Context) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	form, upload := h.postedProposal(c)
	in := proposalFromForm(form, prop.Lang)
	status := http.StatusUnprocessableEntity
	var err error
	// The photo is looked at last: after the form is valid and the limits allow it.
	switch {
	case !form.Valid():
		form.Merge(formProblems(in.Validate()))
	case len(in.Validate()) > 0:
		// The store judges it: "closed" after the deadline, whatever was sent, else the problems.
		_, err = h.store.UpdateProposal(c.Request.Context(), prop.ID, in)
	default:
		if wait := h.proposalEditWait(c, prop, in); wait > 0 {
			status = http.StatusTooManyRequests
			tooManyProblem(form, "speaker_email", wait)
		} else if readPhoto(form, upload, &in) {
			_, err = h.store.UpdateProposal(c.Request.Context(), prop.ID, in)
		}
	}
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(formProblems(verr.Problems))
	case h.flashStoreAnswer(c, err, proposalReadOnly...):
		c.Redirect(http.StatusSeeOther, "/voorstel/"+c.Param("token"))
		return
	case err != nil:
		h.fail(c, err)
		return
	case form.Valid():
		h.setFlash(c, "proposal.saved")
		c.Redirect(http.StatusSeeOther, "/voorstel/"+c.Param("token"))
		return
	}
	h.renderProposal(c, status, prop, form)
}

// proposalReadOnly answers the speaker's and co-speakers' changes to a proposal that stopped
// being open to them meanwhile (the call closed, it was withdrawn or answered): whichever it
// was, the page says it is read-only now.
var proposalReadOnly = []storeError{
	{models.ErrCallClosed, storeAnswer{Status: http.StatusForbidden, Key: "proposal.read_only_now"}},
	{models.ErrWithdrawn, storeAnswer{Status: http.StatusConflict, Key: "proposal.read_only_now"}},
	{models.ErrSpeakerAnswered, storeAnswer{Status: http.StatusConflict, Key: "proposal.read_only_now"}},
}

func (h *Handler) withdrawProposal(c *gin.Context) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	_, err := h.store.WithdrawProposal(c.Request.Context(), prop.ID)
	switch {
	case h.flashStoreAnswer(c, err, proposalReadOnly...):
	case err != nil:
		h.fail(c, err)
		return
	default:
		h.setFlash(c, "proposal.withdrawn_done")
	}
	c.Redirect(http.StatusSeeOther, "/voorstel/"+c.Param("token"))
}

// showProposalPhoto serves the speaker's photo, only to the speaker for now.
func (h *Handler) showProposalPhoto(c *gin.Context) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	ph, err := h.store.ProposalPhoto(c.Request.Context(), prop.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, ph.ContentType, ph.Data)
}

var coSpeakerFields = []string{"name:proposal.co_name", "organisation:proposal.co_organisation", "bio:proposal.co_bio"}

// coSpeakerData is a co-speaker's page: the proposal they are named on, and their profile.
type coSpeakerData struct {
	Page
	CoSpeaker models.CoSpeaker
	Proposal  models.Proposal
	Event     models.Event
	Token     string
	Editable  bool
	// Session is what the confirmed proposal became; only a confirmed co-speaker sees it.
	Session *models.Session
}

func (h *Handler) renderCoSpeaker(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	co, prop, err := h.store.CoSpeakerByToken(ctx, c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return
	}
	event, err := h.store.EventOfProposal(ctx, prop)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("proposal.co_title"), "proposals")
	if form == nil {
		form = newForm(url.Values{"name": {co.Name}, "organisation": {co.Organisation}, "bio": {co.Bio}}, coSpeakerFields...)
	}
	p.Form = form
	editable := event.CallOpen(h.store.Now()) && prop.Status == models.ProposalSubmitted
	d := coSpeakerData{Page: p, CoSpeaker: co, Proposal: prop, Event: event, Token: c.Param("token"), Editable: editable}
	if co.ConfirmedAt != nil {
		if d.Session, err = h.speakerSession(c, prop); err != nil {
			h.serverError(c, err)
			return
		}
	}
	h.render(c, status, "cospeaker", d)
}

func (h *Handler) showCoSpeaker(c *gin.Context) { h.renderCoSpeaker(c, http.StatusOK, nil) }

func (h *Handler) confirmCoSpeaker(c *gin.Context) {
	co, _, err := h.store.CoSpeakerByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c, coSpeakerFields...)
	in := models.CoSpeakerInput{Name: form.String("name"), Organisation: form.String("organisation"), Bio: form.String("bio"),
		Lang: string(h.tr(c).Lang())}
	_, err = h.store.ConfirmCoSpeaker(c.Request.Context(), co.ID, in)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		h.renderCoSpeaker(c, http.StatusUnprocessableEntity, form)
		return
	case h.flashStoreAnswer(c, err, proposalReadOnly...):
	case err != nil:
		h.fail(c, err)
		return
	default:
		h.setFlash(c, "proposal.co_confirmed")
	}
	c.Redirect(http.StatusSeeOther, "/voorstellen/medespreker/"+c.Param("token"))
}

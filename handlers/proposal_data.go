package handlers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// A speaker's own data through their proposal's personal link (issue #17):
// /voorstel/TOKEN/gegevens (a readable page), /gegevens.json (the same as a file) and
// /wissen (what erasing means, and the button). The API's equivalents are in
// api_proposals_data.go.

// proposalDataPage is the speaker's data, readable.
type proposalDataPage struct {
	Page
	Token  string
	Export models.ProposalExport
}

// proposalErasePage explains what erasing the speaker's data means, with the button.
type proposalErasePage struct {
	Page
	Token    string
	Proposal models.Proposal
	// Session is the session the proposal became, if any: it stays on the programme.
	Session *models.ExportedSession
}

// proposalExport loads the export of the proposal behind the link, with its photo's link.
func (h *Handler) proposalExport(c *gin.Context) (models.ProposalExport, bool) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return models.ProposalExport{}, false
	}
	exp, err := h.store.ExportProposal(c.Request.Context(), prop.ID)
	if err != nil {
		h.storeError(c, err)
		return models.ProposalExport{}, false
	}
	if exp.Photo != nil {
		exp.Photo.Link = "/voorstel/" + c.Param("token") + "/foto"
	}
	return exp, true
}

func (h *Handler) showProposalData(c *gin.Context) {
	exp, ok := h.proposalExport(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "private, no-store")
	h.render(c, http.StatusOK, "proposal_data", proposalDataPage{Page: h.page(c, h.tr(c).T("speaker_data.title"), "proposals"),
		Token: c.Param("token"), Export: exp})
}

func (h *Handler) downloadProposalData(c *gin.Context) {
	exp, ok := h.proposalExport(c)
	if !ok {
		return
	}
	sendPersonalData(c, fmt.Sprintf("voorstel-%d-gegevens.json", exp.Proposal.ID), exp)
}

func (h *Handler) showEraseProposal(c *gin.Context) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	exp, err := h.store.ExportProposal(c.Request.Context(), prop.ID)
	if err != nil {
		h.storeError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	h.render(c, http.StatusOK, "proposal_erase", proposalErasePage{Page: h.page(c, h.tr(c).T("speaker_erase.title"), "proposals"),
		Token: c.Param("token"), Proposal: prop, Session: exp.Session})
}

// eraseProposal erases the speaker's data. The personal link stops working, so the answer
// is the home page with a flash message.
func (h *Handler) eraseProposal(c *gin.Context) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	res, err := h.store.EraseProposal(c.Request.Context(), prop.ID)
	if err != nil {
		h.storeError(c, err)
		return
	}
	h.speakerErased(c, res.SessionKept)
}

// MailKind names a kind of e-mail in the reader's words (the code when there are none).
func (d proposalDataPage) MailKind(kind string) string {
	return d.labelOr(kind, "speaker_data.mail."+kind)
}

// AuditAction names an audit action in the reader's words, as the organisers' log does.
func (d proposalDataPage) AuditAction(action string) string {
	return d.labelOr(action, "audit.do."+action, "person.audit."+action)
}

// speakerErased answers a speaker's or co-speaker's erasure: their link no longer works, so
// the home page, with a message that says whether their session stays on the programme.
func (h *Handler) speakerErased(c *gin.Context, sessionKept bool) {
	if sessionKept {
		h.setFlash(c, "speaker_erase.done_session_kept")
	} else {
		h.setFlash(c, "speaker_erase.done")
	}
	c.Redirect(http.StatusSeeOther, "/")
}

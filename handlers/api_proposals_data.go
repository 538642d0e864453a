package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// The speaker's own data on the API (issue #17), with the proposal's edit token as the
// bearer, as GET /api/v1/proposals/{id}: GET …/export and POST …/erase.

// ProposalErasureJSON is the answer to POST /api/v1/proposals/{id}/erase.
type ProposalErasureJSON struct {
	Erased bool `json:"erased"`
	// SessionKept says the proposal's session stays on the programme, without the speaker.
	SessionKept bool `json:"session_kept"`
	// Status is the proposal's status after the erasure.
	Status string `json:"status"`
}

func (h *Handler) exportProposalAPI(c *gin.Context) {
	p, ok := h.authorisedProposal(c)
	if !ok {
		return
	}
	exp, err := h.store.ExportProposal(c.Request.Context(), p.ID)
	if err != nil {
		h.apiStoreError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, exp)
}

func (h *Handler) eraseProposalAPI(c *gin.Context) {
	p, ok := h.authorisedProposal(c)
	if !ok {
		return
	}
	res, err := h.store.EraseProposal(c.Request.Context(), p.ID)
	if err != nil {
		h.apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, ProposalErasureJSON{Erased: true, SessionKept: res.SessionKept, Status: res.Status})
}

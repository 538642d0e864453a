package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// A voter's own data through their ballot link (issue #17):
// /stemmen/stembiljet/TOKEN/gegevens (a readable page), /gegevens.json and /wissen. The
// export says how many votes the ballot holds, never for which proposals.

// voterDataPage is the voter's data, readable.
type voterDataPage struct {
	Page
	Token  string
	Export models.VoterExport
}

// voterErasePage explains what erasing a ballot means, with the button.
type voterErasePage struct {
	Page
	Token string
	Voted bool
}

// voterExport loads the export of the voter behind the ballot link.
func (h *Handler) voterExport(c *gin.Context) (models.VoterExport, bool) {
	v, err := h.store.VoterOfLink(c.Request.Context(), c.Param("token"))
	if err == nil {
		var exp models.VoterExport
		if exp, err = h.store.ExportVoter(c.Request.Context(), v.ID); err == nil {
			return exp, true
		}
	}
	h.storeError(c, err)
	return models.VoterExport{}, false
}

func (h *Handler) showVoterData(c *gin.Context) {
	exp, ok := h.voterExport(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "private, no-store")
	h.render(c, http.StatusOK, "voter_data", voterDataPage{Page: h.page(c, h.tr(c).T("voter_data.title"), "voting"),
		Token: c.Param("token"), Export: exp})
}

func (h *Handler) downloadVoterData(c *gin.Context) {
	exp, ok := h.voterExport(c)
	if !ok {
		return
	}
	sendPersonalData(c, "stembiljet-gegevens.json", exp)
}

func (h *Handler) showEraseVoter(c *gin.Context) {
	v, err := h.store.VoterOfLink(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.storeError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	h.render(c, http.StatusOK, "voter_erase", voterErasePage{Page: h.page(c, h.tr(c).T("voter_erase.title"), "voting"),
		Token: c.Param("token"), Voted: v.VotedAt != nil})
}

// eraseVoter erases the voter's data. The ballot link stops working, so the answer is the
// home page with a flash message.
func (h *Handler) eraseVoter(c *gin.Context) {
	v, err := h.store.VoterOfLink(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.storeError(c, err)
		return
	}
	res, err := h.store.EraseVoter(c.Request.Context(), v.ID)
	if err != nil {
		h.storeError(c, err)
		return
	}
	if res.Confirmed {
		h.setFlash(c, "voter_erase.done_confirmed")
	} else {
		h.setFlash(c, "voter_erase.done")
	}
	c.Redirect(http.StatusSeeOther, "/")
}

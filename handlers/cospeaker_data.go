package handlers

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// A co-speaker's own data through their personal link (issue #17):
// /voorstellen/medespreker/TOKEN/gegevens (readable), /gegevens.json and /wissen.

// coSpeakerDataPage is the co-speaker's data, readable.
type coSpeakerDataPage struct {
	Page
	Token  string
	Export models.CoSpeakerExport
}

// MailKind names a kind of e-mail in the reader's words (the code when there are none).
func (d coSpeakerDataPage) MailKind(kind string) string {
	return d.labelOr(kind, "speaker_data.mail."+kind)
}

// coSpeakerErasePage explains what erasing means for a co-speaker, with the button.
type coSpeakerErasePage struct {
	Page
	Token   string
	Session *models.ExportedSession
}

// coSpeakerExport loads the export of the co-speaker behind the link.
func (h *Handler) coSpeakerExport(c *gin.Context) (models.CoSpeakerExport, uint, bool) {
	co, _, err := h.store.CoSpeakerByToken(c.Request.Context(), c.Param("token"))
	if err == nil {
		var exp models.CoSpeakerExport
		if exp, err = h.store.ExportCoSpeaker(c.Request.Context(), co.ID); err == nil {
			return exp, co.ID, true
		}
	}
	h.storeError(c, err)
	return models.CoSpeakerExport{}, 0, false
}

func (h *Handler) showCoSpeakerData(c *gin.Context) {
	exp, _, ok := h.coSpeakerExport(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "private, no-store")
	h.render(c, http.StatusOK, "cospeaker_data", coSpeakerDataPage{Page: h.page(c, h.tr(c).T("speaker_data.title"), "proposals"),
		Token: c.Param("token"), Export: exp})
}

func (h *Handler) downloadCoSpeakerData(c *gin.Context) {
	exp, _, ok := h.coSpeakerExport(c)
	if !ok {
		return
	}
	sendPersonalData(c, fmt.Sprintf("medespreker-voorstel-%d-gegevens.json", exp.Proposal.ID), exp)
}

func (h *Handler) showEraseCoSpeaker(c *gin.Context) {
	exp, _, ok := h.coSpeakerExport(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "private, no-store")
	h.render(c, http.StatusOK, "cospeaker_erase", coSpeakerErasePage{Page: h.page(c, h.tr(c).T("speaker_erase.title"), "proposals"),
		Token: c.Param("token"), Session: exp.Session})
}

// eraseCoSpeaker erases the co-speaker's data; their link stops working, so the answer is
// the home page with a flash message.
func (h *Handler) eraseCoSpeaker(c *gin.Context) {
	co, _, err := h.store.CoSpeakerByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.storeError(c, err)
		return
	}
	res, err := h.store.EraseCoSpeaker(c.Request.Context(), co.ID)
	if err != nil {
		h.storeError(c, err)
		return
	}
	h.speakerErased(c, res.SessionKept)
}

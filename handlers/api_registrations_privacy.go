package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// The attendee's own data through the API (issue #17), with the personal token as for
// getRegistrationAPI: the export, and the erasure. After an erasure the token finds nothing,
// so a second erasure is a 404 like any unknown token.

// ErasureJSON is the answer to an erasure: what it did.
type ErasureJSON struct {
	Erased          bool  `json:"erased"`
	Attended        bool  `json:"attended"`
	SeatsReleased   int   `json:"seats_released"`
	EmailsWithdrawn int64 `json:"emails_withdrawn"`
}

func (h *Handler) exportRegistrationAPI(c *gin.Context) {
	r, _, ok := h.authorisedRegistration(c)
	if !ok {
		return
	}
	export, err := h.store.ExportRegistration(c.Request.Context(), r.ID)
	if err != nil {
		h.apiStoreError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, export)
}

func (h *Handler) eraseRegistrationAPI(c *gin.Context) {
	r, _, ok := h.authorisedRegistration(c)
	if !ok {
		return
	}
	if wait := h.bookingMailWait(c, r); wait > 0 {
		h.tooManyAPI(c, wait)
		return
	}
	erasure, err := h.store.EraseRegistration(c.Request.Context(), r.ID)
	if err != nil {
		h.apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, ErasureJSON{Erased: true, Attended: erasure.Attended, SeatsReleased: erasure.SeatsReleased,
		EmailsWithdrawn: erasure.MailWithdrawn})
}

package handlers

import (
	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// recordExport writes the audit entry of an export of personal data (issue #16 point 7)
// before the data goes out: an export the trail cannot record is not sent.
func (h *Handler) recordExport(c *gin.Context, rec models.ExportRecord) bool {
	if err := h.store.RecordExport(c.Request.Context(), rec); err != nil {
		h.serverError(c, err)
		return false
	}
	return true
}

// venueIDOf is a venue's id, or 0 for none (every venue).
func venueIDOf(v *models.Venue) uint {
	if v == nil {
		return 0
	}
	return v.ID
}

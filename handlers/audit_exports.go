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

// exportVenue is the venue an export of the people list covers: the one chosen, else the
// organiser's own when they manage one venue, else 0 for every venue.
func exportVenue(r audienceRequest) uint {
	if r.Venue != nil {
		return r.Venue.ID
	}
	if len(r.Audience.Scope) == 1 {
		return r.Audience.Scope[0]
	}
	return 0
}

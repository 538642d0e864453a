package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

type needsData struct {
	Page
	Venue models.Venue
	models.VenueNeeds
}

// NeedLabel names a counted need: a known one in the reader's language, another as typed.
func (d needsData) NeedLabel(n models.NeedCount) string {
	if n.Key != "" {
		return d.T("needs.kind." + n.Key)
	}
	return n.Text
}

// NeedsLine is the counts in one line: "12 × vegetarisch, 3 × rolstoel".
func (d needsData) NeedsLine(counts []models.NeedCount) string {
	parts := make([]string, 0, len(counts))
	for _, n := range counts {
		parts = append(parts, d.T("needs.count", "N", n.Count, "Need", d.NeedLabel(n)))
	}
	return strings.Join(parts, ", ")
}

// showVenueNeeds lists the dietary and accessibility needs of a venue's people, counted for
// the venue and per session for the room hosts. These are special categories of personal
// data: only organisers who manage the venue see them (venueFromPath checks CanManageVenue),
// and no shared cache keeps them.
func (h *Handler) showVenueNeeds(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	needs, err := h.store.VenueNeeds(c.Request.Context(), v.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	// Special categories of personal data shown: the trail records who looked.
	if !h.recordExport(c, models.ExportRecord{Kind: models.ExportNeeds, VenueID: v.ID}) {
		return
	}
	c.Header("Cache-Control", "private, no-store")
	p := h.page(c, h.tr(c).T("needs.title", "Venue", h.venueName(c, v)), "beheer")
	h.render(c, http.StatusOK, "beheer/venue_needs", needsData{Page: p, Venue: v, VenueNeeds: needs})
}

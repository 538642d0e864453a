// The archive (issue #18): the past editions, each with its published programme, read-only.

package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// archiveData is /archief: the published editions other than the current one, latest first.
type archiveData struct {
	Page
	Editions []archivedEdition
}

// archivedEdition is one past edition with its venues, each linking to its programme.
type archivedEdition struct {
	Event  models.Event
	Venues []models.Venue
}

func (h *Handler) showArchive(c *gin.Context) {
	ctx := c.Request.Context()
	editions, err := h.store.ArchivedEditions(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("archive.title"), "archive")
	lang := string(p.Lang)
	d := archiveData{Page: p}
	for _, e := range editions {
		venues, err := h.store.Venues(ctx, e.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		d.Editions = append(d.Editions, archivedEdition{Event: e.In(lang), Venues: models.VenuesIn(venues, lang)})
	}
	h.render(c, http.StatusOK, "archive", d)
}

// showArchivedProgramme shows a past edition's published programme at one venue, by the code
// of the public programme. The current edition's year leads to its programme at /programma;
// an edition not published is not found.
func (h *Handler) showArchivedProgramme(c *gin.Context) {
	ctx := c.Request.Context()
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		h.notFound(c)
		return
	}
	e, err := h.store.EditionByYear(ctx, year)
	if err == nil && !e.Published() {
		err = models.ErrNotFound
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if current, err := h.store.CurrentEvent(ctx); err == nil && current.ID == e.ID {
		c.Redirect(http.StatusSeeOther, "/programma/"+c.Param("venue"))
		return
	}
	venues, err := h.store.Venues(ctx, e.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.renderProgramme(c, e, venues, true)
}

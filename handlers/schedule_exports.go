package handlers

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// notPublished is how the exports answer an event without a published version of its programme.
var notPublished = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusNotFound,
	Code: "not_published", Key: "schedule.not_published", Page: "schedule.not_published_page"}}

// publishedProgramme is the latest published version of the current event's programme. No
// version yet is a 404 that says the programme is not published.
func (h *Handler) publishedProgramme(c *gin.Context) (schedule.Programme, bool) {
	ctx := c.Request.Context()
	event, venues, ok := h.eventAndVenues(c)
	if !ok {
		return schedule.Programme{}, false
	}
	v, err := h.store.LatestScheduleVersion(ctx, event.ID)
	if err != nil {
		h.storeError(c, err, notPublished)
		return schedule.Programme{}, false
	}
	return schedule.FromVersion(event, venues, v, h.baseURL(c)), true
}

// exportLang is the language a venue's programme export is written in: the one ?lang= names
// (the programme page links the exports with its own, since a calendar app that subscribes
// sends no cookie), else the visitor's. Session titles and abstracts and venue names are in
// it where they have an English version (schedule.Programme.In).
func (h *Handler) exportLang(c *gin.Context) *locale.Translator {
	if l, ok := locale.Parse(c.Query("lang")); ok {
		return h.catalog.Translator(l)
	}
	return h.tr(c)
}

// writeExport renders an export into a buffer first, so a failure never leaves half a file,
// and answers an unknown venue with 404.
func (h *Handler) writeExport(c *gin.Context, contentType, filename string, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		h.fail(c, err)
		return
	}
	if filename != "" {
		c.Header("Content-Disposition", `inline; filename="`+filename+`"`)
	}
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

func (h *Handler) venueScheduleXML(c *gin.Context) {
	if p, ok := h.publishedProgramme(c); ok {
		p = p.In(string(h.exportLang(c).Lang()))
		h.writeExport(c, "application/xml; charset=utf-8", "", func(w io.Writer) error {
			return schedule.WriteFrabXML(w, p, c.Param("slug"))
		})
	}
}

func (h *Handler) venueScheduleJSON(c *gin.Context) {
	if p, ok := h.publishedProgramme(c); ok {
		p = p.In(string(h.exportLang(c).Lang()))
		h.writeExport(c, "application/json; charset=utf-8", "", func(w io.Writer) error {
			return schedule.WriteFrabJSON(w, p, c.Param("slug"))
		})
	}
}

func (h *Handler) venueScheduleICal(c *gin.Context) {
	if p, ok := h.publishedProgramme(c); ok {
		p = p.In(string(h.exportLang(c).Lang()))
		h.writeExport(c, "text/calendar; charset=utf-8", "programma-"+c.Param("slug")+".ics", func(w io.Writer) error {
			return schedule.WriteVenueICal(w, p, c.Param("slug"))
		})
	}
}

func (h *Handler) venueSchedulePDF(c *gin.Context) {
	if p, ok := h.publishedProgramme(c); ok {
		tr := h.exportLang(c).In(p.Location())
		p = p.In(string(tr.Lang()))
		h.writeExport(c, "application/pdf", "programma-"+c.Param("slug")+".pdf", func(w io.Writer) error {
			return schedule.VenueProgrammePDF(w, p, c.Param("slug"), tr)
		})
	}
}

func (h *Handler) venueDoorSignsPDF(c *gin.Context) {
	if p, ok := h.publishedProgramme(c); ok {
		tr := h.exportLang(c).In(p.Location())
		p = p.In(string(tr.Lang()))
		h.writeExport(c, "application/pdf", "deurbordjes-"+c.Param("venue")+".pdf", func(w io.Writer) error {
			return schedule.DoorSignsPDF(w, p, c.Param("venue"), tr)
		})
	}
}

// openData serves the whole programme as open data, with its licence also in a Link header.
func (h *Handler) openDataJSON(c *gin.Context) {
	if p, ok := h.publishedProgramme(c); ok {
		c.Header("Link", "<"+p.Licence.URL+`>; rel="license"`)
		h.writeExport(c, "application/json; charset=utf-8", "", func(w io.Writer) error {
			return schedule.WriteOpenDataJSON(w, p)
		})
	}
}

func (h *Handler) openDataCSV(c *gin.Context) {
	if p, ok := h.publishedProgramme(c); ok {
		c.Header("Link", "<"+p.Licence.URL+`>; rel="license"`)
		h.writeExport(c, "text/csv; charset=utf-8", "programma.csv", func(w io.Writer) error {
			return schedule.WriteOpenDataCSV(w, p)
		})
	}
}

// personalICal is an attendee's own calendar: the sessions they have a seat in, as
// published, in the language they registered in. Its address is /agenda/FEEDTOKEN.ics, a
// read-only token of its own, so that a calendar app never holds the personal link that can
// change or cancel the booking. A cancelled registration's feed stays valid and shows no
// sessions, so subscribed calendars empty themselves.
func (h *Handler) personalICal(c *gin.Context) {
	token, ok := strings.CutSuffix(c.Param("feed"), ".ics")
	if !ok {
		h.notFound(c)
		return
	}
	r, err := h.store.RegistrationByFeedToken(c.Request.Context(), token)
	if err != nil {
		h.fail(c, err)
		return
	}
	p, ok := h.publishedProgramme(c)
	if !ok {
		return
	}
	var ids []uint
	for _, b := range r.Bookings {
		if b.Status == models.BookingConfirmed && r.Status == models.RegistrationActive {
			ids = append(ids, b.SessionID)
		}
	}
	tr := h.catalog.Translator(locale.Lang(r.Lang))
	p = p.In(string(tr.Lang()))
	name := tr.T("schedule.personal_calendar", "Event", p.EventName)
	h.writeExport(c, "text/calendar; charset=utf-8", "mijn-programma.ics", func(w io.Writer) error {
		return schedule.WritePersonalICal(w, p, ids, name)
	})
}

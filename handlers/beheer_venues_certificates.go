package handlers

import (
	"io"
	"iter"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/certificate"
	"github.com/ambtenaar20/dagplanner/models"
)

// venueCertificatesPDF prints the certificates of everyone admitted at a venue's door, one
// page each in the person's own language, by last name: one file to print and hand out or
// post. Each page is drawn as its person's attendance is read, and the pages go uncompressed
// and gzipped on the wire, as the door list does (sendLargePDF): a venue of 700 people is a
// file of a few megabytes, never 700 of everything in memory at once.
func (h *Handler) venueCertificatesPDF(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	people, err := h.store.CertificateHolders(c.Request.Context(), v.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if len(people) == 0 {
		h.setFlash(c, "certificate.venue_none")
		c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.FormatUint(uint64(v.ID), 10))
		return
	}
	if !h.recordExport(c, models.ExportRecord{Kind: models.ExportCertificates, VenueID: v.ID, Rows: len(people)}) {
		return
	}
	tr := h.tr(c)
	batch := certificate.Batch{Title: event.Name + " – " + v.Name + " – " + tr.T("certificate.venue_title"),
		Labels: certificateLabels(tr)}
	h.sendLargePDF(c, "certificaten-"+v.Slug+".pdf", func(w io.Writer) error {
		return h.certs.renderer.Certificates(w, batch, h.certificatePages(c, event, v, people))
	})
}

// certificatePages yields the certificate of each person in turn, reading their attendance
// only when their page is drawn.
func (h *Handler) certificatePages(c *gin.Context, event models.Event, v models.Venue, people []models.CertificateHolder) iter.Seq2[certificate.Data, error] {
	return func(yield func(certificate.Data, error) bool) {
		for _, p := range people {
			att, err := h.store.AttendedSessions(c.Request.Context(), p.ID)
			if err != nil {
				yield(certificate.Data{}, err)
				return
			}
			d, err := h.certificateData(c, certificateOf{Event: event, Venue: v, Person: p, Attendance: att})
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The attendee's own data behind the personal link (issue #17): everything Dagplanner holds
// about them as a page and as JSON, and erasing it. A cancelled registration still holds
// data, so these work for it too; after an erasure the link itself is gone (404).

type bookingDataPage struct {
	Page
	Token  string
	Export models.RegistrationExport
}

// showBookingData shows everything the export holds, readably.
func (h *Handler) showBookingData(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	export, err := h.store.ExportRegistration(c.Request.Context(), r.ID)
	if err != nil {
		h.storeError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("mydata.data_title"), "register")
	h.render(c, http.StatusOK, "booking_data", bookingDataPage{Page: p, Token: c.Param("token"), Export: export})
}

// downloadBookingData hands over the same as a JSON file.
func (h *Handler) downloadBookingData(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	export, err := h.store.ExportRegistration(c.Request.Context(), r.ID)
	if err != nil {
		h.storeError(c, err)
		return
	}
	sendPersonalData(c, "dagplanner-mijn-gegevens.json", export)
}

var eraseFields = []string{"confirm:mydata.erase_confirm"}

type eraseData struct {
	Page
	Token        string
	Registration models.Registration
	Erasure      models.Erasure // after the erasure: what it did
}

// showEraseBooking says what erasing means and asks for a confirmation.
func (h *Handler) showEraseBooking(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("mydata.erase_title"), "register")
	p.Form = newForm(nil, eraseFields...)
	h.render(c, http.StatusOK, "booking_erase", eraseData{Page: p, Token: c.Param("token"), Registration: r})
}

// eraseBooking erases the registration once the box is ticked, and says it is done on the
// spot: the personal link no longer leads anywhere to redirect to.
func (h *Handler) eraseBooking(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("mydata.erase_title"), "register")
	p.Form = postedForm(c, eraseFields...)
	d := eraseData{Page: p, Token: c.Param("token"), Registration: r}
	if p.Form.String("confirm") != "ja" {
		p.Form.Problems.Add("confirm", "mydata.erase_confirm_required")
		h.render(c, http.StatusUnprocessableEntity, "booking_erase", d)
		return
	}
	if wait := h.bookingMailWait(c, r); wait > 0 {
		h.tooManyPage(c, wait)
		return
	}
	erasure, err := h.store.EraseRegistration(c.Request.Context(), r.ID)
	if err != nil {
		h.storeError(c, err)
		return
	}
	d.Page.Title = p.T("mydata.erased_title")
	d.Erasure = erasure
	h.render(c, http.StatusOK, "booking_erased", d)
}

// MailKind names a kind of e-mail in the person's language (the kind's own word when the
// catalogue has none).
func (d bookingDataPage) MailKind(kind string) string { return d.labelOr(kind, "mydata.mail."+kind) }

// AuditAction names what an audit entry about the person records.
func (d bookingDataPage) AuditAction(action string) string {
	return d.labelOr(action, "person.audit."+action, "audit.do."+action)
}

// ActorKind names the kind of actor of an entry (never who it was: that is someone else's).
func (d bookingDataPage) ActorKind(kind string) string {
	return d.labelOr(kind, "audit.actor_kind."+kind)
}

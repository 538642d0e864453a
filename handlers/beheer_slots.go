package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

var slotFields = []string{"start:beheer.slot.start", "end:beheer.slot.end"}

type slotFormData struct {
	Page
	Venue models.Venue
	Slot  *models.Slot // nil when adding a slot
}

func (h *Handler) newSlot(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.slot.new_title", "Venue", h.venueName(c, v)), "beheer")
	p.Form = newForm(nil, slotFields...)
	h.render(c, http.StatusOK, "beheer/slot_form", slotFormData{Page: p, Venue: v})
}

func (h *Handler) createSlot(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c, slotFields...)
	_, err := h.store.CreateSlot(c.Request.Context(), v.ID, models.SlotInput{Start: form.String("start"), End: form.String("end")})
	if h.formFailed(c, err, form, "beheer/slot_form", func(p Page) any { return slotFormData{Page: p, Venue: v} }, "beheer.slot.new_title", "Venue", h.venueName(c, v)) {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID)))
}

// managedSlot loads the slot in the path and its venue, checking the account may manage it.
func (h *Handler) managedSlot(c *gin.Context) (models.Slot, models.Venue, bool) {
	id, ok := h.paramID(c, "slot")
	if !ok {
		return models.Slot{}, models.Venue{}, false
	}
	sl, err := h.store.Slot(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return models.Slot{}, models.Venue{}, false
	}
	v, ok := h.managedVenue(c, sl.VenueID)
	return sl, v, ok
}

func (h *Handler) editSlot(c *gin.Context) {
	sl, v, ok := h.managedSlot(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.slot.edit_title", "Venue", h.venueName(c, v)), "beheer")
	zone := p.Zone()
	p.Form = newForm(url.Values{"start": {sl.StartsAt.In(zone).Format("15:04")}, "end": {sl.EndsAt.In(zone).Format("15:04")}}, slotFields...)
	h.render(c, http.StatusOK, "beheer/slot_form", slotFormData{Page: p, Venue: v, Slot: &sl})
}

func (h *Handler) updateSlot(c *gin.Context) {
	sl, v, ok := h.managedSlot(c)
	if !ok {
		return
	}
	form := postedForm(c, slotFields...)
	_, err := h.store.UpdateSlot(c.Request.Context(), sl.ID, models.SlotInput{Start: form.String("start"), End: form.String("end")})
	if h.formFailed(c, err, form, "beheer/slot_form", func(p Page) any { return slotFormData{Page: p, Venue: v, Slot: &sl} }, "beheer.slot.edit_title", "Venue", h.venueName(c, v)) {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID)))
}

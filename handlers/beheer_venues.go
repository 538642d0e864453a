package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

var venueFields = []string{"name:beheer.venue.name", "name_en:beheer.venue.name_en", "slug:beheer.venue.slug",
	"city:beheer.venue.city", "address:beheer.venue.address", "capacity:beheer.venue.capacity",
	"route_hint:beheer.venue.route_hint", "route_hint_en:beheer.venue.route_hint_en",
	"accessibility:beheer.venue.accessibility", "accessibility_en:beheer.venue.accessibility_en"}

type venueFormData struct {
	Page
	Venue *models.Venue // nil when adding a venue
}

type venueAdminData struct {
	Page
	Venue    models.Venue
	Sessions []models.Session
}

func (h *Handler) showVenueAdmin(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	sessions, err := h.store.SessionsOfVenue(c.Request.Context(), v.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, v.Name, "beheer")
	h.render(c, http.StatusOK, "beheer/venue", venueAdminData{Page: p, Venue: v, Sessions: sessions})
}

func (h *Handler) newVenue(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.venue.new_title"), "beheer")
	p.Form = newForm(nil, venueFields...)
	h.render(c, http.StatusOK, "beheer/venue_form", venueFormData{Page: p})
}

func (h *Handler) createVenue(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	form := postedForm(c, venueFields...)
	in := venueInput(form)
	var v models.Venue
	var err error
	if form.Valid() {
		v, err = h.store.CreateVenue(ctx, event.ID, in)
	} else {
		form.Merge(in.Validate())
	}
	if h.formFailed(c, err, form, "beheer/venue_form", func(p Page) any { return venueFormData{Page: p} }, "beheer.venue.new_title") {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID)))
}

func (h *Handler) editVenue(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.venue.edit_title", "Venue", v.Name), "beheer")
	p.Form = newForm(url.Values{"name": {v.Name}, "slug": {v.Slug}, "city": {v.City}, "address": {v.Address},
		"capacity": {strconv.Itoa(v.Capacity)}, "route_hint": {v.RouteHint}, "accessibility": {v.Accessibility},
		"name_en": {v.NameEn}, "route_hint_en": {v.RouteHintEn}, "accessibility_en": {v.AccessibilityEn}}, venueFields...)
	h.render(c, http.StatusOK, "beheer/venue_form", venueFormData{Page: p, Venue: &v})
}

func (h *Handler) updateVenue(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c, venueFields...)
	in := venueInput(form)
	var err error
	if form.Valid() {
		_, err = h.store.UpdateVenue(c.Request.Context(), v.ID, in)
	} else {
		form.Merge(in.Validate())
	}
	if h.formFailed(c, err, form, "beheer/venue_form", func(p Page) any { return venueFormData{Page: p, Venue: &v} }, "beheer.venue.edit_title", "Venue", v.Name) {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID)))
}

func venueInput(form *Form) models.VenueInput {
	return models.VenueInput{
		Name: form.String("name"), Slug: form.String("slug"), City: form.String("city"), Address: form.String("address"),
		Capacity: form.Int("capacity", true), RouteHint: form.String("route_hint"), Accessibility: form.String("accessibility"),
		NameEn: form.String("name_en"), RouteHintEn: form.String("route_hint_en"), AccessibilityEn: form.String("accessibility_en"),
	}
}

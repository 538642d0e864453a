package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

var roomFields = []string{"name:beheer.room.name", "capacity:beheer.room.capacity", "accessibility:room.accessibility"}

type roomFormData struct {
	Page
	Venue models.Venue
	Room  *models.Room // nil when adding a room
}

func (h *Handler) newRoom(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.room.new_title", "Venue", h.venueName(c, v)), "beheer")
	p.Form = newForm(nil, roomFields...)
	h.render(c, http.StatusOK, "beheer/room_form", roomFormData{Page: p, Venue: v})
}

func (h *Handler) createRoom(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c, roomFields...)
	in := roomInput(form)
	var err error
	if form.Valid() {
		_, err = h.store.CreateRoom(c.Request.Context(), v.ID, in)
	} else {
		form.Merge(in.Validate())
	}
	if h.formFailed(c, err, form, "beheer/room_form", func(p Page) any { return roomFormData{Page: p, Venue: v} }, "beheer.room.new_title", "Venue", h.venueName(c, v)) {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID)))
}

// managedRoom loads the room in the path and its venue, checking the account may manage it.
func (h *Handler) managedRoom(c *gin.Context) (models.Room, models.Venue, bool) {
	id, ok := h.paramID(c, "room")
	if !ok {
		return models.Room{}, models.Venue{}, false
	}
	r, err := h.store.Room(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return models.Room{}, models.Venue{}, false
	}
	v, ok := h.managedVenue(c, r.VenueID)
	return r, v, ok
}

func (h *Handler) editRoom(c *gin.Context) {
	r, v, ok := h.managedRoom(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.room.edit_title", "Room", r.Name), "beheer")
	p.Form = newForm(url.Values{"name": {r.Name}, "capacity": {strconv.Itoa(r.Capacity)}, "accessibility": {r.Accessibility}}, roomFields...)
	h.render(c, http.StatusOK, "beheer/room_form", roomFormData{Page: p, Venue: v, Room: &r})
}

func (h *Handler) updateRoom(c *gin.Context) {
	r, v, ok := h.managedRoom(c)
	if !ok {
		return
	}
	form := postedForm(c, roomFields...)
	in := roomInput(form)
	var err error
	if form.Valid() {
		_, err = h.store.UpdateRoom(c.Request.Context(), r.ID, in)
	} else {
		form.Merge(in.Validate())
	}
	if h.formFailed(c, err, form, "beheer/room_form", func(p Page) any { return roomFormData{Page: p, Venue: v, Room: &r} }, "beheer.room.edit_title", "Room", r.Name) {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID)))
}

func roomInput(form *Form) models.RoomInput {
	return models.RoomInput{Name: form.String("name"), Capacity: form.Int("capacity", true), Accessibility: form.String("accessibility")}
}

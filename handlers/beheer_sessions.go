package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

var sessionFields = []string{"title:beheer.session.title_field", "title_en:beheer.session.title_en",
	"format:beheer.session.format", "track:beheer.session.track", "abstract:beheer.session.abstract",
	"abstract_en:beheer.session.abstract_en", "speakers:beheer.session.speakers", "venue:beheer.session.venue",
	"room:beheer.session.room", "slot:beheer.session.slot", "slot_count:beheer.session.length", "capacity:beheer.session.capacity"}

type sessionListData struct {
	Page
	Sessions []models.Session
}

func (h *Handler) listSessionsAdmin(c *gin.Context) {
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	all, err := h.store.SessionsOfEvent(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("beheer.sessions.title"), "beheer")
	data := sessionListData{Page: p}
	for _, s := range all {
		if canManageSession(*p.User, s) {
			data.Sessions = append(data.Sessions, s)
		}
	}
	h.render(c, http.StatusOK, "beheer/sessions", data)
}

// canManageSession: event-wide organisers manage every session; a venue-scoped one only the
// sessions placed at their venue.
func canManageSession(u models.User, s models.Session) bool {
	if u.CanManageEvent() {
		return true
	}
	return s.VenueID != nil && u.CanManageVenue(*s.VenueID)
}

type sessionFormData struct {
	Page
	Session    *models.Session // nil when adding a session
	Venues     []Option
	Rooms      []Option
	Slots      []Option
	Formats    []Option
	SlotCounts []Option
}

// sessionFormData fills the drop-downs with the venues, rooms and slots the account manages.
func (h *Handler) sessionForm(c *gin.Context, p Page, s *models.Session) (sessionFormData, error) {
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		return sessionFormData{}, err
	}
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		return sessionFormData{}, err
	}
	d := sessionFormData{Page: p, Session: s}
	if p.User.CanManageEvent() {
		d.Venues = append(d.Venues, Option{Value: "", Label: p.T("beheer.session.not_placed")})
	}
	d.Rooms = []Option{{Value: "", Label: p.T("beheer.session.no_room")}}
	d.Slots = []Option{{Value: "", Label: p.T("beheer.session.no_slot")}}
	for _, v := range venues {
		if !p.User.CanManageVenue(v.ID) {
			continue
		}
		d.Venues = append(d.Venues, Option{Value: strconv.Itoa(int(v.ID)), Label: v.City + ": " + p.VenueName(v)})
		for _, r := range v.Rooms {
			d.Rooms = append(d.Rooms, Option{Value: strconv.Itoa(int(r.ID)), Label: fmt.Sprintf("%s: %s (%s)", v.City, r.Name, p.T("room.capacity_short", "Count", r.Capacity))})
		}
		for _, sl := range v.Slots {
			d.Slots = append(d.Slots, Option{Value: strconv.Itoa(int(sl.ID)), Label: v.City + ": " + p.TimeRange(sl.StartsAt, sl.EndsAt)})
		}
	}
	for _, f := range models.Formats {
		d.Formats = append(d.Formats, Option{Value: f, Label: p.Format(f)})
	}
	d.SlotCounts = []Option{{Value: "1", Label: p.T("beheer.session.one_slot")}, {Value: "2", Label: p.T("beheer.session.two_slots")}}
	return d, nil
}

func (h *Handler) newSession(c *gin.Context) {
	p := h.page(c, h.tr(c).T("beheer.session.new_title"), "beheer")
	p.Form = newForm(url.Values{"slot_count": {"1"}, "format": {"workshop"}}, sessionFields...)
	if p.User.VenueID != nil {
		p.Form.Values.Set("venue", strconv.Itoa(int(*p.User.VenueID)))
	}
	d, err := h.sessionForm(c, p, nil)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "beheer/session_form", d)
}

func (h *Handler) createSession(c *gin.Context) {
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c, sessionFields...)
	in := h.sessionInput(c, form)
	if form.Valid() {
		_, err = h.store.CreateSession(ctx, event.ID, in)
	} else {
		form.Merge(in.Validate())
	}
	if h.sessionFormFailed(c, err, form, nil, "beheer.session.new_title") {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/sessies")
}

// managedSession loads the session in the path, checking the account may manage it.
func (h *Handler) managedSession(c *gin.Context) (models.Session, bool) {
	id, ok := h.paramID(c, "session")
	if !ok {
		return models.Session{}, false
	}
	s, err := h.store.Session(c.Request.Context(), id)
	if err == nil {
		err = h.inEdition(c, s.EventID)
	}
	if err != nil {
		h.fail(c, err)
		return models.Session{}, false
	}
	if u, ok := h.currentUser(c); !ok || !canManageSession(u, s) {
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
		return models.Session{}, false
	}
	return s, true
}

func (h *Handler) editSession(c *gin.Context) {
	s, ok := h.managedSession(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.session.edit_title", "Title", s.Title), "beheer")
	p.Form = newForm(sessionValues(s), sessionFields...)
	d, err := h.sessionForm(c, p, &s)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "beheer/session_form", d)
}

func (h *Handler) updateSession(c *gin.Context) {
	s, ok := h.managedSession(c)
	if !ok {
		return
	}
	form := postedForm(c, sessionFields...)
	in := h.sessionInput(c, form)
	var err error
	if form.Valid() {
		_, err = h.store.UpdateSession(c.Request.Context(), s.ID, in)
	} else {
		form.Merge(in.Validate())
	}
	if h.sessionFormFailed(c, err, form, &s, "beheer.session.edit_title", "Title", s.Title) {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer/sessies")
}

func (h *Handler) sessionFormFailed(c *gin.Context, err error, form *Form, s *models.Session, titleKey string, titleArgs ...any) bool {
	var formErr error
	failed := h.formFailed(c, err, form, "beheer/session_form", func(p Page) any {
		d, err := h.sessionForm(c, p, s)
		formErr = err
		return d
	}, titleKey, titleArgs...)
	if formErr != nil {
		h.log.Error("session form", "id", c.GetString(ctxRequestID), "err", formErr)
	}
	return failed
}

// sessionInput reads the form. A venue-scoped account can only place sessions at its venue.
func (h *Handler) sessionInput(c *gin.Context, form *Form) models.SessionInput {
	in := models.SessionInput{
		Title: form.String("title"), Format: form.String("format"), Track: form.String("track"),
		Abstract: form.String("abstract"), TitleEn: form.String("title_en"), AbstractEn: form.String("abstract_en"),
		VenueID: form.ID("venue"), RoomID: form.ID("room"),
		FirstSlotID: form.ID("slot"), SlotCount: form.Int("slot_count", true), CapacityLimit: form.Int("capacity", false),
		Speakers: parseSpeakers(form.String("speakers")),
	}
	if u, ok := h.currentUser(c); ok && !u.CanManageEvent() && !u.CanManageVenue(in.VenueID) {
		form.Problems.Add("venue", "form.venue_not_yours")
	}
	return in
}

// parseSpeakers reads one speaker per line as "Name; Organisation".
func parseSpeakers(text string) []models.SpeakerInput {
	var out []models.SpeakerInput
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, org, _ := strings.Cut(line, ";")
		out = append(out, models.SpeakerInput{Name: strings.TrimSpace(name), Organisation: strings.TrimSpace(org)})
	}
	return out
}

func sessionValues(s models.Session) url.Values {
	v := url.Values{"title": {s.Title}, "format": {s.Format}, "track": {s.Track}, "abstract": {s.Abstract},
		"title_en": {s.TitleEn}, "abstract_en": {s.AbstractEn},
		"slot_count": {strconv.Itoa(max(s.SlotCount, len(s.Slots), 1))}}
	if s.CapacityLimit > 0 {
		v.Set("capacity", strconv.Itoa(s.CapacityLimit))
	}
	if s.VenueID != nil {
		v.Set("venue", strconv.Itoa(int(*s.VenueID)))
	}
	if s.RoomID != nil {
		v.Set("room", strconv.Itoa(int(*s.RoomID)))
	}
	if len(s.Slots) > 0 {
		v.Set("slot", strconv.Itoa(int(s.Slots[0].SlotID)))
	}
	var lines []string
	for _, sp := range s.Speakers {
		line := sp.Name
		if sp.Organisation != "" {
			line += "; " + sp.Organisation
		}
		lines = append(lines, line)
	}
	v.Set("speakers", strings.Join(lines, "\n"))
	return v
}

package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// eventAndVenues loads the current event and its venues, answering the request itself
// (404 or 500) and reporting false when it cannot.
func (h *Handler) eventAndVenues(c *gin.Context) (models.Event, []models.Venue, bool) {
	ctx := c.Request.Context()
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return models.Event{}, nil, false
	}
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return models.Event{}, nil, false
	}
	return event, venues, true
}

type homeData struct {
	Page
	Event  models.Event
	Day    time.Time
	Venues []models.Venue
	// CallOpen shows the invitation to propose a session.
	CallOpen bool
}

func (h *Handler) showHome(c *gin.Context) {
	event, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	p := h.page(c, "", "home")
	h.render(c, http.StatusOK, "home", homeData{Page: p, Event: event, Day: event.Day(), Venues: venues,
		CallOpen: event.CallOpen(h.store.Now())})
}

// showProgrammeIndex sends people to the programme of the first venue; the programme page
// itself links to the others.
func (h *Handler) showProgrammeIndex(c *gin.Context) {
	_, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	if len(venues) == 0 {
		h.notFound(c)
		return
	}
	c.Redirect(http.StatusSeeOther, "/programma/"+venues[0].Slug)
}

type programmeData struct {
	Page
	Event  models.Event
	Venue  models.Venue
	Venues []models.Venue
	// Timetable is the latest published version; until the first is published, Grid shows
	// the timetable as it stands.
	Timetable *schedule.Timetable
	Version   *models.ScheduleVersion
	Grid      schedule.Grid
}

func (h *Handler) showProgramme(c *gin.Context) {
	ctx := c.Request.Context()
	event, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	at := slices.IndexFunc(venues, func(v models.Venue) bool { return v.Slug == c.Param("venue") })
	if at < 0 {
		h.notFound(c)
		return
	}
	venue := venues[at]
	p := h.page(c, h.tr(c).T("programme.title", "Venue", venue.Name), "programme")
	data := programmeData{Page: p, Event: event, Venue: venue, Venues: venues}
	version, err := h.store.LatestScheduleVersion(ctx, event.ID)
	switch {
	case err == nil:
		prog := schedule.FromVersion(event, venues, version, h.baseURL(c))
		tt, err := schedule.NewTimetable(prog, venue.Slug, schedule.Filter{Format: c.Query("format"), Track: c.Query("track")})
		if err != nil {
			h.fail(c, err)
			return
		}
		data.Timetable, data.Version = &tt, &version
	case errors.Is(err, models.ErrNotFound):
		sessions, err := h.store.SessionsOfVenue(ctx, venue.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		data.Grid = schedule.NewGrid(venue, sessions)
	default:
		h.serverError(c, err)
		return
	}
	h.render(c, http.StatusOK, "programme", data)
}

type sessionData struct {
	Page
	Session models.Session
}

func (h *Handler) showSession(c *gin.Context) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil {
		h.notFound(c)
		return
	}
	s, err := h.store.Session(c.Request.Context(), uint(id))
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, s.Title, "programme")
	h.render(c, http.StatusOK, "session", sessionData{Page: p, Session: s})
}

func (h *Handler) healthz(c *gin.Context) {
	if err := h.store.Ping(c.Request.Context()); err != nil {
		h.log.Error("health check", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

type privacyData struct {
	Page
	Version string
}

func (h *Handler) showPrivacy(c *gin.Context) {
	event, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("privacy.title"), "")
	h.render(c, http.StatusOK, "privacy", privacyData{Page: p, Version: event.PrivacyVersion})
}

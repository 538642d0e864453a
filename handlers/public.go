package handlers

import (
	"context"
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
	lang := string(p.Lang)
	h.render(c, http.StatusOK, "home", homeData{Page: p, Event: event.In(lang), Day: event.Day(), Venues: models.VenuesIn(venues, lang),
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
	// Seats gives the live seats of the published sessions, by session id.
	Seats map[uint]seatCount
	// Preferences is the public summary of signing up by preference (#19): before the
	// allocation its date and seed, after it the tally and per session demand and seats;
	// nil for an event that signs people up first come, first served.
	Preferences *venueAllocation
	// ExportQuery goes after the links to the exports, so they are in the page's language
	// also where no cookie goes along (a calendar app subscribing): "?lang=en", or "".
	ExportQuery string
	// Results are the venue's sessions with their attendees and average rating, once the
	// day is over, when the organisers made them public (issue #18); empty otherwise.
	Results []programmeResult
	// Archived is a past edition's programme in /archief (issue #18): its published timetable
	// only, read-only, without seats, registration or downloads. Base is where the venues'
	// programmes are: "/programma", or "/archief/2027/programma".
	Archived bool
	Base     string
}

// Num writes a number the reader's way.
func (d programmeData) Num(n int) string { return numberFormat(d.Page).Int(n) }

// seatCount is what the programme says about a session's seats: how many are left, or that
// it is full and only the waiting list is open.
type seatCount struct {
	Left int
	Full bool
}

// seatCounts gives the seats left in every session placed at the venue now.
func seatCounts(sessions []models.Session) map[uint]seatCount {
	out := make(map[uint]seatCount, len(sessions))
	for _, s := range sessions {
		out[s.ID] = seatCount{Left: s.SeatsLeft(), Full: s.SeatsLeft() == 0}
	}
	return out
}

func (h *Handler) showProgramme(c *gin.Context) {
	event, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	h.renderProgramme(c, event, venues, false)
}

// renderProgramme shows the programme of the venue in the path, of event: the current
// edition's at /programma, or (archived) a past edition's at /archief, by the same code.
func (h *Handler) renderProgramme(c *gin.Context, event models.Event, venues []models.Venue, archived bool) {
	ctx := c.Request.Context()
	at := slices.IndexFunc(venues, func(v models.Venue) bool { return v.Slug == c.Param("venue") })
	if at < 0 {
		h.notFound(c)
		return
	}
	lang := string(h.tr(c).Lang())
	venue := venues[at].In(lang)
	p := h.page(c, h.tr(c).T("programme.title", "Venue", venue.Name), "programme")
	data := programmeData{Page: p, Event: event.In(lang), Venue: venue, Venues: models.VenuesIn(venues, lang), Base: "/programma"}
	if archived {
		p.Title, p.Section, p.tr = h.tr(c).T("archive.programme_title", "Venue", venue.Name, "Year", event.Year()), "archive", h.tr(c).In(event.Location())
		data.Page, data.Archived, data.Base = p, true, "/archief/"+strconv.Itoa(event.Year())+"/programma"
	}
	if lang != "nl" {
		data.ExportQuery = "?lang=" + lang
	}
	if event.PreferenceMode() && !archived {
		va, err := h.publicAllocation(ctx, p, venues[at])
		if err != nil {
			h.serverError(c, err)
			return
		}
		data.Preferences = &va
	}
	results, err := h.programmeResults(ctx, p, event, venue)
	if err != nil {
		h.serverError(c, err)
		return
	}
	data.Results = results
	version, err := h.store.LatestScheduleVersion(ctx, event.ID)
	switch {
	case err == nil:
		prog := schedule.FromVersion(event, venues, version, h.baseURL(c)).In(lang)
		tt, err := schedule.NewTimetable(prog, venue.Slug, schedule.Filter{Format: c.Query("format"), Track: c.Query("track")})
		if err != nil {
			h.fail(c, err)
			return
		}
		sessions, err := h.store.SessionsOfVenue(ctx, venue.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		data.Timetable, data.Version = &tt, &version
		if !archived {
			data.Seats = seatCounts(sessions)
		}
	case errors.Is(err, models.ErrNotFound) && archived: // only what was published
	case errors.Is(err, models.ErrNotFound):
		sessions, err := h.store.SessionsOfVenue(ctx, venue.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		data.Grid = schedule.NewGrid(venue, models.SessionsIn(sessions, lang))
	default:
		h.serverError(c, err)
		return
	}
	h.render(c, http.StatusOK, "programme", data)
}

type sessionData struct {
	Page
	Session models.Session
	// Profiles holds the bio and photo of the speakers who agreed to publish them.
	Profiles map[uint]models.SpeakerProfile
	// NotPublic marks an organiser's view of a session the public programme does not show.
	NotPublic bool
	// RegisterURL opens the registration form with this session chosen; empty when
	// registration is not open for it.
	RegisterURL string
	// TitleLang and AbstractLang are the languages the title and abstract are shown in: an
	// English page marks a Dutch text that has no English version.
	TitleLang, AbstractLang string
	// ArchiveYear is the year of a past edition's session, shown from the archive with its
	// speakers' names only; 0 for the current edition's.
	ArchiveYear int
}

// showSession shows a session the public programme shows; signed-in organisers also see the
// others, marked as not public. Anyone else gets the same 404 as for an unknown id.
func (h *Handler) showSession(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil {
		h.notFound(c)
		return
	}
	s, err := h.store.Session(ctx, uint(id))
	if err != nil {
		h.fail(c, err)
		return
	}
	public, err := h.store.SessionIsPublic(ctx, s)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if !public && !h.organiserOf(c, s) {
		h.notFound(c)
		return
	}
	profiles, err := h.store.SpeakerProfiles(ctx, s)
	if err != nil {
		h.serverError(c, err)
		return
	}
	archiveYear := 0
	if current, err := h.store.CurrentEvent(ctx); err == nil && current.ID != s.EventID {
		e, err := h.store.Event(ctx, s.EventID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		profiles, archiveYear = nil, e.Year() // a past edition's session: its speakers' names only
	}
	// The page shows the session in the visitor's language; everything below reads s, which
	// keeps its Dutch texts and its venue's ids.
	p := h.page(c, "", "programme")
	shown := s.In(string(p.Lang))
	p.Title = shown.Title
	d := sessionData{Page: p, Session: shown, Profiles: profiles, NotPublic: !public,
		TitleLang: models.LangShown(string(p.Lang), s.TitleEn), AbstractLang: models.LangShown(string(p.Lang), s.AbstractEn),
		ArchiveYear: archiveYear}
	if event, err := h.store.CurrentEvent(ctx); err == nil && public && s.Placed() && s.Venue != nil && s.EventID == event.ID {
		if open, waitlistOnly := event.RegistrationOpen(h.store.Now()); open || waitlistOnly {
			d.RegisterURL = "/aanmelden/" + s.Venue.Slug + "?sessie=" + strconv.FormatUint(id, 10) + "#veld-slot-" + strconv.Itoa(int(s.Slots[0].SlotID))
		}
	}
	h.render(c, http.StatusOK, "session", d)
}

// organiserOf reports whether the signed-in account organises the session: an organiser or
// administrator of its venue, or of the whole event.
func (h *Handler) organiserOf(c *gin.Context, s models.Session) bool {
	u, ok := h.currentUser(c)
	if !ok {
		return false
	}
	if s.VenueID != nil {
		return u.CanManageVenue(*s.VenueID)
	}
	return u.Role == models.RoleAdmin || u.Role == models.RoleOrganiser
}

// showSpeakerPhoto serves the photo of a public session's speaker who agreed to publish it.
func (h *Handler) showSpeakerPhoto(c *gin.Context) {
	sessionID, err1 := strconv.ParseUint(c.Param("id"), 10, 32)
	speakerID, err2 := strconv.ParseUint(c.Param("speaker"), 10, 32)
	if err1 != nil || err2 != nil {
		h.notFound(c)
		return
	}
	ph, err := h.store.PublicSpeakerPhoto(c.Request.Context(), uint(sessionID), uint(speakerID))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, ph.ContentType, ph.Data)
}

func (h *Handler) healthz(c *gin.Context) {
	if err := h.store.Ping(c.Request.Context()); err != nil {
		h.log.Error("health check", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz tells a load balancer whether to send this process traffic: the database answers
// and its migrations are current. healthz only says the process is alive.
func (h *Handler) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
	defer cancel()
	if err := h.store.Ready(ctx); err != nil {
		h.log.Warn("not ready", "err", err)
		reason := "database unavailable"
		if errors.Is(err, models.ErrMigrationsBehind) {
			reason = "migrations not current"
		}
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "reason": reason})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// readyTimeout bounds the readiness check: a database that takes longer is as good as down.
const readyTimeout = 2 * time.Second

package handlers

import (
	_ "embed"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// EventJSON is the event as GET /api/v1/event gives it.
type EventJSON struct {
	Name     string      `json:"name"`
	Theme    string      `json:"theme"`
	Date     string      `json:"date"`
	Timezone string      `json:"timezone"`
	Venues   []VenueJSON `json:"venues"`
	// SignupMode is "fcfs" or "preferences"; Preferences is the window in preference mode
	// (api_preferences.go), absent otherwise.
	SignupMode  string                `json:"signup_mode"`
	Preferences *PreferenceWindowJSON `json:"preferences,omitempty"`
}

// VenueJSON is one venue with its rooms and slots.
type VenueJSON struct {
	Slug       string     `json:"slug"`
	Name       string     `json:"name"`
	City       string     `json:"city"`
	Address    string     `json:"address"`
	Capacity   int        `json:"capacity"`
	Registered int        `json:"registered"`
	Remaining  int        `json:"remaining"`
	RouteHint  string     `json:"route_hint"`
	Rooms      []RoomJSON `json:"rooms"`
	Slots      []SlotJSON `json:"slots"`
	NameEn     string     `json:"name_en"` // "" when there is no English name
	// RouteHintEn is the directions in English; "" when there are none.
	RouteHintEn string `json:"route_hint_en"`
}

// RoomJSON is one room.
type RoomJSON struct {
	ID            uint   `json:"id"`
	Name          string `json:"name"`
	Capacity      int    `json:"capacity"`
	Accessibility string `json:"accessibility"`
}

// SlotJSON is one time slot; times are RFC 3339 with the event's offset.
type SlotJSON struct {
	ID    uint   `json:"id"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// SessionJSON is one session as GET /api/v1/venues/{slug}/sessions gives it.
type SessionJSON struct {
	ID         uint          `json:"id"`
	Title      string        `json:"title"`
	Format     string        `json:"format"`
	Track      string        `json:"track"`
	Abstract   string        `json:"abstract"`
	Room       *RoomRefJSON  `json:"room"`
	SlotIDs    []uint        `json:"slot_ids"`
	Start      *string       `json:"start"`
	End        *string       `json:"end"`
	Capacity   int           `json:"capacity"`
	Confirmed  int           `json:"confirmed"`
	Waitlisted int           `json:"waitlisted"`
	Remaining  int           `json:"remaining"`
	Speakers   []SpeakerJSON `json:"speakers"`
	// TitleEn and AbstractEn are the English versions; "" when there is none.
	TitleEn    string `json:"title_en"`
	AbstractEn string `json:"abstract_en"`
}

// RoomRefJSON names the room a session takes place in.
type RoomRefJSON struct {
	ID   uint   `json:"id"`
	Name string `json:"name"`
}

// SpeakerJSON is one speaker of a session.
type SpeakerJSON struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

func (h *Handler) getEvent(c *gin.Context) {
	event, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	loc := event.Location()
	out := EventJSON{Name: event.Name, Theme: event.Theme, Date: event.Date, Timezone: event.Timezone, Venues: []VenueJSON{}}
	out.SignupMode, out.Preferences = signupJSON(event)
	for _, v := range venues {
		vj := VenueJSON{Slug: v.Slug, Name: v.Name, City: v.City, Address: v.Address, Capacity: v.Capacity,
			Registered: v.Registered, Remaining: v.SeatsLeft(), RouteHint: v.RouteHint, NameEn: v.NameEn, RouteHintEn: v.RouteHintEn,
			Rooms: []RoomJSON{}, Slots: []SlotJSON{}}
		for _, r := range v.Rooms {
			vj.Rooms = append(vj.Rooms, RoomJSON{ID: r.ID, Name: r.Name, Capacity: r.Capacity, Accessibility: r.Accessibility})
		}
		for _, s := range v.Slots {
			vj.Slots = append(vj.Slots, SlotJSON{ID: s.ID, Start: rfc3339(s.StartsAt, loc), End: rfc3339(s.EndsAt, loc)})
		}
		out.Venues = append(out.Venues, vj)
	}
	c.JSON(http.StatusOK, out)
}

func (h *Handler) listVenueSessions(c *gin.Context) {
	ctx := c.Request.Context()
	venue, err := h.store.VenueBySlug(ctx, c.Param("slug"))
	if err != nil {
		h.fail(c, err)
		return
	}
	sessions, err := h.store.SessionsOfVenue(ctx, venue.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]SessionJSON, 0, len(sessions))
	for _, s := range sessions {
		sj := sessionJSON(s, event.Location())
		sj.Waitlisted = s.Waiting
		out = append(out, sj)
	}
	c.JSON(http.StatusOK, out)
}

func sessionJSON(s models.Session, loc *time.Location) SessionJSON {
	sj := SessionJSON{ID: s.ID, Title: s.Title, Format: s.Format, Track: s.Track, Abstract: s.Abstract,
		TitleEn: s.TitleEn, AbstractEn: s.AbstractEn,
		SlotIDs: s.SlotIDs(), Capacity: s.Capacity(), Confirmed: s.Confirmed, Remaining: s.SeatsLeft(),
		Speakers: []SpeakerJSON{}}
	if s.Room != nil {
		sj.Room = &RoomRefJSON{ID: s.Room.ID, Name: s.Room.Name}
	}
	if s.Placed() {
		start, end := rfc3339(s.StartsAt(), loc), rfc3339(s.EndsAt(), loc)
		sj.Start, sj.End = &start, &end
	}
	for _, sp := range s.Speakers {
		sj.Speakers = append(sj.Speakers, SpeakerJSON{Name: sp.Name, Organisation: sp.Organisation})
	}
	return sj
}

func rfc3339(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.RFC3339)
}

//go:embed openapi.json
var openAPIDocument []byte

func (h *Handler) getOpenAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openAPIDocument)
}

package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The API list's page size: by default and at most.
const (
	defaultRegistrationsLimit = 50
	maxRegistrationsLimit     = 500
)

// RegistrationListJSON is one page of GET /api/v1/registrations.
type RegistrationListJSON struct {
	Items []RegistrationItemJSON `json:"items"`
	// NextCursor asks for the next page; null on the last.
	NextCursor *string `json:"next_cursor"`
	Total      int     `json:"total"`
}

// RegistrationItemJSON is one person in the organisers' list.
type RegistrationItemJSON struct {
	ID           uint                  `json:"id"`
	Name         string                `json:"name"`
	Email        string                `json:"email"`
	Organisation string                `json:"organisation"`
	JobTitle     string                `json:"job_title"`
	Venue        string                `json:"venue"`
	Status       string                `json:"status"`
	RegisteredAt time.Time             `json:"registered_at"`
	CheckedInAt  *time.Time            `json:"checked_in_at"`
	Sessions     []RegistrationSession `json:"sessions"`
}

// RegistrationSession is one of a person's bookings in the list: a seat (position 0) or a
// place in the waiting list.
type RegistrationSession struct {
	ID       uint   `json:"id"`
	Status   string `json:"status"`
	Position int    `json:"position"`
}

// listRegistrationsAPI answers GET /api/v1/registrations: the people the organiser (or the
// token) may see, filtered as on the list page, in id order, a cursor page at a time.
func (h *Handler) listRegistrationsAPI(c *gin.Context) {
	tr := h.tr(c)
	r, err := h.parseAudience(c, apiAudienceParams)
	if err != nil {
		h.fail(c, err)
		return
	}
	var cursor uint
	if v := strings.TrimSpace(c.Query("cursor")); v != "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			r.Problems.Add("cursor", "people.bad_cursor")
		}
		cursor = uint(n)
	}
	limit := defaultRegistrationsLimit
	if v := strings.TrimSpace(c.Query("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxRegistrationsLimit {
			r.Problems.Add("limit", "people.bad_limit", "Max", maxRegistrationsLimit)
		}
		limit = n
	}
	if len(r.Problems) > 0 {
		fields := map[string]string{}
		for f, pr := range r.Problems {
			fields[f] = tr.T(pr.Key, pr.Args...)
		}
		if r.Forbidden {
			h.apiError(c, http.StatusForbidden, "forbidden", tr.T("error.forbidden"), fields)
			return
		}
		h.apiError(c, http.StatusBadRequest, "invalid", tr.T("api.invalid"), fields)
		return
	}
	page, err := h.store.PeopleAfter(c.Request.Context(), r.Audience, cursor, limit+1)
	if err != nil {
		h.serverError(c, err)
		return
	}
	out := RegistrationListJSON{Total: page.Total, Items: []RegistrationItemJSON{}}
	people := page.People
	if len(people) > limit {
		people = people[:limit]
		next := strconv.Itoa(int(people[len(people)-1].ID))
		out.NextCursor = &next
	}
	if !h.recordExport(c, models.ExportRecord{Kind: models.ExportRegistrations, VenueID: exportVenue(r), Rows: len(people),
		Filter: map[string]any{"group": r.Audience.Group(), "cursor": cursor}}) {
		return
	}
	ids := make([]uint, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	bookings, err := h.store.BookingsOfPeople(c.Request.Context(), ids)
	if err != nil {
		h.serverError(c, err)
		return
	}
	slugs := map[uint]string{}
	for _, v := range r.Venues {
		slugs[v.ID] = v.Slug
	}
	loc := r.Event.Location()
	for _, p := range people {
		item := RegistrationItemJSON{ID: p.ID, Name: p.Name, Email: p.Email, Organisation: p.Organisation, JobTitle: p.JobTitle,
			Venue: slugs[p.VenueID], Status: personState(p), RegisteredAt: p.CreatedAt.In(loc),
			Sessions: []RegistrationSession{}}
		if p.CheckedInAt != nil {
			at := p.CheckedInAt.In(loc)
			item.CheckedInAt = &at
		}
		for _, b := range bookings[p.ID] {
			item.Sessions = append(item.Sessions, RegistrationSession{ID: b.SessionID, Status: b.Status, Position: b.Position})
		}
		out.Items = append(out.Items, item)
	}
	c.JSON(http.StatusOK, out)
}

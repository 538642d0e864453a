package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The registration API for organisers: with an organiser's API token (Bearer dpo_…) or an
// organiser's session, GET, PATCH and DELETE /api/v1/registrations/{id} work on any
// registration in the account's venue scope, and POST /api/v1/registrations registers a
// person on their behalf. An attendee's personal token keeps its own, unchanged path.

// OrganiserChangeRequest is the body of an organiser's PATCH: any details to correct, the
// sessions and waiting-list choices, and a reason for the log. Absent fields stay as they are.
type OrganiserChangeRequest struct {
	Name          *string `json:"name"`
	Email         *string `json:"email"`
	Organisation  *string `json:"organisation"`
	JobTitle      *string `json:"job_title"`
	Dietary       *string `json:"dietary"`
	Accessibility *string `json:"accessibility"`
	Sessions      *[]uint `json:"sessions"`
	Waitlist      *[]uint `json:"waitlist"`
	Reason        string  `json:"reason"`
}

// OrganiserRegistrationJSON is a registration as an organiser sees it: with the details and
// needs, and without the attendee's personal links.
type OrganiserRegistrationJSON struct {
	ID            uint          `json:"id"`
	Name          string        `json:"name"`
	Email         string        `json:"email"`
	Organisation  string        `json:"organisation"`
	JobTitle      string        `json:"job_title"`
	Dietary       string        `json:"dietary"`
	Accessibility string        `json:"accessibility"`
	Lang          string        `json:"lang"`
	Venue         string        `json:"venue"`
	Status        string        `json:"status"`
	TicketVersion int           `json:"ticket_version"`
	Sessions      []BookingJSON `json:"sessions"`
}

func organiserRegistrationJSON(r models.Registration) OrganiserRegistrationJSON {
	base := registrationJSON(r)
	return OrganiserRegistrationJSON{ID: r.ID, Name: r.Name, Email: r.Email, Organisation: r.Organisation,
		JobTitle: r.JobTitle, Dietary: r.Dietary, Accessibility: r.Accessibility, Lang: r.Lang, Venue: r.Venue.Slug,
		Status: r.Status, TicketVersion: r.TicketVersion, Sessions: base.Sessions}
}

// organiserRequest reports whether a registration API request takes the organisers' path:
// an organiser's API token, or no bearer token at all and a signed-in account (whose role
// authoriseOrganiser then checks). A personal token always takes the attendee's path.
func (h *Handler) organiserRequest(c *gin.Context) bool {
	if hasAPIToken(c) {
		return true
	}
	if _, bearer := bearerToken(c); bearer {
		return false
	}
	_, signedIn := h.currentUser(c)
	return signedIn
}

// organiserRegistration authorises the organiser and loads the registration in the path;
// one outside their venue scope is 404, like an unknown id.
func (h *Handler) organiserRegistration(c *gin.Context) (models.Registration, bool) {
	if !h.authoriseOrganiser(c) {
		return models.Registration{}, false
	}
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil {
		h.notFound(c)
		return models.Registration{}, false
	}
	r, err := h.store.Registration(c.Request.Context(), uint(id))
	if err == nil && !h.actingUser(c).CanManageVenue(r.VenueID) {
		err = models.ErrNotFound
	}
	if err == nil {
		err = h.inEdition(c, r.EventID)
	}
	if err != nil {
		h.registrationError(c, err)
		return models.Registration{}, false
	}
	return r, true
}

func (h *Handler) getRegistrationForAPI(c *gin.Context) {
	r, ok := h.organiserRegistration(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, organiserRegistrationJSON(r))
}

// changeRegistrationForAPI applies an organiser's PATCH: the sessions first, then the
// details, each in its own transaction with its own log entry and e-mail. The details are
// validated before anything is written.
func (h *Handler) changeRegistrationForAPI(c *gin.Context) {
	r, ok := h.organiserRegistration(c)
	if !ok {
		return
	}
	var req OrganiserChangeRequest
	if !h.decodeJSON(c, &req) {
		return
	}
	ctx := c.Request.Context()
	details := models.DetailsOf(r)
	changeDetails := false
	for _, f := range []struct {
		from *string
		to   *string
	}{{req.Name, &details.Name}, {req.Email, &details.Email}, {req.Organisation, &details.Organisation},
		{req.JobTitle, &details.JobTitle}, {req.Dietary, &details.Dietary}, {req.Accessibility, &details.Accessibility}} {
		if f.from != nil {
			*f.to, changeDetails = *f.from, true
		}
	}
	if changeDetails {
		if p := details.Validate(); len(p) > 0 {
			h.apiError(c, http.StatusUnprocessableEntity, "invalid", h.tr(c).T("api.invalid"), h.problemFields(c, p))
			return
		}
	}
	var err error
	if req.Sessions != nil || req.Waitlist != nil {
		sessions, waitlist := h.currentChoices(r)
		if req.Sessions != nil {
			sessions = *req.Sessions
		}
		if req.Waitlist != nil {
			waitlist = *req.Waitlist
		}
		_, err = h.store.ChangeSessionsFor(ctx, h.actor(c), r.ID, sessions, waitlist, req.Reason)
	}
	if err == nil && changeDetails {
		_, err = h.store.UpdateDetails(ctx, h.actor(c), r.ID, details, req.Reason)
	}
	if err != nil {
		h.registrationError(c, err)
		return
	}
	updated, err := h.store.Registration(ctx, r.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.JSON(http.StatusOK, organiserRegistrationJSON(updated))
}

// currentChoices are a registration's bookings as choices: a waiting place in a slot where
// they hold a seat is a waiting-list choice, any other booking a session choice.
func (h *Handler) currentChoices(r models.Registration) (sessions, waitlist []uint) {
	for _, b := range r.Bookings {
		if b.Status == models.BookingWaitlisted && h.holdsSeatInSlot(r, b) {
			waitlist = append(waitlist, b.SessionID)
		} else {
			sessions = append(sessions, b.SessionID)
		}
	}
	return sessions, waitlist
}

func (h *Handler) cancelRegistrationForAPI(c *gin.Context) {
	r, ok := h.organiserRegistration(c)
	if !ok {
		return
	}
	if err := h.store.CancelFor(c.Request.Context(), h.actor(c), r.ID, c.Query("reason")); err != nil {
		h.serverError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// createRegistrationForAPI registers a person on their behalf; only organisers may, and only
// at a venue in their scope.
func (h *Handler) createRegistrationForAPI(c *gin.Context, req RegistrationRequest) {
	if !h.organiserRequest(c) {
		h.apiError(c, http.StatusForbidden, "forbidden", h.tr(c).T("api.organisers_only"), nil)
		return
	}
	if !h.authoriseOrganiser(c) {
		return
	}
	ctx := c.Request.Context()
	if v, err := h.store.VenueBySlug(ctx, req.Venue); err == nil && !h.actingUser(c).CanManageVenue(v.ID) {
		h.apiError(c, http.StatusForbidden, "forbidden", h.tr(c).T("error.forbidden"), nil)
		return
	}
	in := req.input(h.tr(c).Lang())
	res, err := h.store.RegisterFor(ctx, h.actor(c), in, req.OverCapacity)
	if err != nil {
		h.registrationError(c, err)
		return
	}
	c.Header("Location", "/api/v1/registrations/"+strconv.Itoa(int(res.Registration.ID)))
	c.JSON(http.StatusCreated, organiserRegistrationJSON(res.Registration))
}

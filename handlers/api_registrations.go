package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// RegistrationRequest is the body of POST /api/v1/registrations.
type RegistrationRequest struct {
	Name          string `json:"name"`
	Email         string `json:"email"`
	Organisation  string `json:"organisation"`
	JobTitle      string `json:"job_title"`
	Dietary       string `json:"dietary"`
	Accessibility string `json:"accessibility"`
	Lang          string `json:"lang"`
	Venue         string `json:"venue"`
	Sessions      []uint `json:"sessions"`
	Waitlist      []uint `json:"waitlist"`
	// Preferences rank sessions per slot ("<slot id>": [session ids, best first]) instead of
	// choosing Sessions, in preference mode until the venue's allocation (issue #19).
	Preferences models.Rankings `json:"preferences"`
	Consent     bool            `json:"consent"`
	// OnBehalf and OverCapacity are for organisers only (403 for anyone else): an organiser
	// registers the person, confirming with Consent that the person agreed to the privacy
	// statement; OverCapacity takes seats even when they are full, and is logged.
	OnBehalf     bool `json:"on_behalf"`
	OverCapacity bool `json:"over_capacity"`
}

// input is the registration the request asks for; without a language, the request's.
func (req RegistrationRequest) input(requestLang locale.Lang) models.RegistrationInput {
	lang := req.Lang
	if lang == "" {
		lang = string(requestLang)
	}
	return models.RegistrationInput{
		Name: req.Name, Email: req.Email, Organisation: req.Organisation, JobTitle: req.JobTitle,
		Dietary: req.Dietary, Accessibility: req.Accessibility, Lang: lang, Venue: req.Venue,
		Sessions: req.Sessions, Waitlist: req.Waitlist, Preferences: req.Preferences, Consent: req.Consent,
	}
}

// ChangeRequest is the body of PATCH /api/v1/registrations/{id}.
type ChangeRequest struct {
	Sessions []uint `json:"sessions"`
	Waitlist []uint `json:"waitlist"`
	// Preferences, when given, replace the ranking (preference mode, until the window
	// closes); then Sessions and Waitlist must be absent.
	Preferences *models.Rankings `json:"preferences"`
}

// RegistrationJSON is a registration as the API returns it.
type RegistrationJSON struct {
	ID            uint          `json:"id"`
	ManageToken   string        `json:"manage_token,omitempty"`
	Name          string        `json:"name"`
	Email         string        `json:"email"`
	Organisation  string        `json:"organisation"`
	Venue         string        `json:"venue"`
	Status        string        `json:"status"`
	TicketVersion int           `json:"ticket_version"`
	Sessions      []BookingJSON `json:"sessions"`
	// Preferences is the ranking, in preference mode only: "<slot id>": [session ids, best first].
	Preferences *models.Rankings `json:"preferences,omitempty"`
	// TicketURL is the ticket PDF and BookingURL the attendee's booking page, both through
	// the personal link; neither needs the Authorization header.
	TicketURL  string `json:"ticket_url"`
	BookingURL string `json:"booking_url"`
}

// withLinks fills in the links of a registration reached with token.
func (out RegistrationJSON) withLinks(token string) RegistrationJSON {
	out.BookingURL = "/boeking/" + token
	out.TicketURL = out.BookingURL + "/ticket.pdf"
	return out
}

// BookingJSON is one session of a registration: a seat, or a place in the waiting list.
type BookingJSON struct {
	ID       uint   `json:"id"`
	Status   string `json:"status"`
	Position int    `json:"position"`
}

// cancelledRegistration is how the API answers a change to a registration that was
// cancelled meanwhile (the store's bare ErrConflict).
var cancelledRegistration = storeError{models.ErrConflict, storeAnswer{Status: http.StatusConflict, Code: "cancelled", Key: "booking.cancelled_already"}}

// registrationError answers an error from registering or changing a registration: the
// table's answers (already registered, venue full, registration closed, a validation
// error, not found), a registration cancelled meanwhile, else 500. The overrides come first.
func (h *Handler) registrationError(c *gin.Context, err error, overrides ...storeError) {
	h.apiStoreError(c, err, append(overrides, cancelledRegistration)...)
}

func (h *Handler) createRegistrationAPI(c *gin.Context) {
	var req RegistrationRequest
	if !h.decodeJSON(c, &req) {
		return
	}
	if req.OnBehalf || req.OverCapacity {
		h.createRegistrationForAPI(c, req)
		return
	}
	in := req.input(h.tr(c).Lang())
	if len(in.Validate()) == 0 {
		if wait := h.waitFor(c, byClient(h.mail.registrations, c), byRegistrant(h.mail.recipients, in.Email)); wait > 0 {
			h.tooManyAPI(c, wait)
			return
		}
	}
	res, err := h.store.Register(c.Request.Context(), in)
	if err != nil {
		h.registrationError(c, err)
		return
	}
	out := registrationJSON(res.Registration).withLinks(res.Token)
	out.ManageToken = res.Token
	if err := h.withPreferences(c.Request.Context(), &out, res.Registration); err != nil {
		h.serverError(c, err)
		return
	}
	c.Header("Location", "/api/v1/registrations/"+strconv.Itoa(int(res.Registration.ID)))
	c.JSON(http.StatusCreated, out)
}

func registrationJSON(r models.Registration) RegistrationJSON {
	out := RegistrationJSON{ID: r.ID, Name: r.Name, Email: r.Email, Organisation: r.Organisation, Venue: r.Venue.Slug,
		Status: r.Status, TicketVersion: r.TicketVersion, Sessions: []BookingJSON{}}
	for _, b := range r.Bookings {
		out.Sessions = append(out.Sessions, BookingJSON{ID: b.SessionID, Status: b.Status, Position: b.Position})
	}
	return out
}

// authorisedRegistration checks the bearer token against the registration in the path. A
// missing or wrong token answers 404, exactly like an unknown id, so ids cannot be probed.
func (h *Handler) authorisedRegistration(c *gin.Context) (models.Registration, string, bool) {
	scheme, token, ok := strings.Cut(c.GetHeader("Authorization"), " ")
	ok = ok && strings.EqualFold(scheme, "Bearer") // the scheme is case-insensitive (RFC 9110)
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if !ok || err != nil {
		h.notFound(c)
		return models.Registration{}, "", false
	}
	r, err := h.store.RegistrationByToken(c.Request.Context(), strings.TrimSpace(token))
	if err == nil && r.ID != uint(id) {
		err = models.ErrNotFound // another one's token finds nothing here
	}
	if err != nil {
		h.fail(c, err)
		return models.Registration{}, "", false
	}
	return r, strings.TrimSpace(token), true
}

func (h *Handler) getRegistrationAPI(c *gin.Context) {
	if h.organiserRequest(c) {
		h.getRegistrationForAPI(c)
		return
	}
	r, token, ok := h.authorisedRegistration(c)
	if !ok {
		return
	}
	out := registrationJSON(r).withLinks(token)
	if err := h.withPreferences(c.Request.Context(), &out, r); err != nil {
		h.serverError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h *Handler) changeRegistrationAPI(c *gin.Context) {
	if h.organiserRequest(c) {
		h.changeRegistrationForAPI(c)
		return
	}
	r, token, ok := h.authorisedRegistration(c)
	if !ok {
		return
	}
	var req ChangeRequest
	if !h.decodeJSON(c, &req) {
		return
	}
	if wait := h.bookingMailWait(c, r); wait > 0 {
		h.tooManyAPI(c, wait)
		return
	}
	var updated models.Registration
	var err error
	switch {
	case req.Preferences != nil && (req.Sessions != nil || req.Waitlist != nil):
		err = &models.ValidationError{Problems: models.Problems{"sessions": {Key: "preference.sessions_before_allocation"}}}
	case req.Preferences != nil:
		updated, err = h.store.ChangePreferences(c.Request.Context(), r.ID, *req.Preferences)
	default:
		updated, err = h.store.ChangeSessions(c.Request.Context(), r.ID, req.Sessions, req.Waitlist)
	}
	if err != nil {
		h.registrationError(c, err)
		return
	}
	out := registrationJSON(updated).withLinks(token)
	if err := h.withPreferences(c.Request.Context(), &out, updated); err != nil {
		h.serverError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h *Handler) cancelRegistrationAPI(c *gin.Context) {
	if h.organiserRequest(c) {
		h.cancelRegistrationForAPI(c)
		return
	}
	r, _, ok := h.authorisedRegistration(c)
	if !ok {
		return
	}
	if wait := h.bookingMailWait(c, r); wait > 0 {
		h.tooManyAPI(c, wait)
		return
	}
	if err := h.store.Cancel(c.Request.Context(), r.ID); err != nil {
		h.serverError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

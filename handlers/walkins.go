package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// Walk-ins (#13 point 4): a person who turns up without a registration is registered and
// checked in at once, at the door (POST /api/v1/walkins, from the door page or a device) or
// by an organiser on the venue's arrivals page (a form that works without JavaScript).

// WalkInRequest is the body of POST /api/v1/walkins.
type WalkInRequest struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Email        string `json:"email"`
}

// WalkInJSON answers a walk-in: the registration it made and the check-in that let them in.
type WalkInJSON struct {
	Registration WalkInRegistrationJSON `json:"registration"`
	CheckIn      CheckInRefJSON         `json:"checkin"`
	Message      string                 `json:"message"`
}

// WalkInRegistrationJSON is a walk-in's registration: what the door typed, and its status.
type WalkInRegistrationJSON struct {
	ID           uint   `json:"id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation"`
	Venue        string `json:"venue"`
	Status       string `json:"status"`
}

// walkInDoor is who lets a walk-in in: the door (venue, name, device or account) and the
// actor the audit trail names.
type walkInDoor struct {
	doorPrincipal
	actor models.Actor
}

// walkInFull and walkInRegistered are how a walk-in is refused: in the door's words, and
// (unlike a registration) a full venue names no field.
var (
	walkInFull       = storeError{models.ErrVenueFull, storeAnswer{Status: http.StatusConflict, Code: "venue_full", Key: "walkin.venue_full"}}
	walkInRegistered = storeError{models.ErrAlreadyRegistered, storeAnswer{Status: http.StatusConflict, Code: "already_registered", Key: "walkin.already_registered", Field: "email"}}
)

// walkInPrincipal identifies the door of a walk-in: an organiser's API token (its venue, or
// ?venue=SLUG for a token of every venue), else a door device or a signed-in door, organiser
// or admin account, as every door route does. It answers 401/403/400 itself.
func (h *Handler) walkInPrincipal(c *gin.Context) (walkInDoor, bool) {
	tr := h.tr(c)
	if !hasAPIToken(c) {
		p, ok := h.doorPrincipal(c)
		if !ok {
			return walkInDoor{}, false
		}
		if p.DeviceTokenID != nil {
			return walkInDoor{p, models.Actor{Kind: models.ActorDevice, ID: *p.DeviceTokenID, Name: p.Door}}, true
		}
		return walkInDoor{p, models.Actor{Kind: models.ActorUser, ID: *p.UserID, Name: p.Door}}, true
	}
	secret, _ := bearerToken(c)
	ctx := c.Request.Context()
	t, err := h.store.APITokenBySecret(ctx, secret)
	if err != nil {
		h.apiStoreError(c, err, unknownAPIToken)
		return walkInDoor{}, false
	}
	u := t.AsUser()
	var venue models.Venue
	switch wanted := c.Query("venue"); {
	case u.VenueID != nil:
		venue, err = h.store.Venue(ctx, *u.VenueID)
		if err == nil && wanted != "" && !h.isVenueSlug(ctx, venue, wanted) {
			h.apiError(c, http.StatusForbidden, "forbidden", tr.T("checkin.other_venue"), nil)
			return walkInDoor{}, false
		}
	case wanted == "":
		h.apiError(c, http.StatusBadRequest, "venue_required", tr.T("checkin.venue_required"), map[string]string{"venue": tr.T("checkin.venue_required")})
		return walkInDoor{}, false
	default:
		venue, err = h.store.VenueBySlug(ctx, wanted)
	}
	if err != nil {
		h.fail(c, err)
		return walkInDoor{}, false
	}
	if !u.CanManageVenue(venue.ID) {
		h.apiError(c, http.StatusForbidden, "forbidden", tr.T("error.forbidden"), nil)
		return walkInDoor{}, false
	}
	return walkInDoor{doorPrincipal{Venue: venue, Door: t.Name}, t.Actor()}, true
}

func (h *Handler) createWalkIn(c *gin.Context) {
	door, ok := h.walkInPrincipal(c)
	if !ok {
		return
	}
	var req WalkInRequest
	if !h.decodeJSON(c, &req) {
		return
	}
	tr := h.tr(c)
	in := models.WalkInInput{VenueID: door.Venue.ID, Name: req.Name, Organisation: req.Organisation, Email: req.Email,
		Lang: string(tr.Lang()), Door: door.Door, DeviceTokenID: door.DeviceTokenID, UserID: door.UserID}
	if p := in.Validate(); len(p) > 0 {
		h.apiError(c, http.StatusUnprocessableEntity, "invalid", tr.T("api.invalid"), h.problemFields(c, p))
		return
	}
	if wait := h.walkInWait(c, in.Email); wait > 0 {
		h.tooManyAPI(c, wait)
		return
	}
	res, err := h.store.WalkIn(c.Request.Context(), door.actor, in)
	if err != nil {
		h.registrationError(c, err, walkInFull, walkInRegistered)
		return
	}
	h.log.Info("walk-in", "registration", res.Registration.ID, "venue", door.Venue.Slug, "door", door.Door,
		"request_id", c.GetString(ctxRequestID))
	r := res.Registration
	loc := h.eventZone(c, door.Venue.EventID)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, WalkInJSON{
		Registration: WalkInRegistrationJSON{ID: r.ID, Name: r.Name, Email: r.Email, Organisation: r.Organisation,
			Venue: door.Venue.Slug, Status: r.Status},
		CheckIn: CheckInRefJSON{ID: res.CheckIn.ID, CheckedInAt: rfc3339(res.CheckIn.CheckedInAt, loc), Door: res.CheckIn.Door},
		Message: tr.T("walkin.admitted", "Name", r.Name),
	})
}

// walkInWait counts a walk-in against the client's registration throttle (a door registers
// people as fast as they come, far below it) and, when it e-mails an address, against that
// address's limit.
func (h *Handler) walkInWait(c *gin.Context, email string) time.Duration {
	keys := []limitKey{byClient(h.mail.registrations, c)}
	if email != "" {
		keys = append(keys, byAddress(h.mail.recipients, email))
	}
	return h.waitFor(c, keys...)
}

// ---------------------------------------------------------------- organisers' form

var walkInFields = []string{"name:register.name", "organisation:register.organisation", "email:walkin.email"}

// createWalkInForm registers a walk-in from the venue's arrivals page, without JavaScript.
func (h *Handler) createWalkInForm(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	u := h.actingUser(c)
	form := postedForm(c, walkInFields...)
	in := models.WalkInInput{VenueID: v.ID, Name: form.String("name"), Organisation: form.String("organisation"),
		Email: form.String("email"), Lang: string(h.tr(c).Lang()), Door: u.Email, UserID: &u.ID}
	form.Merge(in.Validate())
	status := http.StatusUnprocessableEntity
	if form.Valid() {
		if wait := h.walkInWait(c, in.Email); wait > 0 {
			status = http.StatusTooManyRequests
			tooManyProblem(form, "name", wait)
		}
	}
	if form.Valid() {
		res, err := h.store.WalkIn(c.Request.Context(), h.actor(c), in)
		switch st, shown := form.showStoreError(err, formAnswer{Err: models.ErrVenueFull, Field: "name", Key: "walkin.venue_full"},
			formAnswer{Err: models.ErrAlreadyRegistered, Field: "email", Key: "walkin.already_registered"}); {
		case !shown:
			h.fail(c, err)
			return
		case err != nil:
			status = st
		default:
			h.log.Info("walk-in", "registration", res.Registration.ID, "venue", v.Slug, "door", u.Email,
				"request_id", c.GetString(ctxRequestID))
			h.setFlash(c, "walkin.admitted", "Name", res.Registration.Name)
			c.Redirect(http.StatusSeeOther, "/beheer/locaties/"+strconv.Itoa(int(v.ID))+"/binnenkomst#binnenloper")
			return
		}
	}
	h.renderVenueArrivals(c, status, v, form)
}

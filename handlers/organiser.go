package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

const ctxActor = "actor"

// bearerToken returns the token of an "Authorization: Bearer …" header; the scheme is
// case-insensitive (RFC 9110).
func bearerToken(c *gin.Context) (string, bool) {
	scheme, token, ok := strings.Cut(c.GetHeader("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// hasAPIToken reports whether the request carries an organiser's API token (rather than an
// attendee's personal token or a door device's).
func hasAPIToken(c *gin.Context) bool {
	token, ok := bearerToken(c)
	return ok && strings.HasPrefix(token, models.APITokenPrefix)
}

// requireOrganiser lets a request through for an organiser or admin: signed in, or with an
// organiser's API token ("Authorization: Bearer dpo_…", for the API and the export URLs).
// The account (a token acts as an account with its role and scope) and the actor the audit
// trail names are then in the context: see actingUser and actor. Anyone else gets the sign-in
// page or 403 (401 and 403 as JSON on the API).
func (h *Handler) requireOrganiser(c *gin.Context) {
	if !h.authoriseOrganiser(c) {
		c.Abort()
		return
	}
	c.Next()
}

// unknownAPIToken answers an API token that is unknown or revoked (ErrNotFound):
// the request is not signed in (401), not asking for something that is not there.
var unknownAPIToken = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusUnauthorized, Code: "unauthorized", Key: "api.unauthorized"}}

// authoriseOrganiser is requireOrganiser's check, for a handler that serves organisers and
// others alike (the registration API): it reports whether the request is an organiser's and
// has answered it when not.
func (h *Handler) authoriseOrganiser(c *gin.Context) bool {
	tr := h.tr(c)
	if hasAPIToken(c) {
		token, _ := bearerToken(c)
		t, err := h.store.APITokenBySecret(c.Request.Context(), token)
		if err != nil {
			h.apiStoreError(c, err, unknownAPIToken)
			return false
		}
		c.Set(ctxUser, t.AsUser())
		setActor(c, t.Actor())
		return true
	}
	u, ok := h.currentUser(c)
	switch {
	case !ok && isAPI(c):
		h.apiError(c, http.StatusUnauthorized, "unauthorized", tr.T("api.unauthorized"), nil)
	case !ok:
		c.Redirect(http.StatusSeeOther, "/beheer/inloggen?terug="+c.Request.URL.Path)
	case u.Role != models.RoleAdmin && u.Role != models.RoleOrganiser && isAPI(c):
		h.apiError(c, http.StatusForbidden, "forbidden", tr.T("error.forbidden"), nil)
	case u.Role != models.RoleAdmin && u.Role != models.RoleOrganiser:
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
	case !h.passSecondFactorGate(c, u): // #16 2fa; it has answered
	default:
		setActor(c, userActor(u))
		return true
	}
	return false
}

// actingUser is the account a request acts as, after requireOrganiser: the signed-in account,
// or the account an API token stands for.
func (h *Handler) actingUser(c *gin.Context) models.User {
	u, _ := h.currentUser(c)
	return u
}

// actor is who the audit trail names for this request. Outside requireOrganiser it is the
// signed-in account, if any.
func (h *Handler) actor(c *gin.Context) models.Actor {
	if a, ok := c.Get(ctxActor); ok {
		if actor, ok := a.(models.Actor); ok {
			return actor
		}
	}
	if u, ok := h.currentUser(c); ok {
		return userActor(u)
	}
	return models.Actor{}
}

// userActor is how the audit trail names a signed-in account.
func userActor(u models.User) models.Actor {
	return models.Actor{Kind: models.ActorUser, ID: u.ID, Name: u.Email}
}

// setActor names who acts for the rest of the request: in the gin context for the handlers,
// and in the request's context for the Store, which writes the audit entries (with the
// address the request came from).
func setActor(c *gin.Context, a models.Actor) {
	c.Set(ctxActor, a)
	c.Request = c.Request.WithContext(models.WithClientAddress(models.WithActor(c.Request.Context(), a), c.ClientIP()))
}

// venueScope is the audience scope of an account: its own venue, or nil for every venue.
func venueScope(u models.User) []uint {
	if u.VenueID == nil {
		return nil
	}
	return []uint{*u.VenueID}
}

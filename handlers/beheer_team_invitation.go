package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// signInInvitation names a sign-in through an accepted invitation.
const signInInvitation = "invitation"

var acceptFields = []string{"password:invitation.password"}

type invitationData struct {
	Page
	Invitation models.Invitation
	Token      string
}

// showInvitation is the page an invitation's link opens: who is invited as what, and the
// field to choose a password. A link that no longer works gets a calm 410 page.
func (h *Handler) showInvitation(c *gin.Context) {
	inv, err := h.store.InvitationByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.invitationFailed(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("invitation.title"), "")
	p.Form = newForm(nil, acceptFields...)
	h.render(c, http.StatusOK, "invitation", invitationData{Page: p, Invitation: inv, Token: c.Param("token")})
}

// acceptInvitation makes the account with the chosen password and signs it in. Hashing the
// password is limited per client and per invitation, and waits for a hash slot as a
// sign-in does.
func (h *Handler) acceptInvitation(c *gin.Context) {
	token := c.Param("token")
	inv, err := h.store.InvitationByToken(c.Request.Context(), token)
	if err != nil {
		h.invitationFailed(c, err)
		return
	}
	form := postedForm(c, acceptFields...)
	status := http.StatusUnprocessableEntity
	sum := sha256.Sum256([]byte(token)) // the limiter's key, never the token itself
	if wait := h.waitFor(c, byClient(h.team.acceptClients, c),
		limitKey{limiter: h.team.acceptInvitations, key: "invitation:" + hex.EncodeToString(sum[:8])}); wait > 0 {
		tooManyProblem(form, "password", wait)
		status = http.StatusTooManyRequests
	} else if !h.signIn.hashes.enter(c.Request.Context()) {
		c.Header("Retry-After", strconv.Itoa(int(signInBusyRetry.Seconds())))
		form.Problems.Add("password", "login.busy", "Count", int(signInBusyRetry.Seconds()))
		status = http.StatusServiceUnavailable
	} else {
		user, err := h.store.AcceptInvitation(c.Request.Context(), token, form.String("password"))
		h.signIn.hashes.leave()
		var verr *models.ValidationError
		switch {
		case errors.As(err, &verr):
			form.Merge(verr.Problems)
		case err != nil:
			h.invitationFailed(c, err)
			return
		default:
			if err := h.startSession(c, user, signInInvitation); err != nil {
				h.serverError(c, err)
				return
			}
			h.setFlash(c, "invitation.welcome")
			c.Redirect(http.StatusSeeOther, h.organiserHome(user))
			return
		}
	}
	form.Values.Del("password") // never echo a password back into the page
	p := h.page(c, h.tr(c).T("invitation.title"), "")
	p.Form = form
	h.render(c, status, "invitation", invitationData{Page: p, Invitation: inv, Token: token})
}

// invitationFailed answers a link that does not (or no longer) lead to an open invitation
// with 410 Gone, and an address that got an account meanwhile with 409.
func (h *Handler) invitationFailed(c *gin.Context, err error) {
	h.storeError(c, err, invitationUnknown)
}

// invitationUnknown: a link that leads to no invitation is as gone as an expired one (410).
var invitationUnknown = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusGone, Page: "invitation.gone"}}

package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// "Forgot password" (issue #16 point 2): a form that e-mails a link, single use and valid for
// an hour, to the page where a new password is chosen. The form answers the same, in the same
// time, whether or not the address has an account.

type forgotData struct {
	Page
	Sent bool
}

func (h *Handler) showForgotPassword(c *gin.Context) {
	p := h.page(c, h.tr(c).T("password.forgot.title"), "beheer")
	p.Form = newForm(nil, "email:login.email")
	h.render(c, http.StatusOK, "password_forgot", forgotData{Page: p})
}

// requestPasswordReset queues the e-mail with the link when the address has an account, and
// says the same in every case. It is limited per client and per address typed.
func (h *Handler) requestPasswordReset(c *gin.Context) {
	form := postedForm(c, "email:login.email")
	p := h.page(c, h.tr(c).T("password.forgot.title"), "beheer")
	p.Form = form
	email := form.String("email")
	if pr, bad := models.EmailProblem(email); bad {
		form.Problems.Add("email", pr.Key)
		h.render(c, http.StatusUnprocessableEntity, "password_forgot", forgotData{Page: p})
		return
	}
	if wait := h.waitFor(c, byClient(h.mail.clients, c), byAddress(h.mail.recipients, email)); wait > 0 {
		tooManyProblem(form, "email", wait)
		h.render(c, http.StatusTooManyRequests, "password_forgot", forgotData{Page: p})
		return
	}
	if err := h.store.RequestPasswordReset(c.Request.Context(), email, string(h.tr(c).Lang())); err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, http.StatusOK, "password_forgot", forgotData{Page: p, Sent: true})
}

type resetData struct {
	Page
	Token   string
	Account string // the address whose password is chosen
	Invalid bool   // the link is unknown, used or expired
}

// resetLinkGone answers a reset link that is unknown, used or expired (ErrNotFound) with the
// table's 404, on the reset page itself, which says so and offers a new link.
var resetLinkGone = fromTable(models.ErrNotFound)

func (h *Handler) showResetPassword(c *gin.Context) {
	token := c.Param("token")
	p := h.page(c, h.tr(c).T("password.reset.title"), "beheer")
	u, err := h.store.PasswordResetAccount(c.Request.Context(), token)
	if gone, ok := shownStoreError(err, resetLinkGone...); ok {
		h.render(c, gone.Status, "password_reset", resetData{Page: p, Invalid: true})
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	p.Form = newForm(nil, "password:password.reset.new")
	h.render(c, http.StatusOK, "password_reset", resetData{Page: p, Token: token, Account: u.Email})
}

// resetPassword sets the new password chosen through a link, ends every sign-in of the
// account and signs this browser in. It is limited per client: an unknown link counts as a
// failed sign-in would, and the hashing waits its turn with the sign-ins'.
func (h *Handler) resetPassword(c *gin.Context) {
	token := c.Param("token")
	form := postedForm(c, "password:password.reset.new")
	ctx := c.Request.Context()
	t, client := h.signIn, "ip:"+clientKey(c.ClientIP())
	p := h.page(c, h.tr(c).T("password.reset.title"), "beheer")
	p.Form = form
	if ok, wait := t.clients.take(client); !ok {
		form.Problems.Add("password", "login.too_many_from_client", "Count", retryAfter(c, wait))
		h.render(c, http.StatusTooManyRequests, "password_reset", resetData{Page: p, Token: token})
		return
	}
	account, err := h.store.PasswordResetAccount(ctx, token)
	if gone, ok := shownStoreError(err, resetLinkGone...); ok {
		h.render(c, gone.Status, "password_reset", resetData{Page: p, Invalid: true})
		return // the attempt counts
	}
	t.clients.giveBack(client)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if !t.hashes.enter(ctx) {
		form.Problems.Add("password", "login.busy", "Count", retryAfter(c, signInBusyRetry))
		h.render(c, http.StatusServiceUnavailable, "password_reset", resetData{Page: p, Token: token, Account: account.Email})
		return
	}
	u, err := h.store.ResetPassword(ctx, token, form.String("password"))
	t.hashes.leave()
	gone, isGone := shownStoreError(err, resetLinkGone...) // used or expired in the meantime
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		form.Values.Del("password")
		h.render(c, http.StatusUnprocessableEntity, "password_reset", resetData{Page: p, Token: token, Account: account.Email})
		return
	case isGone:
		h.render(c, gone.Status, "password_reset", resetData{Page: p, Invalid: true})
		return
	case err != nil:
		h.serverError(c, err)
		return
	}
	if err := h.startSession(c, u, signInReset); err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "password.reset.done")
	c.Redirect(http.StatusSeeOther, h.organiserHome(u))
}

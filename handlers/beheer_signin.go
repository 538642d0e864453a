package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

type loginData struct {
	Page
	Back string
	// SSO is the single sign-on button; nil when the installation has none.
	SSO *ssoButton
}

func (h *Handler) showLogin(c *gin.Context) {
	p := h.page(c, h.tr(c).T("login.title"), "beheer")
	p.Form = newForm(nil, "email:login.email", "password:login.password")
	back := localPath(c.Query("terug"))
	h.render(c, http.StatusOK, "login", loginData{Page: p, Back: back, SSO: h.ssoButton(back)})
}

func (h *Handler) login(c *gin.Context) {
	form := postedForm(c, "email:login.email", "password:login.password")
	email, password := form.String("email"), form.String("password")
	if email == "" {
		form.Problems.Add("email", "form.required")
	}
	if password == "" {
		form.Problems.Add("password", "form.required")
	}
	var user models.User
	status := http.StatusUnprocessableEntity
	if form.Valid() {
		var err error
		if user, status, err = h.checkSignIn(c, form, email, password); err != nil {
			h.serverError(c, err)
			return
		}
	}
	if !form.Valid() {
		form.Values.Del("password") // never echo a password back into the page
		p := h.page(c, h.tr(c).T("login.title"), "beheer")
		p.Form = form
		back := localPath(form.String("terug"))
		h.render(c, status, "login", loginData{Page: p, Back: back, SSO: h.ssoButton(back)})
		return
	}
	back := localPath(form.String("terug"))
	// An account with a second factor is not signed in yet: it owes its code first (#16 2fa).
	if has, err := h.store.HasSecondFactor(c.Request.Context(), user.ID); err != nil || has {
		if err == nil {
			err = h.beginSecondStep(c, user, back)
		}
		if err != nil {
			h.serverError(c, err)
		}
		return
	}
	if err := h.startSession(c, user, signInPassword); err != nil {
		h.serverError(c, err)
		return
	}
	if back == "/" {
		// The first page the account may use: the dashboard, the proposals for a reviewer,
		// the scan page for door staff (who have nothing to do in the organiser area).
		back = h.organiserHome(user)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// Ways of signing in, as the log and the audit trail name them.
const (
	signInPassword = "password"
	signInReset    = "reset" // a new password chosen through the e-mailed link
)

func (h *Handler) logout(c *gin.Context) {
	if u, ok := h.currentUser(c); ok {
		ctx := models.WithActor(c.Request.Context(), userActor(u))
		if err := h.store.EndSignIn(ctx, u.ID, h.currentSignIn(c), models.SignInSignedOut); err != nil && !errors.Is(err, models.ErrNotFound) {
			h.serverError(c, err)
			return
		}
	}
	if err := h.sessions.Destroy(c.Request.Context()); err != nil {
		h.serverError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/")
}

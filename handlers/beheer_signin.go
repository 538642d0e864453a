package handlers

import (
	"errors"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

const (
	sessionUserID = "user_id"
	// sessionSignInID is the sign-in (models.SignIn) this browser's session belongs to.
	sessionSignInID = "sign_in_id"
	sessionFlash    = "flash"
	ctxUser         = "user"
)

// currentUser returns the signed-in account, looked up once per request. A session whose
// sign-in has ended (signed out elsewhere, password changed) or has been idle too long signs
// nobody in.
func (h *Handler) currentUser(c *gin.Context) (models.User, bool) {
	if u, ok := c.Get(ctxUser); ok {
		user, ok := u.(models.User)
		return user, ok
	}
	ctx := c.Request.Context()
	id, signIn := h.sessions.GetInt(ctx, sessionUserID), h.sessions.GetInt(ctx, sessionSignInID)
	if id == 0 || signIn == 0 {
		return models.User{}, false
	}
	if _, err := h.store.ActiveSignIn(ctx, uint(id), uint(signIn), h.idle); err != nil {
		if !errors.Is(err, models.ErrNotFound) {
			h.log.Error("check sign-in", "id", c.GetString(ctxRequestID), "err", err)
		}
		return models.User{}, false
	}
	u, err := h.store.User(ctx, uint(id))
	if err != nil {
		return models.User{}, false
	}
	if !u.Active() {
		// A deactivated account's sessions end at once: this one is gone for good, and the
		// request goes on as anyone's who is not signed in (#16 team).
		if err := h.sessions.Destroy(c.Request.Context()); err != nil {
			h.log.Warn("end a deactivated account's session", "id", c.GetString(ctxRequestID), "user", u.ID, "err", err)
		}
		return models.User{}, false
	}
	c.Set(ctxUser, u)
	return u, true
}

// currentSignIn is the id of this browser's sign-in; 0 when nobody is signed in.
func (h *Handler) currentSignIn(c *gin.Context) uint {
	return uint(h.sessions.GetInt(c.Request.Context(), sessionSignInID))
}

func (h *Handler) setFlash(c *gin.Context, key string, args ...any) {
	h.sessions.Put(c.Request.Context(), sessionFlash, h.tr(c).T(key, args...))
}

func (h *Handler) popFlash(c *gin.Context) string {
	return h.sessions.PopString(c.Request.Context(), sessionFlash)
}

// requireRole lets a request through only for a signed-in account with one of the roles.
// Anyone else is sent to the log-in page (or gets 401/403 on the API).
func (h *Handler) requireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := h.currentUser(c)
		if !ok {
			c.Redirect(http.StatusSeeOther, "/beheer/inloggen?terug="+c.Request.URL.Path)
			c.Abort()
			return
		}
		if !slices.Contains(roles, u.Role) {
			h.errorPage(c, http.StatusForbidden, "error.forbidden")
			c.Abort()
			return
		}
		if !h.passSecondFactorGate(c, u) {
			c.Abort()
			return
		}
		setActor(c, userActor(u))
		c.Next()
	}
}

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

// startSession signs user in on this browser, once every check the way of signing in
// (method) asks for has passed. Every way of signing in ends here, so that what a sign-in
// does (a fresh session token, the log line) is done once, in one place.
func (h *Handler) startSession(c *gin.Context, user models.User, method string) error {
	ctx := c.Request.Context()
	// The sign-in is recorded (with its audit entry) first: a session never names a sign-in
	// the database lacks.
	si, err := h.store.StartSignIn(ctx, user, models.SignInInput{Method: method,
		UserAgent: c.Request.UserAgent(), Address: c.ClientIP()})
	if err != nil {
		return err
	}
	// A fresh token on sign-in, so a session id planted before sign-in is worthless after it.
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionUserID, int(user.ID))
	h.sessions.Put(ctx, sessionSignInID, int(si.ID))
	// #16 2fa: the pending second step is over, and the session remembers whether it began
	// with a second factor (the gate in requireRole asks).
	for _, k := range []string{sessionPendingUser, sessionPendingAt, sessionPendingBack} {
		h.sessions.Remove(ctx, k)
	}
	h.sessions.Put(ctx, sessionSecondFactor, isStrongMethod(method))
	c.Set(ctxUser, user)
	h.log.Info("signed in", "id", c.GetString(ctxRequestID), "user", user.ID, "method", method, "sign_in", si.ID)
	return nil
}

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

// Sessions and signing in: the signed-in account, the flash message, and the middleware that
// lets only signed-in accounts (with the right role) through.

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

// setFlash keeps a translated message for the next page this browser sees.
func (h *Handler) setFlash(c *gin.Context, key string, args ...any) {
	h.sessions.Put(c.Request.Context(), sessionFlash, h.tr(c).T(key, args...))
}

// popFlash takes the flash message kept for this page, if any.
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

// requireSignedIn lets any signed-in account through, whatever its role and second factor:
// for the pages where one sets up that second factor.
func (h *Handler) requireSignedIn(c *gin.Context) {
	u, ok := h.currentUser(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, "/beheer/inloggen?terug="+c.Request.URL.Path)
		c.Abort()
		return
	}
	setActor(c, userActor(u))
	c.Next()
}

// sessionStoreError answers a request whose web session could not be read or saved: the
// session layer runs outside the router, so it gets the calm page here, with a request id of
// its own when the router has not given one yet.
func (h *Handler) sessionStoreError(w http.ResponseWriter, r *http.Request, err error) {
	id := w.Header().Get("X-Request-Id")
	if id == "" {
		id = newRequestID()
		w.Header().Set("X-Request-Id", id)
	}
	h.log.Error("session store", "id", id, "path", r.URL.Path, "err", err)
	cookie := ""
	if c, err := r.Cookie(langCookie); err == nil {
		cookie = c.Value
	}
	h.writeServerError(w, h.catalog.Translator(h.catalog.Negotiate(cookie, r.Header.Get("Accept-Language"))), r.URL.Path, id)
}

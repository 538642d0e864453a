package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/sso"
)

// Single sign-on with OpenID Connect (issue #16 point 6): the organisation's identity
// provider vouches for a verified e-mail address, and whoever already has an account with
// that address is signed in. Nothing here creates an account.

// Ways of signing in through the identity provider: "sso_mfa" when its ID token says it
// checked a second factor (sso.MFAMethods), "sso" otherwise.
const (
	signInSSO    = "sso"
	signInSSOMFA = "sso_mfa"
)

// sessionSSOFlow holds the started sign-in (state, nonce, PKCE verifier) server-side, in the
// web session, until the provider sends the person back; it is taken out on return, so a
// state works once.
const sessionSSOFlow = "sso_flow"

// ssoCallbackPath is where the provider sends the person back; register it at the provider
// as <base URL>/beheer/inloggen/sso/terug.
const ssoCallbackPath = "/beheer/inloggen/sso/terug"

// ssoButton is what the sign-in page shows for single sign-on; nil when not configured.
type ssoButton struct {
	Name  string
	Ready bool
	Href  string
}

func (h *Handler) ssoButton(back string) *ssoButton {
	if h.sso == nil {
		return nil
	}
	href := "/beheer/inloggen/sso"
	if back != "/" {
		href += "?" + url.Values{"terug": {back}}.Encode()
	}
	return &ssoButton{Name: h.sso.Name(), Ready: h.sso.Ready(), Href: href}
}

// startSSO sends the person to the identity provider, having kept the flow's secrets in
// their session.
func (h *Handler) startSSO(c *gin.Context) {
	if h.sso == nil {
		h.notFound(c)
		return
	}
	if !h.ssoStarts.Allow("ip:" + clientKey(c.ClientIP())) {
		c.Header("Retry-After", "6") // the limiter gives one more start every 6 s
		h.ssoFailed(c, http.StatusTooManyRequests, "sso.too_many")
		return
	}
	flow, to, err := h.sso.Start(h.baseURL(c)+ssoCallbackPath, localPath(c.Query("terug")))
	if errors.Is(err, sso.ErrUnavailable) {
		h.ssoRefused(c, err)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	b, err := json.Marshal(flow)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.sessions.Put(c.Request.Context(), sessionSSOFlow, string(b))
	c.Redirect(http.StatusSeeOther, to)
}

// finishSSO takes the provider's answer: the flow must be this browser's, the token valid,
// the address verified and an active account's.
func (h *Handler) finishSSO(c *gin.Context) {
	if h.sso == nil {
		h.notFound(c)
		return
	}
	id, back, ok := h.verifySSO(c)
	if !ok {
		return
	}
	user, err := h.ssoAccount(c.Request.Context(), id.Email)
	if errors.Is(err, errSSONoAccount) {
		h.ssoRefused(c, err)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	method := signInSSO
	if id.MultiFactor() {
		method = signInSSOMFA
	}
	if err := h.startSession(c, user, method); err != nil {
		h.serverError(c, err)
		return
	}
	if back == "/" {
		back = h.organiserHome(user)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// verifySSO checks the provider's answer against the flow this browser started (taking the
// flow out of the session, so it works once) and returns the verified identity and where to
// go next. It reports false when it has answered the request with a refusal.
func (h *Handler) verifySSO(c *gin.Context) (sso.Identity, string, bool) {
	ctx := c.Request.Context()
	var flow sso.Flow
	if s := h.sessions.PopString(ctx, sessionSSOFlow); s != "" {
		if err := json.Unmarshal([]byte(s), &flow); err != nil {
			h.serverError(c, err)
			return sso.Identity{}, "", false
		}
	}
	id, err := h.sso.Finish(ctx, flow, h.baseURL(c)+ssoCallbackPath,
		sso.Answer{State: c.Query("state"), Code: c.Query("code"), Error: c.Query("error")})
	if err == nil && !id.EmailVerified {
		err = errSSOUnverified
	}
	if err == nil {
		return id, localPath(flow.Back), true
	}
	// The token was genuine but cannot sign in: the refusal goes into the trail of the
	// account it names.
	if errors.Is(err, errSSOUnverified) || errors.Is(err, sso.ErrNonce) {
		if !h.recordSSOFailure(c, id.Email, err) {
			return sso.Identity{}, "", false
		}
	}
	h.ssoRefused(c, err)
	return sso.Identity{}, "", false
}

var (
	errSSOUnverified = errors.New("e-mail address not verified by the provider")
	errSSONoAccount  = errors.New("no active account with the address")
)

// ssoAccount returns the account the identity provider's verified address signs in to: an
// existing, active account, whatever its role, or the account an open invitation for that
// address makes, when the invitation is not for an admin. It never makes an account nobody
// was invited to, and a deactivated account is refused like a missing one.
func (h *Handler) ssoAccount(ctx context.Context, email string) (models.User, error) {
	if email == "" {
		return models.User{}, errSSONoAccount
	}
	u, err := h.store.UserByEmail(ctx, models.NormalizeEmail(email))
	if errors.Is(err, models.ErrNotFound) {
		u, err = h.store.AcceptInvitationBySSO(ctx, email)
	}
	if errors.Is(err, models.ErrNotFound) || errors.Is(err, models.ErrInvitationGone) || err == nil && !u.Active() {
		return models.User{}, errSSONoAccount
	}
	return u, err
}

// recordSSOFailure writes the audit entry for a refused sign-in to the account with email,
// when there is one. It reports false when it answered the request (a store failure).
func (h *Handler) recordSSOFailure(c *gin.Context, email string, reason error) bool {
	if email == "" {
		return true
	}
	ctx := c.Request.Context()
	u, err := h.store.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return true
	}
	if err == nil {
		code := "nonce_mismatch"
		if errors.Is(reason, errSSOUnverified) {
			code = "email_unverified"
		}
		h.log.Info("failed sign-in written to the audit trail", "id", c.GetString(ctxRequestID), "user", u.ID, "reason", code)
		ctx = models.WithActor(ctx, models.Actor{Kind: models.ActorAnonymous, Name: c.ClientIP()})
		err = h.store.RecordSignInFailure(ctx, u.ID, signInSSO, code)
	}
	if err != nil {
		h.serverError(c, err)
		return false
	}
	return true
}

// ssoRefused logs why a single sign-on failed (never a token) and shows the person a page
// that says what to do.
func (h *Handler) ssoRefused(c *gin.Context, err error) {
	status, key := http.StatusUnauthorized, "sso.invalid"
	switch {
	case errors.Is(err, sso.ErrUnavailable):
		status, key = http.StatusServiceUnavailable, "sso.unavailable"
		c.Header("Retry-After", "60")
	case errors.Is(err, sso.ErrState):
		status, key = http.StatusForbidden, "sso.state"
	case errors.Is(err, sso.ErrRefused):
		key = "sso.refused"
	case errors.Is(err, errSSOUnverified):
		status, key = http.StatusForbidden, "sso.unverified"
	case errors.Is(err, errSSONoAccount):
		status, key = http.StatusForbidden, "sso.no_account"
	}
	h.log.Warn("sso sign-in refused", "id", c.GetString(ctxRequestID), "status", status, "err", err)
	h.ssoFailed(c, status, key)
}

type ssoFailedData struct {
	Page
	Heading, Body string
}

// ssoFailed renders the page of a failed single sign-on, with the way back to signing in.
func (h *Handler) ssoFailed(c *gin.Context, status int, key string) {
	name := h.sso.Name()
	title := h.tr(c).T(key+".title", "Name", name)
	p := h.page(c, title, "beheer")
	h.render(c, status, "sso_failed", ssoFailedData{Page: p, Heading: title, Body: p.T(key+".body", "Name", name)})
}

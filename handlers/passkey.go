package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/ambtenaar20/dagplanner/models"
)

// Passkeys (WebAuthn). An account registers passkeys on its own page and signs in with one
// either without a password (a discoverable credential, with user verification: the passkey
// is both factors) or as the second step after its password. Each ceremony is two JSON
// requests, begin and finish; what finish checks against (the challenge) waits in the web
// session in between, for one use and a few minutes.

const (
	// signInPasskey names a sign-in with a passkey, with or without a password before it.
	signInPasskey = "passkey"
	// sessionPasskeyCeremony holds the ceremony under way, as JSON (passkeyCeremony).
	sessionPasskeyCeremony = "passkey_ceremony"
	// passkeyTimeout is how long the browser, and the server, give a ceremony.
	passkeyTimeout = 3 * time.Minute
	// maxPasskeyBody bounds a ceremony's JSON request: an attestation with a certificate
	// chain is a few kilobytes; 64 KiB leaves room and no more.
	maxPasskeyBody = 64 << 10
	// Ceremony requests per client address: a burst, then one every passkeyClientEvery.
	passkeyClientBurst = 30
	passkeyClientEvery = 2 * time.Second
)

// Kinds of ceremony.
const (
	ceremonyRegister = "register"
	ceremonySignIn   = "sign_in"
	ceremonySecond   = "second_factor"
)

// Steps of signing in with a passkey, as the audit trail names them.
const (
	passkeyStepAlone  = "passkey"
	passkeyStepSecond = "second_factor"
)

// passkeyCeremony is what a ceremony's finish needs from its begin.
type passkeyCeremony struct {
	Kind    string               `json:"kind"`
	UserID  uint                 `json:"user_id,omitempty"`
	Name    string               `json:"name,omitempty"` // the new passkey's name
	Back    string               `json:"back,omitempty"` // where to go after signing in
	Session webauthn.SessionData `json:"session"`
}

// webAuthn is the relying party for this request: its id is the host of the configured
// base URL (of the request's own address when none is configured), and it accepts only
// ceremonies made on that origin.
func (h *Handler) webAuthn(c *gin.Context) (*webauthn.WebAuthn, error) {
	base, err := url.Parse(h.baseURL(c))
	if err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	if net.ParseIP(base.Hostname()) != nil {
		return nil, errPasskeysUnavailable
	}
	name := "Dagplanner"
	if e, err := h.store.CurrentEvent(c.Request.Context()); err == nil && e.Name != "" {
		name = e.Name
	}
	return webauthn.New(&webauthn.Config{
		RPID:                  base.Hostname(),
		RPDisplayName:         name,
		RPOrigins:             []string{base.Scheme + "://" + base.Host},
		AttestationPreference: protocol.PreferNoAttestation,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationRequired,
		},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: passkeyTimeout, TimeoutUVD: passkeyTimeout},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: passkeyTimeout, TimeoutUVD: passkeyTimeout},
		},
	})
}

// errPasskeysUnavailable: WebAuthn needs the site to have a domain name (localhost will do);
// a site reached by its IP address cannot have passkeys.
var errPasskeysUnavailable = errors.New("passkeys need a base URL with a domain name, not an IP address")

// passkeyAccount is an account as the WebAuthn library sees it.
type passkeyAccount struct {
	user     models.User
	handle   []byte
	passkeys []models.Passkey
}

func (a passkeyAccount) WebAuthnID() []byte          { return a.handle }
func (a passkeyAccount) WebAuthnName() string        { return a.user.Email }
func (a passkeyAccount) WebAuthnDisplayName() string { return a.user.Email }
func (a passkeyAccount) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, len(a.passkeys))
	for i, p := range a.passkeys {
		out[i] = credentialOf(p)
	}
	return out
}

// credentialOf is the library's record of a stored passkey.
func credentialOf(p models.Passkey) webauthn.Credential {
	var transports []protocol.AuthenticatorTransport
	for _, t := range strings.FieldsFunc(p.Transports, func(r rune) bool { return r == ',' }) {
		transports = append(transports, protocol.AuthenticatorTransport(t))
	}
	return webauthn.Credential{
		ID: p.CredentialID, PublicKey: p.PublicKey, AttestationType: p.AttestationType,
		AttestationFormat: p.AttestationFormat, Transport: transports,
		Flags: webauthn.CredentialFlags{UserPresent: true, UserVerified: p.UserVerified,
			BackupEligible: p.BackupEligible, BackupState: p.BackupState},
		Authenticator: webauthn.Authenticator{AAGUID: p.AAGUID, SignCount: uint32(p.SignCount)},
	}
}

// loadPasskeyAccount gathers what a ceremony needs about the account.
func (h *Handler) loadPasskeyAccount(c *gin.Context, user models.User) (passkeyAccount, error) {
	ctx := c.Request.Context()
	handle, err := h.store.PasskeyHandle(ctx, user.ID)
	if err != nil {
		return passkeyAccount{}, err
	}
	keys, err := h.store.Passkeys(ctx, user.ID)
	if err != nil {
		return passkeyAccount{}, err
	}
	return passkeyAccount{user: user, handle: handle, passkeys: keys}, nil
}

// allowPasskeyRequest lets a ceremony request through the per-client limit; when the client
// is over it, it has answered 429.
func (h *Handler) allowPasskeyRequest(c *gin.Context) bool {
	if h.passkeyClients.Allow("ip:" + clientKey(c.ClientIP())) {
		return true
	}
	c.Header("Retry-After", fmt.Sprint(int(passkeyClientEvery.Seconds())))
	h.passkeyError(c, http.StatusTooManyRequests, "too_many_requests", "passkey.too_many")
	return false
}

// passkeyError answers a ceremony request with the API's one error shape, in the person's
// language.
func (h *Handler) passkeyError(c *gin.Context, status int, code, key string) {
	h.apiError(c, status, code, h.tr(c).T(key), nil)
}

// readPasskeyBody reads a ceremony request's body, at most maxPasskeyBody bytes; when it is
// too big or unreadable it has answered and reports false.
func (h *Handler) readPasskeyBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxPasskeyBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.passkeyError(c, http.StatusRequestEntityTooLarge, "too_large", "passkey.too_large")
		return nil, false
	case err != nil:
		h.passkeyError(c, http.StatusBadRequest, "bad_request", "passkey.bad_request")
		return nil, false
	}
	return body, true
}

// readPasskeyJSON takes a ceremony request through the per-client limit and decodes its
// bounded JSON body into v; when any of that fails it has answered and reports false.
func (h *Handler) readPasskeyJSON(c *gin.Context, v any) bool {
	if !h.allowPasskeyRequest(c) {
		return false
	}
	body, ok := h.readPasskeyBody(c)
	if !ok {
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		h.passkeyError(c, http.StatusBadRequest, "bad_request", "passkey.bad_request")
		return false
	}
	return true
}

// ceremonyFor gathers what a ceremony for user needs: the account as the library sees it,
// and the relying party. When that fails it has answered and reports false.
func (h *Handler) ceremonyFor(c *gin.Context, user models.User) (passkeyAccount, *webauthn.WebAuthn, bool) {
	account, err := h.loadPasskeyAccount(c, user)
	if err != nil {
		h.passkeyServerError(c, err)
		return passkeyAccount{}, nil, false
	}
	wa, err := h.webAuthn(c)
	if err != nil {
		h.passkeyServerError(c, err)
		return passkeyAccount{}, nil, false
	}
	return account, wa, true
}

// beginCeremony keeps what the ceremony's finish needs in the session, replacing any
// ceremony begun before, and sends the browser its options.
func (h *Handler) beginCeremony(c *gin.Context, state passkeyCeremony, options any) {
	b, err := json.Marshal(state)
	if err != nil {
		h.passkeyServerError(c, err)
		return
	}
	h.sessions.Put(c.Request.Context(), sessionPasskeyCeremony, string(b))
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, options)
}

// takeCeremony takes the ceremony of kind out of the session: it can be finished once. When
// there is none, or it is another kind or has expired, it has answered and reports false.
func (h *Handler) takeCeremony(c *gin.Context, kind string) (passkeyCeremony, bool) {
	raw := h.sessions.PopString(c.Request.Context(), sessionPasskeyCeremony)
	var state passkeyCeremony
	if raw == "" || json.Unmarshal([]byte(raw), &state) != nil || state.Kind != kind ||
		(!state.Session.Expires.IsZero() && time.Now().After(state.Session.Expires)) {
		h.passkeyError(c, http.StatusBadRequest, "no_ceremony", "passkey.expired")
		return passkeyCeremony{}, false
	}
	return state, true
}

// passkeyServerError logs err with the request id and answers 500 in the API's shape.
func (h *Handler) passkeyServerError(c *gin.Context, err error) {
	if errors.Is(err, errPasskeysUnavailable) {
		h.log.Warn("passkey", "id", c.GetString(ctxRequestID), "err", err)
		h.passkeyError(c, http.StatusServiceUnavailable, "unavailable", "passkey.unavailable")
		return
	}
	h.log.Error("passkey", "id", c.GetString(ctxRequestID), "path", loggedPath(c), "err", err)
	h.passkeyError(c, http.StatusInternalServerError, "internal", "error.server.body")
}

// passkeyDone tells the browser where to go now that the ceremony has succeeded.
func passkeyDone(c *gin.Context, next string) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"redirect": next})
}

package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/ambtenaar20/dagplanner/models"
)

// beginPasskeySignIn starts a sign-in without a password: the browser offers the passkeys
// it holds for this site, and the one chosen names the account.
func (h *Handler) beginPasskeySignIn(c *gin.Context) {
	var in struct {
		Back string `json:"back"`
	}
	if !h.readPasskeyJSON(c, &in) {
		return
	}
	wa, err := h.webAuthn(c)
	if err != nil {
		h.passkeyServerError(c, err)
		return
	}
	assertion, session, err := wa.BeginDiscoverableLogin()
	if err != nil {
		h.passkeyServerError(c, err)
		return
	}
	h.beginCeremony(c, passkeyCeremony{Kind: ceremonySignIn, Back: localPath(in.Back), Session: *session}, assertion)
}

// finishPasskeySignIn checks the signature against the passkey that made it and signs its
// account in: the passkey verified its user, so it counts as both factors.
func (h *Handler) finishPasskeySignIn(c *gin.Context) {
	state, parsed, ok := h.passkeyAssertion(c, ceremonySignIn)
	if !ok {
		return
	}
	p, ok := h.knownPasskey(c, parsed.RawID, passkeyStepAlone)
	if !ok {
		return
	}
	user, err := h.store.User(c.Request.Context(), p.UserID)
	if err != nil {
		h.passkeyServerError(c, err)
		return
	}
	account, wa, ok := h.ceremonyFor(c, user)
	if !ok {
		return
	}
	_, cred, err := wa.ValidatePasskeyLogin(func(rawID, userHandle []byte) (webauthn.User, error) {
		return account, nil
	}, state.Session, parsed)
	h.completePasskeySignIn(c, user, p, cred, err, passkeyStepAlone, state.Back)
}

type passkeySecondData struct {
	Page
	HasPasskey bool
}

// showPasskeySecondStep offers the account whose password was right its passkey as the
// second factor.
func (h *Handler) showPasskeySecondStep(c *gin.Context) {
	user, ok := h.pendingUser(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, "/beheer/inloggen")
		return
	}
	has, err := h.store.HasPasskey(c.Request.Context(), user.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("passkey.second.title"), "beheer")
	h.render(c, http.StatusOK, "passkey_second", passkeySecondData{Page: p, HasPasskey: has})
}

// beginPasskeySecondStep asks the browser for a signature by one of the pending account's
// passkeys.
func (h *Handler) beginPasskeySecondStep(c *gin.Context) {
	if !h.allowPasskeyRequest(c) {
		return
	}
	user, ok := h.pendingUser(c)
	if !ok {
		h.passkeyError(c, http.StatusUnauthorized, "not_pending", "passkey.not_pending")
		return
	}
	account, wa, ok := h.ceremonyFor(c, user)
	if !ok {
		return
	}
	if len(account.passkeys) == 0 {
		h.passkeyError(c, http.StatusConflict, "no_passkey", "passkey.second.none")
		return
	}
	assertion, session, err := wa.BeginLogin(account)
	if err != nil {
		h.passkeyServerError(c, err)
		return
	}
	h.beginCeremony(c, passkeyCeremony{Kind: ceremonySecond, UserID: user.ID, Session: *session}, assertion)
}

// finishPasskeySecondStep checks the signature and signs the pending account in.
func (h *Handler) finishPasskeySecondStep(c *gin.Context) {
	state, parsed, ok := h.passkeyAssertion(c, ceremonySecond)
	if !ok {
		return
	}
	user, pending := h.pendingUser(c)
	if !pending || user.ID != state.UserID {
		h.passkeyError(c, http.StatusUnauthorized, "not_pending", "passkey.not_pending")
		return
	}
	p, ok := h.knownPasskey(c, parsed.RawID, passkeyStepSecond)
	if !ok {
		return
	}
	if p.UserID != user.ID {
		h.refusePasskey(c, models.PasskeyFailure{UserID: user.ID, Reason: "other_account"}, passkeyStepSecond, "passkey.other_account")
		return
	}
	account, wa, ok := h.ceremonyFor(c, user)
	if !ok {
		return
	}
	cred, err := wa.ValidateLogin(account, state.Session, parsed)
	h.completePasskeySignIn(c, user, p, cred, err, passkeyStepSecond, "/")
}

// passkeyAssertion takes the ceremony of kind and parses the browser's answer; when either
// fails it has answered and reports false.
func (h *Handler) passkeyAssertion(c *gin.Context, kind string) (passkeyCeremony, *protocol.ParsedCredentialAssertionData, bool) {
	if !h.allowPasskeyRequest(c) {
		return passkeyCeremony{}, nil, false
	}
	state, ok := h.takeCeremony(c, kind)
	if !ok {
		return passkeyCeremony{}, nil, false
	}
	body, ok := h.readPasskeyBody(c)
	if !ok {
		return passkeyCeremony{}, nil, false
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(body)
	if err != nil {
		h.passkeyError(c, http.StatusBadRequest, "bad_response", "passkey.bad_response")
		return passkeyCeremony{}, nil, false
	}
	return state, parsed, true
}

// knownPasskey finds the passkey with the credential id; an unknown or removed one is
// refused with a message that says which.
func (h *Handler) knownPasskey(c *gin.Context, credentialID []byte, step string) (models.Passkey, bool) {
	p, err := h.store.PasskeyByCredential(c.Request.Context(), credentialID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		h.refusePasskey(c, models.PasskeyFailure{Reason: "unknown"}, step, "passkey.unknown")
		return models.Passkey{}, false
	case err != nil:
		h.passkeyServerError(c, err)
		return models.Passkey{}, false
	case p.RemovedAt != nil:
		h.refusePasskey(c, models.PasskeyFailure{UserID: p.UserID, PasskeyID: p.ID, Reason: "removed"}, step, "passkey.removed")
		return models.Passkey{}, false
	}
	return p, true
}

// completePasskeySignIn signs user in once the signature checked out (verr is nil) and the
// signature counter went up, and records the use; otherwise it refuses and records why.
func (h *Handler) completePasskeySignIn(c *gin.Context, user models.User, p models.Passkey, cred *webauthn.Credential, verr error, step, back string) {
	fail := models.PasskeyFailure{UserID: user.ID, PasskeyID: p.ID}
	if verr != nil {
		h.log.Warn("passkey signature refused", "id", c.GetString(ctxRequestID), "user", user.ID, "err", verr)
		fail.Reason = "signature"
		h.refusePasskey(c, fail, step, "passkey.failed")
		return
	}
	if cred.Authenticator.CloneWarning {
		fail.Reason = "counter"
		h.refusePasskey(c, fail, step, "passkey.cloned")
		return
	}
	if !user.Active() { // a switched-off account signs in no way at all
		fail.Reason = "deactivated"
		h.refusePasskey(c, fail, step, "passkey.failed")
		return
	}
	setActor(c, userActor(user))
	err := h.store.UsePasskey(c.Request.Context(), p, models.PasskeyUse{SignCount: uint32(p.SignCount),
		NewCount: cred.Authenticator.SignCount, BackupState: cred.Flags.BackupState,
		UserVerified: cred.Flags.UserVerified, Step: step, Address: c.ClientIP()})
	switch {
	case errors.Is(err, models.ErrNotFound):
		fail.Reason = "removed"
		h.refusePasskey(c, fail, step, "passkey.removed")
		return
	case errors.Is(err, models.ErrConflict):
		fail.Reason = "counter"
		h.refusePasskey(c, fail, step, "passkey.cloned")
		return
	case err != nil:
		h.passkeyServerError(c, err)
		return
	}
	h.sessions.Remove(c.Request.Context(), sessionPendingUser)
	if err := h.startSession(c, user, signInPasskey); err != nil {
		h.passkeyServerError(c, err)
		return
	}
	if back == "/" || back == "" {
		back = h.organiserHome(user)
	}
	passkeyDone(c, back)
}

// refusePasskey answers a refused passkey sign-in (401, with a message that says why) and
// writes it into the audit trail. An unknown or removed passkey has a code of its own, so
// the browser can tell the person's passkey manager that it is of no use here any more.
func (h *Handler) refusePasskey(c *gin.Context, f models.PasskeyFailure, step, key string) {
	f.Step, f.Address = step, c.ClientIP()
	h.log.Warn("passkey sign-in refused", "id", c.GetString(ctxRequestID), "user", f.UserID, "reason", f.Reason)
	if err := h.store.RecordPasskeyFailure(c.Request.Context(), f); err != nil {
		h.passkeyServerError(c, err)
		return
	}
	code := "refused"
	if f.Reason == "unknown" || f.Reason == "removed" {
		code = f.Reason + "_passkey"
	}
	h.passkeyError(c, http.StatusUnauthorized, code, key)
}

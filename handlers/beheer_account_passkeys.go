package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/ambtenaar20/dagplanner/models"
)

// passkeysPath is the page where an account manages its passkeys.
const passkeysPath = "/beheer/account/passkeys"

type passkeysData struct {
	Page
	Passkeys []models.Passkey
}

// showPasskeys lists the account's passkeys, with the form to add one.
func (h *Handler) showPasskeys(c *gin.Context) {
	u, _ := h.currentUser(c)
	keys, err := h.store.Passkeys(c.Request.Context(), u.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("passkey.title"), "beheer")
	p.Form = newForm(nil, "name:passkey.name")
	h.render(c, http.StatusOK, "beheer/passkeys", passkeysData{Page: p, Passkeys: keys})
}

// beginPasskeyRegistration checks the new passkey's name and sends the browser the options
// to create it with: a discoverable credential, with user verification, not on an
// authenticator that holds one of the account's passkeys already.
func (h *Handler) beginPasskeyRegistration(c *gin.Context) {
	var in struct {
		Name string `json:"name"`
	}
	if !h.readPasskeyJSON(c, &in) {
		return
	}
	if problems := models.ValidatePasskeyName("name", in.Name); len(problems) > 0 {
		pr := problems["name"]
		tr := h.tr(c)
		h.apiError(c, http.StatusUnprocessableEntity, "invalid", tr.T("form.errors_summary"),
			map[string]string{"name": tr.T(pr.Key, pr.Args...)})
		return
	}
	u, _ := h.currentUser(c)
	if may, err := h.mayAddSecondFactor(c, u); err != nil {
		h.passkeyServerError(c, err)
		return
	} else if !may {
		h.passkeyError(c, http.StatusForbidden, "second_factor_required", "passkey.second_step_first")
		return
	}
	account, wa, ok := h.ceremonyFor(c, u)
	if !ok {
		return
	}
	creation, session, err := wa.BeginRegistration(account,
		webauthn.WithExclusions(webauthn.Credentials(account.WebAuthnCredentials()).CredentialDescriptors()))
	if err != nil {
		h.passkeyServerError(c, err)
		return
	}
	h.beginCeremony(c, passkeyCeremony{Kind: ceremonyRegister, UserID: u.ID, Name: strings.TrimSpace(in.Name), Session: *session}, creation)
}

// finishPasskeyRegistration checks the new credential against the ceremony and stores it.
func (h *Handler) finishPasskeyRegistration(c *gin.Context) {
	if !h.allowPasskeyRequest(c) {
		return
	}
	state, ok := h.takeCeremony(c, ceremonyRegister)
	if !ok {
		return
	}
	u, _ := h.currentUser(c)
	if state.UserID != u.ID {
		h.passkeyError(c, http.StatusBadRequest, "no_ceremony", "passkey.expired")
		return
	}
	body, ok := h.readPasskeyBody(c)
	if !ok {
		return
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(body)
	if err != nil {
		h.passkeyError(c, http.StatusBadRequest, "bad_response", "passkey.bad_response")
		return
	}
	account, wa, ok := h.ceremonyFor(c, u)
	if !ok {
		return
	}
	cred, err := wa.CreateCredential(account, state.Session, parsed)
	if err != nil {
		h.log.Warn("passkey not registered", "id", c.GetString(ctxRequestID), "user", u.ID, "err", err)
		h.passkeyError(c, http.StatusBadRequest, "not_verified", "passkey.register_failed")
		return
	}
	var transports []string
	for _, t := range cred.Transport {
		transports = append(transports, string(t))
	}
	_, err = h.store.AddPasskey(c.Request.Context(), models.PasskeyInput{UserID: u.ID, Name: state.Name,
		CredentialID: cred.ID, PublicKey: cred.PublicKey, SignCount: cred.Authenticator.SignCount,
		UserVerified: cred.Flags.UserVerified, BackupEligible: cred.Flags.BackupEligible, BackupState: cred.Flags.BackupState,
		AAGUID: cred.Authenticator.AAGUID, Transports: transports,
		AttestationType: cred.AttestationType, AttestationFormat: cred.AttestationFormat})
	exists, isExisting := shownStoreError(err, passkeyExists)
	var verr *models.ValidationError
	switch {
	case isExisting:
		h.passkeyError(c, exists.Status, exists.Code, exists.Key)
	case errors.As(err, &verr):
		h.passkeyError(c, http.StatusUnprocessableEntity, "invalid", "passkey.register_failed")
	case err != nil:
		h.passkeyServerError(c, err)
	default:
		// A passkey made with user verification is a second factor: a session that had none
		// (setting one up because the role requires it) now has one.
		if err := h.upgradeSession(c); err != nil {
			h.passkeyServerError(c, err)
			return
		}
		h.setFlash(c, "passkey.added", "Name", state.Name)
		passkeyDone(c, passkeysPath)
	}
}

// passkeyExists answers registering a passkey the account (or another) has already: the
// ceremony's JSON says so in words of its own.
var passkeyExists = storeError{models.ErrConflict, storeAnswer{Status: http.StatusConflict, Code: "exists", Key: "passkey.exists"}}

// removePasskey takes one of the account's own passkeys out of use.
func (h *Handler) removePasskey(c *gin.Context) {
	id, ok := h.paramID(c, "passkey")
	if !ok {
		return
	}
	u, _ := h.currentUser(c)
	p, err := h.store.RemovePasskey(c.Request.Context(), u.ID, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "passkey.removed_flash", "Name", p.Name)
	c.Redirect(http.StatusSeeOther, passkeysPath)
}

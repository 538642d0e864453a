package handlers

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/pquerna/otp"
	"github.com/skip2/go-qrcode"

	"github.com/ambtenaar20/dagplanner/models"
)

// One's own second factor (issue #16): enrolling an authenticator app with a QR code and a
// typed code, the recovery codes shown once, and turning it off again.

const (
	twoStepPath = "/beheer/account/tweestaps"
	// sessionEnrolKey holds the otpauth:// URI being enrolled until its first code arrives.
	sessionEnrolKey = "totp_enrol"
	// sessionRecoveryCodes holds the new recovery codes until their page shows them, once.
	sessionRecoveryCodes = "recovery_codes"
)

type twoStepData struct {
	Page
	Enrolled   bool
	Required   bool // the account's role requires a second factor
	CodesLeft  int
	QR         template.URL
	Secret     string // the secret in groups of four, for typing
	Account    string
	Issuer     string
	Codes      []string // the new recovery codes, on their page only
	DisableFor string   // the field label key of the disabling form
}

var (
	twoStepFields = []string{"code:account.two_step.code"}
	disableFields = []string{"proof:account.two_step.proof"}
	sixDigits     = regexp.MustCompile(`^[0-9]{6}$`)
)

// twoStepPage gathers what the page shows for u; a new secret is made when none is being
// enrolled, and kept in the session so that reloading shows the same QR code.
func (h *Handler) twoStepPage(c *gin.Context, u models.User, form *Form) (twoStepData, error) {
	ctx := c.Request.Context()
	p := h.page(c, h.tr(c).T("account.two_step.title"), "beheer")
	p.Form = form
	data := twoStepData{Page: p}
	var err error
	if data.Required, err = h.store.RoleRequiresSecondFactor(ctx, u.Role); err != nil {
		return data, err
	}
	if data.Enrolled, err = h.store.HasTOTP(ctx, u.ID); err != nil || data.Enrolled {
		if err == nil {
			data.CodesLeft, err = h.store.RecoveryCodesLeft(ctx, u.ID)
		}
		return data, err
	}
	key, err := otp.NewKeyFromURL(h.sessions.GetString(ctx, sessionEnrolKey))
	if err != nil || key.AccountName() != u.Email {
		if key, err = models.NewTOTPKey(p.EventName, u.Email); err != nil {
			return data, err
		}
		h.sessions.Put(ctx, sessionEnrolKey, key.URL())
	}
	png, err := qrcode.Encode(key.URL(), qrcode.Medium, 256)
	if err != nil {
		return data, err
	}
	data.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	data.Secret = groupsOfFour(key.Secret())
	data.Account, data.Issuer = key.AccountName(), key.Issuer()
	return data, nil
}

// groupsOfFour writes a secret as "ABCD EFGH …", easier to type from the screen.
func groupsOfFour(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (h *Handler) renderTwoStep(c *gin.Context, status int, form *Form) {
	u, _ := h.currentUser(c)
	data, err := h.twoStepPage(c, u, form)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, status, "beheer/two_step", data)
}

func (h *Handler) showTwoStep(c *gin.Context) {
	h.renderTwoStep(c, http.StatusOK, newForm(nil, twoStepFields...))
}

// enrolTwoStep turns the second factor on once the typed code matches the secret being
// enrolled; the session then counts as signed in with a second factor.
func (h *Handler) enrolTwoStep(c *gin.Context) {
	u, _ := h.currentUser(c)
	ctx := c.Request.Context()
	if may, err := h.mayAddSecondFactor(c, u); err != nil || !may {
		if err == nil {
			err = h.beginSecondStep(c, u, twoStepPath) // pass the factor it has first
		}
		if err != nil {
			h.serverError(c, err)
		}
		return
	}
	form := postedForm(c, twoStepFields...)
	key, err := otp.NewKeyFromURL(h.sessions.GetString(ctx, sessionEnrolKey))
	if err != nil || key.AccountName() != u.Email {
		c.Redirect(http.StatusSeeOther, twoStepPath) // nothing being enrolled: start again
		return
	}
	codes, err := h.store.EnableTOTP(ctx, u.ID, key.Secret(), form.String("code"))
	wrong := formAnswer{Err: models.ErrWrongCode, Field: "code", Key: "account.two_step.code_wrong"}
	if strings.TrimSpace(form.String("code")) == "" {
		wrong.Key = "form.required" // no code does not fit the secret either
	}
	if h.flashStoreAnswer(c, err, secondFactorExists) {
		c.Redirect(http.StatusSeeOther, twoStepPath)
		return
	}
	switch st, shown := form.showStoreError(err, wrong); {
	case !shown:
		h.serverError(c, err)
		return
	case err != nil:
		form.Values.Del("code")
		h.renderTwoStep(c, st, form)
		return
	}
	h.log.Info("second factor enrolled", "id", c.GetString(ctxRequestID), "user", u.ID)
	if err := h.upgradeSession(c); err != nil {
		h.serverError(c, err)
		return
	}
	h.sessions.Remove(ctx, sessionEnrolKey)
	h.sessions.Put(ctx, sessionRecoveryCodes, strings.Join(codes, " "))
	c.Redirect(http.StatusSeeOther, twoStepPath+"/herstelcodes")
}

// secondFactorExists answers enrolling a second factor when the account has one already (a
// second tab enrolled meanwhile): the page says so instead of failing.
var secondFactorExists = storeError{models.ErrConflict, storeAnswer{Status: http.StatusConflict, Key: "account.two_step.already"}}

// showRecoveryCodes shows the new recovery codes once: they are taken out of the session.
func (h *Handler) showRecoveryCodes(c *gin.Context) {
	codes := strings.Fields(h.sessions.PopString(c.Request.Context(), sessionRecoveryCodes))
	if len(codes) == 0 {
		c.Redirect(http.StatusSeeOther, twoStepPath)
		return
	}
	p := h.page(c, h.tr(c).T("account.two_step.codes_title"), "beheer")
	c.Header("Cache-Control", "no-store")
	h.render(c, http.StatusOK, "beheer/recovery_codes", twoStepData{Page: p, Codes: codes})
}

// disableTwoStep turns one's own second factor off, given a current code or the password,
// unless the role requires one.
func (h *Handler) disableTwoStep(c *gin.Context) {
	u, _ := h.currentUser(c)
	ctx := c.Request.Context()
	form := postedForm(c, disableFields...)
	proof := strings.TrimSpace(form.String("proof"))
	required, err := h.store.RoleRequiresSecondFactor(ctx, u.Role)
	if err != nil {
		h.serverError(c, err)
		return
	}
	has, err := h.store.HasTOTP(ctx, u.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if required || !has {
		// The page offers no such form then; it says why.
		if required {
			h.setFlash(c, "account.two_step.required_cannot_disable")
		}
		c.Redirect(http.StatusSeeOther, twoStepPath)
		return
	}
	status := http.StatusUnprocessableEntity
	if proof == "" {
		form.Problems.Add("proof", "form.required")
	} else {
		status = h.checkProof(c, form, u, proof)
	}
	if !form.Valid() {
		form.Values.Del("proof")
		h.renderTwoStep(c, status, form)
		return
	}
	if err := h.store.DisableSecondFactor(ctx, u.ID); err != nil && !errors.Is(err, models.ErrNotFound) {
		h.serverError(c, err)
		return
	}
	h.sessions.Put(ctx, sessionSecondFactor, false)
	h.setFlash(c, "account.two_step.disabled")
	c.Redirect(http.StatusSeeOther, twoStepPath)
}

// checkProof checks a current code (six digits) or else the password, behind the same
// budgets as the second step; a problem goes on form, with the status to answer.
func (h *Handler) checkProof(c *gin.Context, form *Form, u models.User, proof string) int {
	client := "ip:" + clientKey(c.ClientIP())
	if key, wait := h.secondStep.take(client, u.ID); key != "" {
		return h.refuseCode(c, form, "proof", key, wait)
	}
	ctx := c.Request.Context()
	var err error
	if sixDigits.MatchString(proof) {
		err = h.store.VerifyTOTP(ctx, u.ID, proof)
	} else if !h.signIn.hashes.enter(ctx) {
		h.secondStep.giveBack(client, u.ID)
		form.Problems.Add("proof", "login.busy", "Count", int(signInBusyRetry.Seconds()))
		return http.StatusServiceUnavailable
	} else {
		_, err = h.store.Authenticate(ctx, u.Email, proof)
		h.signIn.hashes.leave()
	}
	_, shown := form.showStoreError(err, formAnswer{Err: models.ErrWrongCode, Field: "proof", Key: "account.two_step.proof_wrong"},
		formAnswer{Err: models.ErrInvalidCredentials, Field: "proof", Key: "account.two_step.proof_wrong"},
		formAnswer{Err: models.ErrCodeUsed, Field: "proof"})
	switch {
	case !shown:
		h.secondStep.giveBack(client, u.ID)
		form.Problems.Add("proof", "account.two_step.proof_wrong")
		h.log.Error("check second factor", "id", c.GetString(ctxRequestID), "err", err)
	case err == nil:
		h.secondStep.giveBack(client, u.ID)
	}
	return http.StatusUnprocessableEntity
}

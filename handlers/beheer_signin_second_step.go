package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The second step of signing in (issue #16): after the right password, an account with a
// second factor is only "pending" until it gives a code from its app or a recovery code.

// Ways of signing in with a second factor, as the log and the audit trail name them.
const (
	signInTOTP         = "totp"
	signInRecoveryCode = "recovery_code"
)

// Session keys of the second step.
const (
	// sessionPendingUser holds the account whose password was right while its second factor
	// is still owed; it is never "user_id", so nothing treats it as signed in.
	sessionPendingUser = "pending_user_id"
	sessionPendingAt   = "pending_at"   // when the password was right (Unix seconds)
	sessionPendingBack = "pending_back" // where to go once signed in
	// sessionSecondFactor is true when the session was started with a second factor.
	sessionSecondFactor = "second_factor"
)

const (
	// pendingTTL is how long the second step waits for its code after the password.
	pendingTTL = 5 * time.Minute
	// A wrong code uses the budget of the client address and of the account: ten at once,
	// then one a minute per account, so that six digits cannot be guessed in any useful time.
	secondStepClientBurst  = 20
	secondStepClientEvery  = 30 * time.Second
	secondStepAccountBurst = 10
	secondStepAccountEvery = time.Minute
)

// strongMethods are the ways of signing in that include a second factor.
var strongMethods = []string{signInTOTP, signInRecoveryCode, "passkey", "sso_mfa"}

// secondStepThrottle limits wrong codes per client address and per account.
type secondStepThrottle struct {
	clients, accounts *failureBudget
}

func newSecondStepThrottle() *secondStepThrottle {
	return &secondStepThrottle{
		clients:  newFailureBudget(secondStepClientEvery, secondStepClientBurst),
		accounts: newFailureBudget(secondStepAccountEvery, secondStepAccountBurst),
	}
}

// take uses one attempt of the client's and the account's budgets; when either is spent it
// returns the message key and how long to wait.
func (t *secondStepThrottle) take(client string, userID uint) (string, time.Duration) {
	account := "user:" + strconv.FormatUint(uint64(userID), 10)
	if ok, wait := t.clients.take(client); !ok {
		return "login.too_many_from_client", wait
	}
	if ok, wait := t.accounts.take(account); !ok {
		t.clients.giveBack(client)
		return "login.too_many_codes", wait
	}
	return "", 0
}

// giveBack returns an attempt that succeeded.
func (t *secondStepThrottle) giveBack(client string, userID uint) {
	t.clients.giveBack(client)
	t.accounts.giveBack("user:" + strconv.FormatUint(uint64(userID), 10))
}

// beginSecondStep remembers that user's password was right and sends the browser to the
// second step. The session token is renewed here too, so that a planted one is worthless.
func (h *Handler) beginSecondStep(c *gin.Context, user models.User, back string) error {
	ctx := c.Request.Context()
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Remove(ctx, sessionUserID)
	h.sessions.Put(ctx, sessionPendingUser, int(user.ID))
	h.sessions.Put(ctx, sessionPendingAt, time.Now().Unix())
	h.sessions.Put(ctx, sessionPendingBack, back)
	c.Redirect(http.StatusSeeOther, "/beheer/inloggen/tweede-stap")
	return nil
}

// pendingUser returns the account that owes its second factor, if it is still in time.
func (h *Handler) pendingUser(c *gin.Context) (models.User, bool) {
	ctx := c.Request.Context()
	id := h.sessions.GetInt(ctx, sessionPendingUser)
	at := h.sessions.GetInt64(ctx, sessionPendingAt)
	if id == 0 || time.Since(time.Unix(at, 0)) > pendingTTL {
		return models.User{}, false
	}
	u, err := h.store.User(ctx, uint(id))
	return u, err == nil
}

var secondStepFields = []string{"code:login.code", "recovery:login.recovery"}

// secondStepData is the second step's page: the forms for the factors the account has.
type secondStepData struct {
	Page
	TOTP, Passkey bool
}

func (h *Handler) showSecondStep(c *gin.Context) {
	user, ok := h.pendingUser(c)
	if !ok {
		h.secondStepExpired(c)
		return
	}
	h.renderSecondStep(c, http.StatusOK, user, newForm(nil, secondStepFields...))
}

// renderSecondStep shows the second step with the ways the account can take it: its TOTP
// app (or a recovery code), and its passkey.
func (h *Handler) renderSecondStep(c *gin.Context, status int, user models.User, form *Form) {
	ctx := c.Request.Context()
	d := secondStepData{Page: h.page(c, h.tr(c).T("login.second_step_title"), "beheer")}
	d.Form = form
	var err error
	if d.TOTP, err = h.store.HasTOTP(ctx, user.ID); err == nil {
		d.Passkey, err = h.store.HasPasskey(ctx, user.ID)
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, status, "second_step", d)
}

// secondStepExpired sends someone whose second step is gone (or never began) to sign in again.
func (h *Handler) secondStepExpired(c *gin.Context) {
	h.sessions.Remove(c.Request.Context(), sessionPendingUser)
	h.setFlash(c, "login.second_step_expired")
	c.Redirect(http.StatusSeeOther, "/beheer/inloggen")
}

func (h *Handler) checkSecondStep(c *gin.Context) {
	user, ok := h.pendingUser(c)
	if !ok {
		h.secondStepExpired(c)
		return
	}
	form := postedForm(c, secondStepFields...)
	code, recovery := strings.TrimSpace(form.String("code")), strings.TrimSpace(form.String("recovery"))
	field, method := "code", signInTOTP
	if code == "" && recovery != "" {
		field, method = "recovery", signInRecoveryCode
	}
	status := http.StatusUnprocessableEntity
	if code == "" && recovery == "" {
		form.Problems.Add("code", "form.required")
	} else if key, wait := h.secondStep.take("ip:"+clientKey(c.ClientIP()), user.ID); key != "" {
		status = h.refuseCode(c, form, field, key, wait)
	} else {
		setActor(c, userActor(user)) // the account itself signs off its recovery code
		var err error
		if method == signInTOTP {
			err = h.store.VerifyTOTP(c.Request.Context(), user.ID, code)
		} else {
			_, err = h.store.UseRecoveryCode(c.Request.Context(), user.ID, recovery)
		}
		st, shown := form.showStoreError(err, formAnswer{Err: models.ErrWrongCode, Field: field},
			formAnswer{Err: models.ErrCodeUsed, Field: field})
		switch {
		case !shown:
			h.secondStep.giveBack("ip:"+clientKey(c.ClientIP()), user.ID)
			h.serverError(c, err)
			return
		case err == nil:
			h.secondStep.giveBack("ip:"+clientKey(c.ClientIP()), user.ID)
		case errors.Is(err, models.ErrCodeUsed): // a replay is worth its own line in the log
			status = st
			h.log.Warn("second step refused: code replayed", "id", c.GetString(ctxRequestID), "user", user.ID)
		default:
			status = st
			h.log.Warn("second step refused", "id", c.GetString(ctxRequestID), "user", user.ID, "method", method)
		}
	}
	if !form.Valid() {
		form.Values.Del("code")
		form.Values.Del("recovery") // never echo a code back into the page
		h.renderSecondStep(c, status, user, form)
		return
	}
	back := h.sessions.GetString(c.Request.Context(), sessionPendingBack)
	if err := h.startSession(c, user, method); err != nil {
		h.serverError(c, err)
		return
	}
	if back == "" || back == "/" {
		back = h.organiserHome(user)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// refuseCode answers a code that must wait, as refuseSignIn does a password.
func (h *Handler) refuseCode(c *gin.Context, form *Form, field, key string, wait time.Duration) int {
	f := newForm(nil)
	_, status, _ := h.refuseSignIn(c, f, http.StatusTooManyRequests, key, wait)
	form.Problems[field] = f.Problems["email"]
	return status
}

// signedInStrongly reports whether this session began with a second factor.
func (h *Handler) signedInStrongly(c *gin.Context) bool {
	return h.sessions.GetBool(c.Request.Context(), sessionSecondFactor)
}

// passSecondFactorGate lets a signed-in account through when its session began with a second
// factor or its role does not require one. Otherwise it answers: an account that has a second
// factor (its session began another way) goes to the second step; one without is sent to
// enrol; the API gets 403 with the code "second_factor_required".
func (h *Handler) passSecondFactorGate(c *gin.Context, u models.User) bool {
	if h.signedInStrongly(c) {
		return true
	}
	ctx := c.Request.Context()
	required, err := h.store.RoleRequiresSecondFactor(ctx, u.Role)
	if err != nil {
		h.serverError(c, err)
		return false
	}
	if !required {
		return true
	}
	if isAPI(c) {
		h.apiError(c, http.StatusForbidden, "second_factor_required", h.tr(c).T("api.second_factor_required"), nil)
		return false
	}
	has, err := h.store.HasSecondFactor(ctx, u.ID)
	if err != nil {
		h.serverError(c, err)
		return false
	}
	if has {
		if err := h.beginSecondStep(c, u, localPath(c.Request.URL.Path)); err != nil {
			h.serverError(c, err)
		}
		return false
	}
	c.Redirect(http.StatusSeeOther, twoStepPath)
	return false
}

// mayAddSecondFactor reports whether this session may add a second factor to u: a session
// that began with one may; one that began with a password alone (or a reset e-mail) only
// while the account has none, so that a password cannot add a factor beside the one it
// never passed.
func (h *Handler) mayAddSecondFactor(c *gin.Context, u models.User) (bool, error) {
	if h.signedInStrongly(c) {
		return true, nil
	}
	has, err := h.store.HasSecondFactor(c.Request.Context(), u.ID)
	return !has, err
}

// upgradeSession marks this session as begun with a second factor, once the account has set
// one up in it; with a new token, so that one copied before is not upgraded with it.
func (h *Handler) upgradeSession(c *gin.Context) error {
	if err := h.sessions.RenewToken(c.Request.Context()); err != nil {
		return err
	}
	h.sessions.Put(c.Request.Context(), sessionSecondFactor, true)
	return nil
}

// isStrongMethod reports whether a way of signing in includes a second factor.
func isStrongMethod(method string) bool { return slices.Contains(strongMethods, method) }

package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The own-account area (issue #16 points 2 and 3): every signed-in role sees its address,
// role and scope, changes its password and ends its sign-ins.

type accountData struct {
	Page
	Account models.User
	Role    string // the role in the person's language
	Scope   string // the venue the account is limited to, or "all venues"
}

func (h *Handler) showAccount(c *gin.Context) {
	u, _ := h.currentUser(c)
	p := h.page(c, h.tr(c).T("account.title"), "beheer")
	d := accountData{Page: p, Account: u, Role: p.T("account.role." + u.Role), Scope: p.T("account.scope_all")}
	if u.Venue != nil {
		d.Scope = p.VenueName(*u.Venue)
	}
	h.render(c, http.StatusOK, "beheer/account", d)
}

// passwordFields are the fields of the form to change one's password, in page order.
var passwordFields = []string{"current:account.password.current", "password:account.password.new"}

func (h *Handler) showChangePassword(c *gin.Context) {
	p := h.page(c, h.tr(c).T("account.password.title"), "beheer")
	p.Form = newForm(nil, passwordFields...)
	h.render(c, http.StatusOK, "beheer/account_password", p)
}

// changePassword changes the signed-in person's own password once they typed the current
// one. It is throttled like signing in (the current password can be guessed through it),
// and every other sign-in of the account ends.
func (h *Handler) changePassword(c *gin.Context) {
	u, _ := h.currentUser(c)
	form := postedForm(c, passwordFields...)
	if form.String("current") == "" {
		form.Problems.Add("current", "form.required")
	}
	if form.String("password") == "" {
		form.Problems.Add("password", "form.required")
	}
	status := http.StatusUnprocessableEntity
	if form.Valid() {
		var err error
		status, err = h.throttledPasswordCheck(c, form, u.Email, "current", func() error {
			return h.store.ChangePassword(c.Request.Context(), u.ID, form.String("current"), form.String("password"), h.currentSignIn(c))
		})
		if err != nil {
			h.serverError(c, err)
			return
		}
	}
	if !form.Valid() {
		form.Values.Del("current") // never echo a password back into the page
		form.Values.Del("password")
		p := h.page(c, h.tr(c).T("account.password.title"), "beheer")
		p.Form = form
		h.render(c, status, "beheer/account_password", p)
		return
	}
	h.setFlash(c, "account.password.changed")
	c.Redirect(http.StatusSeeOther, "/beheer/account")
}

// throttledPasswordCheck runs check, which verifies a password typed for account, behind the
// sign-in throttle: the client's and the account's budgets of failures, and the gate of
// password hashes at once. A check that fails with a *models.ValidationError (a wrong
// password) uses the budgets up; anything else gives them back. Problems go on form (a
// refusal on field) and the status to answer with is returned.
func (h *Handler) throttledPasswordCheck(c *gin.Context, form *Form, account, field string, check func() error) (int, error) {
	t := h.signIn
	client, key := "ip:"+clientKey(c.ClientIP()), models.NormalizeEmail(account)
	refuse := func(status int, msg string, wait time.Duration) (int, error) {
		secs := retryAfter(c, wait)
		form.Problems.Add(field, msg, "Count", secs)
		return status, nil
	}
	if ok, wait := t.clients.take(client); !ok {
		return refuse(http.StatusTooManyRequests, "login.too_many_from_client", wait)
	}
	if ok, wait := t.accounts.take(key); !ok {
		t.clients.giveBack(client)
		return refuse(http.StatusTooManyRequests, "login.too_many_for_account", wait)
	}
	if !t.hashes.enter(c.Request.Context()) {
		t.clients.giveBack(client)
		t.accounts.giveBack(key)
		return refuse(http.StatusServiceUnavailable, "login.busy", signInBusyRetry)
	}
	err := check()
	t.hashes.leave()
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		form.Merge(verr.Problems)
		if _, wrong := verr.Problems[field]; wrong {
			return http.StatusUnprocessableEntity, nil // a wrong password: it counts
		}
		err = nil
	}
	t.clients.giveBack(client)
	t.accounts.giveBack(key)
	if err != nil {
		return 0, err
	}
	return http.StatusUnprocessableEntity, nil
}

// signInView is one of the person's sign-ins as the sign-ins page shows it.
type signInView struct {
	models.SignIn
	Device  string // "Chrome op Linux"
	Current bool   // this browser
}

type signInsData struct {
	Page
	SignIns []signInView
	Others  bool // there are sign-ins besides this browser's
}

func (h *Handler) showSignIns(c *gin.Context) {
	u, _ := h.currentUser(c)
	list, err := h.store.SignInsOf(c.Request.Context(), u.ID, h.idle)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("account.signins.title"), "beheer")
	d := signInsData{Page: p}
	here := h.currentSignIn(c)
	for _, si := range list {
		v := signInView{SignIn: si, Device: deviceSummary(p, si.UserAgent), Current: si.ID == here}
		d.Others = d.Others || !v.Current
		d.SignIns = append(d.SignIns, v)
	}
	h.render(c, http.StatusOK, "beheer/account_signins", d)
}

// endSignIn ends one of the person's own sign-ins; another account's is a 404.
func (h *Handler) endSignIn(c *gin.Context) {
	u, _ := h.currentUser(c)
	id, ok := h.paramID(c, "signin")
	if !ok {
		return
	}
	if err := h.store.EndSignIn(c.Request.Context(), u.ID, id, models.SignInEnded); err != nil {
		h.fail(c, err)
		return
	}
	if id == h.currentSignIn(c) {
		h.logout(c) // ending this browser's sign-in is signing out
		return
	}
	h.setFlash(c, "account.signins.ended")
	c.Redirect(http.StatusSeeOther, "/beheer/account/sessies")
}

// endOtherSignIns ends every sign-in of the person but this browser's.
func (h *Handler) endOtherSignIns(c *gin.Context) {
	u, _ := h.currentUser(c)
	if err := h.store.EndSignInsOf(c.Request.Context(), u.ID, h.currentSignIn(c)); err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "account.signins.others_ended")
	c.Redirect(http.StatusSeeOther, "/beheer/account/sessies")
}

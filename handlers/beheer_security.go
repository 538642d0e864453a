package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The admins' security page (issue #16): per role whether a second factor is required, every
// account's second-factor state, and resetting a person's second factor.

const securityPath = "/beheer/beveiliging"

type securityData struct {
	Page
	Roles    []securityRole
	Accounts []models.AccountSecondFactor
}

type securityRole struct {
	Role     string
	Required bool
}

func (h *Handler) showSecurity(c *gin.Context) {
	ctx := c.Request.Context()
	policy, err := h.store.SecondFactorPolicy(ctx)
	if err != nil {
		h.serverError(c, err)
		return
	}
	accounts, err := h.store.SecondFactorStates(ctx)
	if err != nil {
		h.serverError(c, err)
		return
	}
	data := securityData{Page: h.page(c, h.tr(c).T("security.title"), "beheer"), Accounts: accounts}
	for _, r := range models.Roles {
		data.Roles = append(data.Roles, securityRole{Role: r, Required: policy[r]})
	}
	h.render(c, http.StatusOK, "beheer/security", data)
}

// updateSecurityPolicy stores per role whether a second factor is required: a role is
// required when its box was ticked.
func (h *Handler) updateSecurityPolicy(c *gin.Context) {
	form := postedForm(c)
	required := map[string]bool{}
	for _, r := range models.Roles {
		required[r] = form.String("required_"+r) == "ja"
	}
	if err := h.store.SetSecondFactorPolicy(c.Request.Context(), required); err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, securityPath)
}

// resetSecondFactor removes a person's second factor, after they lost their phone and their
// recovery codes: they enrol again when they next sign in.
func (h *Handler) resetSecondFactor(c *gin.Context) {
	id, ok := h.paramID(c, "user")
	if !ok {
		return
	}
	u, err := h.store.User(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	err = h.store.ResetSecondFactor(c.Request.Context(), id)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		h.serverError(c, err)
		return
	}
	if err == nil {
		h.log.Info("second factor reset", "id", c.GetString(ctxRequestID), "user", id)
	}
	h.setFlash(c, "security.reset_done", "Email", u.Email)
	c.Redirect(http.StatusSeeOther, securityPath)
}

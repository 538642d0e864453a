package handlers

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

var accountFields = []string{"role:team.role", "venue:team.venue"}

type teamAccountData struct {
	Page
	Account models.User
	Venues  []models.Venue
}

// RoleOptions are the roles an account can have.
func (d teamAccountData) RoleOptions() []Option { return roleOptions(d.Page) }

// VenueOptions are the venue scopes: every venue, or one.
func (d teamAccountData) VenueOptions() []Option { return venueOptions(d.Page, d.Venues) }

// showTeamAccount shows one account with the form to change its role and scope, and the
// button to deactivate or reactivate it.
func (h *Handler) showTeamAccount(c *gin.Context) {
	u, ok := h.accountFromPath(c)
	if !ok {
		return
	}
	values := url.Values{"role": {u.Role}}
	if u.Venue != nil {
		values.Set("venue", u.Venue.Slug)
	}
	p := h.page(c, h.tr(c).T("team.account_title", "Email", u.Email), "beheer")
	p.Form = newForm(values, accountFields...)
	h.renderTeamAccount(c, http.StatusOK, p, u)
}

func (h *Handler) renderTeamAccount(c *gin.Context, status int, p Page, u models.User) {
	venues, err := h.eventVenues(c)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, status, "beheer/team_account", teamAccountData{Page: p, Account: u, Venues: venues})
}

// updateTeamAccount changes an account's role and venue scope.
func (h *Handler) updateTeamAccount(c *gin.Context) {
	u, ok := h.accountFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c, accountFields...)
	_, err := h.store.ChangeAccount(c.Request.Context(), u.ID, models.AccountInput{Role: form.String("role"), VenueSlug: form.String("venue")})
	h.afterAccountChange(c, u, form, err, "role", "team.flash.changed")
}

// deactivateTeamAccount switches an account off; its sessions end on their next request.
func (h *Handler) deactivateTeamAccount(c *gin.Context) {
	u, ok := h.accountFromPath(c)
	if !ok {
		return
	}
	_, err := h.store.DeactivateUser(c.Request.Context(), u.ID)
	h.afterAccountChange(c, u, postedForm(c, accountFields...), err, "active", "team.flash.deactivated")
}

// reactivateTeamAccount switches an account on again.
func (h *Handler) reactivateTeamAccount(c *gin.Context) {
	u, ok := h.accountFromPath(c)
	if !ok {
		return
	}
	_, err := h.store.ReactivateUser(c.Request.Context(), u.ID)
	h.afterAccountChange(c, u, postedForm(c, accountFields...), err, "active", "team.flash.reactivated")
}

// afterAccountChange answers a change to account u: the page again with the problem (the
// last admin is 409 on field), or back to the team with a flash message.
func (h *Handler) afterAccountChange(c *gin.Context, u models.User, form *Form, err error, field, flash string) {
	status := http.StatusUnprocessableEntity
	st, shown := form.showStoreError(err, formAnswer{Err: models.ErrLastAdmin, Field: field})
	if !shown {
		h.fail(c, err)
		return
	}
	if err != nil {
		status = st
	}
	if !form.Valid() {
		if field == "active" { // a button, not the form: show the account as it is
			form.Values = url.Values{"role": {u.Role}}
			if u.Venue != nil {
				form.Values.Set("venue", u.Venue.Slug)
			}
		}
		p := h.page(c, h.tr(c).T("team.account_title", "Email", u.Email), "beheer")
		p.Form = form
		h.renderTeamAccount(c, status, p, u)
		return
	}
	h.setFlash(c, flash, "Email", u.Email)
	c.Redirect(http.StatusSeeOther, "/beheer/team")
}

func (h *Handler) accountFromPath(c *gin.Context) (models.User, bool) {
	id, ok := h.paramID(c, "user")
	if !ok {
		return models.User{}, false
	}
	u, err := h.store.User(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return models.User{}, false
	}
	return u, true
}

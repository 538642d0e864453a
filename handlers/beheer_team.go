package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// The team (issue #16 point 1): admins see the accounts and open invitations, invite people
// by e-mail, change roles and venue scopes, and switch accounts off and on.

// teamLimits bound what the team pages may make the server do: e-mails sent at an admin's
// word, and passwords hashed on the public invitation page.
type teamLimits struct {
	// invites limits invitations sent (and sent again) per admin; the address's own limit is
	// the shared one of every e-mailing route (mailLimits.recipients).
	invites *keyedLimiter
	// acceptClients and acceptInvitations limit attempts to accept an invitation, which hash
	// a password, per client address and per invitation.
	acceptClients     *keyedLimiter
	acceptInvitations *keyedLimiter
}

func newTeamLimits() *teamLimits {
	return &teamLimits{
		// Thirty at once (a whole team on the first day), then one a minute.
		invites:           newKeyedLimiter(time.Minute, 30),
		acceptClients:     newKeyedLimiter(6*time.Second, 20),
		acceptInvitations: newKeyedLimiter(time.Minute, 10),
	}
}

// byAdmin counts an attempt against the signed-in admin.
func byAdmin(l *keyedLimiter, u models.User) limitKey {
	return limitKey{limiter: l, key: "user:" + strconv.FormatUint(uint64(u.ID), 10)}
}

var inviteFields = []string{"email:team.email", "role:team.role", "venue:team.venue", "lang:team.lang"}

type teamData struct {
	Page
	Users       []models.User
	Invitations []models.Invitation
	Venues      []models.Venue
	Now         time.Time
}

// RoleOptions are the roles an account or invitation can have.
func (d teamData) RoleOptions() []Option { return roleOptions(d.Page) }

// VenueOptions are the venue scopes: every venue, or one.
func (d teamData) VenueOptions() []Option { return venueOptions(d.Page, d.Venues) }

// LangOptions are the languages the invitation can be written in.
func (d teamData) LangOptions() []Option {
	return []Option{{Value: "nl", Label: d.T("person.lang_nl")}, {Value: "en", Label: d.T("person.lang_en")}}
}

func roleOptions(p Page) []Option {
	out := make([]Option, 0, len(models.Roles))
	for _, r := range models.Roles {
		out = append(out, Option{Value: r, Label: p.T("team.role." + r)})
	}
	return out
}

func venueOptions(p Page, venues []models.Venue) []Option {
	out := []Option{{Value: "", Label: p.T("team.all_venues")}}
	for _, v := range venues {
		out = append(out, Option{Value: v.Slug, Label: v.City + ": " + p.VenueName(v)})
	}
	return out
}

// RoleName names a role in the page's language.
func (p Page) RoleName(role string) string { return p.T("team.role." + role) }

// showTeam lists the accounts and open invitations, with the form to invite someone.
func (h *Handler) showTeam(c *gin.Context) {
	p := h.page(c, h.tr(c).T("team.title"), "beheer")
	p.Form = newForm(url.Values{"role": {models.RoleOrganiser}, "lang": {string(p.Lang)}}, inviteFields...)
	h.renderTeam(c, http.StatusOK, p)
}

func (h *Handler) renderTeam(c *gin.Context, status int, p Page) {
	ctx := c.Request.Context()
	d := teamData{Page: p, Now: h.store.Now()}
	var err error
	if d.Users, err = h.store.Users(ctx); err == nil {
		if d.Invitations, err = h.store.OpenInvitations(ctx); err == nil {
			d.Venues, err = h.eventVenues(c)
		}
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, status, "beheer/team", d)
}

// eventVenues lists the current event's venues, for the venue scope.
func (h *Handler) eventVenues(c *gin.Context) ([]models.Venue, error) {
	e, err := h.organiserEvent(c)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return h.store.Venues(c.Request.Context(), e.ID)
}

// inviteMember sends an invitation by e-mail, limited per admin and per address.
func (h *Handler) inviteMember(c *gin.Context) {
	form := postedForm(c, inviteFields...)
	in := models.InvitationInput{Email: form.String("email"), Role: form.String("role"),
		VenueSlug: form.String("venue"), Lang: form.String("lang")}
	form.Merge(in.Validate())
	status := http.StatusUnprocessableEntity
	if form.Valid() {
		if wait := h.waitFor(c, byAdmin(h.team.invites, h.actingUser(c)), byAddress(h.mail.recipients, in.Email)); wait > 0 {
			tooManyProblem(form, "email", wait)
			status = http.StatusTooManyRequests
		}
	}
	if form.Valid() {
		_, err := h.store.Invite(c.Request.Context(), in)
		st, shown := form.showStoreError(err, formAnswer{Err: models.ErrHasAccount, Field: "email"},
			formAnswer{Err: models.ErrAlreadyInvited, Field: "email"})
		if !shown {
			h.serverError(c, err)
			return
		}
		if err != nil {
			status = st
		}
	}
	if !form.Valid() {
		p := h.page(c, h.tr(c).T("team.title"), "beheer")
		p.Form = form
		h.renderTeam(c, status, p)
		return
	}
	h.setFlash(c, "team.flash.invited", "Email", models.NormalizeEmail(in.Email))
	c.Redirect(http.StatusSeeOther, "/beheer/team")
}

// resendInvitation sends an open invitation again with a new link; the old one dies.
func (h *Handler) resendInvitation(c *gin.Context) {
	inv, ok := h.invitationFromPath(c)
	if !ok {
		return
	}
	if wait := h.waitFor(c, byAdmin(h.team.invites, h.actingUser(c)), byAddress(h.mail.recipients, inv.Email)); wait > 0 {
		h.tooManyPage(c, wait)
		return
	}
	_, err := h.store.ResendInvitation(c.Request.Context(), inv.ID)
	h.afterInvitationChange(c, err, "team.flash.resent", inv)
}

// withdrawInvitation withdraws an open invitation; its link stops working at once.
func (h *Handler) withdrawInvitation(c *gin.Context) {
	inv, ok := h.invitationFromPath(c)
	if !ok {
		return
	}
	_, err := h.store.WithdrawInvitation(c.Request.Context(), inv.ID)
	h.afterInvitationChange(c, err, "team.flash.withdrawn", inv)
}

// invitationClosed is how the team page answers a change to an invitation that was accepted,
// withdrawn or expired meanwhile: 409, where the invitation's own link answers 410.
var invitationClosed = storeError{models.ErrInvitationGone, storeAnswer{Status: http.StatusConflict, Page: "team.error.invitation_closed"}}

// afterInvitationChange answers a change to an invitation: the team page with a flash, or
// the error.
func (h *Handler) afterInvitationChange(c *gin.Context, err error, flash string, inv models.Invitation) {
	if err != nil {
		h.storeError(c, err, invitationClosed)
		return
	}
	h.setFlash(c, flash, "Email", inv.Email)
	c.Redirect(http.StatusSeeOther, "/beheer/team")
}

func (h *Handler) invitationFromPath(c *gin.Context) (models.Invitation, bool) {
	id, ok := h.paramID(c, "invitation")
	if !ok {
		return models.Invitation{}, false
	}
	inv, err := h.store.Invitation(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return models.Invitation{}, false
	}
	return inv, true
}

package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// What only the event's organisers and admins may do with proposals: decide, assign a track,
// and manage the tracks at /beheer/themas.

// requireDecider lets only accounts that may decide on proposals through. A reviewer gets
// 403 with a page that says what they can do instead, and nothing changes.
func (h *Handler) requireDecider(c *gin.Context) {
	if u, ok := h.currentUser(c); !ok || !u.CanDecide() {
		h.errorPage(c, http.StatusForbidden, "error.organisers_only")
		c.Abort()
		return
	}
	c.Next()
}

func proposalPath(p models.Proposal) string { return "/beheer/voorstellen/" + strconv.Itoa(int(p.ID)) }

// decideProposal accepts, rejects or reserves a proposal, or takes the decision back.
func (h *Handler) decideProposal(c *gin.Context) {
	prop, ok := h.reviewedProposal(c)
	if !ok {
		return
	}
	u, _ := h.currentUser(c)
	form := postedForm(c, proposalReviewFields...)
	status := form.String("status")
	got, err := h.store.DecideProposal(c.Request.Context(), prop.ID, status, u.ID)
	if h.proposalChangeFailed(c, err, prop, form) {
		return
	}
	h.log.Info("proposal decided", "id", c.GetString(ctxRequestID), "proposal", prop.ID, "status", got.Status, "user", u.ID)
	h.setFlash(c, "review.decided", "Status", h.tr(c).T("proposal.status."+got.Status))
	c.Redirect(http.StatusSeeOther, proposalPath(prop))
}

// setProposalTrack puts a proposal in a track, or in none.
func (h *Handler) setProposalTrack(c *gin.Context) {
	prop, ok := h.reviewedProposal(c)
	if !ok {
		return
	}
	form := postedForm(c, proposalReviewFields...)
	_, err := h.store.SetProposalTrack(c.Request.Context(), prop.ID, form.String("track"))
	if h.proposalChangeFailed(c, err, prop, form) {
		return
	}
	h.setFlash(c, "review.track_saved")
	c.Redirect(http.StatusSeeOther, proposalPath(prop))
}

// proposalChangeFailed answers a refused decision or track: invalid input re-renders the page
// (422), a proposal that can no longer change is a 409 page that says why.
func (h *Handler) proposalChangeFailed(c *gin.Context, err error, prop models.Proposal, form *Form) bool {
	var verr *models.ValidationError
	switch {
	case err == nil:
		return false
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		h.renderProposalReview(c, http.StatusUnprocessableEntity, prop, form)
	default:
		h.storeError(c, err, proposalChanged)
	}
	return true
}

// proposalChanged is what a bare conflict means when deciding on a proposal: it changed
// meanwhile. (A withdrawn or answered proposal has its own page in the table.)
var proposalChanged = storeError{models.ErrConflict, storeAnswer{Status: http.StatusConflict, Page: "error.proposal_changed"}}

var trackFields = []string{"name:track.name"}

type trackListData struct {
	Page
	Tracks []models.Track
	// RenameID is the track whose rename was refused; its field shows the problem.
	RenameID uint
}

// RenameField is the form field of a track's new name.
func (d trackListData) RenameField(t models.Track) FieldView {
	name := "name-" + strconv.Itoa(int(t.ID))
	f := d.Field(name, "track.new_name", "text", "required")
	f.Label = d.T("track.name_of", "Name", t.Name)
	if d.RenameID != t.ID {
		f.Value, f.Error = t.Name, ""
	}
	return f
}

func (h *Handler) listTracks(c *gin.Context) {
	h.renderTracks(c, http.StatusOK, newForm(nil, trackFields...), 0)
}

func (h *Handler) renderTracks(c *gin.Context, status int, form *Form, renameID uint) {
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	tracks, err := h.store.Tracks(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("track.title"), "beheer")
	p.Form = form
	h.render(c, status, "beheer/tracks", trackListData{Page: p, Tracks: tracks, RenameID: renameID})
}

func (h *Handler) createTrack(c *gin.Context) {
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c, trackFields...)
	_, err = h.store.CreateTrack(c.Request.Context(), event.ID, models.TrackInput{Name: form.String("name")})
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
		h.renderTracks(c, http.StatusUnprocessableEntity, form, 0)
	case err != nil:
		h.fail(c, err)
	default:
		h.setFlash(c, "track.added", "Name", form.String("name"))
		c.Redirect(http.StatusSeeOther, "/beheer/themas")
	}
}

// trackFromPath loads the track in the path; one of another event is not found.
func (h *Handler) trackFromPath(c *gin.Context) (models.Track, bool) {
	id, ok := h.paramID(c, "track")
	if !ok {
		return models.Track{}, false
	}
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return models.Track{}, false
	}
	t, err := h.store.Track(c.Request.Context(), id)
	if err == nil && t.EventID != event.ID {
		err = models.ErrNotFound
	}
	if err != nil {
		h.fail(c, err)
		return models.Track{}, false
	}
	return t, true
}

func (h *Handler) renameTrack(c *gin.Context) {
	t, ok := h.trackFromPath(c)
	if !ok {
		return
	}
	field := "name-" + strconv.Itoa(int(t.ID))
	form := postedForm(c)
	_, err := h.store.RenameTrack(c.Request.Context(), t.ID, models.TrackInput{Name: form.String("name")})
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		// The problem belongs to this track's field, which is named after the track.
		shown := newForm(url.Values{field: {form.String("name")}}, trackFields...)
		shown.Labels[field] = "track.new_name"
		for _, pr := range verr.Problems {
			shown.Problems.Add(field, pr.Key, pr.Args...)
		}
		h.renderTracks(c, http.StatusUnprocessableEntity, shown, t.ID)
	case err != nil:
		h.fail(c, err)
	default:
		h.setFlash(c, "track.renamed", "Old", t.Name, "Name", form.String("name"))
		c.Redirect(http.StatusSeeOther, "/beheer/themas")
	}
}

func (h *Handler) deleteTrack(c *gin.Context) {
	t, ok := h.trackFromPath(c)
	if !ok {
		return
	}
	if err := h.store.DeleteTrack(c.Request.Context(), t.ID); err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "track.deleted", "Name", t.Name)
	c.Redirect(http.StatusSeeOther, "/beheer/themas")
}

package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// One proposal as reviewers and organisers see it, at /beheer/voorstellen/ID: the whole
// proposal, the account's own review, the others' reviews once it has given its own, and for
// organisers the track and the decision.

var proposalReviewFields = []string{"score:review.score", "comment:review.comment", "track:review.track",
	"status:review.decision"}

type proposalReviewData struct {
	Page
	Proposal     models.Proposal
	Slots        []string // the availability, as "City: 10:00–11:00"
	Own          *models.Review
	Visible      bool // the others' reviews, mean and spread are shown
	Stats        models.ReviewStats
	Mean, Spread string
	Reviews      []reviewView
	ShowEmails   bool
	CanDecide    bool
	Decidable    bool // the proposal's status may still be changed by a decision
	Reviewable   bool // not withdrawn
	DecidedBy    string
	Scores       []Option
	Tracks       []Option
	Decisions    []Option
}

// reviewView is one review as the page shows it.
type reviewView struct {
	Who     string
	Own     bool
	Score   int
	Comment string
}

// reviewedProposal loads the proposal in the path; one of another event is not found.
func (h *Handler) reviewedProposal(c *gin.Context) (models.Proposal, bool) {
	id, ok := h.paramID(c, "proposal")
	if !ok {
		return models.Proposal{}, false
	}
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return models.Proposal{}, false
	}
	p, err := h.store.Proposal(ctx, id)
	if err == nil && p.EventID != event.ID {
		err = models.ErrNotFound
	}
	if err != nil {
		h.fail(c, err)
		return models.Proposal{}, false
	}
	return p, true
}

func (h *Handler) showProposalReview(c *gin.Context) {
	prop, ok := h.reviewedProposal(c)
	if !ok {
		return
	}
	h.renderProposalReview(c, http.StatusOK, prop, nil)
}

// renderProposalReview shows the page; form, when set, is a posted form with its problems.
func (h *Handler) renderProposalReview(c *gin.Context, status int, prop models.Proposal, form *Form) {
	ctx := c.Request.Context()
	p := h.page(c, prop.Title, "beheer")
	u := *p.User
	reviews, err := h.store.ReviewsOf(ctx, prop.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	venues, err := h.store.Venues(ctx, prop.EventID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	tracks, err := h.store.Tracks(ctx, prop.EventID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	d := proposalReviewData{Proposal: prop, ShowEmails: u.SeesAllScores(), CanDecide: u.CanDecide(),
		Reviewable: prop.Status != models.ProposalWithdrawn}
	switch prop.Status {
	case models.ProposalWithdrawn, models.ProposalConfirmed, models.ProposalDeclined:
	default:
		d.Decidable = true
	}
	var scores []int
	for i, r := range reviews {
		scores = append(scores, r.Score)
		v := reviewView{Score: r.Score, Comment: r.Comment, Own: r.UserID == u.ID}
		if v.Own {
			d.Own = &reviews[i]
		}
		if d.ShowEmails {
			v.Who = r.User.Email
		} else {
			v.Who = p.T("review.reviewer_n", "N", i+1)
		}
		d.Reviews = append(d.Reviews, v)
	}
	d.Visible = models.ScoresVisible(u, d.Own != nil)
	d.Stats = models.ReviewStats{Count: len(scores)}
	d.Mean, d.Spread = "—", "—"
	if d.Visible {
		d.Stats = models.Summarize(scores)
		if d.Stats.Count > 0 {
			d.Mean = decimal(p.Lang, d.Stats.Mean)
			d.Spread = strconv.Itoa(d.Stats.Min) + "–" + strconv.Itoa(d.Stats.Max)
		}
	} else {
		d.Reviews = nil
	}
	if form == nil {
		form = newForm(url.Values{}, proposalReviewFields...)
	}
	// The forms that were not posted show the review and the proposal as they stand.
	current := map[string]string{"track": prop.Track, "status": prop.Status}
	if d.Own != nil {
		current["score"], current["comment"] = strconv.Itoa(d.Own.Score), d.Own.Comment
	}
	_, reviewPosted := form.Values["comment"] // a posted review without a score keeps none
	for k, v := range current {
		if _, posted := form.Values[k]; !posted && (k != "score" || !reviewPosted) {
			form.Values.Set(k, v)
		}
	}
	p.Form = form
	d.Page = p
	d.slotsAndChoices(venues, tracks)
	if prop.DecidedBy != nil && d.ShowEmails {
		if by, err := h.store.User(ctx, *prop.DecidedBy); err == nil {
			d.DecidedBy = by.Email
		}
	}
	h.render(c, status, "beheer/proposal", d)
}

func (d *proposalReviewData) slotsAndChoices(venues []models.Venue, tracks []models.Track) {
	for _, v := range venues {
		for _, sl := range v.Slots {
			for _, id := range d.Proposal.SlotIDs() {
				if id == sl.ID {
					d.Slots = append(d.Slots, v.City+": "+d.TimeRange(sl.StartsAt, sl.EndsAt))
				}
			}
		}
	}
	for i := models.MinScore; i <= models.MaxScore; i++ {
		d.Scores = append(d.Scores, Option{Value: strconv.Itoa(i), Label: d.T("review.score." + strconv.Itoa(i)),
			Selected: d.Form.String("score") == strconv.Itoa(i)})
	}
	d.Tracks = []Option{{Value: "", Label: d.T("review.no_track")}}
	for _, t := range tracks {
		d.Tracks = append(d.Tracks, Option{Value: t.Name, Label: t.Name})
	}
	for _, s := range models.DecisionStatuses {
		d.Decisions = append(d.Decisions, Option{Value: s, Label: d.T("review.decide." + s), Selected: d.Form.String("status") == s})
	}
}

// saveReview records the account's score and comment.
func (h *Handler) saveReview(c *gin.Context) {
	prop, ok := h.reviewedProposal(c)
	if !ok {
		return
	}
	u, _ := h.currentUser(c)
	form := postedForm(c, proposalReviewFields...)
	in := models.ReviewInput{Comment: form.String("comment")}
	switch s := strings.TrimSpace(form.String("score")); s {
	case "":
		form.Problems.Add("score", "review.score_required")
	default:
		n, err := strconv.Atoi(s)
		if err != nil {
			form.Problems.Add("score", "review.score_range", "Min", models.MinScore, "Max", models.MaxScore)
		}
		in.Score = n
	}
	var err error
	if form.Valid() {
		_, err = h.store.SaveReview(c.Request.Context(), prop.ID, u.ID, in)
	} else {
		form.Merge(in.Validate())
	}
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
	case err != nil:
		h.storeError(c, err) // a withdrawn proposal's 409 page, 404, or 500
		return
	case form.Valid():
		h.setFlash(c, "review.saved")
		c.Redirect(http.StatusSeeOther, "/beheer/voorstellen/"+strconv.Itoa(int(prop.ID)))
		return
	}
	h.renderProposalReview(c, http.StatusUnprocessableEntity, prop, form)
}

// showProposalPhotoReview serves the speaker's photo to reviewers and organisers.
func (h *Handler) showProposalPhotoReview(c *gin.Context) {
	prop, ok := h.reviewedProposal(c)
	if !ok {
		return
	}
	ph, err := h.store.ProposalPhoto(c.Request.Context(), prop.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, ph.ContentType, ph.Data)
}

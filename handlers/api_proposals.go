package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// ProposalRequest is the body of POST /api/v1/proposals, and of PATCH, where the fields
// sent replace the stored ones.
type ProposalRequest struct {
	Title           string              `json:"title"`
	Summary         string              `json:"summary"`
	Description     string              `json:"description"`
	Format          string              `json:"format"`
	Slots           int                 `json:"slots"`
	MaxParticipants int                 `json:"max_participants"`
	Audience        string              `json:"audience"`
	Level           string              `json:"level"`
	Venues          []string            `json:"venues"`
	Availability    []uint              `json:"availability"`
	Speaker         ProposalSpeakerJSON `json:"speaker"`
	CoSpeakers      []string            `json:"co_speakers"`
	Needs           []string            `json:"needs"`
	Consent         bool                `json:"consent"`
	Lang            string              `json:"lang"`
}

// ProposalSpeakerJSON is the speaker of a proposal.
type ProposalSpeakerJSON struct {
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation"`
	Bio          string `json:"bio"`
}

// ProposalJSON is a proposal as the API returns it: its texts exactly as sent.
type ProposalJSON struct {
	ID        uint   `json:"id"`
	Status    string `json:"status"`
	EditToken string `json:"edit_token,omitempty"`
	// Editable says whether the proposal may still change: the call is open and it is not
	// withdrawn.
	Editable bool `json:"editable"`
	ProposalRequest
	HasPhoto  bool   `json:"has_photo"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func (r ProposalRequest) input() models.ProposalInput {
	return models.ProposalInput{
		Title: r.Title, Summary: r.Summary, Description: r.Description, Format: r.Format, Slots: r.Slots,
		MaxParticipants: r.MaxParticipants, Audience: r.Audience, Level: r.Level, Venues: r.Venues,
		Availability: r.Availability, CoSpeakers: r.CoSpeakers, Needs: r.Needs, Consent: r.Consent, Lang: r.Lang,
		Speaker: models.ProposalSpeaker{Name: r.Speaker.Name, Email: r.Speaker.Email,
			Organisation: r.Speaker.Organisation, Bio: r.Speaker.Bio},
	}
}

// requestOf is a stored proposal as a request: the base a PATCH body is laid over.
func requestOf(p models.Proposal) ProposalRequest {
	return ProposalRequest{
		Title: p.Title, Summary: p.Summary, Description: p.Description, Format: p.Format, Slots: p.SlotCount,
		MaxParticipants: p.MaxParticipants, Audience: p.Audience, Level: p.Level, Venues: p.VenueSlugs(),
		Availability: p.SlotIDs(), CoSpeakers: p.CoSpeakerEmails(), Needs: p.Needs, Consent: true, Lang: p.Lang,
		Speaker: ProposalSpeakerJSON{Name: p.SpeakerName, Email: p.SpeakerEmail, Organisation: p.SpeakerOrganisation, Bio: p.SpeakerBio},
	}
}

func (h *Handler) proposalJSON(c *gin.Context, p models.Proposal) (ProposalJSON, error) {
	event, err := h.store.EventOfProposal(c.Request.Context(), p)
	if err != nil {
		return ProposalJSON{}, err
	}
	// The speaker sees a decision only once its e-mail has gone out, as on their page.
	status, err := h.store.SpeakerStatus(c.Request.Context(), p)
	if err != nil {
		return ProposalJSON{}, err
	}
	out := ProposalJSON{ID: p.ID, Status: status, ProposalRequest: requestOf(p), HasPhoto: p.HasPhoto,
		Editable:  event.CallOpen(h.store.Now()) && p.Status == models.ProposalSubmitted,
		CreatedAt: p.CreatedAt.In(event.Location()).Format(time.RFC3339),
		UpdatedAt: p.UpdatedAt.In(event.Location()).Format(time.RFC3339)}
	out.Consent = !p.ConsentAt.IsZero()
	return out, nil
}

// proposalError answers an error from submitting or changing a proposal: the table's answers
// (a closed call, a withdrawn or answered proposal, a validation error), else 404 or 500.
func (h *Handler) proposalError(c *gin.Context, err error) {
	h.apiStoreError(c, err)
}

func (h *Handler) createProposalAPI(c *gin.Context) {
	var req ProposalRequest
	if !h.decodeJSON(c, &req) {
		return
	}
	in := req.input()
	if in.Lang == "" {
		in.Lang = string(h.tr(c).Lang())
	}
	if problems := in.Validate(); len(problems) == 0 {
		if wait := h.proposalWait(c, in); wait > 0 {
			h.tooManyAPI(c, wait)
			return
		}
	}
	res, err := h.store.SubmitProposal(c.Request.Context(), in)
	if err != nil {
		h.proposalError(c, err)
		return
	}
	out, err := h.proposalJSON(c, res.Proposal)
	if err != nil {
		h.serverError(c, err)
		return
	}
	out.EditToken = res.Token
	c.Header("Location", "/api/v1/proposals/"+strconv.Itoa(int(res.Proposal.ID)))
	c.JSON(http.StatusCreated, out)
}

// authorisedProposal checks the bearer token against the proposal in the path. A missing or
// wrong token answers 404, exactly like an unknown id, so ids cannot be probed.
func (h *Handler) authorisedProposal(c *gin.Context) (models.Proposal, bool) {
	scheme, token, ok := strings.Cut(c.GetHeader("Authorization"), " ")
	ok = ok && strings.EqualFold(scheme, "Bearer")
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if !ok || err != nil {
		h.notFound(c)
		return models.Proposal{}, false
	}
	p, err := h.store.ProposalByToken(c.Request.Context(), strings.TrimSpace(token))
	if err == nil && p.ID != uint(id) {
		err = models.ErrNotFound // another one's token finds nothing here
	}
	if err != nil {
		h.fail(c, err)
		return models.Proposal{}, false
	}
	return p, true
}

func (h *Handler) getProposalAPI(c *gin.Context) {
	p, ok := h.authorisedProposal(c)
	if !ok {
		return
	}
	h.writeProposal(c, p)
}

func (h *Handler) writeProposal(c *gin.Context, p models.Proposal) {
	out, err := h.proposalJSON(c, p)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h *Handler) changeProposalAPI(c *gin.Context) {
	p, ok := h.authorisedProposal(c)
	if !ok {
		return
	}
	req := requestOf(p)
	if !h.decodeJSON(c, &req) {
		return
	}
	in := req.input()
	if problems := in.Validate(); len(problems) == 0 {
		if wait := h.proposalEditWait(c, p, in); wait > 0 {
			h.tooManyAPI(c, wait)
			return
		}
	}
	updated, err := h.store.UpdateProposal(c.Request.Context(), p.ID, in)
	if err != nil {
		h.proposalError(c, err)
		return
	}
	h.writeProposal(c, updated)
}

func (h *Handler) withdrawProposalAPI(c *gin.Context) {
	p, ok := h.authorisedProposal(c)
	if !ok {
		return
	}
	if _, err := h.store.WithdrawProposal(c.Request.Context(), p.ID); err != nil {
		h.proposalError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

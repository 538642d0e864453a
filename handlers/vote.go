package handlers

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// Open voting: the proposals are shown at /stemmen, where a colleague asks for a personal
// ballot link by e-mail; behind /stemmen/stembiljet/TOKEN they choose the sessions they would
// attend, once. With voting switched off every page is a 404.

// votingProposal is a proposal as the voting pages show it: never with e-mail addresses.
type votingProposal struct {
	models.Proposal
	Votes   int  // shown after voting closed, when the organisers chose so
	Checked bool // ticked on the ballot
}

// votingState is the voting window at the moment of the request.
type votingState struct {
	Event      models.Event
	Open       bool
	NotYetOpen bool
	Ended      bool
	Limit      int
}

func (h *Handler) votingState(e models.Event) votingState {
	now := h.store.Now()
	return votingState{Event: e, Open: e.VotingOpen(now), NotYetOpen: e.VotingNotYetOpen(now), Ended: e.VotingEnded(now),
		Limit: e.VoteLimit()}
}

// votingPageData is /stemmen: the proposals, and the form that asks for a ballot link.
type votingPageData struct {
	Page
	votingState
	Proposals  []votingProposal
	ShowCounts bool
	// Domains lists the allowed e-mail domains, "" when anyone may vote.
	Domains string
}

// ballotPageData is a voter's ballot: the form, or the votes they cast.
type ballotPageData struct {
	Page
	votingState
	Proposals []votingProposal
	Token     string
	Voted     bool
	// Notice explains why the ballot was refused as a whole (closed, already voted).
	Notice string
}

var (
	votingFields = []string{"email:vote.email", "op_de_hoogte:vote.keep_informed"}
	ballotFields = []string{"votes:vote.ballot_legend"}
)

// votingEvent loads the current event and answers 404 when voting is switched off.
func (h *Handler) votingEvent(c *gin.Context) (models.Event, bool) {
	e, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return models.Event{}, false
	}
	if !e.VotingEnabled {
		h.notFound(c)
		return models.Event{}, false
	}
	return e, true
}

// votingProposals lists the proposals open for voting; with counts, most votes first.
func (h *Handler) votingProposals(c *gin.Context, eventID uint, withCounts bool) ([]votingProposal, error) {
	ctx := c.Request.Context()
	props, err := h.store.VotingProposals(ctx, eventID)
	if err != nil {
		return nil, err
	}
	out := make([]votingProposal, len(props))
	for i, p := range props {
		out[i] = votingProposal{Proposal: p}
	}
	if withCounts {
		counts, err := h.store.VoteCounts(ctx, eventID)
		if err != nil {
			return nil, err
		}
		for i := range out {
			out[i].Votes = counts[out[i].ID]
		}
		slices.SortStableFunc(out, func(a, b votingProposal) int { return cmp.Compare(b.Votes, a.Votes) })
	}
	return out, nil
}

func (h *Handler) renderVoting(c *gin.Context, status int, event models.Event, form *Form) {
	st := h.votingState(event)
	p := h.page(c, h.tr(c).T("vote.title"), "voting")
	p.Form = form
	showCounts := st.Ended && event.VotingCountsPublic
	props, err := h.votingProposals(c, event.ID, showCounts)
	if err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, status, "voting", votingPageData{Page: p, votingState: st, Proposals: props, ShowCounts: showCounts,
		Domains: joinDomains(event)})
}

func (h *Handler) showVoting(c *gin.Context) {
	event, ok := h.votingEvent(c)
	if !ok {
		return
	}
	h.renderVoting(c, http.StatusOK, event, newForm(nil, votingFields...))
}

// requestBallot queues a ballot link for the address typed. The answer is the same whether
// or not the address asked before or voted, so the form cannot tell who took part.
func (h *Handler) requestBallot(c *gin.Context) {
	event, ok := h.votingEvent(c)
	if !ok {
		return
	}
	form := postedForm(c, votingFields...)
	email := form.String("email")
	status := http.StatusUnprocessableEntity
	if pr, bad := models.EmailProblem(email); bad {
		form.Problems.Add("email", pr.Key, pr.Args...)
	} else if !event.VotingOpen(h.store.Now()) {
		status = http.StatusForbidden
		form.Problems.Add("email", "vote.closed_notice")
	} else if !event.AllowsVoter(email) {
		form.Problems.Add("email", "vote.domain_not_allowed", "Domains", joinDomains(event))
	} else if h.waitFor(c, limitKey{limiter: h.ballotClients, key: c.ClientIP()}) > 0 {
		status = http.StatusTooManyRequests
		form.Problems.Add("email", "vote.too_many_requests")
	} else if h.ballotAddresses.Allow(models.VoterEmailKey(email)) {
		// Past its limit an address gets no more e-mail, but the same answer.
		err := h.store.RequestBallot(c.Request.Context(), email, string(h.tr(c).Lang()))
		if err == nil && form.String("op_de_hoogte") == "ja" {
			// Kept apart from the ballot, so it cannot tie the address to the votes.
			err = h.store.KeepVoterInformed(c.Request.Context(), email, string(h.tr(c).Lang()))
		}
		st, shown := form.showStoreError(err, formAnswer{Err: models.ErrVotingClosed, Field: "email"})
		if !shown {
			h.serverError(c, err)
			return
		}
		if err != nil {
			status = st
		}
	}
	if form.Valid() {
		h.setFlash(c, "vote.link_sent")
		c.Redirect(http.StatusSeeOther, "/stemmen")
		return
	}
	h.renderVoting(c, status, event, form)
}

func joinDomains(e models.Event) string { return strings.Join(e.VotingDomainList(), ", ") }

// renderBallot shows a voter's ballot: the form while they have not voted, and their votes
// once they have. notice, when set, says why a submission was refused as a whole.
func (h *Handler) renderBallot(c *gin.Context, status int, voter models.Voter, form *Form, notice string) {
	ctx := c.Request.Context()
	event, err := h.store.CurrentEvent(ctx)
	if err != nil || event.ID != voter.EventID || !event.VotingEnabled {
		h.fail(c, cmp.Or(err, models.ErrNotFound))
		return
	}
	props, err := h.votingProposals(c, event.ID, false)
	if err != nil {
		h.serverError(c, err)
		return
	}
	d := ballotPageData{votingState: h.votingState(event), Token: c.Param("token"), Voted: voter.VotedAt != nil}
	if d.Voted {
		votes, err := h.store.VotesOf(ctx, voter.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		props = slices.DeleteFunc(props, func(p votingProposal) bool { return !slices.Contains(votes, p.ID) })
	}
	for i := range props {
		props[i].Checked = form != nil && slices.Contains(form.Values["votes"], strconv.FormatUint(uint64(props[i].ID), 10))
	}
	d.Proposals = props
	d.Page = h.page(c, h.tr(c).T("vote.ballot_title"), "voting")
	d.Page.Form = form
	if notice != "" {
		d.Notice = d.Page.T(notice)
	}
	h.render(c, status, "ballot", d)
}

func (h *Handler) showBallot(c *gin.Context) {
	voter, err := h.store.VerifyVoter(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.renderBallot(c, http.StatusOK, voter, newForm(nil, ballotFields...), "")
}

// castVotes stores the voter's set of votes. Every refusal changes nothing: too many or no
// votes (422, the ticks kept), voting closed (403), a second set (409).
func (h *Handler) castVotes(c *gin.Context) {
	ctx := c.Request.Context()
	voter, err := h.store.VerifyVoter(ctx, c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c, ballotFields...)
	var ids []uint
	for _, v := range form.Values["votes"] {
		id, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			form.Problems.Add("votes", "vote.unknown_proposal")
			break
		}
		ids = append(ids, uint(id))
	}
	if form.Valid() {
		_, err = h.store.CastVotes(ctx, c.Param("token"), ids)
	}
	refused, isRefused := shownStoreError(err, fromTable(models.ErrVotingClosed, models.ErrAlreadyVoted)...)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		form.Merge(verr.Problems)
	case isRefused:
		if errors.Is(err, models.ErrAlreadyVoted) { // the ballot shows the set that was cast
			if voter, err = h.store.Voter(ctx, voter.ID); err != nil {
				h.serverError(c, err)
				return
			}
		}
		h.renderBallot(c, refused.Status, voter, form, refused.Key)
		return
	case err != nil:
		h.fail(c, err)
		return
	case form.Valid():
		h.setFlash(c, "vote.recorded")
		c.Redirect(http.StatusSeeOther, "/stemmen/stembiljet/"+c.Param("token"))
		return
	}
	h.renderBallot(c, http.StatusUnprocessableEntity, voter, form, "")
}

// setVotingValues fills the event form's voting fields from the stored event.
func setVotingValues(v url.Values, e models.Event) {
	loc := e.Location()
	v.Set("voting_opens_at", models.FormatLocal(e.VotingOpensAt, loc))
	v.Set("voting_closes_at", models.FormatLocal(e.VotingClosesAt, loc))
	v.Set("votes_per_voter", strconv.Itoa(e.VoteLimit()))
	v.Set("voting_domains", e.VotingDomains)
	if e.VotingEnabled {
		v.Set("voting_enabled", "ja")
	}
	if e.VotingCountsPublic {
		v.Set("voting_counts_public", "ja")
	}
}

// votingFromForm reads the event form's voting fields into in.
func votingFromForm(form *Form, in *models.EventInput) {
	in.VotingEnabled = form.String("voting_enabled") == "ja"
	in.VotingOpensAt, in.VotingClosesAt = form.String("voting_opens_at"), form.String("voting_closes_at")
	in.VotesPerVoter = form.Int("votes_per_voter", false)
	if in.VotesPerVoter == 0 && strings.TrimSpace(form.String("votes_per_voter")) == "0" {
		in.VotesPerVoter = -1 // typed 0: out of range, where an empty field means the default
	}
	in.VotingDomains = form.String("voting_domains")
	in.VotingCountsPublic = form.String("voting_counts_public") == "ja"
}

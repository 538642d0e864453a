package handlers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// An accepted speaker confirms or declines through the links in the decision e-mail,
// /voorstel/TOKEN/bevestigen and /voorstel/TOKEN/afzeggen. Opening a link only shows a page
// with one button: mail filters that fetch every link must not confirm for the speaker.

// Answers a speaker can give.
const (
	answerConfirm = "bevestigen"
	answerDecline = "afzeggen"
)

type proposalAnswerData struct {
	Page
	Proposal models.Proposal
	Event    models.Event
	Token    string
	Answer   string // answerConfirm or answerDecline
	Status   string // as the speaker may see it
	Error    string
}

func (h *Handler) renderProposalAnswer(c *gin.Context, status int, prop models.Proposal, answer, errorKey string) {
	event, err := h.store.EventOfProposal(c.Request.Context(), prop)
	if err != nil {
		h.fail(c, err)
		return
	}
	shown, err := h.store.SpeakerStatus(c.Request.Context(), prop)
	if err != nil {
		h.serverError(c, err)
		return
	}
	tr := h.tr(c)
	p := h.page(c, tr.T("answer.title."+answer), "proposals")
	d := proposalAnswerData{Page: p, Proposal: prop, Event: event, Token: c.Param("token"), Answer: answer, Status: shown}
	if errorKey != "" {
		d.Error = tr.T(errorKey, "Status", tr.T("proposal.status."+shown))
	}
	h.render(c, status, "proposal_answer", d)
}

func (h *Handler) showConfirmProposal(c *gin.Context) { h.showAnswer(c, answerConfirm) }
func (h *Handler) showDeclineProposal(c *gin.Context) { h.showAnswer(c, answerDecline) }
func (h *Handler) confirmProposal(c *gin.Context)     { h.answerProposal(c, answerConfirm) }
func (h *Handler) declineProposal(c *gin.Context)     { h.answerProposal(c, answerDecline) }

func (h *Handler) showAnswer(c *gin.Context, answer string) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	h.renderProposalAnswer(c, http.StatusOK, prop, answer, "")
}

// answerProposal confirms or declines. A second click answers with the state as it is; a
// proposal that is not (or no longer) accepted is a 409 that says why.
func (h *Handler) answerProposal(c *gin.Context, answer string) {
	prop, ok := h.proposalFromLink(c)
	if !ok {
		return
	}
	status, err := h.store.SpeakerStatus(c.Request.Context(), prop)
	if err != nil {
		h.serverError(c, err)
		return
	}
	do := h.store.ConfirmProposal
	if answer == answerDecline {
		do = h.store.DeclineProposal
	}
	var res models.ProposalAnswer
	if status != prop.Status {
		err = models.ErrProposalStatus // accepted, but the e-mail saying so has not gone out
	} else {
		res, err = do(c.Request.Context(), prop.ID)
	}
	refused, isRefused := shownStoreError(err, fromTable(models.ErrProposalStatus)...)
	switch {
	case isRefused:
		prop, err = h.store.Proposal(c.Request.Context(), prop.ID)
		if err != nil {
			h.fail(c, err)
			return
		}
		h.renderProposalAnswer(c, refused.Status, prop, answer, refused.Key)
		return
	case err != nil:
		h.fail(c, err)
		return
	case res.Already:
		h.setFlash(c, "answer.already."+answer)
	default:
		h.log.Info("proposal answered", "id", c.GetString(ctxRequestID), "proposal", prop.ID, "status", res.Proposal.Status)
		h.setFlash(c, "answer.done."+answer)
	}
	c.Redirect(http.StatusSeeOther, "/voorstel/"+c.Param("token"))
}

// speakerSession returns the session of a confirmed proposal, or nil before there is one.
func (h *Handler) speakerSession(c *gin.Context, prop models.Proposal) (*models.Session, error) {
	if prop.Status != models.ProposalConfirmed {
		return nil, nil
	}
	se, err := h.store.SessionOfProposal(c.Request.Context(), prop.ID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &se, nil
}

// downloadParticipants serves the names and organisations of the people with a seat in the
// session, as CSV, to its speaker and to the co-speakers who confirmed, each via their link.
func (h *Handler) downloadParticipants(c *gin.Context) {
	ctx := c.Request.Context()
	prop, co, err := h.store.ProposalByLink(ctx, c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return
	}
	if co != nil && co.ConfirmedAt == nil {
		h.notFound(c)
		return
	}
	se, err := h.speakerSession(c, prop)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if se == nil {
		h.notFound(c)
		return
	}
	people, err := h.store.SessionParticipants(ctx, se.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	tr := h.tr(c)
	var buf bytes.Buffer
	buf.WriteString("\uFEFF") // Excel reads UTF-8 only with a byte-order mark
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	w.Write([]string{tr.T("participants.name"), tr.T("participants.organisation")})
	for _, p := range people {
		w.Write([]string{csvCell(p.Name), csvCell(p.Organisation)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		h.serverError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", `attachment; filename="deelnemers-sessie-`+strconv.Itoa(int(se.ID))+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// csvCell defuses text that a spreadsheet would run as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

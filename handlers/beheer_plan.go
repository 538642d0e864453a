package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// planBudget is the time the board's planner button may take.
const planBudget = 5 * time.Second

// sessionWarning holds a warning for the next board shown: a planner run that left sessions
// unplaced (the layout's flash is for things that went well).
const sessionWarning = "board_warning"

// planSchedule runs the automatic planner for the board's button (form fields venue: a slug
// or "all"; mode: unplaced, all or minimal; seed, default 1), applies its moves in one go and
// says in a flash what it did. An infeasible request changes nothing and says why.
func (h *Handler) planSchedule(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	slug := c.PostForm("venue")
	var venueID uint
	if slug != "all" {
		v, err := h.editionVenue(c, slug)
		if err != nil || v.EventID != event.ID {
			h.notFound(c)
			return
		}
		venueID = v.ID
	}
	// Back to the board the button was pressed on (terug, a venue id), or the planned venue's.
	back := "/beheer"
	if venueID != 0 {
		back = "/beheer/rooster/" + strconv.FormatUint(uint64(venueID), 10)
	}
	if id, err := strconv.ParseUint(c.PostForm("terug"), 10, 32); err == nil {
		if v, err := h.store.Venue(ctx, uint(id)); err == nil && v.EventID == event.ID {
			back = "/beheer/rooster/" + strconv.FormatUint(uint64(v.ID), 10)
		}
	}
	mode, modeErr := schedule.ParseMode(c.PostForm("mode"))
	seed, seedErr := uint64(1), error(nil)
	if s := strings.TrimSpace(c.PostForm("seed")); s != "" {
		seed, seedErr = strconv.ParseUint(s, 10, 64)
	}
	if modeErr != nil || seedErr != nil {
		h.setFlash(c, "beheer.plan.bad_request")
		c.Redirect(http.StatusSeeOther, back)
		return
	}
	res, err := schedule.RunPlanner(ctx, h.store, schedule.PlannerRun{EventID: event.ID, VenueID: venueID, Apply: true,
		Request: schedule.Request{Mode: mode, Seed: seed, Iterations: 200000, TimeLimit: planBudget}})
	var inf *schedule.InfeasibleError
	var notApplied *schedule.ApplyError
	var verr *models.ValidationError
	switch {
	case errors.As(err, &inf):
		h.log.Info("schedule plan infeasible", "event", event.ID, "reason", inf.Error())
		h.sessions.Put(ctx, sessionFlash, infeasibleFlash(h.tr(c), res.Problem, inf))
		c.Redirect(http.StatusSeeOther, back)
		return
	case errors.As(err, &notApplied) && (errors.Is(err, models.ErrConflict) || errors.As(err, &verr)):
		// Someone pinned or placed a session meanwhile: nothing was applied.
		h.setFlash(c, "beheer.plan.conflict")
		c.Redirect(http.StatusSeeOther, back)
		return
	case err != nil:
		h.serverError(c, err)
		return
	}
	ep, moves := res.EventPlan, res.Moves
	h.log.Info("schedule planned", "event", event.ID, "venue", slug, "mode", c.PostForm("mode"), "seed", seed,
		"changes", len(moves), "unplaced", len(ep.Result.Unplaced))
	key := sessionFlash
	if len(ep.Result.Unplaced) > 0 && back != "/beheer" {
		key = sessionWarning
	}
	h.sessions.Put(ctx, key, planFlash(h.tr(c), ep))
	c.Redirect(http.StatusSeeOther, back)
}

// planFlash says what the planner did: sessions placed and moved, and which could not be
// placed and why.
func planFlash(tr *locale.Translator, ep schedule.EventPlan) string {
	r := ep.Result
	msg := tr.T("beheer.plan.done", "Placed", r.Placed, "Moved", r.Moved)
	if len(r.Unplaced) > 0 {
		list := make([]string, len(r.Unplaced))
		for k, u := range r.Unplaced {
			list[k] = fmt.Sprintf("„%s” (%s)", ep.Problem.Sessions[u.Session].Title, tr.T("beheer.plan.reason."+u.Rule))
		}
		msg += " " + tr.T("beheer.plan.unplaced", "Count", len(r.Unplaced), "List", strings.Join(list, "; "))
	}
	return msg
}

// infeasibleFlash says why nothing was planned, naming the sessions at fault.
func infeasibleFlash(tr *locale.Translator, pr schedule.Problem, e *schedule.InfeasibleError) string {
	msg := tr.T("beheer.plan.infeasible." + e.Code)
	if len(e.Sessions) > 0 {
		titles := make([]string, len(e.Sessions))
		for k, i := range e.Sessions {
			titles[k] = "„" + pr.Sessions[i].Title + "”"
		}
		msg += " " + tr.T("beheer.plan.infeasible.sessions", "List", strings.Join(titles, ", "))
	}
	return msg
}

package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// boardSession loads the session a board form names and checks the account may move it: an
// unplaced session without a venue is anyone's to place, any other one its venue's.
func (h *Handler) boardSession(c *gin.Context, form *Form) (models.Session, bool) {
	id := form.ID("sessie")
	if id == 0 {
		h.notFound(c)
		return models.Session{}, false
	}
	s, err := h.store.Session(c.Request.Context(), id)
	if err == nil {
		err = h.inEdition(c, s.EventID)
	}
	if err != nil {
		h.fail(c, err)
		return models.Session{}, false
	}
	u, _ := h.currentUser(c)
	if s.VenueID != nil && !u.CanManageVenue(*s.VenueID) {
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
		return models.Session{}, false
	}
	return s, true
}

// moveSession moves a session to the room and first slot chosen (or off the timetable), from
// the board's form or by drag and drop, which fills in and submits the same form.
func (h *Handler) moveSession(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c)
	s, ok := h.boardSession(c, form)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	// Off the timetable, a session stays at its venue: it stays on that venue's board and
	// in its organisers' hands.
	pl := models.Placement{SessionID: s.ID}
	if s.VenueID != nil {
		pl.VenueID = *s.VenueID
	}
	if place := form.String("plek"); place != placeOff {
		roomText, slotText, _ := strings.Cut(place, "-")
		roomID, err1 := strconv.ParseUint(roomText, 10, 32)
		slotID, err2 := strconv.ParseUint(slotText, 10, 32)
		room, err := h.store.Room(ctx, uint(roomID))
		if _, unknown := shownStoreError(err, unknownRoom); err1 != nil || err2 != nil || unknown {
			h.renderBoard(c, unknownRoom.Status, v, &boardMoveError{SessionID: s.ID, Message: h.tr(c).T(unknownRoom.Key)})
			return
		}
		if err != nil {
			h.serverError(c, err)
			return
		}
		if u, _ := h.currentUser(c); !u.CanManageVenue(room.VenueID) {
			h.errorPage(c, http.StatusForbidden, "error.forbidden")
			return
		}
		pl.VenueID, pl.RoomID, pl.FirstSlotID = room.VenueID, room.ID, uint(slotID)
	}
	err := h.store.ApplyPlacements(ctx, s.EventID, []models.Placement{pl})
	if h.boardFailed(c, v, s, err) {
		return
	}
	h.setFlash(c, "beheer.board.moved", "Title", s.Title)
	c.Redirect(http.StatusSeeOther, boardPath(v.ID))
}

// pinSession pins a placed session to its place, so the automatic planner leaves it there,
// or unpins it.
func (h *Handler) pinSession(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	form := postedForm(c)
	s, ok := h.boardSession(c, form)
	if !ok {
		return
	}
	pin := form.String("vast") == "ja"
	if pin && !s.Placed() {
		h.renderBoard(c, http.StatusUnprocessableEntity, v, &boardMoveError{SessionID: s.ID, Message: h.tr(c).T("beheer.board.pin_unplaced")})
		return
	}
	if h.boardFailed(c, v, s, h.store.SetPinned(c.Request.Context(), s.ID, pin)) {
		return
	}
	key := "beheer.board.pinned_done"
	if !pin {
		key = "beheer.board.unpinned_done"
	}
	h.setFlash(c, key, "Title", s.Title)
	c.Redirect(http.StatusSeeOther, boardPath(v.ID))
}

// The board's answers to the store: a room that is not (or no longer) there is a choice the
// form did not offer; a bare conflict is a pinned session, to be unpinned first.
var (
	unknownRoom   = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusUnprocessableEntity, Key: "form.invalid_choice"}}
	pinnedRefused = storeError{models.ErrConflict, storeAnswer{Status: http.StatusUnprocessableEntity, Key: "beheer.board.pinned_refused"}}
)

// boardFailed answers a refused move: the board again (422) with why, nothing changed.
func (h *Handler) boardFailed(c *gin.Context, v models.Venue, s models.Session, err error) bool {
	pinned, isPinned := shownStoreError(err, pinnedRefused)
	var verr *models.ValidationError
	switch {
	case err == nil:
		return false
	case errors.As(err, &verr):
		var msgs []string
		for _, f := range verr.Problems.Fields() {
			pr := verr.Problems[f]
			msgs = append(msgs, h.tr(c).T(pr.Key, pr.Args...))
		}
		h.renderBoard(c, http.StatusUnprocessableEntity, v, &boardMoveError{SessionID: s.ID, Message: strings.Join(msgs, " ")})
	case isPinned:
		h.renderBoard(c, pinned.Status, v, &boardMoveError{SessionID: s.ID, Message: h.tr(c).T(pinned.Key, "Title", s.Title)})
	default:
		h.fail(c, err)
	}
	return true
}

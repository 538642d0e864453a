package handlers

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/schedule"
)

// boardData is the board of one venue: its rooms × slots with the placed sessions, the
// sessions still to place, and the event's problems that touch the venue.
type boardData struct {
	Page
	Venue    models.Venue
	Rooms    []schedule.Room
	Rows     []boardRow
	Unplaced []boardCard
	Problems []boardProblem
	// Places are the choices of the move forms: per venue the account manages, every room
	// and first slot.
	Places  []boardPlaceGroup
	CanPlan bool
	// MoveError is why the last move or pin was refused (422), with the session concerned.
	MoveError *boardMoveError
	// Warning is what the last planner run could not do (sessions left unplaced, and why).
	Warning string
}

type boardRow struct {
	SlotID uint
	Time   string
	Cells  []boardCell
}

// boardCell is one room in one slot; a cell covered by a two-slot session above it is left
// out of the table.
type boardCell struct {
	ID       string // anchor: "cel-<room>-<slot>"
	Place    string // the move forms' value for this room and slot
	RoomName string
	Card     *boardCard
	Span     int
	Covered  bool
}

type boardCard struct {
	ID       uint
	Title    string
	Speakers string
	Pinned   bool
	Length   int
	Demand   int
	Limit    int
	Place    string // its current place, as the move forms' value; "" when unplaced
	Movable  bool   // the account may move it
	Problems int
}

type boardPlaceGroup struct {
	Label   string
	Options []Option
}

type boardProblem struct {
	Kind  string
	Text  string
	Links []boardLink
}

type boardLink struct{ Href, Label string }

type boardMoveError struct {
	SessionID uint
	Message   string
}

// placeOff is the move forms' value for taking a session off the timetable.
const placeOff = "af"

func (h *Handler) showBoard(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	h.renderBoard(c, http.StatusOK, v, nil)
}

// renderBoard builds the board of venue v from the database and renders it.
func (h *Handler) renderBoard(c *gin.Context, status int, v models.Venue, moveErr *boardMoveError) {
	ctx := c.Request.Context()
	d, err := h.store.PlanningData(ctx, v.EventID)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("beheer.board.title", "Venue", h.venueName(c, v)), "beheer")
	data := buildBoard(p, d, v)
	data.MoveError = moveErr
	data.Warning = h.sessions.PopString(ctx, sessionWarning)
	h.render(c, status, "beheer/board", data)
}

// buildBoard lays out venue v's board from the planning data.
func buildBoard(p Page, d models.PlanningData, v models.Venue) boardData {
	u := *p.User
	pr, plan, ix := schedule.FromPlanning(d)
	vi := slices.Index(ix.Venues, v.ID)
	data := boardData{Page: p, Venue: v, CanPlan: u.CanManageEvent(), Rooms: pr.Venues[vi].Rooms}
	for _, ve := range d.Venues {
		if u.CanManageVenue(ve.ID) {
			data.Places = append(data.Places, boardPlaces(p, pr, ix, slices.Index(ix.Venues, ve.ID), ve))
		}
	}
	issues := pr.Issues(plan)
	demand := pr.Demand(plan)
	cards := make([]boardCard, len(d.Sessions))
	for i, se := range d.Sessions {
		cards[i] = boardCard{ID: se.ID, Title: se.Title, Pinned: se.Pinned, Length: pr.Sessions[i].Length, Demand: demand[i],
			Limit: se.CapacityLimit, Movable: se.VenueID == nil || u.CanManageVenue(*se.VenueID)}
		var names []string
		for _, sp := range se.Speakers {
			names = append(names, sp.Name)
		}
		cards[i].Speakers = strings.Join(names, ", ")
		if pl := plan.Places[i]; pl != nil {
			cards[i].Place = placeValue(ix, *pl)
		}
	}
	for _, is := range issues {
		for _, i := range is.Sessions {
			cards[i].Problems++
		}
	}
	data.Rows = boardRows(p, pr, plan, ix, vi, cards)
	// An unplaced session belongs on the board of each venue it may be placed at.
	here := func(i int) bool {
		se := d.Sessions[i]
		return plan.Places[i] == nil && (se.VenueID == nil || *se.VenueID == v.ID) &&
			(len(pr.Sessions[i].Venues) == 0 || slices.Contains(pr.Sessions[i].Venues, vi))
	}
	for i := range plan.Places {
		if here(i) {
			data.Unplaced = append(data.Unplaced, cards[i])
		}
	}
	for _, is := range issues {
		if is.Kind == schedule.IssueUnplaceable && here(is.Sessions[0]) || touchesVenue(is, plan, vi) {
			data.Problems = append(data.Problems, describeIssue(p, pr, plan, ix, d, is))
		}
	}
	return data
}

// boardRows lays out the grid: one row per slot, one cell per room.
func boardRows(p Page, pr schedule.Problem, plan schedule.Plan, ix schedule.Index, vi int, cards []boardCard) []boardRow {
	venue := pr.Venues[vi]
	rows := make([]boardRow, len(venue.Slots))
	for k, sl := range venue.Slots {
		rows[k] = boardRow{SlotID: ix.Slots[vi][k], Time: p.TimeRange(sl.Start, sl.End), Cells: make([]boardCell, len(venue.Rooms))}
		for r, room := range venue.Rooms {
			pl := schedule.Place{Venue: vi, Room: r, Slot: k}
			rows[k].Cells[r] = boardCell{ID: cellID(ix, pl), Place: placeValue(ix, pl), RoomName: room.Name, Span: 1}
		}
	}
	for i, pl := range plan.Places {
		if pl == nil || pl.Venue != vi {
			continue
		}
		span := min(cards[i].Length, len(rows)-pl.Slot)
		cell := &rows[pl.Slot].Cells[pl.Room]
		if cell.Card != nil {
			continue // the database allows one session per room and slot; stay safe anyway
		}
		cell.Card, cell.Span = &cards[i], span
		for k := pl.Slot + 1; k < pl.Slot+span; k++ {
			rows[k].Cells[pl.Room].Covered = true
		}
	}
	return rows
}

// boardPlaces lists venue vi's rooms and first slots as move-form choices.
func boardPlaces(p Page, pr schedule.Problem, ix schedule.Index, vi int, v models.Venue) boardPlaceGroup {
	g := boardPlaceGroup{Label: v.City + ": " + p.VenueName(v)}
	venue := pr.Venues[vi]
	for r, room := range venue.Rooms {
		for k, sl := range venue.Slots {
			g.Options = append(g.Options, Option{Value: placeValue(ix, schedule.Place{Venue: vi, Room: r, Slot: k}),
				Label: room.Name + " · " + p.TimeRange(sl.Start, sl.End)})
		}
	}
	return g
}

func placeValue(ix schedule.Index, pl schedule.Place) string {
	return fmt.Sprintf("%d-%d", ix.Rooms[pl.Venue][pl.Room], ix.Slots[pl.Venue][pl.Slot])
}

func cellID(ix schedule.Index, pl schedule.Place) string {
	return fmt.Sprintf("cel-%d-%d", ix.Rooms[pl.Venue][pl.Room], ix.Slots[pl.Venue][pl.Slot])
}

// touchesVenue reports whether an issue is about venue vi: it happens there, or one of its
// sessions is there.
func touchesVenue(is schedule.Issue, plan schedule.Plan, vi int) bool {
	if is.Venue == vi {
		return true
	}
	for _, i := range is.Sessions {
		if pl := plan.Places[i]; pl != nil && pl.Venue == vi {
			return true
		}
	}
	return false
}

package handlers

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/door"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// Room doors (issue #18): a door scanning for one session's room. POST /api/v1/checkins with
// "session" is judged by door.Scanner.ScanRoom; the door page lists the sessions it may scan
// for and keeps one session's bookings to judge scans offline.

// roomSessionUnknown answers a session that is not a placed session of the door's venue
// (ErrNotFound) in a scan: the request names it, so it is bad input (422).
var roomSessionUnknown = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusUnprocessableEntity, Code: "invalid",
	Key: "room.session_unknown", Field: "session"}}

// RoomCheckInJSON is the answer to a scan at a room's door.
type RoomCheckInJSON struct {
	Result       string        `json:"result"`
	Message      string        `json:"message"`
	Session      uint          `json:"session"`
	Registration uint          `json:"registration,omitempty"`
	Attendee     *AttendeeJSON `json:"attendee,omitempty"`
	// ScannedAt is when this scan counts as made; FirstScannedAt and Door are the scan into
	// the room that counts (in_session, already_in_session, waitlisted with a seat).
	ScannedAt      string `json:"scanned_at"`
	FirstScannedAt string `json:"first_scanned_at,omitempty"`
	Door           string `json:"door,omitempty"`
	// SeatFree is only in a waitlisted answer: the person now has a seat and may go in.
	SeatFree *bool `json:"seat_free,omitempty"`
	// Position is the place in the waiting list of a waitlisted person without a seat.
	Position int `json:"position,omitempty"`
	// SessionTitle and Room name the session an elsewhere answer's person is booked in.
	SessionTitle string `json:"session_title,omitempty"`
	Room         string `json:"room,omitempty"`
	// AdmittedAtVenue is set when the scan also admitted the person at the venue's door.
	AdmittedAtVenue bool `json:"admitted_at_venue"`
}

// createRoomCheckIn answers a scan at the door of req.Session's room.
func (h *Handler) createRoomCheckIn(c *gin.Context, p doorPrincipal, req CheckInRequest) {
	res, err := h.doorScanner(c).ScanRoom(c.Request.Context(), p.door(), req.Session,
		door.Scan{Code: req.Code, Registration: req.Registration, ScanID: req.ScanID, ScannedAt: req.ScannedAt})
	if err != nil {
		h.apiStoreError(c, err, roomSessionUnknown)
		return
	}
	tr := h.tr(c)
	loc := h.eventZone(c, p.Venue.EventID)
	out := RoomCheckInJSON{Result: res.Result, Session: req.Session, ScannedAt: rfc3339(res.ScannedAt, loc),
		AdmittedAtVenue: res.AdmittedAtVenue}
	if r := res.Registration; r.ID != 0 {
		out.Registration = r.ID
		out.Attendee = &AttendeeJSON{Name: r.Name, Organisation: r.Organisation}
	}
	if res.CheckIn.ID != 0 {
		out.FirstScannedAt, out.Door = rfc3339(res.CheckIn.ScannedAt, loc), res.CheckIn.Door
	}
	if res.Result == models.RoomWaitlisted {
		free := res.SeatFree
		out.SeatFree, out.Position = &free, res.Position
	}
	if e := res.Elsewhere; e != nil {
		out.SessionTitle, out.Room = models.InLang(string(tr.Lang()), e.Title, e.TitleEn), e.Room
	}
	out.Message = roomCheckInMessage(tr.In(loc), out, res.CheckIn.ScannedAt)
	c.JSON(http.StatusOK, out)
}

// seatsForWaitlist says how many seats the people waiting at the door may take: "no seats"
// in words rather than "0 seats".
func seatsForWaitlist(tr *locale.Translator, n int) string {
	if n == 0 {
		return tr.T("room.no_seats_for_waitlist")
	}
	return tr.T("room.seats_for_waitlist", "Count", n)
}

// roomCheckInMessage is a room door's answer in words.
func roomCheckInMessage(tr *locale.Translator, out RoomCheckInJSON, first time.Time) string {
	name := ""
	if out.Attendee != nil {
		name = out.Attendee.Name
	}
	switch out.Result {
	case models.RoomInSession:
		return tr.T("room.in_session", "Name", name)
	case models.RoomAlreadyInSession:
		return tr.T("room.already", "Name", name, "Time", tr.Time(first), "Door", out.Door)
	case models.RoomWaitlisted:
		if out.SeatFree != nil && *out.SeatFree {
			return tr.T("room.waitlisted_seat", "Name", name)
		}
		return tr.T("room.waitlisted_full", "Name", name, "Position", out.Position)
	case models.RoomElsewhere:
		return tr.T("room.elsewhere", "Name", name, "Title", out.SessionTitle, "Room", out.Room)
	case models.RoomNotBooked:
		return tr.T("room.not_booked", "Name", name)
	default:
		return tr.T("room.not_registered")
	}
}

// RoomSessionJSON is a session a room's door may scan for.
type RoomSessionJSON struct {
	ID        uint   `json:"id"`
	Title     string `json:"title"`
	Room      string `json:"room"`
	StartsAt  string `json:"starts_at"`
	EndsAt    string `json:"ends_at"`
	Capacity  int    `json:"capacity"`
	Confirmed int    `json:"confirmed"`
	Waiting   int    `json:"waiting"`
}

// RoomSessionsJSON answers GET /api/v1/door/sessions.
type RoomSessionsJSON struct {
	Sessions []RoomSessionJSON `json:"sessions"`
}

func roomSessionJSON(s models.RoomSession, lang string, loc *time.Location) RoomSessionJSON {
	return RoomSessionJSON{ID: s.ID, Title: models.InLang(lang, s.Title, s.TitleEn), Room: s.Room,
		StartsAt: rfc3339(s.StartsAt, loc), EndsAt: rfc3339(s.EndsAt, loc), Capacity: s.Capacity, Confirmed: s.Confirmed, Waiting: s.Waiting}
}

// listRoomSessions lists the sessions of the door's venue in the slots running now and the
// next one: what a room's door chooses from.
func (h *Handler) listRoomSessions(c *gin.Context) {
	p, ok := h.doorPrincipal(c)
	if !ok {
		return
	}
	sessions, err := h.store.RoomSessions(c.Request.Context(), p.Venue.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	loc, lang := h.eventZone(c, p.Venue.EventID), string(h.tr(c).Lang())
	out := RoomSessionsJSON{Sessions: make([]RoomSessionJSON, 0, len(sessions))}
	for _, s := range sessions {
		out.Sessions = append(out.Sessions, roomSessionJSON(s, lang, loc))
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}

// RoomDoorJSON answers GET /api/v1/door/sessions/{id}: the room door's live figures, and what
// it keeps to judge scans offline (the bookings of this session and those at the same time,
// by registration, and who is in the room).
type RoomDoorJSON struct {
	Session          RoomSessionJSON `json:"session"`
	ReleaseAt        *string         `json:"release_at"`
	SeatsForWaitlist int             `json:"seats_for_waitlist"`
	// SeatsMessage says SeatsForWaitlist in words ("3 plaatsen vrij voor mensen op de wachtlijst").
	SeatsMessage  string            `json:"seats_message"`
	WaitingAtDoor int               `json:"waiting_at_door"`
	ScannedIn     int               `json:"scanned_in"`
	Alongside     []RoomSessionJSON `json:"alongside"`
	Bookings      []RoomBookingJSON `json:"bookings"`
	InRoom        []uint            `json:"in_room"`
}

// RoomBookingJSON is one seat ("confirmed") or waiting-list place ("waitlisted").
type RoomBookingJSON struct {
	Registration uint   `json:"registration"`
	Session      uint   `json:"session"`
	Status       string `json:"status"`
}

func (h *Handler) getRoomDoor(c *gin.Context) {
	p, ok := h.doorPrincipal(c)
	if !ok {
		return
	}
	id, ok := h.paramID(c, "id")
	if !ok {
		return
	}
	st, err := h.store.RoomDoor(c.Request.Context(), p.Venue.ID, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	tr := h.tr(c)
	loc, lang := h.eventZone(c, p.Venue.EventID), string(tr.Lang())
	out := RoomDoorJSON{Session: roomSessionJSON(st.Session, lang, loc), SeatsForWaitlist: st.SeatsForWaitlist,
		SeatsMessage: seatsForWaitlist(tr, st.SeatsForWaitlist), WaitingAtDoor: st.WaitingAtDoor,
		ScannedIn: st.ScannedIn, Alongside: []RoomSessionJSON{}, Bookings: make([]RoomBookingJSON, 0, len(st.Bookings)),
		InRoom: append([]uint{}, st.InRoom...)}
	if st.ReleaseAt != nil {
		at := rfc3339(*st.ReleaseAt, loc)
		out.ReleaseAt = &at
	}
	for _, s := range st.Alongside {
		out.Alongside = append(out.Alongside, roomSessionJSON(s, lang, loc))
	}
	for _, b := range st.Bookings {
		out.Bookings = append(out.Bookings, RoomBookingJSON{Registration: b.RegistrationID, Session: b.SessionID, Status: b.Status})
	}
	c.Header("Cache-Control", "private, no-store")
	c.JSON(http.StatusOK, out)
}

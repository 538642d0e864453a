package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/door"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// doorPrincipal is who scans at a door: a paired device, or a signed-in account.
type doorPrincipal struct {
	Venue         models.Venue
	Door          string // the door's name: the device's name, or the account's address
	DeviceTokenID *uint
	UserID        *uint
}

// unknownDevice answers a device token the store does not know (ErrNotFound): the door
// is not signed in (401).
var unknownDevice = storeError{models.ErrNotFound, storeAnswer{Status: http.StatusUnauthorized, Code: "unauthorized", Key: "checkin.unauthorized"}}

// doorPrincipal identifies the door a request comes from: a device token
// ("Authorization: Bearer dpd_…") or the session of a door, organiser or admin account.
// Accounts for every venue name the venue with ?venue=SLUG. It answers 401/403/400 itself.
func (h *Handler) doorPrincipal(c *gin.Context) (doorPrincipal, bool) {
	tr := h.tr(c)
	ctx := c.Request.Context()
	wanted := c.Query("venue")
	if auth := c.GetHeader("Authorization"); auth != "" {
		token, ok := strings.CutPrefix(auth, "Bearer ")
		dev, err := h.devices.lookup(ctx, h.store, strings.TrimSpace(token))
		if _, unknown := shownStoreError(err, unknownDevice); !ok || unknown {
			h.apiError(c, unknownDevice.Status, unknownDevice.Code, tr.T(unknownDevice.Key), nil)
			return doorPrincipal{}, false
		}
		if err != nil {
			h.serverError(c, err)
			return doorPrincipal{}, false
		}
		if wanted != "" && !h.isVenueSlug(ctx, dev.Venue, wanted) {
			h.apiError(c, http.StatusForbidden, "forbidden", tr.T("checkin.other_venue"), nil)
			return doorPrincipal{}, false
		}
		return doorPrincipal{Venue: dev.Venue, Door: dev.Name, DeviceTokenID: &dev.ID}, true
	}
	u, ok := h.currentUser(c)
	if !ok {
		h.apiError(c, http.StatusUnauthorized, "unauthorized", tr.T("checkin.unauthorized"), nil)
		return doorPrincipal{}, false
	}
	if u.Role != models.RoleDoor && u.Role != models.RoleAdmin && u.Role != models.RoleOrganiser {
		h.apiError(c, http.StatusForbidden, "forbidden", tr.T("error.forbidden"), nil)
		return doorPrincipal{}, false
	}
	var venue models.Venue
	var err error
	switch {
	case u.VenueID != nil:
		venue, err = h.store.Venue(ctx, *u.VenueID)
		if err == nil && wanted != "" && !h.isVenueSlug(ctx, venue, wanted) {
			h.apiError(c, http.StatusForbidden, "forbidden", tr.T("checkin.other_venue"), nil)
			return doorPrincipal{}, false
		}
	case wanted == "":
		h.apiError(c, http.StatusBadRequest, "venue_required", tr.T("checkin.venue_required"), map[string]string{"venue": tr.T("checkin.venue_required")})
		return doorPrincipal{}, false
	default:
		venue, err = h.store.VenueBySlug(ctx, wanted)
		if errors.Is(err, models.ErrNotFound) {
			venue, err = h.store.VenueByOldSlug(ctx, wanted)
		}
	}
	if err != nil {
		h.fail(c, err)
		return doorPrincipal{}, false
	}
	return doorPrincipal{Venue: venue, Door: u.Email, UserID: &u.ID}, true
}

// isVenueSlug reports whether slug names v: its slug, or one it had (a door page bookmarked
// before the venue was renamed).
func (h *Handler) isVenueSlug(ctx context.Context, v models.Venue, slug string) bool {
	if slug == v.Slug {
		return true
	}
	old, err := h.store.VenueByOldSlug(ctx, slug)
	return err == nil && old.ID == v.ID
}

// DoorJSON tells a scanning device where it stands.
type DoorJSON struct {
	Venue VenueRefJSON `json:"venue"`
	Door  string       `json:"door"`
	Event struct {
		Name string `json:"name"`
		Date string `json:"date"`
	} `json:"event"`
}

// VenueRefJSON names a venue. In a check-in list, TicketNames are the venue names its
// tickets may carry (its key first, then slugs it has or had).
type VenueRefJSON struct {
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	TicketNames []string `json:"ticket_names,omitempty"`
}

func (h *Handler) getDoor(c *gin.Context) {
	p, ok := h.doorPrincipal(c)
	if !ok {
		return
	}
	event, err := h.store.Event(c.Request.Context(), p.Venue.EventID) // the device's venue's edition
	if err != nil {
		h.fail(c, err)
		return
	}
	out := DoorJSON{Venue: VenueRefJSON{Slug: p.Venue.Slug, Name: p.Venue.Name}, Door: p.Door}
	out.Event.Name, out.Event.Date = event.Name, event.Date
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}

// CheckInListJSON is a door's offline copy of its venue's check-in list. OtherCodes maps the
// CodeHint of every other venue's current ticket code to that venue's ticket name.
type CheckInListJSON struct {
	Venue       VenueRefJSON      `json:"venue"`
	Venues      map[string]string `json:"venues"`
	OtherCodes  map[string]string `json:"other_codes"`
	Keys        []EventKeyJSON    `json:"keys"`
	GeneratedAt string            `json:"generated_at"`
	Attendees   []DoorEntryJSON   `json:"attendees"`
	// Cursor names this copy: sent back as ?since=, the answer holds only what changed.
	Cursor string `json:"cursor"`
	// Delta is set on an answer to ?since= that holds only changes: Attendees replace the
	// door's entries with the same id (or are new), Removed are ids to drop (moved to
	// another venue), and OtherCodes add to the door's table.
	Delta   bool   `json:"delta,omitempty"`
	Removed []uint `json:"removed,omitempty"`
}

// DoorEntryJSON is one attendee in a door's list.
type DoorEntryJSON struct {
	ID           uint              `json:"id"`
	Version      int               `json:"version"`
	Status       string            `json:"status"`
	Code         string            `json:"code"`
	Name         string            `json:"name"`
	Organisation string            `json:"organisation"`
	Session      *FirstSessionJSON `json:"session"`
	CheckIn      *CheckInRefJSON   `json:"checkin"`
}

// FirstSessionJSON is an attendee's first session of the day.
type FirstSessionJSON struct {
	Title    string `json:"title"`
	Room     string `json:"room"`
	StartsAt string `json:"starts_at"`
}

// CheckInRefJSON is a check-in as a door's list shows it.
type CheckInRefJSON struct {
	ID          uint   `json:"id"`
	CheckedInAt string `json:"checked_in_at"`
	Door        string `json:"door"`
}

func firstSessionJSON(f *models.FirstSession, loc *time.Location) *FirstSessionJSON {
	if f == nil {
		return nil
	}
	return &FirstSessionJSON{Title: f.Title, Room: f.Room, StartsAt: rfc3339(f.StartsAt, loc)}
}

func (h *Handler) getCheckInList(c *gin.Context) {
	p, ok := h.doorPrincipal(c)
	if !ok {
		return
	}
	if c.Param("slug") != p.Venue.Slug {
		h.apiError(c, http.StatusForbidden, "forbidden", h.tr(c).T("checkin.other_venue"), nil)
		return
	}
	ctx := c.Request.Context()
	keys, err := h.keysOf(c, p.Venue.EventID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	// The cursor is taken before anything is read: what changes while this answer is put
	// together comes again in the next delta.
	cursor := h.store.DoorCursorNow()
	venues, err := h.store.Venues(ctx, p.Venue.EventID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	out := CheckInListJSON{
		Venue: VenueRefJSON{Slug: p.Venue.Slug, Name: p.Venue.Name}, Venues: map[string]string{}, OtherCodes: map[string]string{},
		Keys: []EventKeyJSON{{KeyID: keys.key.KeyID(), Algorithm: "Ed25519",
			PublicKey: base64.StdEncoding.EncodeToString(keys.key.PublicKey), PayloadFormat: "DP1"}},
		GeneratedAt: rfc3339(h.store.Now(), keys.loc),
		Cursor:      encodeDoorCursor(cursor, keys.key.KeyID()),
		Attendees:   []DoorEntryJSON{},
	}
	// Tickets name venues by their keys; older ones by a slug of the day.
	for _, v := range venues {
		names, err := h.store.VenueNames(ctx, v)
		if err != nil {
			h.serverError(c, err)
			return
		}
		for _, n := range names {
			out.Venues[n] = v.Name
		}
		if v.ID == p.Venue.ID {
			out.Venue.TicketNames = names
		}
	}
	if since, ok := decodeDoorCursor(c.Query("since"), keys.key.KeyID()); ok {
		done, err := h.fillCheckInDelta(c, p.Venue, venues, keys, since, &out)
		if err != nil {
			h.serverError(c, err)
			return
		}
		if done {
			h.writeCheckInList(c, out)
			return
		}
	}
	if err := h.fillCheckInList(c, p.Venue, venues, keys, &out); err != nil {
		h.serverError(c, err)
		return
	}
	h.writeCheckInList(c, out)
}

// fillCheckInList puts the venue's whole list in out, and every other venue's ticket codes.
func (h *Handler) fillCheckInList(c *gin.Context, venue models.Venue, venues []models.Venue, keys *eventKeys, out *CheckInListJSON) error {
	ctx := c.Request.Context()
	for _, v := range venues {
		if v.ID == venue.ID {
			continue
		}
		versions, err := h.store.VenueTickets(ctx, v.ID)
		if err != nil {
			return err
		}
		for id, version := range versions {
			code := keys.codes.Code(tickets.Ticket{ID: uint32(id), Venue: v.TicketName(), Version: uint16(version)})
			out.OtherCodes[tickets.CodeHint(code)] = v.TicketName()
		}
	}
	entries, err := h.store.DoorList(ctx, venue.ID)
	if err != nil {
		return err
	}
	out.Attendees = make([]DoorEntryJSON, 0, len(entries))
	for _, e := range entries {
		out.Attendees = append(out.Attendees, doorEntryJSON(e, venue, keys))
	}
	return nil
}

func doorEntryJSON(e models.DoorEntry, venue models.Venue, keys *eventKeys) DoorEntryJSON {
	t := tickets.Ticket{ID: uint32(e.RegistrationID), Venue: venue.TicketName(), Version: uint16(e.TicketVersion)}
	j := DoorEntryJSON{ID: e.RegistrationID, Version: e.TicketVersion, Status: e.Status, Code: keys.codes.Code(t),
		Name: e.Name, Organisation: e.Organisation, Session: firstSessionJSON(e.Session, keys.loc)}
	if e.CheckIn != nil {
		j.CheckIn = &CheckInRefJSON{ID: e.CheckIn.ID, CheckedInAt: rfc3339(e.CheckIn.CheckedInAt, keys.loc), Door: e.CheckIn.Door}
	}
	return j
}

// writeCheckInList answers with a list or a delta, gzipped when the door accepts it (a
// venue's whole list shrinks about sixfold).
func (h *Handler) writeCheckInList(c *gin.Context, out CheckInListJSON) {
	// Names of attendees: never kept by a shared cache.
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Type", "application/json; charset=utf-8")
	if out.Delta {
		body, err := json.Marshal(out)
		if err != nil {
			h.serverError(c, err)
			return
		}
		writeCompressed(c, http.StatusOK, body)
		return
	}
	// A whole venue is megabytes of JSON (6.4 MB at 25,000 people): it is encoded straight
	// into the (gzipped) answer, an attendee at a time, instead of into a buffer grown to
	// hold it. Encoding these types cannot fail halfway; a write error is the door going away.
	c.Writer.Header().Add("Vary", "Accept-Encoding")
	var w io.Writer = c.Writer
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		zw := gzipWriters.Get().(*gzip.Writer)
		defer gzipWriters.Put(zw)
		zw.Reset(c.Writer)
		defer zw.Close()
		c.Header("Content-Encoding", "gzip")
		w = zw
	}
	c.Status(http.StatusOK)
	writeListJSON(w, out)
}

// writeListJSON writes out as json.Marshal would, an attendee at a time.
func writeListJSON(w io.Writer, out CheckInListJSON) error {
	attendees := out.Attendees
	out.Attendees = []DoorEntryJSON{}
	frame, err := json.Marshal(out)
	if err != nil {
		return err
	}
	// The key cannot occur inside a string of the frame, where quotes are escaped.
	head, tail, _ := bytes.Cut(frame, []byte(`"attendees":[]`))
	var buf bytes.Buffer
	buf.Write(head)
	buf.WriteString(`"attendees":[`)
	enc := json.NewEncoder(&buf)
	for i, a := range attendees {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(a); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode ends each value with a newline
		if buf.Len() > 32<<10 {
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
	}
	buf.WriteByte(']')
	buf.Write(tail)
	_, err = w.Write(buf.Bytes())
	return err
}

// CheckInRequest is the body of POST /api/v1/checkins: a code read from a QR code or typed,
// or a registration found by name.
type CheckInRequest struct {
	Code         string     `json:"code"`
	Registration uint       `json:"registration"`
	ScanID       string     `json:"scan_id"`
	ScannedAt    *time.Time `json:"scanned_at"`
	// Session, when set, makes the scan one at the door of that session's room (issue #18):
	// answered by createRoomCheckIn.
	Session uint `json:"session"`
}

// CheckInJSON is the answer to a scan.
type CheckInJSON struct {
	Result           string            `json:"result"`
	Message          string            `json:"message"`
	ID               uint              `json:"id,omitempty"`
	Registration     uint              `json:"registration,omitempty"`
	Attendee         *AttendeeJSON     `json:"attendee,omitempty"`
	Session          *FirstSessionJSON `json:"session,omitempty"`
	Venue            string            `json:"venue,omitempty"`
	VenueName        string            `json:"venue_name,omitempty"`
	CheckedInAt      string            `json:"checked_in_at,omitempty"`
	FirstCheckedInAt string            `json:"first_checked_in_at,omitempty"`
	Door             string            `json:"door,omitempty"`
	Conflict         bool              `json:"conflict"`
	// Cancelled is set on a ticket for another venue that was cancelled, too.
	Cancelled bool `json:"cancelled,omitempty"`
}

// AttendeeJSON is who a verified ticket belongs to.
type AttendeeJSON struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// createCheckIn answers a scan: the door page's, a device's, and the offline queue's when
// it sends its scans again. The door package judges it.
func (h *Handler) createCheckIn(c *gin.Context) {
	p, ok := h.doorPrincipal(c)
	if !ok {
		return
	}
	var req CheckInRequest
	if !h.decodeJSON(c, &req) {
		return
	}
	tr := h.tr(c)
	if fields := validateCheckIn(req, tr.T); len(fields) > 0 {
		h.apiError(c, http.StatusUnprocessableEntity, "invalid", tr.T("api.invalid"), fields)
		return
	}
	if req.Session != 0 {
		h.createRoomCheckIn(c, p, req)
		return
	}
	res, err := h.doorScanner(c).Scan(c.Request.Context(), p.door(),
		door.Scan{Code: req.Code, Registration: req.Registration, ScanID: req.ScanID, ScannedAt: req.ScannedAt})
	if errors.Is(err, models.ErrScanIDReused) {
		h.apiStoreError(c, err) // the table's answer: 422 naming scan_id
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	out, loc := h.checkInJSON(c, p, res)
	out.Message = checkInMessage(tr.In(loc), out)
	c.JSON(http.StatusOK, out)
}

// door is the principal as the door package knows it.
func (p doorPrincipal) door() door.Door {
	return door.Door{Venue: p.Venue, Name: p.Door, DeviceTokenID: p.DeviceTokenID, UserID: p.UserID}
}

// doorScanner judges scans with the event's keys as this process keeps them, reading a
// venue's tickets again for an unknown code at most five times a second.
func (h *Handler) doorScanner(c *gin.Context) door.Scanner {
	return door.Scanner{Store: h.store, Allow: h.codeFills.Allow,
		Keys: func(_ context.Context, eventID uint) (door.Keys, error) {
			k, err := h.keysOf(c, eventID)
			if err != nil {
				return door.Keys{}, err
			}
			return door.Keys{PublicKey: k.key.PublicKey, Codes: k.codes}, nil
		}}
}

// checkInJSON is a scan's result as the door API answers it, with its times in the event's
// zone, loc (nil when the answer has no times).
func (h *Handler) checkInJSON(c *gin.Context, p doorPrincipal, res door.Result) (out CheckInJSON, loc *time.Location) {
	out = CheckInJSON{Result: res.Outcome.Result()}
	switch res.Outcome {
	case door.Unknown, door.BadSignature:
		return out, nil
	case door.WrongVenue:
		out.Venue, out.VenueName, out.Cancelled = res.Venue.Slug, res.Venue.Name, res.Cancelled
		return out, nil
	}
	r := res.Registration
	out.Venue, out.VenueName, out.Conflict = p.Venue.Slug, p.Venue.Name, res.Conflict
	out.Registration = r.ID
	out.Attendee = &AttendeeJSON{Name: r.Name, Organisation: r.Organisation}
	if res.Outcome == door.Admitted || res.Outcome == door.AlreadyIn {
		loc = h.eventZone(c, p.Venue.EventID)
		out.ID = res.CheckIn.ID
		out.CheckedInAt = rfc3339(res.ScannedAt, loc)
		out.FirstCheckedInAt = rfc3339(res.CheckIn.CheckedInAt, loc)
		out.Door = res.CheckIn.Door
		out.Session = firstSessionJSON(res.Session, loc)
	}
	return out, loc
}

// validateCheckIn checks the request's shape; the code itself is judged by the scan.
func validateCheckIn(req CheckInRequest, t func(string, ...any) string) map[string]string {
	fields := map[string]string{}
	code := strings.TrimSpace(req.Code)
	switch {
	case code == "" && req.Registration == 0:
		fields["code"] = t("checkin.code_required")
	case code != "" && req.Registration != 0:
		fields["registration"] = t("checkin.code_or_registration")
	}
	if len(req.ScanID) > models.MaxScanIDLength {
		fields["scan_id"] = t("form.too_long", "Max", models.MaxScanIDLength)
	} else if strings.IndexFunc(req.ScanID, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		fields["scan_id"] = t("checkin.bad_scan_id")
	}
	return fields
}

// learnTicketCodes puts the codes of every ticket the venues have issued into the event's
// code book (see door.LearnCodes).
func (h *Handler) learnTicketCodes(ctx context.Context, keys *eventKeys, venues []models.Venue) error {
	return door.LearnCodes(ctx, h.store, keys.codes, venues)
}

// checkInMessage is the answer in words, in the door's language and the event's time zone.
func checkInMessage(tr *locale.Translator, out CheckInJSON) string {
	switch out.Result {
	case models.CheckInAdmitted:
		return tr.T("checkin.admitted", "Name", out.Attendee.Name)
	case models.CheckInAlreadyIn:
		at, _ := time.Parse(time.RFC3339, out.FirstCheckedInAt)
		return tr.T("checkin.already", "Name", out.Attendee.Name, "Time", tr.Time(at), "Door", out.Door)
	case models.CheckInWrongVenue:
		name := out.VenueName
		if name == "" {
			name = out.Venue
		}
		if out.Cancelled {
			return tr.T("checkin.wrong_venue_cancelled", "Venue", name)
		}
		return tr.T("checkin.wrong_venue", "Venue", name)
	case models.CheckInCancelled:
		return tr.T("checkin.cancelled", "Name", out.Attendee.Name)
	case models.CheckInSuperseded:
		return tr.T("checkin.superseded", "Name", out.Attendee.Name)
	default:
		return tr.T("checkin.invalid")
	}
}

// UndoJSON answers DELETE /api/v1/checkins/{id}.
type UndoJSON struct {
	ID       uint   `json:"id"`
	UndoneAt string `json:"undone_at"`
}

func (h *Handler) undoCheckIn(c *gin.Context) {
	p, ok := h.doorPrincipal(c)
	if !ok {
		return
	}
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil || id == 0 {
		h.notFound(c)
		return
	}
	ci, err := h.store.UndoCheckIn(c.Request.Context(), uint(id), p.Venue.ID, p.Door)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.Info("check-in undone", "checkin", ci.ID, "registration", ci.RegistrationID, "venue", p.Venue.Slug,
		"by", p.Door, "request_id", c.GetString(ctxRequestID))
	c.JSON(http.StatusOK, UndoJSON{ID: ci.ID, UndoneAt: rfc3339(*ci.UndoneAt, h.eventZone(c, p.Venue.EventID))})
}

// eventZone is the event's time zone, for the door API's times; UTC if the key cannot be read.
func (h *Handler) eventZone(c *gin.Context, eventID uint) *time.Location {
	if keys, err := h.keysOf(c, eventID); err == nil {
		return keys.loc
	}
	return time.UTC
}

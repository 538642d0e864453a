package handlers

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// eventKeys is an event's key pair with what is made from it. A key pair never changes once
// made, so it is loaded from the database once per process.
type eventKeys struct {
	key    models.EventKey
	signer tickets.Signer
	codes  *tickets.CodeBook
	// loc is the event's time zone, for the door API's times (read with the key).
	loc *time.Location
}

// keysOf loads the event's key pair (creating it on first use), once per process.
func (h *Handler) keysOf(c *gin.Context, eventID uint) (*eventKeys, error) {
	if k, ok := h.keys.Load(eventID); ok {
		return k.(*eventKeys), nil
	}
	key, err := h.store.EventKey(c.Request.Context(), eventID)
	if err != nil {
		return nil, err
	}
	signer := tickets.NewSigner(key.PrivateKey)
	loc := time.UTC
	if e, err := h.store.Event(c.Request.Context(), eventID); err == nil {
		loc = e.Location() // the edition's own zone, current or not
	}
	k, _ := h.keys.LoadOrStore(eventID, &eventKeys{key: key, signer: signer, codes: tickets.NewCodeBook(signer), loc: loc})
	return k.(*eventKeys), nil
}

// signer returns the event's signer and key pair.
func (h *Handler) signer(c *gin.Context, eventID uint) (tickets.Signer, models.EventKey, error) {
	k, err := h.keysOf(c, eventID)
	if err != nil {
		return tickets.Signer{}, models.EventKey{}, err
	}
	return k.signer, k.key, nil
}

// sendPDF renders into a buffer first, so an error never leaves half a PDF on the wire.
func (h *Handler) sendPDF(c *gin.Context, filename, disposition string, render func(io.Writer) error) {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		h.serverError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, filename))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}

// sendTicket answers with the registration's ticket in its current version.
func (h *Handler) sendTicket(c *gin.Context, r models.Registration) {
	event, err := h.store.Event(c.Request.Context(), r.EventID) // the ticket's edition
	if err != nil {
		h.fail(c, err)
		return
	}
	signer, _, err := h.signer(c, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	tr := h.catalog.Translator(locale.Lang(r.Lang)).In(event.Location())
	data := tickets.Issue(signer, event, r.Venue, r, tr)
	h.sendPDF(c, "ticket-"+r.Venue.Slug+".pdf", "inline", func(w io.Writer) error { return h.tickets.Ticket(w, data) })
}

// downloadTicket serves the ticket behind the personal link.
func (h *Handler) downloadTicket(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	if r.Status != models.RegistrationActive {
		h.errorPage(c, http.StatusConflict, "error.ticket_cancelled")
		return
	}
	h.sendTicket(c, r)
}

// getTicketAPI serves the ticket to a client holding the manage token.
func (h *Handler) getTicketAPI(c *gin.Context) {
	r, _, ok := h.authorisedRegistration(c)
	if !ok {
		return
	}
	if r.Status != models.RegistrationActive {
		h.apiError(c, http.StatusConflict, "cancelled", h.tr(c).T("booking.cancelled_already"), nil)
		return
	}
	h.sendTicket(c, r)
}

// EventKeyJSON is the public half of the event's ticket-signing key, for offline verifiers.
type EventKeyJSON struct {
	KeyID         string `json:"kid"`
	Algorithm     string `json:"alg"`
	PublicKey     string `json:"public_key"`
	PayloadFormat string `json:"payload_format"`
}

func (h *Handler) getEventKeys(c *gin.Context) {
	event, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	_, key, err := h.signer(c, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"keys": []EventKeyJSON{{KeyID: key.KeyID(), Algorithm: "Ed25519",
		PublicKey: base64.StdEncoding.EncodeToString(key.PublicKey), PayloadFormat: "DP1"}}})
}

// venueDocumentData loads what badges and door lists need: the event, its signer, the venue
// the organiser may manage, and its attendees (all, or only those since the last badge print).
func (h *Handler) venueDocumentData(c *gin.Context, onlyNew bool) (models.Event, tickets.Signer, models.Venue, []models.Registration, bool) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return models.Event{}, tickets.Signer{}, models.Venue{}, nil, false
	}
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return models.Event{}, tickets.Signer{}, models.Venue{}, nil, false
	}
	signer, _, err := h.signer(c, event.ID)
	if err != nil {
		h.serverError(c, err)
		return models.Event{}, tickets.Signer{}, models.Venue{}, nil, false
	}
	var since *time.Time
	if onlyNew {
		since = v.BadgesPrintedAt
	}
	regs, err := h.store.Attendees(c.Request.Context(), v.ID, since)
	if err != nil {
		h.serverError(c, err)
		return models.Event{}, tickets.Signer{}, models.Venue{}, nil, false
	}
	return event, signer, v, regs, true
}

// badgesPDF prints name badges for a venue and records when; alleen=nieuw limits them to the
// people who registered since the last print. It is a POST because it records the print.
func (h *Handler) badgesPDF(c *gin.Context) {
	printedAt := h.store.Now()
	event, signer, v, regs, ok := h.venueDocumentData(c, c.PostForm("alleen") == "nieuw")
	if !ok {
		return
	}
	data := tickets.BadgesFor(signer, event, v, regs, string(h.tr(c).Lang()))
	var buf bytes.Buffer
	if err := h.tickets.Badges(&buf, data); err != nil {
		h.serverError(c, err)
		return
	}
	if err := h.store.MarkBadgesPrinted(c.Request.Context(), v.ID, printedAt, len(regs)); err != nil {
		h.serverError(c, err)
		return
	}
	h.sendPDF(c, "badges-"+v.Slug+"-"+strconv.Itoa(event.Year())+".pdf", "attachment", func(w io.Writer) error { _, err := buf.WriteTo(w); return err })
}

// doorListPDF prints the paper fallback for the door: everyone, alphabetically, with codes.
func (h *Handler) doorListPDF(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	keys, err := h.keysOf(c, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	regs, err := h.store.AttendeeNames(ctx, v.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if !h.recordExport(c, models.ExportRecord{Kind: models.ExportDoorList, VenueID: v.ID, Rows: len(regs)}) {
		return
	}
	data := tickets.DoorListFor(keys.codes, event, v, regs, h.tr(c).In(event.Location()), string(h.tr(c).Lang()))
	h.sendLargePDF(c, "deurlijst-"+v.Slug+"-"+strconv.Itoa(event.Year())+".pdf", func(w io.Writer) error { return h.tickets.DoorList(w, data) })
}

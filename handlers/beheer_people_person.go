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

// One person's page (/beheer/deelnemers/{id}) and the organisers' actions on their behalf.
// Every action is a POST form that works without JavaScript; a problem re-renders the page
// (422) with what was typed, success goes back to the page (303) with a flash message.

var personDetailFields = []string{"name:register.name", "email:register.email", "organisation:register.organisation",
	"job_title:register.job_title", "dietary:register.dietary", "accessibility:register.accessibility",
	"details_reason:person.reason_optional"}

type personData struct {
	Page
	Person  models.PersonRecord
	Venue   models.Venue
	Event   models.Event
	Change  registerData // the form to change sessions
	Waiting []waitingBooking
	titles  map[uint]string
}

// waitingBooking is a place in a waiting list, with the form to move or promote it.
type waitingBooking struct {
	Booking models.Booking
	Length  int // how many wait for the session
}

// Field names of a waiting-list form: one form per waitlisted booking.
func (w waitingBooking) ReasonField() string   { return "reason_" + w.id() }
func (w waitingBooking) PositionField() string { return "position_" + w.id() }
func (w waitingBooking) OverField() string     { return "over_capacity_" + w.id() }
func (w waitingBooking) id() string            { return strconv.Itoa(int(w.Booking.SessionID)) }

// SessionTitle names a session of the person's venue.
func (d personData) SessionTitle(id any) string {
	var n uint
	switch v := id.(type) {
	case float64:
		n = uint(v)
	case uint:
		n = v
	}
	if t, ok := d.titles[n]; ok {
		return t
	}
	return "#" + strconv.Itoa(int(n))
}

// AuditWhat describes an audit entry in the reader's language.
func (d personData) AuditWhat(e models.AuditEntry) string {
	det := e.DetailMap()
	text := d.T("person.audit." + e.Action)
	switch e.Action {
	case models.AuditRegistrationDetails:
		var names []string
		if fields, ok := det["fields"].([]any); ok {
			for _, f := range fields {
				if s, ok := f.(string); ok {
					names = append(names, d.T(detailLabel(s)))
				}
			}
		}
		text += ": " + strings.Join(names, ", ")
	case models.AuditRegistrationSessions:
		text += d.sessionList("person.audit.added", det["added"]) + d.sessionList("person.audit.removed", det["removed"])
	case models.AuditBookingPromoted, models.AuditSeatReleased, models.AuditSeatedAtDoor:
		text += ": " + d.SessionTitle(det["session"])
	case models.AuditWaitlistMoved:
		text += ": " + d.T("person.audit.moved_detail", "Title", d.SessionTitle(det["session"]), "From", det["from"], "To", det["to"])
	}
	if det["over_capacity"] == true {
		text += " (" + d.T("person.over_capacity_done") + ")"
	}
	return text
}

func (d personData) sessionList(key string, ids any) string {
	list, ok := ids.([]any)
	if !ok || len(list) == 0 {
		return ""
	}
	titles := make([]string, len(list))
	for i, id := range list {
		titles[i] = d.SessionTitle(id)
	}
	return "; " + d.T(key) + ": " + strings.Join(titles, ", ")
}

func detailLabel(field string) string {
	for _, f := range personDetailFields {
		if name, label, _ := strings.Cut(f, ":"); name == field {
			return label
		}
	}
	return field
}

// managedPerson loads the registration in the path. A venue-scoped organiser gets 404 for a
// person of another venue, exactly as for an id that does not exist.
func (h *Handler) managedPerson(c *gin.Context) (models.Registration, bool) {
	id, ok := h.paramID(c, "id")
	if !ok {
		return models.Registration{}, false
	}
	r, err := h.store.Registration(c.Request.Context(), id)
	if err == nil && !h.actingUser(c).CanManageVenue(r.VenueID) {
		err = models.ErrNotFound
	}
	if err == nil {
		err = h.inEdition(c, r.EventID)
	}
	if err != nil {
		h.fail(c, err)
		return models.Registration{}, false
	}
	return r, true
}

func personPath(id uint) string { return "/beheer/deelnemers/" + strconv.Itoa(int(id)) }

func (h *Handler) showPerson(c *gin.Context) {
	r, ok := h.managedPerson(c)
	if !ok {
		return
	}
	h.renderPerson(c, http.StatusOK, r.ID, nil, false)
}

// renderPerson shows the page; posted, when a form failed, holds what was typed and its
// problems, over the person's details as they are (sessions says it was the sessions form).
func (h *Handler) renderPerson(c *gin.Context, status int, regID uint, posted *Form, sessions bool) {
	ctx := c.Request.Context()
	rec, err := h.store.Person(ctx, regID)
	if err != nil {
		h.fail(c, err)
		return
	}
	r := rec.Registration
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	venue, err := h.store.Venue(ctx, r.VenueID)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := models.DetailsOf(r)
	form := newForm(url.Values{"name": {d.Name}, "email": {d.Email}, "organisation": {d.Organisation},
		"job_title": {d.JobTitle}, "dietary": {d.Dietary}, "accessibility": {d.Accessibility}}, personDetailFields...)
	if posted != nil {
		for k, v := range posted.Values {
			form.Values[k] = v
		}
		form.Problems, form.Order = posted.Problems, append(posted.Order, form.Order...)
		for k, v := range posted.Labels {
			form.Labels[k] = v
		}
	}
	p := h.page(c, r.Name, "beheer")
	p.Form = form
	var chosen, waiting []uint
	if sessions {
		chosen, waiting = choicesFromForm(form, venue)
	} else {
		for _, b := range r.Bookings {
			if b.Status == models.BookingWaitlisted && h.holdsSeatInSlot(r, b) {
				waiting = append(waiting, b.SessionID)
			} else {
				chosen = append(chosen, b.SessionID)
			}
		}
	}
	change, err := h.registrationForm(c, p, venue, form, chosen, waiting)
	if err != nil {
		h.serverError(c, err)
		return
	}
	change.Action = personPath(r.ID) + "/sessies"
	data := personData{Page: p, Person: rec, Venue: venue, Event: event, Change: change, titles: map[uint]string{}}
	for _, sl := range change.Slots {
		for _, s := range sl.Sessions {
			data.titles[s.Session.ID] = s.Session.Title
		}
	}
	for _, b := range r.Bookings {
		data.titles[b.SessionID] = b.Session.Title
		if b.Status == models.BookingWaitlisted {
			data.Waiting = append(data.Waiting, waitingBooking{Booking: b, Length: b.Session.Waiting})
		}
	}
	h.render(c, status, "beheer/person", data)
}

// updatePersonDetails corrects name, address, organisation, job title and needs.
func (h *Handler) updatePersonDetails(c *gin.Context) {
	r, ok := h.managedPerson(c)
	if !ok {
		return
	}
	form := postedForm(c, personDetailFields...)
	in := models.DetailsInput{Name: form.String("name"), Email: form.String("email"), Organisation: form.String("organisation"),
		JobTitle: form.String("job_title"), Dietary: form.String("dietary"), Accessibility: form.String("accessibility")}
	_, err := h.store.UpdateDetails(c.Request.Context(), h.actor(c), r.ID, in, form.String("details_reason"))
	if _, shown := form.showStoreError(err, formAnswer{Err: models.ErrAlreadyRegistered, Field: "email", Key: "person.email_taken"}); !shown {
		h.fail(c, err)
		return
	}
	if !form.Valid() {
		h.renderPerson(c, http.StatusUnprocessableEntity, r.ID, form, false)
		return
	}
	h.setFlash(c, "person.details_saved")
	c.Redirect(http.StatusSeeOther, personPath(r.ID))
}

// changePersonSessions changes the person's sessions: one choice per slot, as on their own
// booking page, without the registration window.
func (h *Handler) changePersonSessions(c *gin.Context) {
	r, ok := h.managedPerson(c)
	if !ok {
		return
	}
	venue, err := h.store.Venue(c.Request.Context(), r.VenueID)
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c, changeFields...)
	sessions, waitlist := choicesFromForm(form, venue)
	if form.Valid() {
		_, err = h.store.ChangeSessionsFor(c.Request.Context(), h.actor(c), r.ID, sessions, waitlist, "")
	}
	if _, shown := form.showStoreError(err, formAnswer{Err: models.ErrConflict, Field: "sessions", Key: "person.is_cancelled"}); !shown {
		h.fail(c, err)
		return
	}
	if !form.Valid() {
		h.renderPerson(c, http.StatusUnprocessableEntity, r.ID, form, true)
		return
	}
	h.setFlash(c, "person.sessions_saved")
	c.Redirect(http.StatusSeeOther, personPath(r.ID))
}

type cancelPersonData struct {
	Page
	Registration models.Registration
}

// showCancelPerson asks to confirm a cancellation, with an optional reason.
func (h *Handler) showCancelPerson(c *gin.Context) {
	r, ok := h.managedPerson(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("person.cancel_title", "Name", r.Name), "beheer")
	p.Form = newForm(nil, "reason:person.reason_optional")
	h.render(c, http.StatusOK, "beheer/person_cancel", cancelPersonData{Page: p, Registration: r})
}

func (h *Handler) cancelPerson(c *gin.Context) {
	r, ok := h.managedPerson(c)
	if !ok {
		return
	}
	form := postedForm(c, "reason:person.reason_optional")
	if len(form.String("reason")) > 500 {
		form.Problems.Add("reason", "form.too_long", "Max", 500)
		p := h.page(c, h.tr(c).T("person.cancel_title", "Name", r.Name), "beheer")
		p.Form = form
		h.render(c, http.StatusUnprocessableEntity, "beheer/person_cancel", cancelPersonData{Page: p, Registration: r})
		return
	}
	if err := h.store.CancelFor(c.Request.Context(), h.actor(c), r.ID, form.String("reason")); err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "person.cancelled")
	c.Redirect(http.StatusSeeOther, personPath(r.ID))
}

// personCancelled answers a bare conflict on a person's page: the registration is cancelled.
var personCancelled = storeError{models.ErrConflict, storeAnswer{Status: http.StatusConflict, Key: "person.is_cancelled"}}

// resendPersonLink e-mails the person a fresh personal link.
func (h *Handler) resendPersonLink(c *gin.Context) {
	r, ok := h.managedPerson(c)
	if !ok {
		return
	}
	err := h.store.ResendLinkFor(c.Request.Context(), h.actor(c), r.ID)
	if h.flashStoreAnswer(c, err, personCancelled) {
		c.Redirect(http.StatusSeeOther, personPath(r.ID))
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.setFlash(c, "person.link_sent", "Email", r.Email)
	c.Redirect(http.StatusSeeOther, personPath(r.ID))
}

// actOnWaitlist moves the person up, down or to a place in a session's waiting list, or
// gives them a seat now ("do" says which); a reason is required.
func (h *Handler) actOnWaitlist(c *gin.Context) {
	r, ok := h.managedPerson(c)
	if !ok {
		return
	}
	sessionID, ok := h.paramID(c, "session")
	if !ok {
		return
	}
	w := waitingBooking{Booking: models.Booking{SessionID: sessionID}}
	var current models.Booking
	for _, b := range r.Bookings {
		if b.SessionID == sessionID && b.Status == models.BookingWaitlisted {
			current = b
		}
	}
	if current.ID == 0 {
		h.setFlash(c, "person.not_waiting")
		c.Redirect(http.StatusSeeOther, personPath(r.ID))
		return
	}
	form := postedForm(c, w.ReasonField()+":person.reason", w.PositionField()+":person.position")
	reason := form.String(w.ReasonField())
	var err error
	do := form.String("do")
	switch do {
	case "promote":
		err = h.store.PromoteBooking(c.Request.Context(), h.actor(c), r.ID, sessionID, form.String(w.OverField()) == "ja", reason)
	case "up", "down", "position":
		to := current.Position - 1
		if do == "down" {
			to = current.Position + 1
		} else if do == "position" {
			to = form.Int(w.PositionField(), true)
			if to < 1 && form.Valid() {
				form.Problems.Add(w.PositionField(), "form.not_positive")
			}
		}
		if form.Valid() {
			_, err = h.store.MoveInWaitlist(c.Request.Context(), h.actor(c), r.ID, sessionID, max(to, 1), reason)
		}
	default:
		form.Problems.Add(w.ReasonField(), "form.invalid_choice")
	}
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		for field, pr := range verr.Problems {
			if field == "reason" {
				field = w.ReasonField()
			}
			form.Problems.Add(field, pr.Key, pr.Args...)
		}
	default:
		if _, shown := form.showStoreError(err, formAnswer{Err: models.ErrSessionFull, Field: w.ReasonField()},
			formAnswer{Err: models.ErrNotWaitlisted, Field: w.ReasonField()}); !shown {
			h.fail(c, err)
			return
		}
	}
	if !form.Valid() {
		h.renderPerson(c, http.StatusUnprocessableEntity, r.ID, form, false)
		return
	}
	if do == "promote" {
		h.setFlash(c, "person.promoted")
	} else {
		h.setFlash(c, "person.moved")
	}
	c.Redirect(http.StatusSeeOther, personPath(r.ID))
}

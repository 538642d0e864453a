package handlers

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
	"github.com/ambtenaar20/dagplanner/tickets"
)

// The booking pages are reached through the personal link /boeking/TOKEN. Every page
// behind it looks the token up afresh; an unknown token is a plain 404.

var changeFields = []string{"sessions:register.step_sessions", "waitlist:register.waitlist_label"}

type bookingData struct {
	Page
	Token        string
	Registration models.Registration
	Event        models.Event
	Change       registerData // the form to change sessions
	// FeedURL is the personal calendar feed (read-only, its own token) and WebcalURL the same
	// for calendar apps that subscribe through webcal://; empty for a cancelled registration.
	// WebcalURL is typed as a safe URL because html/template rewrites unknown schemes.
	FeedURL   string
	WebcalURL template.URL
	// TicketCode is the code printed under the ticket's QR code, to be typed at the door
	// when the code cannot be scanned.
	TicketCode string
	// Prefs is set in preference mode before the venue's allocation: the person's rankings,
	// and while the window is open the form to change them (issue #19).
	Prefs *preferenceForm
	// Certificate links to the certificate of attendance once the person came in (issue #18).
	Certificate *bookingCertificate
}

// bookingFromLink loads the registration of the token in the path.
func (h *Handler) bookingFromLink(c *gin.Context) (models.Registration, bool) {
	r, err := h.store.RegistrationByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		h.fail(c, err)
		return models.Registration{}, false
	}
	return r, true
}

func (h *Handler) showBooking(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	h.renderBooking(c, http.StatusOK, r, nil, nil)
}

// renderBooking shows the booking page; form is what was posted (nil: the stored choices),
// and rows the posted rankings in preference mode (nil: the stored ones).
func (h *Handler) renderBooking(c *gin.Context, status int, r models.Registration, form *Form, rows map[uint][]uint) {
	ctx := c.Request.Context()
	event, err := h.store.Event(ctx, r.EventID) // the booking's edition, also once a newer one is current
	if err != nil {
		h.fail(c, err)
		return
	}
	venue, err := h.store.Venue(ctx, r.VenueID)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("booking.title"), "register")
	var chosen, waiting []uint
	if form == nil {
		form = newForm(nil, changeFields...)
		for _, b := range r.Bookings {
			if b.Status == models.BookingWaitlisted && h.holdsSeatInSlot(r, b) {
				waiting = append(waiting, b.SessionID)
			} else {
				chosen = append(chosen, b.SessionID)
			}
		}
	} else {
		chosen, waiting = choicesFromForm(form, venue)
	}
	p.Form = form
	change, err := h.registrationForm(c, p, venue, form, chosen, waiting)
	if err != nil {
		h.serverError(c, err)
		return
	}
	change.Action = "/boeking/" + c.Param("token") + "/wijzigen"
	keys, err := h.keysOf(c, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	d := bookingData{Page: p, Token: c.Param("token"), Registration: r.In(string(p.Lang)), Event: event.In(string(p.Lang)), Change: change,
		TicketCode: keys.codes.Code(tickets.TicketFor(r, venue.Slug))}
	if r.Status == models.RegistrationActive {
		feed, err := h.store.CalendarFeedToken(ctx, r.ID)
		if err != nil {
			h.serverError(c, err)
			return
		}
		d.FeedURL = h.baseURL(c) + "/agenda/" + feed + ".ics"
		// Only the scheme is trusted: html/template still normalises and escapes the rest.
		d.WebcalURL = template.URL("webcal://" + strings.TrimPrefix(strings.TrimPrefix(d.FeedURL, "https://"), "http://"))
	}
	if d.Prefs, err = h.bookingPreferences(c, p, event, venue, r, form, rows); err != nil {
		h.serverError(c, err)
		return
	}
	if d.Certificate, err = h.bookingCertificate(c, r); err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, status, "booking", d)
}

// holdsSeatInSlot reports whether the registration has a seat in a session that shares a
// slot with the waitlisted booking b: then b was a "wait for this one" choice.
func (h *Handler) holdsSeatInSlot(r models.Registration, b models.Booking) bool {
	slots := map[uint]bool{}
	for _, ss := range b.Session.Slots {
		slots[ss.SlotID] = true
	}
	for _, o := range r.Bookings {
		if o.ID == b.ID || o.Status != models.BookingConfirmed {
			continue
		}
		for _, ss := range o.Session.Slots {
			if slots[ss.SlotID] {
				return true
			}
		}
	}
	return false
}

func (h *Handler) changeBooking(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	venue, err := h.store.Venue(ctx, r.VenueID)
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c, changeFields...)
	sessions, waitlist := choicesFromForm(form, venue)
	status := http.StatusUnprocessableEntity
	if form.Valid() {
		if wait := h.bookingMailWait(c, r); wait > 0 {
			status = http.StatusTooManyRequests
			tooManyProblem(form, "sessions", wait)
		} else {
			_, err = h.store.ChangeSessions(ctx, r.ID, sessions, waitlist)
		}
	}
	if _, shown := form.showStoreError(err, formAnswer{Err: models.ErrRegistrationClosed, Field: "sessions"},
		formAnswer{Err: models.ErrConflict, Field: "sessions", Key: "booking.cancelled_already"}); !shown {
		h.serverError(c, err)
		return
	}
	if !form.Valid() {
		h.renderBooking(c, status, r, form, nil)
		return
	}
	h.setFlash(c, "booking.changed")
	c.Redirect(http.StatusSeeOther, "/boeking/"+c.Param("token"))
}

type cancelData struct {
	Page
	Token        string
	Registration models.Registration
}

// showCancelBooking asks for one click to confirm. The link in e-mails points here rather
// than cancelling on GET, because mail scanners open links before people do.
func (h *Handler) showCancelBooking(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	p := h.page(c, h.tr(c).T("booking.cancel_title"), "register")
	h.render(c, http.StatusOK, "booking_cancel", cancelData{Page: p, Token: c.Param("token"), Registration: r})
}

func (h *Handler) cancelBooking(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	if wait := h.bookingMailWait(c, r); wait > 0 {
		h.tooManyPage(c, wait)
		return
	}
	if err := h.store.Cancel(c.Request.Context(), r.ID); err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "booking.cancelled")
	c.Redirect(http.StatusSeeOther, "/boeking/"+c.Param("token"))
}

func (h *Handler) reconfirmBooking(c *gin.Context) {
	r, ok := h.bookingFromLink(c)
	if !ok {
		return
	}
	if err := h.store.Reconfirm(c.Request.Context(), r.ID); err != nil {
		h.serverError(c, err)
		return
	}
	h.setFlash(c, "booking.reconfirmed")
	c.Redirect(http.StatusSeeOther, "/boeking/"+c.Param("token"))
}

type resendData struct {
	Page
	Sent bool
}

func (h *Handler) showResendLink(c *gin.Context) {
	p := h.page(c, h.tr(c).T("resend.title"), "register")
	p.Form = newForm(nil, "email:register.email")
	p.Form.Values.Set("email", c.Query("email"))
	h.render(c, http.StatusOK, "resend_link", resendData{Page: p})
}

// resendLink answers the same whether or not the address is registered.
func (h *Handler) resendLink(c *gin.Context) {
	ctx := c.Request.Context()
	form := postedForm(c, "email:register.email")
	p := h.page(c, h.tr(c).T("resend.title"), "register")
	p.Form = form
	if pr, bad := models.EmailProblem(form.String("email")); bad {
		form.Problems.Add("email", pr.Key)
		h.render(c, http.StatusUnprocessableEntity, "resend_link", resendData{Page: p})
		return
	}
	event, err := h.store.CurrentEvent(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	if wait := h.waitFor(c, byClient(h.mail.clients, c)); wait > 0 {
		tooManyProblem(form, "email", wait)
		h.render(c, http.StatusTooManyRequests, "resend_link", resendData{Page: p})
		return
	}
	if h.linkLimiter.Allow(models.NormalizeEmail(form.String("email"))) {
		if err := h.store.ResendLink(ctx, event.ID, form.String("email")); err != nil {
			h.serverError(c, err)
			return
		}
	}
	h.render(c, http.StatusOK, "resend_link", resendData{Page: p, Sent: true})
}

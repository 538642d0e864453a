package handlers

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

type eventFormData struct {
	Page
	Creating bool
}

var eventFields = []string{"name:beheer.event.name", "theme:beheer.event.theme", "theme_en:beheer.event.theme_en",
	"date:beheer.event.date", "timezone:beheer.event.timezone", "description:beheer.event.description",
	"description_en:beheer.event.description_en",
	"registration_opens_at:beheer.event.opens_at", "registration_closes_at:beheer.event.closes_at",
	"waitlist_after_close:beheer.event.waitlist_after_close", "privacy_version:beheer.event.privacy_version",
	"contact_email:beheer.event.contact_email",
	"still_coming_days:beheer.event.still_coming_days", "reconfirm_deadline:beheer.event.reconfirm_deadline",
	"proposals_open_at:beheer.event.proposals_open_at", "proposals_close_at:beheer.event.proposals_close_at",
	"travel_minutes:beheer.event.travel_minutes",
	// Open voting
	"voting_enabled:vote.settings.enabled", "voting_opens_at:vote.settings.opens_at", "voting_closes_at:vote.settings.closes_at",
	"votes_per_voter:vote.settings.votes_per_voter", "voting_domains:vote.settings.domains",
	"voting_counts_public:vote.settings.counts_public"}

// requireEventManager refuses venue-scoped and non-organiser accounts; it reports whether
// the request may go on.
func (h *Handler) requireEventManager(c *gin.Context) bool {
	if u, ok := h.currentUser(c); ok && u.CanManageEvent() {
		return true
	}
	h.errorPage(c, http.StatusForbidden, "error.forbidden")
	return false
}

// managedEvent is the current event, for a request by someone who may manage it as a whole;
// anyone else gets the 403 page and false.
func (h *Handler) managedEvent(c *gin.Context) (models.Event, bool) {
	if !h.requireEventManager(c) {
		return models.Event{}, false
	}
	event, err := h.store.CurrentEvent(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return models.Event{}, false
	}
	return event, true
}

func (h *Handler) editEvent(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.event.title"), "beheer")
	event, err := h.store.CurrentEvent(c.Request.Context())
	creating := errors.Is(err, models.ErrNotFound)
	if err != nil && !creating {
		h.serverError(c, err)
		return
	}
	loc := event.Location()
	p.Form = newForm(url.Values{"name": {event.Name}, "theme": {event.Theme}, "date": {event.Date},
		"timezone": {event.Timezone}, "description": {event.Description},
		"theme_en": {event.ThemeEn}, "description_en": {event.DescriptionEn},
		"registration_opens_at":  {models.FormatLocal(event.RegistrationOpensAt, loc)},
		"registration_closes_at": {models.FormatLocal(event.RegistrationClosesAt, loc)},
		"reconfirm_deadline":     {models.FormatLocal(event.ReconfirmDeadline, loc)},
		"proposals_open_at":      {models.FormatLocal(event.ProposalsOpenAt, loc)},
		"proposals_close_at":     {models.FormatLocal(event.ProposalsCloseAt, loc)},
		"privacy_version":        {event.PrivacyVersion}, "still_coming_days": {strconv.Itoa(event.StillComingDays)},
		"travel_minutes": {strconv.Itoa(cmp.Or(event.TravelMinutes, models.DefaultTravelMinutes))},
		"contact_email":  {event.ContactEmail},
	}, eventFields...)
	if event.WaitlistAfterClose {
		p.Form.Values.Set("waitlist_after_close", "ja")
	}
	setVotingValues(p.Form.Values, event)
	if creating {
		p.Form.Values.Set("timezone", models.DefaultTimezone)
	}
	h.render(c, http.StatusOK, "beheer/event_form", eventFormData{Page: p, Creating: creating})
}

func (h *Handler) updateEvent(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	ctx := c.Request.Context()
	form := postedForm(c, eventFields...)
	in := models.EventInput{Name: form.String("name"), Theme: form.String("theme"), Date: form.String("date"),
		Timezone: form.String("timezone"), Description: form.String("description"),
		RegistrationOpensAt: form.String("registration_opens_at"), RegistrationClosesAt: form.String("registration_closes_at"),
		ReconfirmDeadline: form.String("reconfirm_deadline"), PrivacyVersion: form.String("privacy_version"),
		StillComingDays: form.Int("still_coming_days", false), WaitlistAfterClose: form.String("waitlist_after_close") == "ja",
		ProposalsOpenAt: form.String("proposals_open_at"), ProposalsCloseAt: form.String("proposals_close_at"),
		TravelMinutes: form.Int("travel_minutes", false),
		ThemeEn:       form.String("theme_en"), DescriptionEn: form.String("description_en")}
	in.ContactEmail = form.String("contact_email")
	votingFromForm(form, &in)
	event, err := h.store.CurrentEvent(ctx)
	creating := errors.Is(err, models.ErrNotFound)
	if err != nil && !creating {
		h.serverError(c, err)
		return
	}
	switch {
	case !form.Valid():
		form.Merge(in.Validate())
	case creating:
		_, err = h.store.CreateEvent(ctx, in)
	default:
		_, err = h.store.UpdateEvent(ctx, event.ID, in)
	}
	if h.formFailed(c, err, form, "beheer/event_form", func(p Page) any { return eventFormData{Page: p, Creating: creating} }, "beheer.event.title") {
		return
	}
	h.setFlash(c, "beheer.saved")
	c.Redirect(http.StatusSeeOther, "/beheer")
}

// sendReminders queues the "still coming?" e-mail to every attendee now, once per event,
// after the organiser confirmed the number of e-mails on a page of its own.
func (h *Handler) sendReminders(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	want, err := h.store.ReminderMails(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	if want == 0 {
		h.setFlash(c, "beheer.reminders_already")
		c.Redirect(http.StatusSeeOther, "/beheer")
		return
	}
	ask := func(n int, changed bool) {
		h.askMailConfirmation(c, mailConfirmData{Count: n, Changed: changed,
			Lines:  []string{h.tr(c).T("beheer.mail_confirm.reminders", "Count", n)},
			Action: "/beheer/herinnering", Confirm: "beheer.mail_confirm.send", Back: "/beheer",
			People: "/beheer/deelnemers?status=" + paramOf(pageAudienceParams.Statuses, models.ReminderAudience(event.ID).Status)})
	}
	confirmed, ok := confirmedMails(c)
	if !ok || confirmed != want {
		ask(want, ok)
		return
	}
	n, err := h.store.SendReminders(ctx, event.ID, confirmed)
	switch {
	case errors.Is(err, models.ErrRecipientsChanged):
		// Someone registered or cancelled meanwhile: nothing went out; ask again.
		if want, err = h.store.ReminderMails(ctx, event.ID); err != nil {
			h.serverError(c, err)
			return
		}
		if want > 0 {
			ask(want, true)
			return
		}
		h.setFlash(c, "beheer.reminders_already")
	case err != nil:
		h.serverError(c, err)
		return
	case n == 0:
		h.setFlash(c, "beheer.reminders_already")
	default:
		h.setFlash(c, "beheer.reminders_queued", "Count", n)
	}
	c.Redirect(http.StatusSeeOther, "/beheer")
}

// formFailed handles the outcome of a store write from a form. On a validation error it
// re-renders the page with what was typed and the problems (422) and reports true; any other
// error is a 404 or 500. A nil error with a clean form reports false: the caller redirects.
func (h *Handler) formFailed(c *gin.Context, err error, form *Form, page string, data func(Page) any, titleKey string, titleArgs ...any) bool {
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		form.Merge(verr.Problems)
	} else if err != nil {
		h.fail(c, err)
		return true
	}
	if form.Valid() {
		return false
	}
	p := h.page(c, h.tr(c).T(titleKey, titleArgs...), "beheer")
	p.Form = form
	h.render(c, http.StatusUnprocessableEntity, page, data(p))
	return true
}

// paramID reads a numeric id from the path; anything else is a 404.
func (h *Handler) paramID(c *gin.Context, name string) (uint, bool) {
	id, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || id == 0 {
		h.notFound(c)
		return 0, false
	}
	return uint(id), true
}

// venueFromPath loads the venue whose id is in the path and checks the account may manage
// it; when not, it has answered (404 or 403) and reports false.
func (h *Handler) venueFromPath(c *gin.Context) (models.Venue, bool) {
	id, ok := h.paramID(c, "venue")
	if !ok {
		return models.Venue{}, false
	}
	return h.managedVenue(c, id)
}

// managedVenue loads a venue by id and checks the account may manage it.
func (h *Handler) managedVenue(c *gin.Context, venueID uint) (models.Venue, bool) {
	v, err := h.store.Venue(c.Request.Context(), venueID)
	if err != nil {
		h.fail(c, err)
		return models.Venue{}, false
	}
	if u, ok := h.currentUser(c); !ok || !u.CanManageVenue(v.ID) {
		h.errorPage(c, http.StatusForbidden, "error.forbidden")
		return models.Venue{}, false
	}
	return v, true
}

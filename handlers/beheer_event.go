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

var eventFields = append([]string{"name:beheer.event.name", "theme:beheer.event.theme", "theme_en:beheer.event.theme_en",
	"date:beheer.event.date", "timezone:beheer.event.timezone", "description:beheer.event.description",
	"description_en:beheer.event.description_en",
	"registration_opens_at:beheer.event.opens_at", "registration_closes_at:beheer.event.closes_at",
	"waitlist_after_close:beheer.event.waitlist_after_close", "privacy_version:beheer.event.privacy_version",
	"contact_email:beheer.event.contact_email",
	"still_coming_days:beheer.event.still_coming_days", "reconfirm_deadline:beheer.event.reconfirm_deadline",
	"seat_release_minutes:beheer.event.seat_release_minutes", // room doors (#18)
	"proposals_open_at:beheer.event.proposals_open_at", "proposals_close_at:beheer.event.proposals_close_at",
	"travel_minutes:beheer.event.travel_minutes",
	// Open voting
	"voting_enabled:vote.settings.enabled", "voting_opens_at:vote.settings.opens_at", "voting_closes_at:vote.settings.closes_at",
	"votes_per_voter:vote.settings.votes_per_voter", "voting_domains:vote.settings.domains",
	"voting_counts_public:vote.settings.counts_public"},
	append(privacyFields, // privacy, retention and the accessibility statement (#17)
		preferenceFields...)...) // signing up by preference (#19)

func (h *Handler) editEvent(c *gin.Context) {
	if !h.requireEventManager(c) {
		return
	}
	p := h.page(c, h.tr(c).T("beheer.event.title"), "beheer")
	event, err := h.organiserEvent(c)
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
		"seat_release_minutes": {strconv.Itoa(event.SeatReleaseMinutes)},
		"travel_minutes":       {strconv.Itoa(cmp.Or(event.TravelMinutes, models.DefaultTravelMinutes))},
		"contact_email":        {event.ContactEmail},
	}, eventFields...)
	if event.WaitlistAfterClose {
		p.Form.Values.Set("waitlist_after_close", "ja")
	}
	setVotingValues(p.Form.Values, event)
	setPrivacyValues(p.Form.Values, event)
	setPreferenceValues(p.Form.Values, event)
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
		TravelMinutes: form.Int("travel_minutes", false), SeatReleaseMinutes: form.Int("seat_release_minutes", false),
		ThemeEn: form.String("theme_en"), DescriptionEn: form.String("description_en")}
	in.ContactEmail = form.String("contact_email")
	votingFromForm(form, &in)
	privacyFromForm(form, &in)
	preferencesFromForm(form, &in)
	event, err := h.organiserEvent(c)
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

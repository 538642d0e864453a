package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/models"
)

// changeView is one line of a list of schedule changes, ready to show.
type changeView struct {
	Kind      string
	SessionID uint
	Title     string
	From, To  string // "Zwolle · Statenzaal · 10:00–11:00"; empty when there is none
}

type publishData struct {
	Page
	Latest   *models.ScheduleVersion
	Next     int
	Pending  []changeView
	Versions []versionView
}

type versionView struct {
	Number      int
	PublishedAt string
	Changes     []changeView
}

// showPublishing shows how the timetable differs from the published one, and every version
// with what it changed.
func (h *Handler) showPublishing(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	pending, err := h.store.UnpublishedChanges(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	versions, err := h.store.ScheduleVersions(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("beheer.publish.title"), "beheer")
	data := publishData{Page: p, Next: 1, Pending: changeViews(p, venues, pending)}
	for i, v := range versions {
		if i == 0 {
			data.Latest, data.Next = &versions[0], v.Number+1
		}
		data.Versions = append(data.Versions, versionView{Number: v.Number, PublishedAt: p.DateTime(v.PublishedAt),
			Changes: changeViews(p, venues, v.Changes)})
	}
	h.render(c, http.StatusOK, "beheer/publish", data)
}

// changeViews describes changes with the venues' cities and times in the event's zone.
func changeViews(p Page, venues []models.Venue, changes []models.ScheduleChange) []changeView {
	city := map[uint]string{}
	for _, v := range venues {
		city[v.ID] = v.City
	}
	place := func(pl *models.PublishedPlace) string {
		if pl == nil {
			return ""
		}
		return city[pl.VenueID] + " · " + pl.RoomName + " · " + p.TimeRange(pl.StartsAt, pl.EndsAt)
	}
	out := make([]changeView, 0, len(changes))
	for _, ch := range changes {
		out = append(out, changeView{Kind: ch.Kind, SessionID: ch.SessionID, Title: ch.Title, From: place(ch.From), To: place(ch.To)})
	}
	return out
}

// publishSchedule publishes the timetable as it stands as the next version. When that
// e-mails attendees or speakers, the organiser first confirms the number of e-mails on a page
// of its own, and the store publishes only if that is still the number.
func (h *Handler) publishSchedule(c *gin.Context) {
	event, ok := h.managedEvent(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	var by *uint
	if u, ok := h.currentUser(c); ok {
		by = &u.ID
	}
	attendees, speakers, err := h.store.PublishMails(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	want := attendees + speakers
	confirmed, ok := confirmedMails(c)
	if want > 0 && (!ok || confirmed != want) {
		h.askPublishConfirmation(c, attendees, speakers, ok)
		return
	}
	v, err := h.store.PublishScheduleMailing(ctx, event.ID, by, want)
	switch {
	case errors.Is(err, models.ErrRecipientsChanged):
		// Bookings changed meanwhile: nothing was published; ask again with the new number.
		if attendees, speakers, err = h.store.PublishMails(ctx, event.ID); err != nil {
			h.serverError(c, err)
			return
		}
		h.askPublishConfirmation(c, attendees, speakers, true)
		return
	case h.flashStoreError(c, err, models.ErrNothingToPublish):
	case h.flashStoreAnswer(c, err, publishedMeanwhile):
	case err != nil:
		h.serverError(c, err)
		return
	default:
		h.log.Info("schedule published", "event", event.ID, "version", v.Number, "changes", len(v.Changes), "mails", want)
		h.setFlash(c, "beheer.publish.done", "Number", v.Number)
	}
	c.Redirect(http.StatusSeeOther, "/beheer/programma")
}

// publishedMeanwhile answers a bare conflict on publishing: another organiser published just now.
var publishedMeanwhile = storeError{models.ErrConflict, storeAnswer{Status: http.StatusConflict, Key: "beheer.publish.conflict"}}

// askPublishConfirmation shows how many e-mails publishing sends, to whom, and asks to go on.
func (h *Handler) askPublishConfirmation(c *gin.Context, attendees, speakers int, changed bool) {
	tr := h.tr(c)
	d := mailConfirmData{Count: attendees + speakers, Changed: changed, Action: "/beheer/programma/publiceren",
		Confirm: "beheer.mail_confirm.publish", Back: "/beheer/programma"}
	if attendees > 0 {
		d.Lines = append(d.Lines, tr.T("beheer.mail_confirm.publish_attendees", "Count", attendees))
	}
	if speakers > 0 {
		d.Lines = append(d.Lines, tr.T("beheer.mail_confirm.publish_speakers", "Count", speakers))
	}
	h.askMailConfirmation(c, d)
}

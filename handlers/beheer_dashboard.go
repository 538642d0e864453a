package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/charts"
	"github.com/ambtenaar20/dagplanner/models"
)

// dashboardData is the organisers' overview: the figures at a glance, the venues, the
// charts and the e-mail actions. A venue-scoped organiser's holds their venue only.
type dashboardData struct {
	Page
	Event    *models.Event
	Venues   []venueFigures // the venues the account manages, with their figures
	Sessions int
	Unplaced int
	// Tiles are the figures at a glance: of the one venue, or of all venues together.
	Tiles     []figureTile
	Proposals []figureTile
	// Total is the venues' row "in all", shown when there is more than one venue.
	Total  *venueFigures
	Charts []chartView
	Outbox models.OutboxStats
	// MailTo splits the event's unsent e-mails by whom they go to (event-wide accounts).
	MailTo mailRecipients
}

// Num writes a number the reader's way (10.000 or 10,000).
func (d dashboardData) Num(n int) string { return numberFormat(d.Page).Int(n) }

// venueFigures is one row of the venues table: the venue and its figures, each linked.
type venueFigures struct {
	Venue models.Venue
	models.VenueFigures
	// AfterDay is set once the venue's programme is over: then the no-show rate counts.
	AfterDay bool
	// Links lead to the people behind each figure (see figureLinks).
	Links map[string]string
}

// NoShowPercent is the share of registered people who did not come, rounded.
func (v venueFigures) NoShowPercent() int { return percent(v.NoShows(), v.Registered) }

// FillPercent is the share of the venue's capacity taken, rounded.
func (v venueFigures) FillPercent() int { return percent(v.Registered, v.Capacity) }

// figureTile is one figure at a glance: a big number, what it counts, a note, and the link
// to the people behind it ("" when there is no such list, as for e-mails).
type figureTile struct {
	Value, Label, Note, Link string
	NoteLink                 string // where the note's figure leads, if anywhere
}

// chartView is a chart and what the page says when it has nothing to draw yet.
type chartView struct {
	charts.Chart
	EmptyText string
}

// percent is n of total as a whole percentage, rounded half up; 0 when total is 0.
func percent(n, total int) int {
	if total <= 0 {
		return 0
	}
	return (n*200 + total) / (total * 2)
}

func (h *Handler) showDashboard(c *gin.Context) {
	p := h.page(c, h.tr(c).T("beheer.title"), "beheer")
	data := dashboardData{Page: p}
	event, err := h.organiserEvent(c)
	if errors.Is(err, models.ErrNotFound) {
		h.render(c, http.StatusOK, "beheer/dashboard", data)
		return
	}
	if err != nil {
		h.serverError(c, err)
		return
	}
	data.Event = &event
	if err := h.dashboardFigures(c, &data); err != nil {
		h.serverError(c, err)
		return
	}
	if data.Charts, err = h.dashboardCharts(c, &data); err != nil {
		h.serverError(c, err)
		return
	}
	h.render(c, http.StatusOK, "beheer/dashboard", data)
}

// dashboardFigures fills in the venues the account manages with their figures, the tiles,
// the sessions' counts and the outbox.
func (h *Handler) dashboardFigures(c *gin.Context, data *dashboardData) error {
	ctx := c.Request.Context()
	u := *data.User
	venues, err := h.store.Venues(ctx, data.Event.ID)
	if err != nil {
		return err
	}
	var managed []models.Venue
	for _, v := range venues {
		if u.CanManageVenue(v.ID) {
			managed = append(managed, v)
		}
	}
	figures, err := h.store.DashboardFigures(ctx, data.Event.ID, venueScope(u), u.CanManageEvent())
	if err != nil {
		return err
	}
	byVenue := map[uint]models.VenueFigures{}
	for _, f := range figures.Venues {
		byVenue[f.VenueID] = f
	}
	now := h.store.Now()
	allOver := len(managed) > 0
	for _, v := range managed {
		row := venueFigures{Venue: v, VenueFigures: byVenue[v.ID], AfterDay: programmeOver(*data.Event, v, now)}
		row.Links = figureLinks(v.Slug)
		data.Venues = append(data.Venues, row)
		allOver = allOver && row.AfterDay
	}
	total := venueFigures{VenueFigures: figures.Total, AfterDay: allOver, Links: figureLinks("")}
	if len(data.Venues) > 1 {
		data.Total = &total
	}
	glance := total
	if len(data.Venues) == 1 {
		glance = data.Venues[0]
	}
	data.Tiles = figureTiles(data.Page, glance)
	data.Proposals = proposalTiles(data.Page, figures.Proposals, glance.Venue.Slug)
	// The e-mail line: every message for those who run the whole event, their venue's
	// waiting ones for a venue's organiser.
	data.Outbox = models.OutboxStats{Pending: int64(glance.MailPending), Failing: int64(glance.MailFailed), Sent: int64(figures.MailSent)}
	data.MailTo = mailRecipients{Attendees: figures.MailToAttendees, Speakers: figures.MailToSpeakers,
		Others:         figures.Total.MailPending - figures.MailToAttendees - figures.MailToSpeakers,
		AttendeesLink:  peopleURL(url.Values{"email": {"wachtend"}}),
		SpeakersLink:   peopleURL(url.Values{"groep": {"sprekers"}, "email": {"wachtend"}}),
		CoSpeakersLink: peopleURL(url.Values{"groep": {"medesprekers"}, "email": {"wachtend"}})}
	sessions, err := h.store.SessionsOfEvent(ctx, data.Event.ID)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if s.VenueID == nil || u.CanManageVenue(*s.VenueID) {
			data.Sessions++
			if !s.Placed() {
				data.Unplaced++
			}
		}
	}
	return nil
}

// programmeOver reports whether the venue's day is over at now: its last slot has ended,
// or, without slots, the event's day has.
func programmeOver(e models.Event, v models.Venue, now time.Time) bool {
	end := e.Day().AddDate(0, 0, 1)
	if len(v.Slots) > 0 {
		end = v.Slots[0].EndsAt
		for _, s := range v.Slots {
			if s.EndsAt.After(end) {
				end = s.EndsAt
			}
		}
	}
	return !e.Day().IsZero() && !now.Before(end)
}

// mailRecipients splits the unsent e-mails of the whole event by whom they go to, each
// group linked to its people; the others (organisers, voters) have no list.
type mailRecipients struct {
	Attendees, Speakers, Others                 int
	AttendeesLink, SpeakersLink, CoSpeakersLink string
}

// figureLinks are the people list's addresses behind each figure of a venue (slug), or of
// every venue the account manages (""): the filters of issue #9, as the list spells them.
func figureLinks(slug string) map[string]string {
	link := func(param, value string) string {
		v := url.Values{}
		if slug != "" {
			v.Set("locatie", slug)
		}
		if value != "" {
			v.Set(param, value)
		}
		return peopleURL(v)
	}
	return map[string]string{
		"registered": link("status", "bevestigd"), "waiting": link("status", "wachtlijst"),
		"cancelled": link("status", "geannuleerd"), "checked_in": link("status", "binnen"),
		"not_in": link("status", "niet-binnen"), "all": link("", ""),
		"mail_pending": link("email", "wachtend"), "mail_failed": link("email", "mislukt"),
	}
}

// peopleURL is the people list filtered by v.
func peopleURL(v url.Values) string {
	if len(v) == 0 {
		return "/beheer/deelnemers"
	}
	return "/beheer/deelnemers?" + v.Encode()
}

// figureTiles are the figures at a glance of one venue or of all together.
func figureTiles(p Page, f venueFigures) []figureTile {
	n := numberFormat(p).Int
	tiles := []figureTile{
		{Value: n(f.Registered), Label: p.T("dashboard.registered"), Link: f.Links["registered"],
			Note: p.T("dashboard.of_capacity", "Capacity", n(f.Capacity), "Percent", f.FillPercent())},
		{Value: n(f.WaitingPeople), Label: p.T("dashboard.waiting_people"), Link: f.Links["waiting"],
			Note: p.T("dashboard.waiting_places", "Count", f.WaitingPlaces, "Places", n(f.WaitingPlaces))},
		{Value: n(f.Cancelled), Label: p.T("dashboard.cancelled"), Link: f.Links["cancelled"]},
		{Value: n(f.CheckedIn), Label: p.T("dashboard.checked_in"), Link: f.Links["checked_in"],
			Note: p.T("dashboard.of_expected", "Expected", n(f.Registered))},
	}
	if f.AfterDay {
		tiles = append(tiles, figureTile{Value: strconv.Itoa(f.NoShowPercent()) + "%", Label: p.T("dashboard.no_show_rate"),
			Link: f.Links["not_in"], Note: p.T("dashboard.no_shows", "Count", f.NoShows(), "People", n(f.NoShows()))})
	} else {
		tiles = append(tiles, figureTile{Value: n(f.NoShows()), Label: p.T("dashboard.not_in_yet"), Link: f.Links["not_in"],
			Note: p.T("dashboard.no_show_rate_later")})
	}
	failedLink := "" // an empty list helps nobody
	if f.MailFailed > 0 {
		failedLink = f.Links["mail_failed"]
	}
	return append(tiles, figureTile{Value: n(f.MailPending), Label: p.T("dashboard.mail_pending"), Link: f.Links["mail_pending"],
		Note: p.T("dashboard.mail_failed", "Count", f.MailFailed, "Failed", n(f.MailFailed)), NoteLink: failedLink})
}

// proposalTiles count the proposals by status, in the review list's order, each linked to
// the list filtered on it (and on the venue, for one venue).
func proposalTiles(p Page, counts map[string]int, slug string) []figureTile {
	var out []figureTile
	for _, s := range proposalStatuses {
		v := url.Values{"status": {s}}
		if slug != "" {
			v.Set("locatie", slug)
		}
		out = append(out, figureTile{Value: numberFormat(p).Int(counts[s]), Label: p.T("proposal.status." + s),
			Link: "/beheer/voorstellen?" + v.Encode()})
	}
	return out
}

// numberFormat writes numbers the reader's way: 10.000 in Dutch, 10,000 in English.
func numberFormat(p Page) charts.NumberFormat {
	if p.Lang == "en" {
		return charts.NumberFormat{Thousands: ","}
	}
	return charts.NumberFormat{Thousands: "."}
}

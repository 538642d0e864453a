package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// The reviewers' list of proposals at /beheer/voorstellen: filtered and sorted through the
// query string, so it works without JavaScript and a view can be bookmarked or shared.

// reviewSortParams maps the sort names in the URL to the list's sort keys.
var reviewSortParams = map[string]string{"titel": "title", "status": "status", "vorm": "format", "thema": "track",
	"gemiddelde": "mean", "spreiding": "spread", "beoordelingen": "reviews", "stemmen": "votes"}

// numericSorts start highest first when their column is chosen.
var numericSorts = []string{"gemiddelde", "spreiding", "beoordelingen", "stemmen"}

// noTrackParam is the track filter's value for proposals without a track; track ids are numbers.
const noTrackParam = "geen"

type reviewListData struct {
	Page
	Rows    []reviewRowView
	Columns map[string]sortColumn
	Total   int // proposals shown
	// Filters' choices.
	Statuses, Formats, Venues, Tracks []Option
	Sort, Direction                   string
	HidesScores                       bool // the account sees others' scores only after its own
	CanDecide                         bool
}

// Filter describes one of the filter drop-downs; a filter is never "required" nor "optional".
func (d reviewListData) Filter(name, labelKey string, options []Option, opts ...string) FieldView {
	f := d.Select(name, labelKey, options, opts...)
	f.Optional = ""
	return f
}

// reviewRowView is one row as the page shows it.
type reviewRowView struct {
	models.ReviewRow
	Mean, Spread string // "—" when hidden or without reviews
}

// sortColumn is a sortable column header: the link that sorts by it, and its aria-sort.
type sortColumn struct {
	URL, AriaSort string
}

func (h *Handler) listProposalsReview(c *gin.Context) {
	ctx := c.Request.Context()
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	props, err := h.store.ProposalsOfEvent(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	reviews, err := h.store.ReviewsOfEvent(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	votes, err := h.store.VoteCounts(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	venues, err := h.store.Venues(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	tracks, err := h.store.Tracks(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, h.tr(c).T("review.list_title"), "beheer")
	query := c.Request.URL.Query()
	filter := reviewFilter(query, venues, tracks)
	rows := filter.Filter(models.ReviewRows(*p.User, props, reviews, votes))
	sortParam, dir := query.Get("sorteer"), query.Get("richting")
	if _, ok := reviewSortParams[sortParam]; !ok {
		sortParam, dir = "", ""
	}
	if dir != "af" {
		dir = "op"
	}
	models.SortReviewRows(rows, reviewSortParams[sortParam], dir == "af")

	p.Form = newForm(query)
	d := reviewListData{Page: p, Total: len(rows), Sort: sortParam, Direction: dir,
		HidesScores: !p.User.SeesAllScores(), CanDecide: p.User.CanDecide()}
	for _, r := range rows {
		v := reviewRowView{ReviewRow: r, Mean: "—", Spread: "—"}
		if r.Visible && r.Stats.Count > 0 {
			v.Mean = decimal(p.Lang, r.Stats.Mean)
			v.Spread = strconv.Itoa(r.Stats.Min) + "–" + strconv.Itoa(r.Stats.Max)
		}
		d.Rows = append(d.Rows, v)
	}
	d.Columns = sortColumns(query, sortParam, dir)
	d.filterOptions(venues, tracks)
	h.render(c, http.StatusOK, "beheer/proposals", d)
}

// reviewFilter reads the filters from the query; values that name nothing are ignored.
func reviewFilter(q url.Values, venues []models.Venue, tracks []models.Track) models.ReviewFilter {
	var f models.ReviewFilter
	if s := q.Get("status"); slices.Contains(proposalStatuses, s) {
		f.Status = s
	}
	if s := q.Get("vorm"); slices.Contains(models.ProposalFormats, s) {
		f.Format = s
	}
	if s := q.Get("locatie"); slices.ContainsFunc(venues, func(v models.Venue) bool { return v.Slug == s }) {
		f.Venue = s
	}
	switch s := q.Get("thema"); s {
	case noTrackParam:
		f.NoTrack = true
	case "":
	default:
		for _, t := range tracks {
			if strconv.Itoa(int(t.ID)) == s {
				f.Track = t.Name
			}
		}
	}
	return f
}

// proposalStatuses lists every status in the order the filter offers them.
var proposalStatuses = []string{models.ProposalSubmitted, models.ProposalAccepted, models.ProposalReserve,
	models.ProposalRejected, models.ProposalConfirmed, models.ProposalDeclined, models.ProposalWithdrawn}

func (d *reviewListData) filterOptions(venues []models.Venue, tracks []models.Track) {
	d.Statuses = []Option{{Value: "", Label: d.T("review.filter_all_statuses")}}
	for _, s := range proposalStatuses {
		d.Statuses = append(d.Statuses, Option{Value: s, Label: d.T("proposal.status." + s)})
	}
	d.Formats = []Option{{Value: "", Label: d.T("review.filter_all")}}
	for _, f := range models.ProposalFormats {
		d.Formats = append(d.Formats, Option{Value: f, Label: d.Format(f)})
	}
	d.Venues = []Option{{Value: "", Label: d.T("review.filter_all")}}
	for _, v := range venues {
		d.Venues = append(d.Venues, Option{Value: v.Slug, Label: v.City + ": " + d.VenueName(v)})
	}
	d.Tracks = []Option{{Value: "", Label: d.T("review.filter_all")}, {Value: noTrackParam, Label: d.T("review.no_track")}}
	for _, t := range tracks {
		d.Tracks = append(d.Tracks, Option{Value: strconv.Itoa(int(t.ID)), Label: t.Name})
	}
}

// sortColumns gives each sortable column the link that sorts by it, keeping the filters. The
// current column's link turns the direction round.
func sortColumns(q url.Values, current, dir string) map[string]sortColumn {
	out := map[string]sortColumn{}
	for param := range reviewSortParams {
		v := url.Values{}
		for _, k := range []string{"status", "vorm", "locatie", "thema"} {
			if s := q.Get(k); s != "" {
				v.Set(k, s)
			}
		}
		v.Set("sorteer", param)
		next := "op"
		if slices.Contains(numericSorts, param) {
			next = "af"
		}
		col := sortColumn{}
		if param == current {
			col.AriaSort = map[string]string{"op": "ascending", "af": "descending"}[dir]
			next = map[string]string{"op": "af", "af": "op"}[dir]
		}
		v.Set("richting", next)
		col.URL = "/beheer/voorstellen?" + v.Encode()
		out[param] = col
	}
	return out
}

// decimal formats a number with one decimal, with a decimal comma in Dutch.
func decimal(lang locale.Lang, f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if lang == locale.Dutch {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

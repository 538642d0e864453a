package handlers

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/charts"
	"github.com/ambtenaar20/dagplanner/models"
)

// The organisers' report of preference signup (issue #19) at /beheer/toewijzing: per venue
// the window and the published seed; before the allocation the demand as it stands, after it
// how many got their first, second, third choice or none, compared with first come, first
// served in random order, and per session the demand, the seats and who got in.

// allocationData is the report's page: the event and one part per venue the account manages.
type allocationData struct {
	Page
	Event  *models.Event
	Venues []venueAllocation
}

// Num writes a number the reader's way.
func (d allocationData) Num(n int) string { return numberFormat(d.Page).Int(n) }

// venueAllocation is one venue's part of the report, and of the programme's public summary.
type venueAllocation struct {
	// Optimal: the search proved no allocation costs less (see package allocation).
	Optimal bool
	// Bound is the least cost any allocation could have, shown when not proven optimal.
	Bound int64
	Venue models.Venue
	// Allocated is set once the venue's seats were allocated: then Allocation and the
	// tally hold, else People counts who ranked so far.
	Allocated  bool
	Allocation models.Allocation
	People     int
	// Later counts choices met beyond the third (an event allowing more ranks).
	Later int
	// Tiles are the allocation's figures at a glance, each rank's with what random first
	// come, first served gave on average.
	Tiles    []figureTile
	Sessions []allocationSession
	// Chart compares the allocation with random first come, first served, per rank.
	Chart chartView
	// Comparison is the sentence that says the gain in first choices.
	Comparison string
}

// allocationSession is one row of the per-session table: the session's title in the reader's
// language and its figures (Seated and Waitlisted after the allocation only).
type allocationSession struct {
	ID                         uint
	Title                      string
	Seats, FirstChoice, Demand int
	Seated, Waitlisted         int
}

// Oversubscribed reports whether more people ranked the session than it has seats.
func (s allocationSession) Oversubscribed() bool { return s.Demand > s.Seats }

func (h *Handler) showAllocationReport(c *gin.Context) {
	ctx := c.Request.Context()
	p := h.page(c, h.tr(c).T("allocation.title"), "beheer")
	data := allocationData{Page: p}
	event, venues, ok := h.eventAndVenues(c)
	if !ok {
		return
	}
	data.Event = &event
	if !event.PreferenceMode() {
		h.render(c, http.StatusOK, "beheer/allocation", data)
		return
	}
	allocations, err := h.allocationsByVenue(ctx, event.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	u := *p.User
	for _, v := range venues {
		if !u.CanManageVenue(v.ID) {
			continue
		}
		var ran *models.Allocation
		if a, ok := allocations[v.ID]; ok {
			ran = &a
		}
		va, err := h.venueAllocation(ctx, p, v, ran)
		if err != nil {
			h.serverError(c, err)
			return
		}
		data.Venues = append(data.Venues, va)
	}
	h.render(c, http.StatusOK, "beheer/allocation", data)
}

// venueAllocation reads one venue's part: the allocation's report once it ran, the demand as
// it stands before, with the sessions' titles in the reader's language.
// ran is the venue's allocation, nil before it ran.
func (h *Handler) venueAllocation(ctx context.Context, p Page, v models.Venue, ran *models.Allocation) (venueAllocation, error) {
	lang := string(p.Lang)
	va := venueAllocation{Venue: v.In(lang)}
	sessions, err := h.store.SessionsOfVenue(ctx, v.ID)
	if err != nil {
		return va, err
	}
	titles := make(map[uint]string, len(sessions))
	for _, s := range sessions {
		titles[s.ID] = s.In(lang).Title
	}
	var rows []models.AllocationSessionReport
	if ran != nil {
		a := *ran
		report, err := a.DecodedReport()
		if err != nil {
			return va, err
		}
		va.Allocated, va.Allocation, va.People, rows = true, a, a.People, report.Sessions
		va.Optimal, va.Bound = report.Optimal, report.Bound
		for i, n := range report.Ranks {
			if i >= 3 {
				va.Later += n
			}
		}
		va.Chart = allocationChart(p, va.Venue, a, report.Random)
		va.Tiles = allocationTiles(p, a, va.Later, report.Random)
		va.Comparison = p.T("allocation.comparison", "Orders", report.Random.Orders,
			"Random", decimal(p.Lang, report.Random.First), "Now", numberFormat(p).Int(a.First))
	} else {
		demand, err := h.store.PreferenceDemand(ctx, v.ID)
		if err != nil {
			return va, err
		}
		va.People, rows = demand.People, demand.Sessions
	}
	for _, r := range rows {
		title := titles[r.SessionID]
		if title == "" {
			title = r.Title
		}
		va.Sessions = append(va.Sessions, allocationSession{ID: r.SessionID, Title: title, Seats: r.Seats,
			FirstChoice: r.FirstChoice, Demand: r.Demand, Seated: r.Seated, Waitlisted: r.Waitlisted})
	}
	return va, nil
}

// publicAllocation is the programme's summary for a venue: the allocation once it ran, and
// before that nothing but the venue (the page says when it will run, and the seed).
func (h *Handler) publicAllocation(ctx context.Context, p Page, v models.Venue) (venueAllocation, error) {
	ran, err := h.allocationOf(ctx, v.ID)
	if err != nil || ran == nil {
		return venueAllocation{Venue: v.In(string(p.Lang))}, err
	}
	return h.venueAllocation(ctx, p, v, ran)
}

// allocationOf is the venue's allocation, nil before it ran.
func (h *Handler) allocationOf(ctx context.Context, venueID uint) (*models.Allocation, error) {
	a, err := h.store.Allocation(ctx, venueID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// allocationTiles are the figures at a glance: the people, how many got each rank (with the
// random average beside it), and the cost.
func allocationTiles(p Page, a models.Allocation, later int, random models.AllocationBaseline) []figureTile {
	nf := numberFormat(p)
	rank := func(n int, label string, avg float64) figureTile {
		return figureTile{Value: nf.Int(n), Label: p.T(label), Note: p.T("allocation.random_note", "Average", decimal(p.Lang, avg))}
	}
	out := []figureTile{
		{Value: nf.Int(a.People), Label: p.T("allocation.people")},
		rank(a.First, "allocation.rank.first", random.First),
		rank(a.Second, "allocation.rank.second", random.Second),
		rank(a.Third, "allocation.rank.third", random.Third),
	}
	if later > 0 {
		out = append(out, figureTile{Value: nf.Int(later), Label: p.T("allocation.rank.later")})
	}
	return append(out, rank(a.None, "allocation.rank.none", random.None),
		figureTile{Value: strconv.FormatInt(a.Cost, 10), Label: p.T("allocation.cost"),
			Note: p.T("allocation.cost_note", "Average", decimal(p.Lang, random.Cost))})
}

// allocationChart draws the allocation beside random first come, first served, per rank.
func allocationChart(p Page, v models.Venue, a models.Allocation, random models.AllocationBaseline) chartView {
	nf := numberFormat(p)
	points := []charts.Point{
		{Key: "first", Tick: p.T("allocation.rank.first_short"), Label: p.T("allocation.rank.first")},
		{Key: "second", Tick: p.T("allocation.rank.second_short"), Label: p.T("allocation.rank.second")},
		{Key: "third", Tick: p.T("allocation.rank.third_short"), Label: p.T("allocation.rank.third")},
		{Key: "none", Tick: p.T("allocation.rank.none_short"), Label: p.T("allocation.rank.none")},
	}
	averages := []float64{random.First, random.Second, random.Third, random.None}
	rounded, texts := make([]int, len(averages)), make([]string, len(averages))
	for i, f := range averages {
		rounded[i], texts[i] = int(math.Round(f)), decimal(p.Lang, f)
	}
	g := charts.Groups{
		ID:        "toewijzing-" + strconv.FormatUint(uint64(v.ID), 10),
		Title:     p.T("allocation.chart.title", "Venue", p.VenueName(v)),
		Desc:      p.T("allocation.chart.desc", "Orders", random.Orders),
		XAxis:     p.T("allocation.chart.x"),
		YAxis:     p.T("allocation.chart.y"),
		RowHeader: p.T("allocation.chart.row"),
		Points:    points,
		Series: []charts.Series{
			{Key: "allocation", Name: p.T("allocation.chart.allocation"), Values: []int{a.First, a.Second, a.Third, a.None}},
			{Key: "random", Name: p.T("allocation.chart.random"), Values: rounded, Texts: texts},
		},
		Numbers: nf,
	}
	return chartView{Chart: g.Draw(), EmptyText: p.T("allocation.chart.empty")}
}

// exportAllocationCSV writes a venue's per-session table as CSV: no personal data, only the
// demand, the seats and (after the allocation) who got in.
func (h *Handler) exportAllocationCSV(c *gin.Context) {
	v, ok := h.venueFromPath(c)
	if !ok {
		return
	}
	event, err := h.organiserEvent(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if !event.PreferenceMode() || v.EventID != event.ID {
		h.notFound(c)
		return
	}
	ran, err := h.allocationOf(c.Request.Context(), v.ID)
	if err != nil {
		h.serverError(c, err)
		return
	}
	p := h.page(c, "", "beheer")
	va, err := h.venueAllocation(c.Request.Context(), p, v, ran)
	if err != nil {
		h.serverError(c, err)
		return
	}
	name := fmt.Sprintf("%s-%s-toewijzing-%s", editionFileName(event), v.Slug, time.Now().In(event.Location()).Format("2006-01-02"))
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".csv"))
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Status(http.StatusOK)
	w := newCSVSheet(c.Writer, ';', event.Location())
	header := []string{p.T("allocation.session"), p.T("allocation.demand"), p.T("allocation.first_choice"), p.T("allocation.seats")}
	if va.Allocated {
		header = append(header, p.T("allocation.seated"), p.T("allocation.waitlisted"))
	}
	err = w.Header(header)
	for _, s := range va.Sessions {
		if err != nil {
			break
		}
		row := []any{s.Title, s.Demand, s.FirstChoice, s.Seats}
		if va.Allocated {
			row = append(row, s.Seated, s.Waitlisted)
		}
		err = w.Row(row)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		h.log.Warn("allocation export", "id", c.GetString(ctxRequestID), "err", err)
	}
}

// allocationsByVenue returns the event's allocations by venue id; a venue not allocated yet
// has none.
func (h *Handler) allocationsByVenue(ctx context.Context, eventID uint) (map[uint]models.Allocation, error) {
	as, err := h.store.Allocations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	byVenue := make(map[uint]models.Allocation, len(as))
	for _, a := range as {
		byVenue[a.VenueID] = a
	}
	return byVenue, nil
}

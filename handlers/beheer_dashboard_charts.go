package handlers

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ambtenaar20/dagplanner/charts"
	"github.com/ambtenaar20/dagplanner/locale"
	"github.com/ambtenaar20/dagplanner/models"
)

// The dashboard's charts, drawn on the server (package charts) from the store's grouped
// counts, with every text in the reader's language and every table row linked to the people
// behind it.

// dashboardChartDays is the most points the registrations chart draws; a longer period is
// drawn a week a point.
const dashboardChartDays = 120

// arrivalsStretch is the width of the arrivals chart's columns; arrivalsMaxColumns caps them
// at twelve hours, the latest kept.
const (
	arrivalsStretch    = models.ArrivalStretch
	arrivalsMaxColumns = 72
)

// rankedSessions is how many sessions the two ranked bar charts show.
const rankedSessions = 8

// dashboardCharts draws the charts for the venues on the dashboard (those the account
// manages).
func (h *Handler) dashboardCharts(c *gin.Context, data *dashboardData) ([]chartView, error) {
	ctx := c.Request.Context()
	e, venues := *data.Event, data.Venues
	tr := h.tr(c).In(e.Location())
	scope := make([]uint, len(venues))
	for i, v := range venues {
		scope[i] = v.Venue.ID
	}
	registrations, err := h.registrationsChart(c, tr, data.Page, e, venues, scope)
	if err != nil {
		return nil, err
	}
	out := []chartView{registrations}
	fills, err := h.store.SessionFills(ctx, e.ID, scope)
	if err != nil {
		return nil, err
	}
	for _, v := range venues {
		out = append(out, heatMapChart(tr, data.Page, v.Venue, fills))
	}
	labels := venueLabels(data.Page, venues)
	out = append(out, waitingChart(data.Page, fills, labels), emptiestChart(data.Page, fills, labels))
	out = append(out, orgTypeChart(data.Page, data.orgTypeFigures()))
	arrivals, err := h.store.ArrivalsPerDoor(ctx, e.ID, scope)
	if err != nil {
		return nil, err
	}
	return append(out, arrivalsPerDoorChart(tr, data.Page, venues, labels, arrivals)), nil
}

// orgTypeFigures are the figures the organisation types chart counts: the one venue's, or
// all venues' together, with the link's venue.
func (d *dashboardData) orgTypeFigures() venueFigures {
	if d.Total != nil {
		return *d.Total
	}
	if len(d.Venues) == 1 {
		return d.Venues[0]
	}
	return venueFigures{}
}

// venueLabels names each venue briefly for legends and bar labels: its city, or its name
// where two venues share a city.
func venueLabels(p Page, venues []venueFigures) map[uint]string {
	cities := map[string]int{}
	for _, v := range venues {
		cities[v.Venue.City]++
	}
	out := map[uint]string{}
	for _, v := range venues {
		out[v.Venue.ID] = v.Venue.City
		if cities[v.Venue.City] > 1 || v.Venue.City == "" {
			out[v.Venue.ID] = p.VenueName(v.Venue)
		}
	}
	return out
}

// localDay is midnight at the start of t's day in loc.
func localDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// registrationsChart draws the registrations made per venue, added up day by day, from the
// day before the first (registration opened, or the first person registered) up to today or
// the event's day, with the registration window marked.
func (h *Handler) registrationsChart(c *gin.Context, tr *locale.Translator, p Page, e models.Event, venues []venueFigures, scope []uint) (chartView, error) {
	view := chartView{Chart: charts.Chart{ID: "grafiek-aanmeldingen", Title: p.T("dashboard.chart.registrations")},
		EmptyText: p.T("dashboard.chart.no_registrations")}
	hours, err := h.store.RegistrationHours(c.Request.Context(), e.ID, scope)
	first, found := hours.First()
	if err != nil || !found || len(venues) == 0 {
		return view, err
	}
	loc := e.Location()
	start := localDay(first, loc)
	if e.RegistrationOpensAt != nil && e.RegistrationOpensAt.Before(start) {
		start = localDay(*e.RegistrationOpensAt, loc)
	}
	end := localDay(h.store.Now(), loc)
	if day := e.Day(); !day.IsZero() && day.Before(end) {
		end = day
	}
	start = start.AddDate(0, 0, -1) // the line starts from before the first day
	var days []time.Time
	total := int(end.Sub(start).Hours()/24+0.5) + 1
	step := max(1, (total+dashboardChartDays-1)/dashboardChartDays)
	for d := start; !d.After(end); d = d.AddDate(0, 0, step) {
		days = append(days, d)
	}
	if last := days[len(days)-1]; last.Before(end) {
		days = append(days, end)
	}
	bounds := make([]time.Time, len(days))
	for i, d := range days {
		bounds[i] = d.AddDate(0, 0, 1)
	}
	counts := hours.Before(bounds)
	labels := venueLabels(p, venues)
	l := charts.Lines{ID: view.ID, Title: view.Title, XAxis: p.T("dashboard.chart.date_axis"), YAxis: p.T("dashboard.chart.registrations_axis"),
		RowHeader: p.T("dashboard.chart.date"), Numbers: numberFormat(p)}
	// About five dates on the axis, always the last (today); none too close before it.
	every, last := max(1, (len(days)+4)/5), len(days)-1
	for i, d := range days {
		pt := charts.Point{Key: d.Format(time.DateOnly), Label: tr.Date(d)}
		if i == last || i%every == 0 && last-i >= (every*2+2)/3 {
			pt.Tick = tr.ShortDate(d)
		}
		l.Points = append(l.Points, pt)
	}
	var now []string
	for _, v := range venues {
		s := charts.Series{Key: v.Venue.Slug, Name: labels[v.Venue.ID], Values: counts[v.Venue.ID]}
		if s.Values == nil {
			s.Values = make([]int, len(days))
		}
		for _, d := range days {
			s.Links = append(s.Links, peopleURL(url.Values{"locatie": {v.Venue.Slug}, "tot": {d.Format(time.DateOnly)}}))
		}
		l.Series = append(l.Series, s)
		now = append(now, s.Name+" "+numberFormat(p).Int(s.Values[len(s.Values)-1]))
	}
	at := func(t time.Time) float64 { return t.Sub(bounds[0]).Hours() / 24 / float64(step) }
	window := ""
	if o := e.RegistrationOpensAt; o != nil {
		l.Markers = append(l.Markers, charts.Marker{At: at(*o), Label: p.T("dashboard.chart.opens")})
		window += " " + p.T("dashboard.chart.opens_at", "When", tr.DateTime(*o))
	}
	if cl := e.RegistrationClosesAt; cl != nil {
		l.Markers = append(l.Markers, charts.Marker{At: at(*cl), Label: p.T("dashboard.chart.closes")})
		window += " " + p.T("dashboard.chart.closes_at", "When", tr.DateTime(*cl))
	}
	l.Desc = p.T("dashboard.chart.registrations_desc", "From", tr.Date(days[0]), "To", tr.Date(end), "Now", strings.Join(now, ", ")) + window
	view.Chart = l.Draw()
	return view, nil
}

// heatMapChart draws a venue's rooms × slots, each session shaded by how full it is.
func heatMapChart(tr *locale.Translator, p Page, v models.Venue, fills []models.SessionFill) chartView {
	hm := charts.HeatMap{ID: "grafiek-bezetting-" + v.Slug, Title: p.T("dashboard.chart.fill", "Venue", p.VenueName(v)), Numbers: numberFormat(p),
		Waiting: p.T("dashboard.chart.fill_waiting"), Empty: p.T("dashboard.chart.fill_empty"),
		TableColumns: [6]charts.Column{{Key: "session", Label: p.T("dashboard.chart.session")}, {Key: "room", Label: p.T("dashboard.chart.room")},
			{Key: "when", Label: p.T("dashboard.chart.time")}, {Key: "taken", Label: p.T("dashboard.chart.taken"), Numeric: true},
			{Key: "seats", Label: p.T("dashboard.chart.seats"), Numeric: true}, {Key: "waiting", Label: p.T("dashboard.chart.waiting"), Numeric: true}}}
	for i := range hm.Legend {
		hm.Legend[i] = p.T(fmt.Sprintf("dashboard.chart.shade%d", i))
	}
	rooms, slots := map[uint]int{}, map[uint]int{}
	for i, r := range v.Rooms {
		rooms[r.ID] = i
		hm.Rows = append(hm.Rows, charts.Point{Key: strconv.Itoa(int(r.ID)), Label: r.Name})
	}
	for i, s := range v.Slots {
		slots[s.ID] = i
		hm.Columns = append(hm.Columns, charts.Point{Key: strconv.Itoa(int(s.ID)), Tick: tr.Time(s.StartsAt), Label: tr.TimeRange(s.StartsAt, s.EndsAt)})
	}
	placed := 0
	for _, f := range fills {
		row, okRoom := rooms[f.RoomID]
		col, okSlot := slots[f.SlotIDs[0]]
		if f.VenueID != v.ID || !okRoom || !okSlot {
			continue
		}
		last := v.Slots[min(col+len(f.SlotIDs)-1, len(v.Slots)-1)]
		hm.Cells = append(hm.Cells, charts.HeatCell{Key: strconv.Itoa(int(f.ID)), Title: f.Title, Row: row, Col: col, Span: len(f.SlotIDs),
			When: tr.TimeRange(v.Slots[col].StartsAt, last.EndsAt), Taken: f.Taken, Seats: f.Seats, Waiting: f.Waiting,
			Link: peopleURL(url.Values{"sessie": {strconv.Itoa(int(f.ID))}})})
		placed++
	}
	hm.Desc = p.T("dashboard.chart.fill_desc", "Count", placed, "Rooms", len(v.Rooms), "Slots", len(v.Slots))
	view := chartView{Chart: hm.Draw(), EmptyText: p.T("dashboard.chart.no_timetable")}
	if placed == 0 {
		view.SVG = ""
	}
	return view
}

// sessionLabel names a session in a ranked chart, with its venue when there are several.
func sessionLabel(f models.SessionFill, labels map[uint]string) string {
	if len(labels) > 1 {
		return labels[f.VenueID] + ": " + f.Title
	}
	return f.Title
}

// waitingChart ranks the sessions with the longest waiting lists.
func waitingChart(p Page, fills []models.SessionFill, labels map[uint]string) chartView {
	var waiting []models.SessionFill
	for _, f := range fills {
		if f.Waiting > 0 {
			waiting = append(waiting, f)
		}
	}
	slices.SortStableFunc(waiting, func(a, b models.SessionFill) int { return cmp.Compare(b.Waiting, a.Waiting) })
	n := numberFormat(p)
	b := charts.Bars{ID: "grafiek-wachtlijsten", Title: p.T("dashboard.chart.longest_waiting"), Axis: p.T("dashboard.chart.waiting_axis"),
		Desc: p.T("dashboard.chart.longest_waiting_desc", "Count", min(len(waiting), rankedSessions)), Numbers: n,
		Columns: []charts.Column{{Key: "session", Label: p.T("dashboard.chart.session")}, {Key: "waiting", Label: p.T("dashboard.chart.waiting"), Numeric: true},
			{Key: "taken", Label: p.T("dashboard.chart.taken"), Numeric: true, Extra: true}, {Key: "seats", Label: p.T("dashboard.chart.seats"), Numeric: true, Extra: true}}}
	for _, f := range waiting[:min(len(waiting), rankedSessions)] {
		b.Items = append(b.Items, charts.Bar{Key: strconv.Itoa(int(f.ID)), Label: sessionLabel(f, labels), Value: f.Waiting,
			ValueText: p.T("dashboard.chart.waiting_value", "Count", f.Waiting, "N", n.Int(f.Waiting)),
			Link:      peopleURL(url.Values{"sessie": {strconv.Itoa(int(f.ID))}}),
			Extra:     []charts.Cell{{Text: n.Int(f.Taken), Value: f.Taken}, {Text: n.Int(f.Seats), Value: f.Seats}}})
	}
	return chartView{Chart: b.Draw(), EmptyText: p.T("dashboard.chart.no_waiting")}
}

// emptiestChart ranks the sessions with the smallest share of their seats taken.
func emptiestChart(p Page, fills []models.SessionFill, labels map[uint]string) chartView {
	var open []models.SessionFill
	for _, f := range fills {
		if f.Seats > 0 {
			open = append(open, f)
		}
	}
	// Compare shares without rounding: a/b < c/d as a·d < c·b; then fewer people first.
	slices.SortStableFunc(open, func(a, b models.SessionFill) int {
		return cmp.Or(cmp.Compare(a.Taken*b.Seats, b.Taken*a.Seats), cmp.Compare(a.Taken, b.Taken))
	})
	n := numberFormat(p)
	b := charts.Bars{ID: "grafiek-leegste", Title: p.T("dashboard.chart.emptiest"), Axis: p.T("dashboard.chart.fill_axis"), Percent: true,
		Desc: p.T("dashboard.chart.emptiest_desc", "Count", min(len(open), rankedSessions)), Numbers: n,
		Columns: []charts.Column{{Key: "session", Label: p.T("dashboard.chart.session")}, {Key: "fill", Label: p.T("dashboard.chart.fill_share"), Numeric: true},
			{Key: "taken", Label: p.T("dashboard.chart.taken"), Numeric: true, Extra: true}, {Key: "seats", Label: p.T("dashboard.chart.seats"), Numeric: true, Extra: true}}}
	for _, f := range open[:min(len(open), rankedSessions)] {
		share := percent(f.Taken, f.Seats)
		b.Items = append(b.Items, charts.Bar{Key: strconv.Itoa(int(f.ID)), Label: sessionLabel(f, labels), Value: share,
			ValueText: p.T("dashboard.chart.fill_value", "Taken", n.Int(f.Taken), "Seats", n.Int(f.Seats), "Percent", share),
			Link:      peopleURL(url.Values{"sessie": {strconv.Itoa(int(f.ID))}}),
			Extra:     []charts.Cell{{Text: n.Int(f.Taken), Value: f.Taken}, {Text: n.Int(f.Seats), Value: f.Seats}}})
	}
	return chartView{Chart: b.Draw(), EmptyText: p.T("dashboard.chart.no_sessions")}
}

// orgTypeChart counts the registered people by the type of their organisation.
func orgTypeChart(p Page, f venueFigures) chartView {
	n := numberFormat(p)
	b := charts.Bars{ID: "grafiek-organisaties", Title: p.T("dashboard.chart.org_types"), Axis: p.T("dashboard.chart.org_types_axis"),
		Desc: p.T("dashboard.chart.org_types_desc"), Numbers: n,
		Columns: []charts.Column{{Key: "type", Label: p.T("dashboard.chart.org_type")}, {Key: "registered", Label: p.T("dashboard.registered"), Numeric: true},
			{Key: "share", Label: p.T("dashboard.chart.share"), Numeric: true, Extra: true}}}
	for _, kind := range models.OrganisationTypes {
		count := f.ByOrgType[kind]
		v := url.Values{"organisatietype": {orgTypeParam(kind)}, "status": {"bevestigd"}}
		if f.Venue.Slug != "" {
			v.Set("locatie", f.Venue.Slug)
		}
		share := percent(count, f.Registered)
		b.Items = append(b.Items, charts.Bar{Key: kind, Label: p.T("dashboard.org_type." + kind), Value: count,
			ValueText: p.T("dashboard.chart.org_type_value", "N", n.Int(count), "Percent", share), Link: peopleURL(v),
			Extra: []charts.Cell{{Text: strconv.Itoa(share) + "%", Value: share}}})
	}
	view := chartView{Chart: b.Draw(), EmptyText: p.T("dashboard.chart.no_registrations")}
	if f.Registered == 0 {
		view.SVG = ""
	}
	return view
}

// arrivalsPerDoorChart stacks the arrivals per ten minutes by door (doors of several venues are
// told apart by the venue's label).
func arrivalsPerDoorChart(tr *locale.Translator, p Page, venues []venueFigures, labels map[uint]string, counts []models.ArrivalCount) chartView {
	view := chartView{Chart: charts.Chart{ID: "grafiek-aankomst", Title: p.T("dashboard.chart.arrivals")}, EmptyText: p.T("dashboard.chart.no_arrivals")}
	if len(counts) == 0 {
		return view
	}
	first, last := counts[0].Start, counts[len(counts)-1].Start
	if n := int(last.Sub(first)/arrivalsStretch) + 1; n > arrivalsMaxColumns {
		first = last.Add(-arrivalsStretch * (arrivalsMaxColumns - 1))
	}
	columns := int(last.Sub(first)/arrivalsStretch) + 1
	manyDays := localDay(first, tr.Zone()) != localDay(last, tr.Zone())
	cs := charts.Columns{ID: view.ID, Title: view.Title, XAxis: p.T("dashboard.chart.time_axis"), YAxis: p.T("dashboard.chart.arrivals_axis"),
		RowHeader: p.T("dashboard.chart.from"), Total: p.T("dashboard.chart.total"), Numbers: numberFormat(p)}
	for i := range columns {
		t := first.Add(arrivalsStretch * time.Duration(i))
		pt := charts.Point{Key: strconv.FormatInt(t.Unix(), 10), Label: tr.TimeRange(t, t.Add(arrivalsStretch))}
		if manyDays {
			pt.Label = tr.ShortDateTime(t)
		}
		if t.In(tr.Zone()).Minute() == 0 {
			pt.Tick = tr.Time(t)
		}
		cs.Points = append(cs.Points, pt)
	}
	slugs := map[uint]string{}
	for _, v := range venues {
		slugs[v.Venue.ID] = v.Venue.Slug
	}
	order := map[uint]int{}
	for i, v := range venues {
		order[v.Venue.ID] = i
	}
	index := map[string]int{}
	doors := map[string]models.ArrivalCount{} // a door's venue and name, by series key
	for _, a := range counts {
		key := strconv.Itoa(int(a.VenueID)) + ":" + a.Door
		si, ok := index[key]
		if !ok {
			name := a.Door
			if len(venues) > 1 {
				name = labels[a.VenueID] + ": " + a.Door
			}
			si = len(cs.Series)
			index[key], doors[key] = si, a
			link := peopleURL(url.Values{"locatie": {slugs[a.VenueID]}, "status": {"binnen"}})
			cs.Series = append(cs.Series, charts.Series{Key: key, Name: name, Values: make([]int, columns), Links: slices.Repeat([]string{link}, columns)})
		}
		if i := int(a.Start.Sub(first) / arrivalsStretch); i >= 0 && i < columns {
			cs.Series[si].Values[i] += a.Count
		}
	}
	// The doors in a fixed order: by venue, then by name.
	slices.SortStableFunc(cs.Series, func(a, b charts.Series) int {
		da, db := doors[a.Key], doors[b.Key]
		return cmp.Or(cmp.Compare(order[da.VenueID], order[db.VenueID]), cmp.Compare(da.Door, db.Door))
	})
	in := 0
	for _, s := range cs.Series {
		for _, n := range s.Values {
			in += n
		}
	}
	cs.Desc = p.T("dashboard.chart.arrivals_desc", "Count", in, "N", numberFormat(p).Int(in), "Doors", len(cs.Series),
		"From", tr.Time(first), "To", tr.Time(last.Add(arrivalsStretch)))
	view.Chart = cs.Draw()
	return view
}

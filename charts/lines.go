package charts

import (
	"strconv"
	"strings"
)

// Lines is a line chart over ordered points (days, say): one line per series, each with its
// own dash and marker shape, and vertical markers at given places (the registration window).
type Lines struct {
	ID, Title, Desc string
	// XAxis and YAxis title the axes, with their units ("Datum", "Aanmeldingen (personen)").
	XAxis, YAxis string
	// RowHeader heads the table's first column (the points).
	RowHeader string
	Points    []Point
	Series    []Series
	Markers   []Marker
	Numbers   NumberFormat
}

// Marker is a vertical line across the chart at a place between points, labelled.
type Marker struct {
	// At is the place in points: 0 is the first point, 1.5 halfway between the second and
	// the third. Markers outside the points are left out.
	At    float64
	Label string
}

// Lines' layout, in SVG units.
const (
	linesWidth  = 360
	linesPlot   = 180 // the plot's height
	linesLeft   = 46  // room for the values
	linesRight  = 44  // room for each line's last value
	linesBottom = 44  // room for the ticks and the axis title
)

// Draw draws the chart; with no points or no series it is empty, with its table.
func (l Lines) Draw() Chart {
	c := Chart{ID: l.ID, Title: l.Title, Table: seriesTable(l.Title, l.RowHeader, "", l.Points, l.Series, l.Numbers)}
	if len(l.Points) == 0 || len(l.Series) == 0 {
		return c
	}
	names := make([]string, len(l.Series))
	highest := 0
	for i, s := range l.Series {
		names[i] = s.Name
		for _, v := range s.Values {
			highest = max(highest, v)
		}
	}
	top, ticks := niceScale(highest, 4)
	// From the top: the legend, the value axis' title, the markers' labels (two rows, so that
	// two markers close together stay readable), then the plot.
	legendTop := 6.0
	titleY := legendTop + 18*float64(len(names)) + 12
	plotTop := titleY + 10
	if len(l.Markers) > 0 {
		plotTop += 30
	}
	height := plotTop + linesPlot + linesBottom
	x0, x1 := float64(linesLeft), float64(linesWidth-linesRight)
	y0, y1 := plotTop+linesPlot, plotTop
	x := func(i float64) float64 {
		if len(l.Points) == 1 {
			return (x0 + x1) / 2
		}
		return x0 + (x1-x0)*i/float64(len(l.Points)-1)
	}
	y := func(v int) float64 { return y0 - (y0-y1)*float64(v)/float64(top) }

	var w svgWriter
	w.root(l.ID, "chart--lines", linesWidth, height, l.Title, l.Desc)
	w.legend(names, x0, legendTop, x1-x0, true)
	w.text("text", l.YAxis, "x", 4, "y", titleY, "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
	w.valueAxis(ticks, top, x0, x1, y0, y1, l.Numbers)
	l.drawMarkers(&w, x, y0, titleY+14)
	for i, p := range l.Points {
		if p.Tick == "" {
			continue
		}
		px := x(float64(i))
		w.empty("line", "class", "axis", "x1", px, "y1", y0, "x2", px, "y2", y0+4, "stroke", "currentColor")
		w.text("text", p.Tick, "x", px, "y", y0+17, "text-anchor", "middle", "font-size", smallFontSize, "fill", "currentColor")
	}
	w.text("text", l.XAxis, "x", (x0+x1)/2, "y", height-6, "text-anchor", "middle", "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")

	r := 3.0
	if len(l.Points) > 31 {
		r = 2
	}
	ends := make([]float64, len(l.Series))
	for si, s := range l.Series {
		pts := make([]string, len(s.Values))
		for i, v := range s.Values {
			pts[i] = num(x(float64(i))) + "," + num(y(v))
		}
		w.empty("polyline", "class", "line k"+strconv.Itoa(si%seriesLooks), "points", strings.Join(pts, " "), "fill", "none",
			"stroke", "currentColor", "stroke-width", 2, "stroke-dasharray", dashes[si%seriesLooks], "stroke-linejoin", "round")
		for i, v := range s.Values {
			w.marker(si, x(float64(i)), y(v), r, l.Points[i].Key, s.Key, v, s.Name+", "+l.Points[i].Label+": "+l.Numbers.Int(v))
		}
		ends[si] = y(s.Values[len(s.Values)-1])
	}
	l.drawEndValues(&w, ends, x1)
	c.SVG = w.done()
	return c
}

// drawMarkers draws the markers as dashed vertical lines from the plot's foot up to their
// labels, which sit in two rows from labelY down above the plot.
func (l Lines) drawMarkers(w *svgWriter, x func(float64) float64, y0, labelY float64) {
	last := len(l.Points) - 1
	for i, m := range l.Markers {
		if m.At < 0 || m.At > float64(last) || last == 0 {
			continue
		}
		mx := x(m.At)
		ly := labelY + float64(i%2)*14
		w.empty("line", "class", "marker-line", "x1", mx, "y1", y0, "x2", mx, "y2", ly-10, "stroke", "currentColor",
			"stroke-width", 1.5, "stroke-dasharray", "4 3")
		anchor, tx := "start", mx+4
		if mx > (x(0)+x(float64(last)))/2 {
			anchor, tx = "end", mx-4
		}
		w.text("text", m.Label, "x", tx, "y", ly, "text-anchor", anchor, "font-size", smallFontSize,
			"class", "marker-label halo", "fill", "currentColor")
	}
}

// drawEndValues writes each line's last value right of its end, moved apart where two would
// overlap.
func (l Lines) drawEndValues(w *svgWriter, ys []float64, x1 float64) {
	order := make([]int, len(ys))
	for i := range order {
		order[i] = i
	}
	// A few lines at most: a simple sort by height, then push each below the one above.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && ys[order[j]] < ys[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	placed := make([]float64, len(ys))
	prev := -1e9
	for _, i := range order {
		py := max(ys[i], prev+12)
		placed[i], prev = py, py
	}
	for i, s := range l.Series {
		v := s.Values[len(s.Values)-1]
		w.text("text", l.Numbers.Int(v), "x", x1+6, "y", placed[i]+4, "font-size", smallFontSize, "font-weight", "bold",
			"class", "end-value", "fill", "currentColor")
	}
}

package charts

// Columns is a column chart over ordered points (ten minutes each, say) with the series
// stacked in each column: arrivals per door.
type Columns struct {
	ID, Title, Desc string
	// XAxis and YAxis title the axes, with their units.
	XAxis, YAxis string
	// RowHeader heads the table's first column; Total its last (the sum of the series).
	RowHeader, Total string
	Points           []Point
	Series           []Series
	Numbers          NumberFormat
}

// Columns' layout, in SVG units.
const (
	columnsWidth  = 360
	columnsPlot   = 170
	columnsLeft   = 40
	columnsRight  = 8
	columnsBottom = 44
)

// Draw draws the chart; with no points or no series it is empty, with its table.
func (cs Columns) Draw() Chart {
	c := Chart{ID: cs.ID, Title: cs.Title, Table: seriesTable(cs.Title, cs.RowHeader, cs.Total, cs.Points, cs.Series, cs.Numbers)}
	if len(cs.Points) == 0 || len(cs.Series) == 0 {
		return c
	}
	names := make([]string, len(cs.Series))
	for i, s := range cs.Series {
		names[i] = s.Name
	}
	highest := 0
	for i := range cs.Points {
		sum := 0
		for _, s := range cs.Series {
			sum += s.Values[i]
		}
		highest = max(highest, sum)
	}
	top, ticks := niceScale(highest, 4)
	titleY := 6 + 18*float64(len(names)) + 12
	plotTop := titleY + 12
	height := plotTop + columnsPlot + columnsBottom
	x0, x1 := float64(columnsLeft), float64(columnsWidth-columnsRight)
	y0, y1 := plotTop+columnsPlot, plotTop
	slot := (x1 - x0) / float64(len(cs.Points))
	gap := min(2, slot*0.2)
	unit := (y0 - y1) / float64(top)

	var w svgWriter
	w.root(cs.ID, "chart--columns", columnsWidth, height, cs.Title, cs.Desc)
	w.defs(len(cs.Series))
	w.legend(names, x0, 6, x1-x0, false)
	w.text("text", cs.YAxis, "x", 4, "y", titleY, "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
	w.valueAxis(ticks, top, x0, x1, y0, y1, cs.Numbers)
	for i, p := range cs.Points {
		left := x0 + slot*float64(i)
		base := y0
		for si, s := range cs.Series {
			v := s.Values[i]
			if v == 0 {
				continue
			}
			h := unit * float64(v)
			look := append(w.areaLook(si), "x", left+gap/2, "y", base-h, "width", slot-gap, "height", h)
			w.mark("rect", p.Key, s.Key, v, s.Name+", "+p.Label+": "+cs.Numbers.Int(v), look...)
			base -= h
		}
		if p.Tick != "" {
			w.empty("line", "class", "axis", "x1", left, "y1", y0, "x2", left, "y2", y0+4, "stroke", "currentColor")
			w.text("text", p.Tick, "x", left, "y", y0+17, "text-anchor", "middle", "font-size", smallFontSize, "fill", "currentColor")
		}
	}
	w.text("text", cs.XAxis, "x", (x0+x1)/2, "y", height-6, "text-anchor", "middle", "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
	c.SVG = w.done()
	return c
}

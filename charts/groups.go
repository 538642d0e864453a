package charts

// Groups is a grouped column chart: per point (a rank, say) one column per series side by
// side, each with its value written on top, so that two ways of counting the same thing can
// be compared point by point (an allocation against first come, first served).
type Groups struct {
	ID, Title, Desc string
	// XAxis and YAxis title the axes, with their units.
	XAxis, YAxis string
	// RowHeader heads the table's first column.
	RowHeader string
	Points    []Point
	Series    []Series
	Numbers   NumberFormat
}

// Groups' layout, in SVG units.
const (
	groupsWidth  = 360
	groupsPlot   = 170
	groupsLeft   = 40
	groupsRight  = 8
	groupsBottom = 44
)

// Draw draws the chart; with no points or no series it is empty, with its table.
func (g Groups) Draw() Chart {
	c := Chart{ID: g.ID, Title: g.Title, Table: g.table()}
	if len(g.Points) == 0 || len(g.Series) == 0 {
		return c
	}
	names := make([]string, len(g.Series))
	highest := 0
	for i, s := range g.Series {
		names[i] = s.Name
		for _, v := range s.Values {
			highest = max(highest, v)
		}
	}
	top, ticks := niceScale(highest, 4)
	titleY := 6 + 18*float64(len(names)) + 12
	plotTop := titleY + 20 // room for the tallest column's value
	height := plotTop + groupsPlot + groupsBottom
	x0, x1 := float64(groupsLeft), float64(groupsWidth-groupsRight)
	y0, y1 := plotTop+groupsPlot, plotTop
	slot := (x1 - x0) / float64(len(g.Points))
	pad := slot * 0.12
	col := (slot - 2*pad) / float64(len(g.Series))
	unit := (y0 - y1) / float64(top)

	var w svgWriter
	w.root(g.ID, "chart--groups", groupsWidth, height, g.Title, g.Desc)
	w.defs(len(g.Series))
	w.legend(names, x0, 6, x1-x0, false)
	w.text("text", g.YAxis, "x", 4, "y", titleY, "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
	w.valueAxis(ticks, top, x0, x1, y0, y1, g.Numbers)
	for i, p := range g.Points {
		left := x0 + slot*float64(i)
		for si, s := range g.Series {
			v := s.Values[i]
			h := unit * float64(min(v, top))
			cx := left + pad + col*float64(si)
			text := s.text(i, g.Numbers)
			if v > 0 {
				look := append(w.areaLook(si), "x", cx+1, "y", y0-h, "width", col-2, "height", h)
				w.mark("rect", p.Key, s.Key, v, s.Name+", "+p.Label+": "+text, look...)
			}
			w.text("text", text, "x", cx+col/2, "y", y0-h-4, "text-anchor", "middle", "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
		}
		w.text("text", fit(p.Tick, slot, smallFontSize), "x", left+slot/2, "y", y0+17, "text-anchor", "middle", "font-size", smallFontSize, "fill", "currentColor")
	}
	w.text("text", g.XAxis, "x", (x0+x1)/2, "y", height-6, "text-anchor", "middle", "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
	c.SVG = w.done()
	return c
}

// table is a row per point and a column per series, the values written as drawn.
func (g Groups) table() Table {
	t := Table{Caption: g.Title, Columns: []Column{{Key: "point", Label: g.RowHeader}}}
	for _, s := range g.Series {
		t.Columns = append(t.Columns, Column{Key: s.Key, Label: s.Name, Numeric: true})
	}
	for i, p := range g.Points {
		row := Row{Key: p.Key, Cells: []Cell{{Text: p.Label}}}
		for _, s := range g.Series {
			row.Cells = append(row.Cells, Cell{Text: s.text(i, g.Numbers), Value: s.Values[i], Link: s.link(i)})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

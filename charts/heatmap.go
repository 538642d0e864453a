package charts

import "strconv"

// HeatMap is a grid of rows (rooms) by columns (slots) whose cells are shaded by how full
// they are: seats taken of seats, with the waiting list written on top. A cell may span
// several columns (a session of two slots); a place without a cell is drawn empty.
type HeatMap struct {
	ID, Title, Desc string
	Rows            []Point // the rooms: Key, and Label (Tick unused)
	Columns         []Point // the slots: Key, and Tick ("10:00") and Label ("10:00–11:00")
	Cells           []HeatCell
	// Legend names the shades, from empty to full, in HeatShades entries; Waiting explains
	// the "+n" written on top of a cell; Empty names a place without a session.
	Legend         [HeatShades]string
	Waiting, Empty string
	// TableColumns are the table's columns, one per cell: the session (linked), the room,
	// the time, then seats taken, seats and waiting (keys "taken", "seats", "waiting").
	TableColumns [6]Column
	Numbers      NumberFormat
}

// HeatCell is one session on the grid.
type HeatCell struct {
	Key   string // the table row: the session
	Title string
	// Row and Col place the cell; Span is the number of columns it covers (at least 1).
	Row, Col, Span int
	// When is the time as the table writes it.
	When                  string
	Taken, Seats, Waiting int
	Link                  string
}

// HeatShades is the number of shades a heat map uses: 0–19%, 20–39%, 40–59%, 60–79%,
// 80–99% and full.
const HeatShades = 6

// Shade is the shade of a cell: 0 (emptiest) to HeatShades-1 (full).
func Shade(taken, seats int) int {
	if seats <= 0 || taken >= seats {
		return HeatShades - 1
	}
	return min(taken*5/seats, HeatShades-2)
}

// The heat map's layout, in SVG units.
const (
	heatLabel  = 96 // the rooms' column
	heatCell   = 62
	heatRow    = 46
	heatHeader = 22
)

// Draw draws the grid; without rows or columns it is empty, with its table.
func (h HeatMap) Draw() Chart {
	c := Chart{ID: h.ID, Title: h.Title, Table: h.table()}
	if len(h.Rows) == 0 || len(h.Columns) == 0 {
		return c
	}
	width := float64(heatLabel + heatCell*len(h.Columns) + 4)
	gridTop := float64(heatHeader)
	legendTop := gridTop + heatRow*float64(len(h.Rows)) + 14
	height := legendTop + 18*3 + 8
	var w svgWriter
	w.root(h.ID, "chart--heat", width, height, h.Title, h.Desc)
	for i, col := range h.Columns {
		w.text("text", col.Tick, "x", heatLabel+heatCell*float64(i)+heatCell/2, "y", 15, "text-anchor", "middle",
			"font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
	}
	taken := map[[2]int]bool{}
	for _, cell := range h.Cells {
		for k := range max(cell.Span, 1) {
			taken[[2]int{cell.Row, cell.Col + k}] = true
		}
	}
	for r, row := range h.Rows {
		y := gridTop + heatRow*float64(r)
		w.text("text", fit(row.Label, heatLabel-8, smallFontSize), "x", 2, "y", y+heatRow/2+4, "font-size", smallFontSize, "fill", "currentColor")
		for col := range h.Columns {
			if !taken[[2]int{r, col}] {
				w.empty("rect", "class", "heat-empty", "x", heatLabel+heatCell*float64(col)+2, "y", y+2, "width", heatCell-4,
					"height", heatRow-4, "fill", "none", "stroke", "currentColor", "stroke-dasharray", "2 3", "stroke-width", 1)
			}
		}
	}
	for _, cell := range h.Cells {
		h.drawCell(&w, cell, gridTop)
	}
	h.drawLegend(&w, legendTop, width)
	c.SVG = w.done()
	return c
}

// drawCell draws one session: its area shaded by fill, a bar along its foot as long as the
// share of seats taken (readable without colour), "taken/seats" and the waiting list.
func (h HeatMap) drawCell(w *svgWriter, cell HeatCell, gridTop float64) {
	span := float64(max(cell.Span, 1))
	x := heatLabel + heatCell*float64(cell.Col) + 2
	y := gridTop + heatRow*float64(cell.Row) + 2
	cw, ch := heatCell*span-4, float64(heatRow-4)
	shade := Shade(cell.Taken, cell.Seats)
	ink := "heat-ink"
	if shade >= 3 {
		ink = "heat-ink heat-ink--light"
	}
	fill := cell.Title + ": " + h.Numbers.Int(cell.Taken) + "/" + h.Numbers.Int(cell.Seats)
	w.mark("rect", cell.Key, "seats", cell.Seats, fill, "class", "mark heat heat"+strconv.Itoa(shade), "x", x, "y", y,
		"width", cw, "height", ch, "fill", "currentColor", "fill-opacity", 0.1+0.15*float64(shade), "stroke", "currentColor", "stroke-width", 1)
	share := 1.0
	if cell.Seats > 0 {
		share = min(float64(cell.Taken)/float64(cell.Seats), 1)
	}
	w.mark("rect", cell.Key, "taken", cell.Taken, fill, "class", "mark heat-bar "+ink, "x", x+3, "y", y+ch-7,
		"width", (cw-6)*share, "height", 4, "fill", "currentColor")
	// "taken/seats" in bold, smaller when thousands of seats would not fit the cell.
	label := h.Numbers.Int(cell.Taken) + "/" + h.Numbers.Int(cell.Seats)
	size := min(float64(fontSize), (cw-6)/(float64(len([]rune(label)))*(charWidth+0.05)))
	w.text("text", label, "class", ink, "x", x+cw/2, "y", y+17, "text-anchor", "middle", "font-size", size,
		"font-weight", "bold", "fill", "currentColor")
	if cell.Waiting > 0 {
		w.markText("+"+h.Numbers.Int(cell.Waiting), cell.Key, "waiting", cell.Waiting, cell.Title+": +"+h.Numbers.Int(cell.Waiting),
			"class", "mark "+ink, "x", x+cw/2, "y", y+31, "text-anchor", "middle", "font-size", smallFontSize, "fill", "currentColor")
	}
}

// drawLegend explains the shades (a swatch each, labelled), the "+n" and the empty places.
func (h HeatMap) drawLegend(w *svgWriter, top, width float64) {
	per := (width - 4) / 3
	for i, label := range h.Legend {
		x := 2 + per*float64(i%3)
		y := top + 18*float64(i/3)
		w.empty("rect", "class", "swatch heat heat"+strconv.Itoa(i), "x", x, "y", y, "width", 16, "height", 12,
			"fill", "currentColor", "fill-opacity", 0.1+0.15*float64(i), "stroke", "currentColor", "stroke-width", 1)
		w.text("text", fit(label, per-24, smallFontSize), "x", x+20, "y", y+10, "font-size", smallFontSize, "fill", "currentColor")
	}
	y := top + 36
	w.text("text", fit("+n: "+h.Waiting, width/2-8, smallFontSize), "x", 2, "y", y+10, "font-size", smallFontSize, "fill", "currentColor")
	w.empty("rect", "class", "heat-empty", "x", width/2, "y", y, "width", 16, "height", 12, "fill", "none",
		"stroke", "currentColor", "stroke-dasharray", "2 3", "stroke-width", 1)
	w.text("text", fit(h.Empty, width/2-26, smallFontSize), "x", width/2+20, "y", y+10, "font-size", smallFontSize, "fill", "currentColor")
}

// table lists the sessions: title (linked), room, time, taken, seats, waiting.
func (h HeatMap) table() Table {
	t := Table{Caption: h.Title, Columns: h.TableColumns[:]}
	for _, cell := range h.Cells {
		room := ""
		if cell.Row >= 0 && cell.Row < len(h.Rows) {
			room = h.Rows[cell.Row].Label
		}
		t.Rows = append(t.Rows, Row{Key: cell.Key, Cells: []Cell{
			{Text: cell.Title, Link: cell.Link}, {Text: room}, {Text: cell.When},
			{Text: h.Numbers.Int(cell.Taken), Value: cell.Taken},
			{Text: h.Numbers.Int(cell.Seats), Value: cell.Seats},
			{Text: h.Numbers.Int(cell.Waiting), Value: cell.Waiting},
		}})
	}
	return t
}

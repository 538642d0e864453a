package charts

// Bars is a horizontal bar chart, one bar per item in the order given (ranked, say): each
// bar's label above it and its value written at its end, so no bar needs a colour to be read.
type Bars struct {
	ID, Title, Desc string
	// Axis titles the value axis, with its unit ("Op de wachtlijst (personen)").
	Axis string
	// Columns are the table's columns: the items' labels, their values, then one for each
	// Extra cell the items carry (marked Extra: not drawn). The value column's Key is the
	// bars' data-col.
	Columns []Column
	Items   []Bar
	// Max is the axis' end (100 for percentages); 0 takes the largest value.
	Max     int
	Numbers NumberFormat
	// Percent writes the values and the axis as percentages.
	Percent bool
}

// Bar is one item of a bar chart.
type Bar struct {
	Key, Label string
	Value      int
	// ValueText is written at the bar's end; "" writes the value.
	ValueText string
	// Link leads to the people behind the bar, from the table.
	Link string
	// Extra are more cells of the item's table row.
	Extra []Cell
}

// Bars' layout, in SVG units.
const (
	barsWidth  = 360
	barsRow    = 40 // a label and its bar
	barsHeight = 14
	barsValue  = 120 // room right of the longest bar for its value
)

// Draw draws the chart; with no items it is empty, with its table.
func (b Bars) Draw() Chart {
	c := Chart{ID: b.ID, Title: b.Title, Table: b.table()}
	if len(b.Items) == 0 {
		return c
	}
	top := b.Max
	if top == 0 {
		for _, it := range b.Items {
			top = max(top, it.Value)
		}
	}
	top, ticks := niceScale(top, 4)
	if b.Percent {
		top, ticks = 100, []int{0, 25, 50, 75, 100}
	}
	x0, x1 := 8.0, float64(barsWidth-barsValue)
	y := 22.0
	height := y + barsRow*float64(len(b.Items)) + 40
	var w svgWriter
	w.root(b.ID, "chart--bars", barsWidth, height, b.Title, b.Desc)
	for _, t := range ticks {
		gx := x0 + (x1-x0)*float64(t)/float64(top)
		class := "grid"
		if t == 0 {
			class = "axis"
		}
		w.empty("line", "class", class, "x1", gx, "y1", y-4, "x2", gx, "y2", height-34, "stroke", "currentColor", "stroke-width", 1)
		w.text("text", b.tick(t), "x", gx, "y", height-20, "text-anchor", "middle", "font-size", smallFontSize, "fill", "currentColor")
	}
	w.text("text", b.Axis, "x", (x0+x1)/2, "y", height-4, "text-anchor", "middle", "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
	col := "value"
	if len(b.Columns) > 1 {
		col = b.Columns[1].Key
	}
	for _, it := range b.Items {
		// The label crosses the grid lines: a halo in the background's colour keeps it clear.
		w.text("text", fit(it.Label, barsWidth-x0-4, fontSize), "x", x0+2, "y", y+8, "class", "halo", "fill", "currentColor")
		bw := (x1 - x0) * float64(min(it.Value, top)) / float64(top)
		by := y + 14
		w.mark("rect", it.Key, col, it.Value, it.Label+": "+b.valueText(it), "class", "mark f0", "x", x0, "y", by,
			"width", bw, "height", barsHeight, "fill", "currentColor")
		w.text("text", b.valueText(it), "x", x0+bw+5, "y", by+barsHeight-3, "font-size", smallFontSize, "font-weight", "bold", "fill", "currentColor")
		y += barsRow
	}
	c.SVG = w.done()
	return c
}

func (b Bars) tick(v int) string {
	if b.Percent {
		return b.Numbers.Int(v) + "%"
	}
	return b.Numbers.Int(v)
}

func (b Bars) valueText(it Bar) string {
	if it.ValueText != "" {
		return it.ValueText
	}
	return b.tick(it.Value)
}

// table is the items as rows: the label (linked), the value and the extra cells.
func (b Bars) table() Table {
	t := Table{Caption: b.Title, Columns: b.Columns}
	for _, it := range b.Items {
		row := Row{Key: it.Key, Cells: []Cell{{Text: it.Label, Link: it.Link}, {Text: b.tick(it.Value), Value: it.Value}}}
		row.Cells = append(row.Cells, it.Extra...)
		t.Rows = append(t.Rows, row)
	}
	return t
}

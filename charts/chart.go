// Package charts draws the organisers' charts as SVG on the server: nothing runs in the
// browser and no chart library is shipped. Every chart comes with a table of exactly the
// numbers it draws, which is its accessible alternative, and every mark in the SVG names its
// row, column and value (data-row, data-col, data-value) so that tests can hold the drawing
// to the table.
//
// The package knows nothing of HTTP, templates or the database: callers hand it plain data
// with every text already in the reader's language.
//
// Colours come from the page's style sheet through classes (f0…f4 fill, k0…k4 stroke, heat0…
// heat5), with currentColor as the fallback, so a forced-colors (high-contrast) style sheet
// can replace them with system colours. Colour is never the only difference: series also
// differ by pattern, dash and marker shape, and the numbers are written out.
package charts

import (
	"html/template"
	"strconv"
	"strings"
)

// Chart is one drawn chart: the SVG to put in a page and its data as a table.
type Chart struct {
	// ID is unique on the page; the SVG's title, description and patterns derive theirs
	// from it.
	ID string
	// Title names the chart (the SVG's <title>); the page shows it as the figure's heading.
	Title string
	// SVG is the drawing, or "" when there is nothing to draw.
	SVG   template.HTML
	Table Table
}

// Empty reports whether the chart has nothing to draw.
func (c Chart) Empty() bool { return c.SVG == "" }

// Table is a chart's numbers as a data table: the first column heads the rows.
type Table struct {
	Caption string
	Columns []Column
	Rows    []Row
}

// Column is one column of a table.
type Column struct {
	// Key names the column in the SVG's data-col attributes.
	Key     string
	Label   string
	Numeric bool
	// Extra marks a column the table adds to what is drawn (a total, a share, the seats
	// behind a bar): it has no marks in the SVG.
	Extra bool
}

// Row is one row of a table: one cell per column, the first being the row's header.
type Row struct {
	// Key names the row in the SVG's data-row attributes.
	Key   string
	Cells []Cell
}

// Cell is one cell of a table: its text, the number it stands for (numeric columns) and
// where it links to, if anywhere (the people behind the number).
type Cell struct {
	Text  string
	Value int
	Link  string
}

// NumberFormat writes whole numbers the reader's way.
type NumberFormat struct {
	// Thousands separates groups of three digits: "." in Dutch, "," in English; "" for none.
	Thousands string
}

// Int formats n with the thousands separator ("10.000").
func (f NumberFormat) Int(n int) string {
	s := strconv.Itoa(n)
	if f.Thousands == "" {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(f.Thousands)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Point is one position along a time axis: a day, or ten minutes of arrivals.
type Point struct {
	// Key names the point's table row (data-row): "2026-12-01", "09:10".
	Key string
	// Tick is the axis label, "" for a point the axis does not label.
	Tick string
	// Label names the point in full, in the table.
	Label string
}

// Series is one line or one stacked part of a chart: a value per point, and per point the
// link to the people behind it (nil for none).
type Series struct {
	Key, Name string
	Values    []int
	Links     []string
	// Texts, where set, are written for the values instead of the numbers (an average
	// with a decimal, say); only Groups reads them.
	Texts []string
}

func (s Series) text(i int, nf NumberFormat) string {
	if i < len(s.Texts) && s.Texts[i] != "" {
		return s.Texts[i]
	}
	return nf.Int(s.Values[i])
}

func (s Series) link(i int) string {
	if i < len(s.Links) {
		return s.Links[i]
	}
	return ""
}

// seriesTable is the table of values per point and series, with a total column when
// total is not "".
func seriesTable(caption, rowHeader, total string, points []Point, series []Series, nf NumberFormat) Table {
	t := Table{Caption: caption, Columns: []Column{{Key: "point", Label: rowHeader}}}
	for _, s := range series {
		t.Columns = append(t.Columns, Column{Key: s.Key, Label: s.Name, Numeric: true})
	}
	if total != "" {
		t.Columns = append(t.Columns, Column{Key: "total", Label: total, Numeric: true, Extra: true})
	}
	for i, p := range points {
		row := Row{Key: p.Key, Cells: []Cell{{Text: p.Label}}}
		sum := 0
		for _, s := range series {
			v := s.Values[i]
			sum += v
			row.Cells = append(row.Cells, Cell{Text: nf.Int(v), Value: v, Link: s.link(i)})
		}
		if total != "" {
			row.Cells = append(row.Cells, Cell{Text: nf.Int(sum), Value: sum})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

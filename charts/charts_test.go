package charts

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// element is one element of a parsed SVG: its name, attributes and own text.
type element struct {
	Name  string
	Attrs map[string]string
	Text  string
}

// parseSVG parses the chart's SVG as XML, strictly, and returns every element in document
// order. It fails the test when the SVG is not well-formed or not an accessible image.
func parseSVG(t *testing.T, c Chart) []element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(c.SVG)))
	d.Strict = true
	var out []element
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: SVG is not well-formed XML: %v\n%s", c.ID, err, c.SVG)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{Name: tok.Name.Local, Attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].Text += string(tok)
			}
		}
	}
	if len(out) < 3 || out[0].Name != "svg" || out[0].Attrs["role"] != "img" {
		t.Fatalf("%s: want an <svg role=img>, got %+v", c.ID, out[:min(len(out), 1)])
	}
	if out[1].Name != "title" || out[1].Text != c.Title || out[1].Attrs["id"] != c.ID+"-title" {
		t.Errorf("%s: first child %+v, want <title id=%s-title>%s</title>", c.ID, out[1], c.ID, c.Title)
	}
	if !strings.Contains(out[0].Attrs["aria-labelledby"], c.ID+"-title") {
		t.Errorf("%s: aria-labelledby %q does not name the title", c.ID, out[0].Attrs["aria-labelledby"])
	}
	return out
}

// marks returns the data marks: the elements that carry a data-value.
func marks(els []element) []element {
	var out []element
	for _, e := range els {
		if _, ok := e.Attrs["data-value"]; ok {
			out = append(out, e)
		}
	}
	return out
}

// assertMarksMatchTable checks that every mark's value is its table cell's, and that every
// numeric cell other than zero has a mark: the drawing and the table hold the same numbers.
func assertMarksMatchTable(t *testing.T, c Chart, els []element) {
	t.Helper()
	col := map[string]int{}
	for i, cl := range c.Table.Columns {
		col[cl.Key] = i
	}
	row := map[string]Row{}
	for _, r := range c.Table.Rows {
		row[r.Key] = r
	}
	seen := map[string]bool{}
	for _, m := range marks(els) {
		r, ok := row[m.Attrs["data-row"]]
		ci, okc := col[m.Attrs["data-col"]]
		if !ok || !okc {
			t.Errorf("%s: mark %v names no table cell", c.ID, m.Attrs)
			continue
		}
		got, err := strconv.Atoi(m.Attrs["data-value"])
		if err != nil || got != r.Cells[ci].Value {
			t.Errorf("%s: mark at %s/%s says %q, the table %d", c.ID, r.Key, m.Attrs["data-col"], m.Attrs["data-value"], r.Cells[ci].Value)
		}
		if fmt.Sprint(got) != strings.ReplaceAll(strings.TrimSuffix(r.Cells[ci].Text, "%"), ".", "") {
			t.Errorf("%s: table cell %s/%s reads %q, its value is %d", c.ID, r.Key, m.Attrs["data-col"], r.Cells[ci].Text, got)
		}
		seen[r.Key+"/"+m.Attrs["data-col"]] = true
	}
	for _, r := range c.Table.Rows {
		for ci, cl := range c.Table.Columns {
			if cl.Numeric && !cl.Extra && r.Cells[ci].Value != 0 && !seen[r.Key+"/"+cl.Key] {
				t.Errorf("%s: table cell %s/%s = %d has no mark in the SVG", c.ID, r.Key, cl.Key, r.Cells[ci].Value)
			}
		}
	}
}

func attr(t *testing.T, e element, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(e.Attrs[name], 64)
	if err != nil {
		t.Fatalf("%s %s=%q: %v", e.Name, name, e.Attrs[name], err)
	}
	return f
}

// near compares coordinates written with one decimal, after at most a few steps of arithmetic.
func near(a, b float64) bool { return math.Abs(a-b) <= 0.5 }

func days() []Point {
	var ps []Point
	for d := 1; d <= 10; d++ {
		tick := ""
		if d%3 == 1 {
			tick = fmt.Sprintf("%d nov", d)
		}
		ps = append(ps, Point{Key: fmt.Sprintf("2026-11-%02d", d), Tick: tick, Label: fmt.Sprintf("%d november 2026", d)})
	}
	return ps
}

func TestLines(t *testing.T) {
	t.Parallel()
	l := Lines{ID: "aanmeldingen", Title: `Aanmeldingen "per" <dag> & locatie`, Desc: "Twee lijnen.", XAxis: "Datum", YAxis: "Aanmeldingen (personen)",
		RowHeader: "Datum", Points: days(), Numbers: NumberFormat{Thousands: "."},
		Series: []Series{
			{Key: "zwolle", Name: "Zwolle", Values: []int{0, 2, 5, 9, 9, 14, 20, 1200, 1203, 1210},
				Links: []string{"/beheer/deelnemers?locatie=zwolle&tot=2026-11-01"}},
			{Key: "rotterdam", Name: "Rotterdam", Values: []int{1, 1, 1, 3, 4, 4, 4, 8, 9, 10}},
		},
		Markers: []Marker{{At: 0.5, Label: "Aanmelden opent"}, {At: 8, Label: "Aanmelden sluit"}, {At: 40, Label: "buiten beeld"}},
	}
	c := l.Draw()
	els := parseSVG(t, c)
	assertMarksMatchTable(t, c, els)
	if got := len(marks(els)); got != 20 {
		t.Errorf("%d marks, want 20 (10 days × 2 venues)", got)
	}
	if c.Table.Rows[7].Cells[1].Text != "1.200" || c.Table.Rows[0].Cells[1].Link == "" || c.Table.Columns[2].Label != "Rotterdam" {
		t.Errorf("table %+v: want 1.200 written the Dutch way, the first cell linked, a column per venue", c.Table)
	}
	// A higher value sits higher; equal values level.
	y := map[string]float64{}
	for _, m := range marks(els) {
		switch m.Name {
		case "circle":
			y[m.Attrs["data-row"]+m.Attrs["data-col"]] = attr(t, m, "cy")
		case "rect":
			y[m.Attrs["data-row"]+m.Attrs["data-col"]] = attr(t, m, "y") + attr(t, m, "height")/2
		}
	}
	if !(y["2026-11-08zwolle"] < y["2026-11-07zwolle"] && near(y["2026-11-04zwolle"], y["2026-11-05zwolle"]) && near(y["2026-11-06rotterdam"], y["2026-11-07rotterdam"])) {
		t.Errorf("marker heights do not follow the values: %v", y)
	}
	text := string(c.SVG)
	for _, want := range []string{"Aanmelden opent", "Aanmelden sluit", "1.210", "Aanmeldingen (personen)", "4 nov"} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(text, "buiten beeld") {
		t.Error("a marker outside the points was drawn")
	}
	if empty := (Lines{ID: "leeg", RowHeader: "Datum"}).Draw(); !empty.Empty() || len(empty.Table.Columns) != 1 {
		t.Errorf("no points: %+v, want an empty chart with the table's header", empty)
	}
}

func TestColumns(t *testing.T) {
	t.Parallel()
	cs := Columns{ID: "aankomst", Title: "Aankomst per 10 minuten", XAxis: "Tijd", YAxis: "Aankomsten (personen)", RowHeader: "Vanaf", Total: "Totaal",
		Points: []Point{{Key: "09:00", Tick: "09:00", Label: "09:00"}, {Key: "09:10", Label: "09:10"}, {Key: "09:20", Label: "09:20"}},
		Series: []Series{{Key: "Hoofdingang", Name: "Hoofdingang", Values: []int{12, 0, 30}}, {Key: "Zij-ingang", Name: "Zij-ingang", Values: []int{3, 5, 0}}}}
	c := cs.Draw()
	els := parseSVG(t, c)
	assertMarksMatchTable(t, c, els)
	ms := marks(els)
	if len(ms) != 4 {
		t.Fatalf("%d marks, want 4 (no mark for a zero)", len(ms))
	}
	unit := attr(t, ms[0], "height") / 12
	for _, m := range ms {
		v, _ := strconv.Atoi(m.Attrs["data-value"])
		if !near(attr(t, m, "height"), unit*float64(v)) {
			t.Errorf("bar %v is %v high, want %v", m.Attrs, attr(t, m, "height"), unit*float64(v))
		}
	}
	// Stacked: the side door's part sits right on top of the main door's.
	if !near(attr(t, ms[1], "y")+attr(t, ms[1], "height"), attr(t, ms[0], "y")) {
		t.Errorf("second part %v does not sit on the first %v", ms[1].Attrs, ms[0].Attrs)
	}
	if got := c.Table.Rows[0].Cells[3]; got.Value != 15 || c.Table.Columns[3].Label != "Totaal" || !c.Table.Columns[3].Extra {
		t.Errorf("total of 09:00 = %+v, want 15 under Totaal", got)
	}
	if strings.Count(string(c.SVG), "<pattern") != 1 {
		t.Error("the second door should be drawn with a pattern, not colour alone")
	}
}

func TestBars(t *testing.T) {
	t.Parallel()
	b := Bars{ID: "wachtlijsten", Title: "Langste wachtlijsten", Axis: "Op de wachtlijst (personen)",
		Columns: []Column{{Key: "session", Label: "Sessie"}, {Key: "waiting", Label: "Wachtend", Numeric: true}, {Key: "seats", Label: "Plaatsen", Numeric: true, Extra: true}},
		Items: []Bar{
			{Key: "7", Label: "Een heel lange titel van een sessie die echt niet op één regel past in de grafiek", Value: 40, Link: "/beheer/deelnemers?sessie=7&status=wachtlijst",
				Extra: []Cell{{Text: "25", Value: 25}}},
			{Key: "9", Label: "Kort", Value: 10, Extra: []Cell{{Text: "30", Value: 30}}},
		}}
	c := b.Draw()
	els := parseSVG(t, c)
	assertMarksMatchTable(t, c, els)
	ms := marks(els)
	if len(ms) != 2 || !near(attr(t, ms[0], "width")/40, attr(t, ms[1], "width")/10) {
		t.Errorf("bar widths %v and %v are not in proportion to 40 and 10", ms[0].Attrs, ms[1].Attrs)
	}
	if !strings.Contains(string(c.SVG), "…") {
		t.Error("the long title was not shortened")
	}
	if c.Table.Rows[0].Cells[0].Text != b.Items[0].Label || c.Table.Rows[0].Cells[0].Link == "" {
		t.Errorf("the table keeps the full title and its link: %+v", c.Table.Rows[0].Cells[0])
	}

	pct := Bars{ID: "leegst", Title: "Leegste sessies", Percent: true, Columns: []Column{{Key: "s"}, {Key: "fill", Numeric: true}},
		Items: []Bar{{Key: "1", Label: "A", Value: 12, ValueText: "3 van 25 (12%)"}, {Key: "2", Label: "B", Value: 100}}}
	c = pct.Draw()
	els = parseSVG(t, c)
	assertMarksMatchTable(t, c, els)
	ms = marks(els)
	if !near(attr(t, ms[0], "width")*100/12, attr(t, ms[1], "width")) || !strings.Contains(string(c.SVG), "3 van 25 (12%)") {
		t.Errorf("percent bars %v, %v: want widths in proportion on a 0–100%% axis and the value text", ms[0].Attrs, ms[1].Attrs)
	}
}

func TestHeatMap(t *testing.T) {
	t.Parallel()
	h := HeatMap{ID: "bezetting-zwolle", Title: "Bezetting Zwolle",
		Rows:    []Point{{Key: "1", Label: "Statenzaal"}, {Key: "2", Label: "Kamer 1"}},
		Columns: []Point{{Key: "10", Tick: "10:00"}, {Key: "11", Tick: "11:15"}, {Key: "12", Tick: "13:15"}},
		Cells: []HeatCell{
			{Key: "5", Title: "Open data", Row: 0, Col: 0, Span: 2, When: "10:00–12:15", Taken: 150, Seats: 200, Link: "/beheer/deelnemers?sessie=5"},
			{Key: "6", Title: "Webcare", Row: 1, Col: 1, Span: 1, When: "11:15–12:15", Taken: 25, Seats: 25, Waiting: 4},
			{Key: "8", Title: "Leeg", Row: 1, Col: 2, Span: 1, When: "13:15–14:15", Taken: 0, Seats: 20},
		},
		Legend:  [HeatShades]string{"< 20%", "20–39%", "40–59%", "60–79%", "80–99%", "vol"},
		Waiting: "op de wachtlijst", Empty: "geen sessie",
		TableColumns: [6]Column{{Key: "session", Label: "Sessie"}, {Key: "room", Label: "Zaal"}, {Key: "when", Label: "Tijd"},
			{Key: "taken", Label: "Bezet", Numeric: true}, {Key: "seats", Label: "Plaatsen", Numeric: true}, {Key: "waiting", Label: "Wachtlijst", Numeric: true}}}
	c := h.Draw()
	els := parseSVG(t, c)
	assertMarksMatchTable(t, c, els)
	var cells, empties int
	for _, e := range els {
		if strings.Contains(e.Attrs["class"], "heat-empty") {
			empties++
		}
		if strings.Contains(e.Attrs["class"], "mark heat heat") {
			cells++
		}
	}
	// Three places are free: Statenzaal 13:15, Kamer 1 10:00, and the legend's sample.
	if cells != 3 || empties != 3 {
		t.Errorf("%d cells and %d empty places, want 3 and 3", cells, empties)
	}
	var shades []string
	for _, m := range marks(els) {
		if m.Attrs["data-col"] == "seats" {
			shades = append(shades, m.Attrs["class"])
		}
	}
	if want := []string{"mark heat heat3", "mark heat heat5", "mark heat heat0"}; fmt.Sprint(shades) != fmt.Sprint(want) {
		t.Errorf("shades %q, want %q (75%%, full, empty)", shades, want)
	}
	if !strings.Contains(string(c.SVG), ">+4</text>") || !strings.Contains(string(c.SVG), ">25/25</text>") {
		t.Error("the full session should read 25/25 with +4 on top")
	}
	if c.Table.Rows[0].Cells[1].Text != "Statenzaal" || c.Table.Rows[0].Cells[2].Text != "10:00–12:15" {
		t.Errorf("table row %+v: want the room and the time", c.Table.Rows[0])
	}
}

func TestShade(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ taken, seats, want int }{{0, 20, 0}, {3, 20, 0}, {4, 20, 1}, {19, 20, 4}, {20, 20, 5}, {21, 20, 5}, {0, 0, 5}} {
		if got := Shade(c.taken, c.seats); got != c.want {
			t.Errorf("Shade(%d, %d) = %d, want %d", c.taken, c.seats, got, c.want)
		}
	}
}

func TestNumberFormat(t *testing.T) {
	t.Parallel()
	nl, en := NumberFormat{Thousands: "."}, NumberFormat{Thousands: ","}
	for _, c := range []struct {
		f    NumberFormat
		n    int
		want string
	}{{nl, 0, "0"}, {nl, 999, "999"}, {nl, 1000, "1.000"}, {nl, 10000, "10.000"}, {en, 1234567, "1,234,567"}, {nl, -1234, "-1.234"}, {NumberFormat{}, 10000, "10000"}} {
		if got := c.f.Int(c.n); got != c.want {
			t.Errorf("Int(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestNiceScale(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		max, top int
		ticks    string
	}{{0, 1, "[0 1]"}, {3, 3, "[0 1 2 3]"}, {7, 8, "[0 2 4 6 8]"}, {312, 400, "[0 100 200 300 400]"}, {10000, 10000, "[0 5000 10000]"}} {
		top, ticks := niceScale(c.max, 4)
		if top != c.top || fmt.Sprint(ticks) != c.ticks {
			t.Errorf("niceScale(%d) = %d %v, want %d %s", c.max, top, ticks, c.top, c.ticks)
		}
	}
}

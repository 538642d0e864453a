package charts

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The drawing's text sizes, in the SVG's own units. The charts are drawn about 360 units wide,
// a phone's width, so that on a phone their text is as large as written here; the SVG's own
// size is displayScale times that, so every chart's text is the same size on a wide screen,
// and a style sheet lets a chart shrink to a narrower column (max-width: 100%).
const (
	fontSize      = 13
	smallFontSize = 12
	displayScale  = 1.4
	// charWidth is roughly how wide one character of the page's sans-serif is, per unit of
	// font size: enough to keep labels inside their space.
	charWidth = 0.6
)

// svgWriter writes SVG markup, escaping every text and attribute value.
type svgWriter struct {
	b  strings.Builder
	id string
}

// root opens the <svg> element with its title and description, which name it for
// assistive technology (role="img").
func (w *svgWriter) root(id, class string, width, height float64, title, desc string) {
	w.id = id
	w.start("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "chart "+class, "role", "img",
		"aria-labelledby", id+"-title "+id+"-desc", "viewBox", fmt.Sprintf("0 0 %s %s", num(width), num(height)),
		"width", math.Round(width*displayScale), "height", math.Round(height*displayScale), "font-size", fontSize)
	w.text("title", title, "id", id+"-title")
	w.text("desc", desc, "id", id+"-desc")
}

// done closes the root and returns the markup.
func (w *svgWriter) done() template.HTML {
	w.end("svg")
	// The text and attributes are escaped as they are written (attrs, text).
	return template.HTML(w.b.String()) //nolint:gosec // built from escaped parts only
}

func (w *svgWriter) start(tag string, attrs ...any) {
	w.b.WriteString("<" + tag)
	w.attrs(attrs)
	w.b.WriteString(">")
}

func (w *svgWriter) end(tag string) { w.b.WriteString("</" + tag + ">") }

// empty writes an element without content.
func (w *svgWriter) empty(tag string, attrs ...any) {
	w.b.WriteString("<" + tag)
	w.attrs(attrs)
	w.b.WriteString("/>")
}

// text writes an element holding text.
func (w *svgWriter) text(tag, content string, attrs ...any) {
	w.start(tag, attrs...)
	w.b.WriteString(escape(content))
	w.end(tag)
}

// mark writes a data mark: an element that stands for one number of the table, with a
// <title> that names it for a mouse pointer.
func (w *svgWriter) mark(tag, row, col string, value int, title string, attrs ...any) {
	attrs = append(attrs, "data-row", row, "data-col", col, "data-value", value)
	w.start(tag, attrs...)
	w.text("title", title)
	w.end(tag)
}

// markText is mark for a <text> element that shows content.
func (w *svgWriter) markText(content, row, col string, value int, title string, attrs ...any) {
	attrs = append(attrs, "data-row", row, "data-col", col, "data-value", value)
	w.start("text", attrs...)
	w.text("title", title)
	w.b.WriteString(escape(content))
	w.end("text")
}

func (w *svgWriter) attrs(attrs []any) {
	for i := 0; i+1 < len(attrs); i += 2 {
		name, _ := attrs[i].(string)
		var v string
		switch x := attrs[i+1].(type) {
		case string:
			v = x
		case int:
			v = strconv.Itoa(x)
		case float64:
			v = num(x)
		default:
			v = fmt.Sprint(x)
		}
		w.b.WriteString(" " + name + `="` + escape(v) + `"`)
	}
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

// escape makes s safe as text and as a double-quoted attribute value, in XML and HTML alike.
func escape(s string) string { return escaper.Replace(s) }

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	f = math.Round(f*10) / 10
	if f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// fit shortens s with an ellipsis so that it takes at most width units at the given size.
func fit(s string, width, size float64) string {
	max := int(width / (size * charWidth))
	if max < 2 {
		max = 2
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// niceScale chooses the top of a value axis and its ticks: steps of 1, 2 or 5 times a
// power of ten, about n of them, from zero to at least max.
func niceScale(max, n int) (top int, ticks []int) {
	if max < 1 {
		max = 1
	}
	raw := float64(max) / float64(n)
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step := pow
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			step = m * pow
			break
		}
	}
	s := int(math.Max(1, step))
	top = (max + s - 1) / s * s
	for v := 0; v <= top; v += s {
		ticks = append(ticks, v)
	}
	return top, ticks
}

// The series' looks: a fill class and pattern for areas, a stroke class, dash and marker
// shape for lines. The first series is solid; the others are hatched or dotted, so that they
// differ in print and in forced colours too.
const seriesLooks = 5

// defs writes the patterns for n series of the chart: a light ground (class pbN) with ink
// in the series' colour (kN strokes, fN dots), which a style sheet may recolour.
func (w *svgWriter) defs(n int) {
	w.start("defs")
	for i := 1; i < min(n, seriesLooks); i++ {
		k, f := "pattern-ink k"+strconv.Itoa(i), "pattern-ink f"+strconv.Itoa(i)
		w.start("pattern", "id", w.patternID(i), "patternUnits", "userSpaceOnUse", "width", 6, "height", 6)
		w.empty("rect", "class", "pattern-bg pb"+strconv.Itoa(i), "width", 6, "height", 6, "fill", "currentColor", "fill-opacity", 0.25)
		switch i {
		case 1: // diagonal lines
			w.empty("path", "class", k, "d", "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2", "stroke", "currentColor", "stroke-width", 1.5, "fill", "none")
		case 2: // dots
			w.empty("circle", "class", f, "cx", 3, "cy", 3, "r", 1.4, "fill", "currentColor")
		case 3: // cross-hatch
			w.empty("path", "class", k, "d", "M0,0 l6,6 M6,0 l-6,6", "stroke", "currentColor", "stroke-width", 1, "fill", "none")
		case 4: // horizontal lines
			w.empty("path", "class", k, "d", "M0,1.5 h6 M0,4.5 h6", "stroke", "currentColor", "stroke-width", 1, "fill", "none")
		}
		w.end("pattern")
	}
	w.end("defs")
}

func (w *svgWriter) patternID(i int) string { return w.id + "-p" + strconv.Itoa(i) }

// areaLook returns the attributes that fill an area in series i's look.
func (w *svgWriter) areaLook(i int) []any {
	i %= seriesLooks
	if i == 0 {
		return []any{"class", "mark f0", "fill", "currentColor"}
	}
	return []any{"class", "mark patterned", "fill", "url(#" + w.patternID(i) + ")", "stroke", "currentColor", "stroke-width", 0.5}
}

// dashes are the lines' dash patterns by series.
var dashes = []string{"", "6 3", "2 3", "8 3 2 3", "1 2"}

// markerShape returns the element and attributes of series i's marker shape (circle,
// square, triangle, diamond, cross) centred on x, y, with its class suffix.
func markerShape(i int, x, y, r float64) (tag, class string, attrs []any) {
	class = "f" + strconv.Itoa(i%seriesLooks)
	switch i % seriesLooks {
	case 0:
		return "circle", class, []any{"cx", x, "cy", y, "r", r, "fill", "currentColor"}
	case 1:
		return "rect", class, []any{"x", x - r, "y", y - r, "width", 2 * r, "height", 2 * r, "fill", "currentColor"}
	case 2:
		d := fmt.Sprintf("M%s,%s L%s,%s L%s,%s Z", num(x), num(y-r*1.2), num(x+r*1.1), num(y+r*0.9), num(x-r*1.1), num(y+r*0.9))
		return "path", class, []any{"d", d, "fill", "currentColor"}
	case 3:
		d := fmt.Sprintf("M%s,%s L%s,%s L%s,%s L%s,%s Z", num(x), num(y-r*1.3), num(x+r*1.3), num(y), num(x), num(y+r*1.3), num(x-r*1.3), num(y))
		return "path", class, []any{"d", d, "fill", "currentColor"}
	default:
		d := fmt.Sprintf("M%s,%s l%s,%s M%s,%s l%s,%s", num(x-r), num(y-r), num(2*r), num(2*r), num(x+r), num(y-r), num(-2*r), num(2*r))
		return "path", "k4", []any{"d", d, "stroke", "currentColor", "stroke-width", 2, "fill", "none"}
	}
}

// marker writes a data point of series i in its marker shape.
func (w *svgWriter) marker(i int, x, y, r float64, row, col string, value int, title string) {
	tag, class, attrs := markerShape(i, x, y, r)
	w.mark(tag, row, col, value, title, append([]any{"class", "mark " + class}, attrs...)...)
}

// legend writes one line per entry (a sample of the series' look and its name) from x, y
// down, and returns the y below it. Lines draw a stroke and marker; areas a swatch.
func (w *svgWriter) legend(names []string, x, y, width float64, lines bool) float64 {
	for i, name := range names {
		cy := y + 9
		if lines {
			w.empty("line", "class", "k"+strconv.Itoa(i%seriesLooks), "x1", x, "y1", cy, "x2", x+22, "y2", cy,
				"stroke", "currentColor", "stroke-width", 2, "stroke-dasharray", dashes[i%seriesLooks])
			tag, class, attrs := markerShape(i, x+11, cy, 3.5)
			w.empty(tag, append([]any{"class", "swatch " + class}, attrs...)...)
		} else {
			look := w.areaLook(i)
			look[1] = strings.Replace(look[1].(string), "mark", "swatch", 1)
			w.empty("rect", append(look, "x", x, "y", cy-6, "width", 22, "height", 12)...)
		}
		w.text("text", fit(name, width-30, smallFontSize), "x", x+28, "y", cy+4, "font-size", smallFontSize, "fill", "currentColor")
		y += 18
	}
	return y
}

// valueAxis draws horizontal grid lines with their values at the left, from y0 (zero) up to
// y1 (top), between x0 and x1.
func (w *svgWriter) valueAxis(ticks []int, top int, x0, x1, y0, y1 float64, nf NumberFormat) {
	for _, v := range ticks {
		y := y0 - (y0-y1)*float64(v)/float64(top)
		class := "grid"
		if v == 0 {
			class = "axis"
		}
		w.empty("line", "class", class, "x1", x0, "y1", y, "x2", x1, "y2", y, "stroke", "currentColor", "stroke-width", 1)
		w.text("text", nf.Int(v), "x", x0-5, "y", y+4, "text-anchor", "end", "font-size", smallFontSize, "fill", "currentColor")
	}
}

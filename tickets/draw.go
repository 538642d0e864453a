package tickets

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// ptToMM converts a font size in points to millimetres.
const ptToMM = 25.4 / 72

type rgb struct{ r, g, b int }

// A calm palette: near-black text, one grey for secondary text, hairlines and a tint.
var (
	ink   = rgb{28, 31, 35}
	muted = rgb{88, 93, 99}
	faint = rgb{140, 145, 150}
	rule  = rgb{200, 204, 208}
	tint  = rgb{242, 243, 245}
)

// doc wraps one gofpdf document with the few drawing operations the documents use.
// All text passed to it must have gone through clean.
type doc struct {
	pdf   *gofpdf.Fpdf
	fs    *fontSet
	bold  bool    // the current font style is "B"
	size  float64 // the current font size in points
	color rgb     // the current text colour
	// boldOps draws bold text in the current colour and size; made when first needed, as a
	// door list of 25,000 people draws 50,000 bold texts in a handful of styles.
	boldOps string
}

func (r *Renderer) newDoc(title string) *doc {
	pdf := r.fonts.newDoc()
	pdf.SetTitle(title, true)
	return &doc{pdf: pdf, fs: r.fonts}
}

func (d *doc) clean(s string) string { return d.fs.clean(s) }

// font selects the size and style: "" or "B" for bold.
func (d *doc) font(style string, size float64) {
	if size != d.size { // gofpdf writes the font out again even when it is the same
		d.pdf.SetFont(family, "", size)
	}
	d.bold, d.size = style == "B", size
	d.boldOps = ""
}

func (d *doc) textColor(c rgb) {
	d.pdf.SetTextColor(c.r, c.g, c.b)
	d.color = c
	d.boldOps = ""
}

func (d *doc) hline(x1, x2, y float64, c rgb, width float64) {
	d.pdf.SetDrawColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(width)
	d.pdf.Line(x1, y, x2, y)
}

// boldStroke is the outline stroke, in em, that makes Go Regular look bold;
// boldSpacing is the extra space after each bold character that keeps the
// thicker letters as far apart as regular ones.
const boldStroke, boldSpacing = 0.045, 0.03

// width returns the width of s in the current font and style, in millimetres.
func (d *doc) width(s string) float64 {
	w := d.pdf.GetStringWidth(s)
	if d.bold {
		w += float64(utf8.RuneCountInString(s)) * boldSpacing * d.size * ptToMM
	}
	return w
}

// text writes s with its baseline at y. Bold text is filled and stroked
// (text rendering mode 2) in the text colour.
func (d *doc) text(x, y float64, s string) {
	if s == "" {
		return
	}
	if !d.bold {
		d.pdf.Text(x, y, s)
		return
	}
	d.texts(placed{x, y, s})
}

// placed is a text and where its baseline starts.
type placed struct {
	x, y float64
	s    string
}

// texts writes several texts in the current font, style and colour: bold ones inside
// one graphics state, which saves a door list of 25,000 people 25,000 of them.
func (d *doc) texts(ts ...placed) {
	if d.bold {
		if d.boldOps == "" {
			d.boldOps = fmt.Sprintf("q %.3f %.3f %.3f RG %.3f w 1 j 2 Tr %.3f Tc",
				float64(d.color.r)/255, float64(d.color.g)/255, float64(d.color.b)/255, boldStroke*d.size, boldSpacing*d.size)
		}
		d.pdf.RawWriteStr(d.boldOps)
		defer d.pdf.RawWriteStr("Q")
	}
	for _, t := range ts {
		if t.s != "" {
			d.pdf.Text(t.x, t.y, t.s)
		}
	}
}

// textRight writes s ending at x.
func (d *doc) textRight(x, y float64, s string) { d.text(x-d.width(s), y, s) }

// textCenter writes s centred on x.
func (d *doc) textCenter(x, y float64, s string) { d.text(x-d.width(s)/2, y, s) }

// fit returns s, shortened with an ellipsis if it is wider than w in the current font.
func (d *doc) fit(s string, w float64) string {
	// Most names are far shorter than their column, and counting runes proves it without
	// measuring.
	perRune := d.fs.widest * d.size * ptToMM
	if d.bold {
		perRune += boldSpacing * d.size * ptToMM
	}
	if float64(utf8.RuneCountInString(s))*perRune <= w {
		return s
	}
	if d.width(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 {
		rs = rs[:len(rs)-1]
		t := string(rs) + "…"
		if d.width(t) <= w {
			return t
		}
	}
	return ""
}

// fitSize returns the largest size from max down to min, in steps of 1 pt, at
// which s fits in w with style; min if none does.
func (d *doc) fitSize(s, style string, w, max, min float64) float64 {
	d.font(style, max)
	width := d.width(s)
	if width <= w {
		return max
	}
	// Width scales with size, so compute instead of trying.
	size := max * w / width
	if size < min {
		return min
	}
	return float64(int(size*2)) / 2
}

// lines wraps s to width w in the current font, in at most max lines; the last
// line is shortened with an ellipsis if text is left over.
func (d *doc) lines(s string, w float64, max int) []string {
	if d.bold {
		// SplitText does not know about the extra spacing: allow for it on average.
		w /= 1 + boldSpacing*2
	}
	ls := d.pdf.SplitText(s, w)
	if len(ls) > max {
		ls = ls[:max]
		ls[max-1] = d.fit(ls[max-1]+" …", w)
	}
	return ls
}

// qr draws a QR code (level M, no quiet zone: keep 4 modules clear around it)
// for payload as size × size millimetres at x, y. The dark modules are written as
// one path of rectangles, one per run in a row, with a single fill, so the code
// is crisp at any zoom and costs no image.
func (d *doc) qr(payload string, x, y, size float64) error {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	k := d.pdf.GetConversionRatio()
	_, pageH := d.pdf.GetPageSize()
	m := size / float64(len(bm)) * k // module size in points
	x0, top := x*k, (pageH-y)*k

	buf := make([]byte, 0, 16*1024)
	buf = append(buf, "q 0 g\n"...)
	for row, cells := range bm {
		yRow := top - float64(row+1)*m
		for col := 0; col < len(cells); {
			if !cells[col] {
				col++
				continue
			}
			start := col
			for col < len(cells) && cells[col] {
				col++
			}
			buf = strconv.AppendFloat(buf, x0+float64(start)*m, 'f', 2, 64)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, yRow, 'f', 2, 64)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, float64(col-start)*m, 'f', 2, 64)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, m, 'f', 2, 64)
			buf = append(buf, " re\n"...)
		}
	}
	buf = append(buf, "f Q"...)
	d.pdf.RawWriteStr(string(buf))
	return nil
}

// cropMarks draws the cut lines of a grid of cells outside it: at every column
// edge above and below the grid, at every row edge left and right of it.
func (d *doc) cropMarks(x, y, cellW, cellH float64, cols, rows int) {
	const gap, length = 2.0, 6.0
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.2)
	right, bottom := x+float64(cols)*cellW, y+float64(rows)*cellH
	for c := 0; c <= cols; c++ {
		cx := x + float64(c)*cellW
		d.pdf.Line(cx, y-gap-length, cx, y-gap)
		d.pdf.Line(cx, bottom+gap, cx, bottom+gap+length)
	}
	for r := 0; r <= rows; r++ {
		cy := y + float64(r)*cellH
		d.pdf.Line(x-gap-length, cy, x-gap, cy)
		d.pdf.Line(right+gap, cy, right+gap+length, cy)
	}
}

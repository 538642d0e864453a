package pdf

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// PtToMM converts a font size in points to millimetres.
const PtToMM = 25.4 / 72

// Color is a colour as red, green and blue from 0 to 255.
type Color struct{ r, g, b int }

// A calm palette: near-black text, one grey for secondary text, hairlines and a tint.
var (
	Ink   = Color{28, 31, 35}    // text
	Muted = Color{88, 93, 99}    // secondary text
	Faint = Color{140, 145, 150} // footers, quiet hairlines
	Rule  = Color{200, 204, 208} // rules between parts
	Tint  = Color{242, 243, 245} // a light fill behind a heading or row
)

// Doc is one A4 document in millimetres, from the top left of the page, with the few
// drawing operations tickets, badges and door lists use. All text passed to it must have
// gone through Clean.
type Doc struct {
	pdf   *gofpdf.Fpdf
	fs    *Fonts
	bold  bool    // the current font is bold
	size  float64 // the current font size in points
	color Color   // the current text colour
	// boldOps draws bold text in the current colour and size; made when first needed, as a
	// door list of 25,000 people draws 50,000 bold texts in a handful of styles.
	boldOps string
	lang    string // the natural language, written into the catalogue (see meta.go)
}

// NewDoc returns an empty document with title (as it is: clean it first if it comes from
// people) and Dagplanner as its author and creator. Give it a subject and a language too
// (SetSubject, SetLang): see meta.go for what a document says about itself.
func (fs *Fonts) NewDoc(title string) *Doc {
	pdf := fs.newFpdf()
	pdf.SetTitle(title, true)
	pdf.SetAuthor(author, true)
	return &Doc{pdf: pdf, fs: fs}
}

// Clean returns s ready to print; see Fonts.Clean.
func (d *Doc) Clean(s string) string { return d.fs.Clean(s) }

// AddPage starts a new portrait page.
func (d *Doc) AddPage() { d.pdf.AddPage() }

// Uncompressed leaves the pages uncompressed: gofpdf compresses each page with a zlib
// writer of its own, a megabyte to set up, which a document of hundreds of pages pays
// for each page.
func (d *Doc) Uncompressed() { d.pdf.SetCompression(false) }

// Font selects the size in points, bold or regular.
func (d *Doc) Font(bold bool, size float64) {
	if size != d.size { // gofpdf writes the font out again even when it is the same
		d.pdf.SetFont(family, "", size)
	}
	d.bold, d.size = bold, size
	d.boldOps = ""
}

// TextColor sets the colour of the text that follows.
func (d *Doc) TextColor(c Color) {
	d.pdf.SetTextColor(c.r, c.g, c.b)
	d.color = c
	d.boldOps = ""
}

// HLine draws a horizontal line of width (mm) in colour c.
func (d *Doc) HLine(x1, x2, y float64, c Color, width float64) {
	d.pdf.SetDrawColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(width)
	d.pdf.Line(x1, y, x2, y)
}

// FillColor sets the colour FillRect fills with.
func (d *Doc) FillColor(c Color) { d.pdf.SetFillColor(c.r, c.g, c.b) }

// DrawColor sets the colour StrokeRect draws with.
func (d *Doc) DrawColor(c Color) { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// LineWidth sets the width of the lines StrokeRect draws, in millimetres.
func (d *Doc) LineWidth(w float64) { d.pdf.SetLineWidth(w) }

// FillRect fills a rectangle in the fill colour.
func (d *Doc) FillRect(x, y, w, h float64) { d.pdf.Rect(x, y, w, h, "F") }

// StrokeRect draws a rectangle's outline in the draw colour and line width.
func (d *Doc) StrokeRect(x, y, w, h float64) { d.pdf.Rect(x, y, w, h, "D") }

// Output writes the finished document to w; what names it in an error.
func (d *Doc) Output(w io.Writer, what string) error { return output(d, w, what) }

// boldStroke is the outline stroke, in em, that makes Go Regular look bold;
// boldSpacing is the extra space after each bold character that keeps the
// thicker letters as far apart as regular ones.
const boldStroke, boldSpacing = 0.045, 0.03

// Width returns the width of s in the current font and style, in millimetres.
func (d *Doc) Width(s string) float64 {
	w := d.pdf.GetStringWidth(s)
	if d.bold {
		w += float64(utf8.RuneCountInString(s)) * boldSpacing * d.size * PtToMM
	}
	return w
}

// Text writes s with its baseline at y. Bold text is filled and stroked
// (text rendering mode 2) in the text colour.
func (d *Doc) Text(x, y float64, s string) {
	if s == "" {
		return
	}
	if !d.bold {
		d.pdf.Text(x, y, s)
		return
	}
	d.Texts(Placed{x, y, s})
}

// Placed is a text and where its baseline starts.
type Placed struct {
	X, Y float64
	S    string
}

// Texts writes several texts in the current font, style and colour: bold ones inside
// one graphics state, which saves a door list of 25,000 people 25,000 of them.
func (d *Doc) Texts(ts ...Placed) {
	if d.bold {
		if d.boldOps == "" {
			d.boldOps = fmt.Sprintf("q %.3f %.3f %.3f RG %.3f w 1 j 2 Tr %.3f Tc",
				float64(d.color.r)/255, float64(d.color.g)/255, float64(d.color.b)/255, boldStroke*d.size, boldSpacing*d.size)
		}
		d.pdf.RawWriteStr(d.boldOps)
		defer d.pdf.RawWriteStr("Q")
	}
	for _, t := range ts {
		if t.S != "" {
			d.pdf.Text(t.X, t.Y, t.S)
		}
	}
}

// TextRight writes s ending at x.
func (d *Doc) TextRight(x, y float64, s string) { d.Text(x-d.Width(s), y, s) }

// TextCenter writes s centred on x.
func (d *Doc) TextCenter(x, y float64, s string) { d.Text(x-d.Width(s)/2, y, s) }

// Fit returns s, shortened with an ellipsis if it is wider than w in the current font.
func (d *Doc) Fit(s string, w float64) string {
	// Most names are far shorter than their column, and counting runes proves it without
	// measuring.
	perRune := d.fs.widest * d.size * PtToMM
	if d.bold {
		perRune += boldSpacing * d.size * PtToMM
	}
	if float64(utf8.RuneCountInString(s))*perRune <= w {
		return s
	}
	if d.Width(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 {
		rs = rs[:len(rs)-1]
		t := string(rs) + "…"
		if d.Width(t) <= w {
			return t
		}
	}
	return ""
}

// Paragraph writes s wrapped to width w in at most max lines (see Lines), in the current
// font, style and colour: each line's baseline lead times the font size below the one before,
// the first below y. It returns the last baseline (y when s is empty).
func (d *Doc) Paragraph(x, y, w float64, s string, max int, lead float64) float64 {
	for _, l := range d.Lines(s, w, max) {
		y += d.size * PtToMM * lead
		d.Text(x, y, l)
	}
	return y
}

// FitSize returns the largest size from max down to min, in steps of 1 pt, at
// which s fits in w, bold or not; min if none does.
func (d *Doc) FitSize(s string, bold bool, w, max, min float64) float64 {
	d.Font(bold, max)
	width := d.Width(s)
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

// Lines wraps s to width w in the current font, in at most max lines; the last
// line is shortened with an ellipsis if text is left over.
func (d *Doc) Lines(s string, w float64, max int) []string {
	if d.bold {
		// SplitText does not know about the extra spacing: allow for it on average.
		w /= 1 + boldSpacing*2
	}
	ls := d.pdf.SplitText(s, w)
	if len(ls) > max {
		ls = ls[:max]
		ls[max-1] = d.Fit(ls[max-1]+" …", w)
	}
	return ls
}

// QR draws a QR code (level M, no quiet zone: keep 4 modules clear around it)
// for payload as size × size millimetres at x, y. The dark modules are written as
// one path of rectangles, one per run in a row, with a single fill, so the code
// is crisp at any zoom and costs no image.
func (d *Doc) QR(payload string, x, y, size float64) error {
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

// CropMarks draws the cut lines of a grid of cells outside it: at every column
// edge above and below the grid, at every row edge left and right of it.
func (d *Doc) CropMarks(x, y, cellW, cellH float64, cols, rows int) {
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

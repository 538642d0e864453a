package tickets

import (
	"io"
)

// Sheet is a plain A4 PDF for printouts made outside this package, such as the
// schedule's programme and door signs. It draws with the same embedded font and
// text cleaning as the tickets, so any text prints and gofpdf stays behind this
// package. Coordinates are millimetres from the top left of the page.
type Sheet struct {
	d         *doc
	landscape bool
	title     string
}

// NewSheet returns an empty document; landscape turns every page sideways.
func NewSheet(title string, landscape bool) (*Sheet, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	pdf := fs.newDoc()
	pdf.SetTitle(fs.clean(title), true)
	s := &Sheet{d: &doc{pdf: pdf, fs: fs}, landscape: landscape, title: title}
	s.d.textColor(ink)
	return s, nil
}

// AddPage starts a new page.
func (s *Sheet) AddPage() {
	if s.landscape {
		s.d.pdf.AddPageFormat("L", s.d.pdf.GetPageSizeStr("A4"))
	} else {
		s.d.pdf.AddPage()
	}
	s.d.textColor(s.d.color)
}

// Size returns the width and height of the current page.
func (s *Sheet) Size() (w, h float64) {
	w, h = s.d.pdf.GetPageSize()
	if s.landscape && w < h {
		w, h = h, w
	}
	return w, h
}

// Font selects the text size in points, bold or regular.
func (s *Sheet) Font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	s.d.font(style, size)
}

// Muted switches between the grey of secondary text and the normal near-black.
func (s *Sheet) Muted(on bool) {
	if on {
		s.d.textColor(muted)
	} else {
		s.d.textColor(ink)
	}
}

// Text writes text with its baseline at y.
func (s *Sheet) Text(x, y float64, text string) { s.d.text(x, y, s.d.clean(text)) }

// TextRight writes text ending at x.
func (s *Sheet) TextRight(x, y float64, text string) { s.d.textRight(x, y, s.d.clean(text)) }

// Width returns the width of text in the current font.
func (s *Sheet) Width(text string) float64 { return s.d.width(s.d.clean(text)) }

// Wrap breaks text into lines no wider than w in the current font. With max above
// zero, at most max lines are returned and the last one ends in an ellipsis if text
// is left over; with max zero all the text is kept.
func (s *Sheet) Wrap(text string, w float64, max int) []string {
	text = s.d.clean(text)
	if max > 0 {
		return s.d.lines(text, w, max)
	}
	if s.d.bold {
		w /= 1 + boldSpacing*2
	}
	return s.d.pdf.SplitText(text, w)
}

// FitSize returns the largest font size from max down to min, in half points, at
// which text fits on one line of width w; min if none does.
func (s *Sheet) FitSize(text string, bold bool, w, max, min float64) float64 {
	style := ""
	if bold {
		style = "B"
	}
	return s.d.fitSize(s.d.clean(text), style, w, max, min)
}

// Rule draws a thin grey horizontal line.
func (s *Sheet) Rule(x1, x2, y float64) { s.d.hline(x1, x2, y, rule, 0.3) }

// Band fills a rectangle with a light tint, to set off a heading or a row.
func (s *Sheet) Band(x, y, w, h float64) {
	s.d.pdf.SetFillColor(tint.r, tint.g, tint.b)
	s.d.pdf.Rect(x, y, w, h, "F")
}

// Output writes the finished document to w in one piece.
func (s *Sheet) Output(w io.Writer) error { return output(s.d, w, s.title) }

package pdf

import (
	"io"
)

// Sheet is a plain A4 PDF for printouts such as the schedule's programme and door signs.
// It draws with the same embedded font and text cleaning as the tickets, and cleans every
// text it is given, so any text prints. Coordinates are millimetres from the top left of
// the page.
type Sheet struct {
	d         *Doc
	landscape bool
	title     string
}

// NewSheet returns an empty document; landscape turns every page sideways.
func NewSheet(title string, landscape bool) (*Sheet, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	s := &Sheet{d: fs.NewDoc(fs.Clean(title)), landscape: landscape, title: title}
	s.d.TextColor(Ink)
	return s, nil
}

// AddPage starts a new page.
func (s *Sheet) AddPage() {
	if s.landscape {
		s.d.pdf.AddPageFormat("L", s.d.pdf.GetPageSizeStr("A4"))
	} else {
		s.d.pdf.AddPage()
	}
	s.d.TextColor(s.d.color)
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
	s.d.Font(bold, size)
}

// Muted switches between the grey of secondary text and the normal near-black.
func (s *Sheet) Muted(on bool) {
	if on {
		s.d.TextColor(Muted)
	} else {
		s.d.TextColor(Ink)
	}
}

// Text writes text with its baseline at y.
func (s *Sheet) Text(x, y float64, text string) { s.d.Text(x, y, s.d.Clean(text)) }

// TextRight writes text ending at x.
func (s *Sheet) TextRight(x, y float64, text string) { s.d.TextRight(x, y, s.d.Clean(text)) }

// Width returns the width of text in the current font.
func (s *Sheet) Width(text string) float64 { return s.d.Width(s.d.Clean(text)) }

// Wrap breaks text into lines no wider than w in the current font. With max above
// zero, at most max lines are returned and the last one ends in an ellipsis if text
// is left over; with max zero all the text is kept.
func (s *Sheet) Wrap(text string, w float64, max int) []string {
	text = s.d.Clean(text)
	if max > 0 {
		return s.d.Lines(text, w, max)
	}
	if s.d.bold {
		w /= 1 + boldSpacing*2
	}
	return s.d.pdf.SplitText(text, w)
}

// FitSize returns the largest font size from max down to min, in half points, at
// which text fits on one line of width w; min if none does.
func (s *Sheet) FitSize(text string, bold bool, w, max, min float64) float64 {
	return s.d.FitSize(s.d.Clean(text), bold, w, max, min)
}

// Rule draws a thin grey horizontal line.
func (s *Sheet) Rule(x1, x2, y float64) { s.d.HLine(x1, x2, y, Rule, 0.3) }

// Band fills a rectangle with a light tint, to set off a heading or a row.
func (s *Sheet) Band(x, y, w, h float64) {
	s.d.pdf.SetFillColor(Tint.r, Tint.g, Tint.b)
	s.d.pdf.Rect(x, y, w, h, "F")
}

// Output writes the finished document to w in one piece.
func (s *Sheet) Output(w io.Writer) error { return output(s.d, w, s.title) }

// SetSubject sets the document's subject: what it is for.
func (s *Sheet) SetSubject(subject string) { s.d.SetSubject(subject) }

// SetLang sets the document's natural language, a BCP 47 tag such as "nl" or "en".
func (s *Sheet) SetLang(lang string) { s.d.SetLang(lang) }

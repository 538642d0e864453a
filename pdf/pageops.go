package pdf

import (
	"reflect"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// PageOps writes a page's many rows of text as PDF operators into one buffer of our own,
// handed to gofpdf once per page. Through gofpdf every text is several formatted strings,
// a UTF-16 copy and a few writes into a page buffer grown by doubling: for the door list
// of 25,000 people, 100,000 texts, that was 200 MB of garbage and most of its second of
// rendering. The operators are the ones gofpdf writes for the same text (Doc.Text).
//
// gofpdf must still learn which characters were used, to embed them in the font subset,
// and the font's resource name; both sit in unexported fields (see fontSet for why that
// is done at all). If a gofpdf release moves them, NewPageOps reports false and the
// caller draws through gofpdf instead: slower, the same page.
type PageOps struct {
	buf     []byte
	fontID  string        // the font's resource name, "/F" + fontID
	k, h    float64       // points per millimetre and the page height in millimetres
	used    [1024]uint64  // bit r is set if rune r was written (r < 0x10000)
	usedMap reflect.Value // the document's map[int]int of used runes
	widths  []int         // advance per rune in thousandths of an em, as gofpdf measures
	missing int           // the advance of a rune without a width
	d       *Doc
}

// NewPageOps returns operators for d's current font, or false if gofpdf's fields are not
// where they were.
func NewPageOps(d *Doc) (*PageOps, bool) {
	font, ok := unexported(reflect.ValueOf(d.pdf).Elem(), "currentFont", reflect.Struct)
	if !ok {
		return nil, false
	}
	id, ok1 := unexported(font, "i", reflect.String)
	used, ok2 := unexported(font, "usedRunes", reflect.Map)
	cw, ok3 := unexported(font, "Cw", reflect.Slice)
	if !ok1 || !ok2 || !ok3 || used.IsNil() || used.Type() != reflect.TypeFor[map[int]int]() ||
		cw.Type() != reflect.TypeFor[[]int]() || id.String() == "" {
		return nil, false
	}
	missing := 500
	if desc := d.pdf.GetFontDesc(family, ""); desc.MissingWidth != 0 {
		missing = desc.MissingWidth
	}
	_, h := d.pdf.GetPageSize()
	return &PageOps{fontID: id.String(), k: d.pdf.GetConversionRatio(), h: h, usedMap: used, d: d,
		widths: cw.Interface().([]int), missing: missing, buf: make([]byte, 0, 32<<10)}, true
}

// Clean returns s ready to print; see Fonts.Clean.
func (p *PageOps) Clean(s string) string { return p.d.Clean(s) }

// Width returns the width of s at size points, in millimetres, as Doc.Width measures it.
func (p *PageOps) Width(s string, size float64, bold bool) float64 {
	w, n := 0, 0
	for _, r := range s {
		w += p.advance(r)
		n++
	}
	return p.mm(w, n, size, bold)
}

// advance is the advance of r in thousandths of an em, as gofpdf measures it.
func (p *PageOps) advance(r rune) int {
	if r >= 0 && int(r) < len(p.widths) && p.widths[r] > 0 {
		if p.widths[r] == 65535 {
			return 0
		}
		return p.widths[r]
	}
	return p.missing
}

// mm converts n runes of advances adding up to w to millimetres at size points.
func (p *PageOps) mm(w, n int, size float64, bold bool) float64 {
	mm := float64(w) * (size / p.k) / 1000 // in gofpdf's order, so both round alike
	if bold {
		mm += float64(n) * boldSpacing * size * PtToMM
	}
	return mm
}

// Fit returns s, shortened with an ellipsis if it is wider than w: what Doc.Fit returns
// (the longest beginning that fits with the ellipsis), without a string per try.
func (p *PageOps) Fit(s string, w, size float64, bold bool) string {
	if p.Width(s, size, bold) <= w {
		return s
	}
	ellipsis := p.advance('…')
	cut, width, n := -1, 0, 0
	for i, r := range s {
		if p.mm(width+ellipsis, n+1, size, bold) > w {
			break
		}
		cut = i
		width += p.advance(r)
		n++
	}
	if cut < 0 {
		return ""
	}
	return s[:cut] + "…"
}

// Rect draws a rectangle, filled (op "f") or stroked (op "S"), as gofpdf's Rect does.
func (p *PageOps) Rect(x, y, w, h float64, op string) {
	for _, v := range [4]float64{x * p.k, (p.h - y) * p.k, w * p.k, -h * p.k} {
		p.buf = strconv.AppendFloat(p.buf, v, 'f', 2, 64)
		p.buf = append(p.buf, ' ')
	}
	p.buf = append(p.buf, "re "...)
	p.buf = append(p.buf, op...)
	p.buf = append(p.buf, '\n')
}

// Font sets the font size, in points, for the texts that follow within the same q … Q.
func (p *PageOps) Font(size float64) {
	p.buf = append(p.buf, "/F"...)
	p.buf = append(p.buf, p.fontID...)
	p.buf = append(p.buf, ' ')
	p.buf = strconv.AppendFloat(p.buf, size, 'f', 2, 64)
	p.buf = append(p.buf, " Tf\n"...)
}

// Fill sets the fill colour, which text is drawn in.
func (p *PageOps) Fill(c Color) {
	p.buf = p.color(c)
	p.buf = append(p.buf, " rg\n"...)
}

// Bold makes the texts that follow look bold in colour c at size pt, as Doc.Text does,
// until Regular.
func (p *PageOps) Bold(c Color, size float64) {
	p.buf = p.color(c)
	p.buf = append(p.buf, " RG "...)
	p.buf = strconv.AppendFloat(p.buf, boldStroke*size, 'f', 3, 64)
	p.buf = append(p.buf, " w 1 j 2 Tr "...)
	p.buf = strconv.AppendFloat(p.buf, boldSpacing*size, 'f', 3, 64)
	p.buf = append(p.buf, " Tc\n"...)
}

// BoldAgain makes the texts that follow look bold at size pt again after Regular, within
// the same q … Q as Bold: the stroke colour and width Bold set still hold.
func (p *PageOps) BoldAgain(size float64) {
	p.buf = append(p.buf, "2 Tr "...)
	p.buf = strconv.AppendFloat(p.buf, boldSpacing*size, 'f', 3, 64)
	p.buf = append(p.buf, " Tc\n"...)
}

// Regular ends Bold.
func (p *PageOps) Regular() { p.buf = append(p.buf, "0 Tr 0 Tc\n"...) }

func (p *PageOps) color(c Color) []byte {
	b := strconv.AppendFloat(p.buf, float64(c.r)/255, 'f', 3, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, float64(c.g)/255, 'f', 3, 64)
	b = append(b, ' ')
	return strconv.AppendFloat(b, float64(c.b)/255, 'f', 3, 64)
}

// Text writes s, already cleaned, with its baseline starting at x, y (millimetres).
func (p *PageOps) Text(x, y float64, s string) {
	if s == "" {
		return
	}
	p.buf = append(p.buf, "BT "...)
	p.buf = strconv.AppendFloat(p.buf, x*p.k, 'f', 2, 64)
	p.buf = append(p.buf, ' ')
	p.buf = strconv.AppendFloat(p.buf, (p.h-y)*p.k, 'f', 2, 64)
	p.buf = append(p.buf, " Td ("...)
	// UTF-16BE, escaped as gofpdf escapes it: the font is a Type0 font with Identity-H.
	for _, r := range s {
		if r >= 0x10000 || r == utf8.RuneError {
			r = '?' // clean leaves none; keep the two-byte encoding whole regardless
		}
		p.used[r>>6] |= 1 << (r & 63)
		for _, b := range [2]byte{byte(r >> 8), byte(r)} {
			if b == '\\' || b == '(' || b == ')' || b == '\r' {
				p.buf = append(p.buf, '\\')
				if b == '\r' {
					b = 'r'
				}
			}
			p.buf = append(p.buf, b)
		}
	}
	p.buf = append(p.buf, ") Tj ET\n"...)
}

// Raw appends operators as they are.
func (p *PageOps) Raw(ops string) { p.buf = append(p.buf, ops...) }

// Flush hands the operators written so far to the current page.
func (p *PageOps) Flush() {
	if len(p.buf) > 0 {
		// gofpdf copies the string into the page at once, and buf is not touched before.
		ops := unsafe.String(unsafe.SliceData(p.buf), len(p.buf)-1) // RawWriteStr adds the last newline
		p.d.pdf.RawWriteStr(ops)
		p.buf = p.buf[:0]
	}
}

// Close tells gofpdf which characters were written, so the font subset holds them.
func (p *PageOps) Close() {
	p.Flush()
	for i, word := range p.used {
		for bit := 0; word != 0; bit, word = bit+1, word>>1 {
			if word&1 != 0 {
				r := reflect.ValueOf(i<<6 | bit)
				p.usedMap.SetMapIndex(r, r)
			}
		}
	}
}

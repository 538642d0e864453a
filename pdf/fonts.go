package pdf

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// The documents use one font, Go Regular, embedded as a UTF-8 TrueType subset;
// bold is drawn by also stroking the glyph outlines (see doc.text). Each embedded
// UTF-8 font costs gofpdf about 0.9 ms per document whatever its use (among other
// things it compresses a 128 KB glyph map), which Go Bold would add to every ticket.
// The family's name is as long as it is for the subset tag: see subsettag.go.
const family = "goregularttf"

// Fonts holds the Go fonts, parsed once per process; every document is made from it.
//
// gofpdf parses a UTF-8 font and hashes its whole width table (JSON-encoding 65,536
// numbers) every time a document adds it: over 1 ms, a third of a ticket's time. So fonts are added once to proto and each new document gets
// copies of proto's font entries. gofpdf offers no API for that, so copyFonts
// reaches into its unexported fields; the copies share only read-only data (the
// font bytes and width table) and get their own used-rune set and subsetting state,
// so documents can be made concurrently. If a gofpdf release (or its successor
// codeberg.org/go-pdf/fpdf) changes those fields, the probe in loadFonts fails and
// every document adds the fonts itself: slower, but the same PDF.
type Fonts struct {
	proto  *gofpdf.Fpdf
	ttf    []byte       // Go Regular, slimmed
	fast   bool         // copyFonts works with this gofpdf
	glyphs [1024]uint64 // bit r is set if the font has a glyph for rune r (r < 0x10000)
	widest float64      // the widest glyph's advance, in em
}

// LoadFonts returns the fonts, parsing them on the first call; later calls return the same.
func LoadFonts() (*Fonts, error) { return loadFonts() }

var loadFonts = sync.OnceValues(func() (*Fonts, error) {
	fs := &Fonts{proto: gofpdf.New("P", "mm", "A4", "")}
	slim, err := slimFont(goregular.TTF)
	if err != nil {
		return nil, err
	}
	fs.ttf = slim
	fs.proto.AddUTF8FontFromBytes(family, "", slim)
	if err := fs.proto.Error(); err != nil {
		return nil, fmt.Errorf("load go fonts: %w", err)
	}
	if err := fs.cover(goregular.TTF); err != nil {
		return nil, err
	}
	if fs.widest, err = widestAdvance(goregular.TTF); err != nil {
		return nil, err
	}
	fs.fast = fs.probe()
	return fs, nil
})

// cover records which runes all of fonts have a glyph for.
func (fs *Fonts) cover(fonts ...[]byte) error {
	for i := range fs.glyphs {
		fs.glyphs[i] = ^uint64(0)
	}
	var buf sfnt.Buffer
	for _, ttf := range fonts {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return fmt.Errorf("parse go font: %w", err)
		}
		for r := rune(0); r < 0x10000; r++ {
			if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
				fs.glyphs[r>>6] &^= 1 << (r & 63)
			}
		}
	}
	return nil
}

// widestAdvance returns the advance of the widest glyph in ttf, in em.
func widestAdvance(ttf []byte) (float64, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return 0, fmt.Errorf("parse go font: %w", err)
	}
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(f.UnitsPerEm()) << 6
	widest := fixed.Int26_6(0)
	for gi := range f.NumGlyphs() {
		adv, err := f.GlyphAdvance(&buf, sfnt.GlyphIndex(gi), ppem, font.HintingNone)
		if err != nil {
			return 0, fmt.Errorf("go font glyph %d: %w", gi, err)
		}
		widest = max(widest, adv)
	}
	return float64(widest) / float64(ppem), nil
}

func (fs *Fonts) has(r rune) bool {
	return r >= 0 && r < 0x10000 && fs.glyphs[r>>6]&(1<<(r&63)) != 0
}

// probe reports whether copyFonts works: it must not panic and must give a
// document that renders.
func (fs *Fonts) probe() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	pdf := gofpdf.New("P", "mm", "A4", "")
	if !copyFonts(pdf, fs.proto) {
		return false
	}
	pdf.AddPage()
	pdf.SetFont(family, "", 12)
	pdf.Text(10, 10, "Ζ Ж Å")
	return pdf.Output(io.Discard) == nil
}

// newFpdf returns an empty A4 document in millimetres with the fonts in place.
func (fs *Fonts) newFpdf() *gofpdf.Fpdf {
	pdf := gofpdf.New("P", "mm", "A4", "")
	if !fs.fast || !copyFonts(pdf, fs.proto) {
		pdf.AddUTF8FontFromBytes(family, "", fs.ttf)
	}
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdf.SetCreator(author, true)
	return pdf
}

// copyFonts gives dst copies of src's UTF-8 font entries; see Fonts.
func copyFonts(dst, src *gofpdf.Fpdf) bool {
	from, ok := unexported(reflect.ValueOf(src).Elem(), "fonts", reflect.Map)
	if !ok {
		return false
	}
	to, _ := unexported(reflect.ValueOf(dst).Elem(), "fonts", reflect.Map)
	for it := from.MapRange(); it.Next(); {
		def := reflect.New(it.Value().Type()).Elem()
		def.Set(it.Value())
		used, ok1 := unexported(def, "usedRunes", reflect.Map)
		file, ok2 := unexported(def, "utf8File", reflect.Pointer)
		if !ok1 || !ok2 || file.IsNil() {
			return false
		}
		fresh := reflect.MakeMapWithSize(used.Type(), used.Len())
		for u := used.MapRange(); u.Next(); {
			fresh.SetMapIndex(u.Key(), u.Value())
		}
		used.Set(fresh)
		// The subsetter keeps its state, and a read position, in the font file
		// struct and its reader: each document gets its own.
		fileCopy := reflect.New(file.Type().Elem())
		fileCopy.Elem().Set(file.Elem())
		reader, ok := unexported(fileCopy.Elem(), "fileReader", reflect.Pointer)
		if !ok || reader.IsNil() {
			return false
		}
		readerCopy := reflect.New(reader.Type().Elem())
		readerCopy.Elem().Set(reader.Elem())
		reader.Set(readerCopy)
		file.Set(fileCopy)
		to.SetMapIndex(it.Key(), def)
	}
	return true
}

// unexported returns the settable field name of struct v if it has the kind want.
func unexported(v reflect.Value, name string, want reflect.Kind) (reflect.Value, bool) {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	f := v.FieldByName(name)
	if !f.IsValid() || f.Kind() != want || !f.CanAddr() {
		return reflect.Value{}, false
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem(), true
}

// Clean returns s ready to print: in NFC, with control characters as spaces,
// invisible format characters the font lacks dropped, and other characters the
// font lacks (emoji, CJK) shown as "?", so text never breaks the PDF.
func (fs *Fonts) Clean(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteByte('?')
		case unicode.IsControl(r) || unicode.Is(unicode.Zs, r) && !fs.has(r):
			b.WriteByte(' ')
		case fs.has(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r):
			// invisible: zero-width joiners, emoji variation selectors
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

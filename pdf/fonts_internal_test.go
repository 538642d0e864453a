package pdf

import (
	"testing"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// The fast path (fonts parsed once, copied into each document) must work with
// the gofpdf in go.mod; after a move to codeberg.org/go-pdf/fpdf, adapt copyFonts.
func TestFontsParsedOnce(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	if !fs.fast {
		t.Error("copyFonts does not work with this gofpdf: every document parses the font again")
	}
	for _, r := range "AzÅñŞğΑωЖя€…–’" {
		if !fs.has(r) {
			t.Errorf("font lacks %q", r)
		}
	}
	for _, r := range []rune{'李', 0x1F389, -1} {
		if fs.has(r) {
			t.Errorf("has(%q) = true, want false", r)
		}
	}
}

func TestSlimFont(t *testing.T) {
	slim, err := slimFont(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(slim)
	if err != nil {
		t.Fatalf("sfnt.Parse(slim font) error = %v", err)
	}
	orig, _ := sfnt.Parse(goregular.TTF)
	if got, want := f.NumGlyphs(), orig.NumGlyphs(); got != want {
		t.Errorf("NumGlyphs = %d, want %d", got, want)
	}
	if checksum(slim) != 0xB1B0AFBA {
		t.Errorf("file checksum = %#x, want 0xB1B0AFBA", checksum(slim))
	}
	t.Logf("Go Regular: %d bytes, slimmed: %d", len(goregular.TTF), len(slim))
}

package pdf

import (
	"bytes"
	"crypto/sha256"
	"fmt"
)

// The PDF standard (ISO 32000-1, 9.6.4) asks that an embedded font subset be named with a
// tag of six capital letters, a plus sign and the font's name, "KBQWHE+GoRegular", so that
// readers and print shops do not take the subset for the whole font. gofpdf names a UTF-8
// font "utf8" + its family and cannot tag it, so output renames it in the finished file.
// The family is chosen so that the new name has exactly the length of the old one: no byte
// offset in the file (the cross-reference table) moves.
const (
	// pdfFontName is the font's PostScript name.
	pdfFontName = "GoRegular"
	// gofpdfFontName is the name gofpdf gives the font in the PDF.
	gofpdfFontName = "utf8" + family
)

// The tag and the names it replaces are the same length, or output refuses to build.
var _ = [1]struct{}{}[len("ABCDEF+"+pdfFontName)-len(gofpdfFontName)]

// tagSubset renames the embedded font of pdf to a tagged subset name. The tag is derived
// from the embedded font program, so the same subset always gets the same tag and two
// different subsets (almost surely) get different ones.
func tagSubset(pdf []byte) ([]byte, error) {
	tag, err := subsetTag(pdf)
	if err != nil {
		return nil, err
	}
	// The names are the same length, so they are overwritten where they stand: a door
	// list of 25,000 people is an 18 MB file, and copying it twice over took a tenth of
	// its rendering time.
	n := 0
	for _, key := range []string{"/BaseFont /", "/FontName /"} {
		old, name := []byte(key+gofpdfFontName+"\n"), []byte(key+tag+"+"+pdfFontName+"\n")
		for rest := pdf; ; {
			i := bytes.Index(rest, old)
			if i < 0 {
				break
			}
			copy(rest[i:], name)
			rest = rest[i+len(old):]
			n++
		}
	}
	if n != 3 { // the Type0 font, its CIDFont and the font descriptor
		return nil, fmt.Errorf("tag font subset: found the font's name %d times, want 3", n)
	}
	return pdf, nil
}

// subsetTag returns six capital letters derived from the font program embedded in pdf:
// the stream of the one object with a /Length1 (the length of a TrueType font file).
func subsetTag(pdf []byte) (string, error) {
	i := bytes.Index(pdf, []byte("/Length1 "))
	if i < 0 || bytes.LastIndex(pdf, []byte("/Length1 ")) != i {
		return "", fmt.Errorf("tag font subset: want one embedded font program")
	}
	start := bytes.Index(pdf[i:], []byte("stream\n"))
	end := bytes.Index(pdf[i:], []byte("endstream"))
	if start < 0 || end < start {
		return "", fmt.Errorf("tag font subset: font program not found")
	}
	sum := sha256.Sum256(pdf[i+start : i+end])
	var tag [6]byte
	for j := range tag {
		tag[j] = 'A' + sum[j]%26
	}
	return string(tag[:]), nil
}

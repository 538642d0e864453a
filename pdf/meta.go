package pdf

import (
	"bytes"
	"fmt"
	"strconv"
)

// What the documents say about themselves, for screen readers, search and the reader's
// window title, and what gofpdf cannot do.
//
// Every document carries a title (shown instead of the file name: DisplayDocTitle), the
// author and creator "Dagplanner", a subject saying what it is for, and its natural
// language in the catalogue's /Lang entry, so that a screen reader reads Dutch as Dutch.
// The texts are written in reading order: top to bottom, and a column or a table row
// from left to right, so that text extraction and reflow follow the page.
//
// gofpdf (and its successor go-pdf/fpdf) cannot write a tagged PDF: there is no structure
// tree, no headings or table structure, no alternative text for the QR codes, and so no
// PDF/UA. Every document therefore has the same content as an accessible web page: the
// ticket on the booking page (/boeking/:token), the programme on /programma/:venue, and the
// badges, door lists and door signs, which are for organisers, in the organisers' pages.
// gofpdf also has no call for /Lang or /ViewerPreferences: finish adds them to the
// finished file.

// author is the author and creator of every document.
const author = "Dagplanner"

// SetSubject sets the document's subject (as it is: clean it first if it comes from people).
func (d *Doc) SetSubject(subject string) { d.pdf.SetSubject(subject, true) }

// SetLang sets the document's natural language, a BCP 47 tag such as "nl" or "en".
func (d *Doc) SetLang(lang string) { d.lang = lang }

// catalogEntries returns what finish adds to the document catalogue.
func (d *Doc) catalogEntries() string {
	s := "/ViewerPreferences << /DisplayDocTitle true >>\n"
	if d.lang != "" {
		s += "/Lang " + pdfString(d.lang) + "\n"
	}
	return s
}

// pdfString writes s as a PDF literal string; s is a language tag, so only the
// characters that need escaping in a literal string are escaped.
func pdfString(s string) string {
	var b bytes.Buffer
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '(' || c == ')' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte(')')
	return b.String()
}

// addToCatalog writes entries into the catalogue of a finished gofpdf file. gofpdf writes
// the catalogue as the last object, right before the cross-reference table, so inserting
// bytes into it moves no object: only the table, whose offset (startxref) is rewritten.
func addToCatalog(pdf []byte, entries string) ([]byte, error) {
	const catalog = "/Type /Catalog\n"
	at := bytes.LastIndex(pdf, []byte(catalog))
	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	start := bytes.LastIndex(pdf, []byte("\nstartxref\n"))
	if at < 0 || xref < at || start < xref {
		return nil, fmt.Errorf("add to catalogue: catalogue, xref or startxref not where gofpdf writes them")
	}
	numAt := start + len("\nstartxref\n")
	numEnd := bytes.IndexByte(pdf[numAt:], '\n')
	if numEnd < 0 {
		return nil, fmt.Errorf("add to catalogue: startxref has no value")
	}
	old, err := strconv.Atoi(string(pdf[numAt : numAt+numEnd]))
	if err != nil || old != xref+1 {
		return nil, fmt.Errorf("add to catalogue: startxref %q is not the xref table at %d", pdf[numAt:numAt+numEnd], xref+1)
	}
	// Only the tail after the insertion point is copied: a door list of 25,000 people is
	// an 18 MB file, and the document is not used after Output, so its spare capacity may
	// take the few bytes.
	at += len(catalog)
	tail := make([]byte, 0, len(pdf)-at+8)
	tail = append(tail, pdf[at:numAt]...)
	tail = strconv.AppendInt(tail, int64(old+len(entries)), 10)
	tail = append(tail, pdf[numAt+numEnd:]...)
	pdf = append(pdf[:at], entries...)
	return append(pdf, tail...), nil
}

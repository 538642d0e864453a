package ticketstest

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// PDFInfo returns the document information pdfinfo reports, by field ("Title", "Author",
// "Creator", "Subject", "Tagged", …).
func PDFInfo(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	NeedTool(t, "pdfinfo")
	out, err := exec.Command("pdfinfo", "-enc", "UTF-8", WritePDF(t, pdf)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

// PDFStreamText returns the text of pdf in the order the content streams draw it
// (pdftotext -raw): the order a screen reader and reflow follow in an untagged PDF.
func PDFStreamText(t testing.TB, pdf []byte) string {
	t.Helper()
	NeedTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", WritePDF(t, pdf), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -raw: %v\n%s", err, out)
	}
	return string(out)
}

// WantInOrder checks that each of wants appears in text after the one before it.
func WantInOrder(t testing.TB, what, text string, wants ...string) {
	t.Helper()
	at := 0
	for i, w := range wants {
		j := strings.Index(text[at:], w)
		if j < 0 {
			if strings.Contains(text, w) {
				t.Errorf("%s: %q comes before %q, want it after\n%s", what, w, wants[i-1], text)
			} else {
				t.Errorf("%s: %q not in the text\n%s", what, w, text)
			}
			return
		}
		at += j + len(w)
	}
}

// PDFCatalog returns the document catalogue of pdf as written: it follows startxref to the
// cross-reference table, the trailer's /Root to the catalogue's offset, and returns the
// object up to endobj.
func PDFCatalog(t testing.TB, pdf []byte) string {
	t.Helper()
	cat, err := catalog(pdf)
	if err != nil {
		t.Fatalf("catalogue: %v", err)
	}
	return cat
}

var rootRef = regexp.MustCompile(`/Root (\d+) 0 R`)

func catalog(pdf []byte) (string, error) {
	if err := checkXref(pdf); err != nil {
		return "", err
	}
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	var at int
	if _, err := fmt.Sscanf(string(pdf[i+len("startxref\n"):]), "%d", &at); err != nil {
		return "", err
	}
	var first, count int
	if _, err := fmt.Sscanf(string(pdf[at:]), "xref\n%d %d\n", &first, &count); err != nil {
		return "", err
	}
	trailer := pdf[at:]
	m := rootRef.FindSubmatch(trailer[bytes.Index(trailer, []byte("trailer")):])
	if m == nil {
		return "", fmt.Errorf("trailer has no /Root")
	}
	var root int
	fmt.Sscanf(string(m[1]), "%d", &root)
	if root < first || root >= first+count {
		return "", fmt.Errorf("/Root %d outside the xref table", root)
	}
	entries := pdf[at:]
	entries = entries[bytes.IndexByte(entries, '\n')+1:]
	entries = entries[bytes.IndexByte(entries, '\n')+1:]
	var off int
	if _, err := fmt.Sscanf(string(entries[(root-first)*20:]), "%d", &off); err != nil {
		return "", err
	}
	end := bytes.Index(pdf[off:], []byte("endobj"))
	if end < 0 {
		return "", fmt.Errorf("catalogue %d has no endobj", root)
	}
	return string(pdf[off : off+end]), nil
}

var langEntry = regexp.MustCompile(`/Lang \(([^)]*)\)`)

// WantDescribed checks what a document says about itself (see package pdf, meta.go): its
// title, author and creator Dagplanner, a subject, its language in the catalogue, and that
// a reader shows the title rather than the file name.
func WantDescribed(t testing.TB, what string, pdf []byte, title, lang string) {
	t.Helper()
	info := PDFInfo(t, pdf)
	if info["Title"] != title {
		t.Errorf("%s: title %q, want %q", what, info["Title"], title)
	}
	if info["Author"] != "Dagplanner" || info["Creator"] != "Dagplanner" {
		t.Errorf("%s: author %q, creator %q, want Dagplanner", what, info["Author"], info["Creator"])
	}
	if len(info["Subject"]) < 10 {
		t.Errorf("%s: subject %q, want a sentence on what the document is", what, info["Subject"])
	}
	cat := PDFCatalog(t, pdf)
	if m := langEntry.FindStringSubmatch(cat); m == nil || m[1] != lang {
		t.Errorf("%s: catalogue %q, want /Lang (%s)", what, cat, lang)
	}
	if !strings.Contains(cat, "/DisplayDocTitle true") {
		t.Errorf("%s: catalogue %q, want /ViewerPreferences with /DisplayDocTitle true", what, cat)
	}
}

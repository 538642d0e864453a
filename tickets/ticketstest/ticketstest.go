// Package ticketstest checks generated documents with real tools in tests: poppler's
// pdftotext, pdfinfo and pdftoppm, and QR decoding with gozxing (and zbarimg as a fallback).
package ticketstest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// NeedTool fails the test if a Debian tool is missing: scripts/test installs them, and a
// skipped check would hide a missing piece.
func NeedTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not installed (Debian: poppler-utils, zbar-tools); run scripts/test", name)
	}
}

// WritePDF saves pdf in the test's temp dir and returns its path.
func WritePDF(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// PDFText returns the text of pdf as pdftotext -layout sees it.
func PDFText(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	NeedTool(t, "pdftotext")
	args = append(append([]string{"-layout", "-enc", "UTF-8"}, args...), WritePDF(t, pdf), "-")
	out, err := exec.Command("pdftotext", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// PDFPages returns the number of pages pdfinfo reports.
func PDFPages(t testing.TB, pdf []byte) int {
	t.Helper()
	NeedTool(t, "pdfinfo")
	out, err := exec.Command("pdfinfo", WritePDF(t, pdf)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		var n int
		if _, err := fmt.Sscanf(line, "Pages: %d", &n); err == nil {
			return n
		}
	}
	t.Fatalf("pdfinfo gave no page count:\n%s", out)
	return 0
}

// Rasterise renders one page of pdf at dpi with pdftoppm.
func Rasterise(t testing.TB, pdf []byte, page, dpi int) image.Image {
	t.Helper()
	NeedTool(t, "pdftoppm")
	prefix := filepath.Join(t.TempDir(), "page")
	p := fmt.Sprint(page)
	out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-png", "-f", p, "-l", p, "-singlefile",
		WritePDF(t, pdf), prefix).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("TICKETS_KEEP_PNG"); dir != "" {
		var buf bytes.Buffer
		png.Encode(&buf, img)
		os.WriteFile(filepath.Join(dir, t.Name()[strings.LastIndex(t.Name(), "/")+1:]+"-"+p+".png"), buf.Bytes(), 0o644)
	}
	return img
}

// DecodeQR decodes the single QR code in img with gozxing. gozxing's detector
// misses the odd valid symbol (about 1 in 250 of our payloads: its decoder reads
// the same module matrix fine), so then zbarimg gets a go and the test logs it.
func DecodeQR(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	if err == nil {
		return res.GetText()
	}
	if _, lookErr := exec.LookPath("zbarimg"); lookErr != nil {
		t.Fatalf("decode QR with gozxing: %v (zbarimg not installed)", err)
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, zerr := exec.Command("zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if zerr != nil {
		t.Fatalf("decode QR: gozxing: %v; zbarimg: %v", err, zerr)
	}
	t.Logf("gozxing could not read a QR code (%v); zbarimg could", err)
	return strings.TrimSuffix(string(out), "\n")
}

// DecodeQRs decodes every QR code in img, sorted.
func DecodeQRs(t testing.TB, img image.Image) []string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	var nf gozxing.NotFoundException
	if err != nil && !errors.As(err, &nf) {
		t.Fatalf("decode QRs: %v", err)
	}
	var texts []string
	for _, r := range res {
		texts = append(texts, r.GetText())
	}
	sort.Strings(texts)
	return texts
}

// Crop returns the part r of img.
func Crop(img image.Image, r image.Rectangle) image.Image {
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// PDFFont is one font as pdffonts lists it.
type PDFFont struct {
	Name, Type                string
	Embedded, Subset, Unicode bool
}

// PDFFonts returns the fonts of pdf as poppler's pdffonts lists them.
func PDFFonts(t testing.TB, pdf []byte) []PDFFont {
	t.Helper()
	NeedTool(t, "pdffonts")
	out, err := exec.Command("pdffonts", WritePDF(t, pdf)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "---") {
		t.Fatalf("pdffonts printed no table:\n%s", out)
	}
	// The dashes under the header give the columns: name, type, encoding, emb, sub, uni, object ID.
	var cols [][2]int
	start := 0
	for _, f := range strings.Split(lines[1], " ") {
		cols = append(cols, [2]int{start, start + len(f)})
		start += len(f) + 1
	}
	if len(cols) < 6 {
		t.Fatalf("pdffonts: %d columns, want at least 6:\n%s", len(cols), out)
	}
	cell := func(line string, c int) string {
		a, b := cols[c][0], min(cols[c][1], len(line))
		if a >= len(line) {
			return ""
		}
		return strings.TrimSpace(line[a:b])
	}
	var fonts []PDFFont
	for _, line := range lines[2:] {
		fonts = append(fonts, PDFFont{Name: cell(line, 0), Type: cell(line, 1),
			Embedded: cell(line, 3) == "yes", Subset: cell(line, 4) == "yes", Unicode: cell(line, 5) == "yes"})
	}
	return fonts
}

// WantTaggedSubsets checks that pdf embeds its fonts and that every one is marked as a
// subset as the PDF standard asks (ISO 32000-1, 9.6.4): a name that starts with a tag of
// six capital letters and a plus sign, such as "KBQWHE+GoRegular", which pdffonts reports
// as "sub yes".
func WantTaggedSubsets(t testing.TB, what string, pdf []byte) {
	t.Helper()
	fonts := PDFFonts(t, pdf)
	if len(fonts) == 0 {
		t.Errorf("%s: pdffonts lists no font", what)
	}
	for _, f := range fonts {
		if !f.Embedded || !f.Subset || !f.Unicode || !isSubsetName(f.Name) {
			t.Errorf("%s: font %+v, want an embedded subset with a tag (ABCDEF+Name) and a Unicode map", what, f)
		}
	}
	if err := checkXref(pdf); err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

// checkXref checks that every object in pdf's cross-reference table starts where the
// table says: the tag is written into the finished file, so nothing may have moved.
func checkXref(pdf []byte) error {
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	if i < 0 {
		return errors.New("no startxref")
	}
	var at int
	if _, err := fmt.Sscanf(string(pdf[i+len("startxref\n"):]), "%d", &at); err != nil || at <= 0 || at >= len(pdf) {
		return fmt.Errorf("startxref %d unreadable (%v)", at, err)
	}
	var first, count int
	if _, err := fmt.Sscanf(string(pdf[at:]), "xref\n%d %d\n", &first, &count); err != nil {
		return fmt.Errorf("no xref table at %d: %v", at, err)
	}
	rest := pdf[at:]
	rest = rest[bytes.IndexByte(rest, '\n')+1:]
	rest = rest[bytes.IndexByte(rest, '\n')+1:]
	for n := first; n < first+count; n++ {
		if len(rest) < 20 {
			return fmt.Errorf("xref table ends before object %d", n)
		}
		var off, gen int
		var kind string
		if _, err := fmt.Sscanf(string(rest[:18]), "%d %d %s", &off, &gen, &kind); err != nil {
			return fmt.Errorf("xref entry %d: %q: %v", n, rest[:18], err)
		}
		if kind == "n" && !bytes.HasPrefix(pdf[off:], []byte(fmt.Sprintf("%d %d obj", n, gen))) {
			return fmt.Errorf("xref: object %d is not at offset %d", n, off)
		}
		rest = rest[20:]
	}
	return nil
}

func isSubsetName(name string) bool {
	if len(name) < 8 || name[6] != '+' {
		return false
	}
	for _, c := range name[:6] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

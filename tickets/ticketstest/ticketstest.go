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

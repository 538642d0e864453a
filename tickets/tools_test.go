package tickets_test

import (
	"bytes"
	"crypto/ed25519"
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

	"github.com/ambtenaar20/dagplanner/tickets"
)

// testKey returns a fixed event key pair.
func testKey(seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

func newRenderer(t testing.TB) *tickets.Renderer {
	t.Helper()
	r, err := tickets.NewRenderer()
	if err != nil {
		t.Fatalf("NewRenderer() error = %v", err)
	}
	return r
}

// needTool skips the test if a Debian tool is missing.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (Debian: poppler-utils)", name)
	}
}

// writePDF saves pdf in the test's temp dir and returns its path.
func writePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfText returns the text of pdf as pdftotext -layout sees it.
func pdfText(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	needTool(t, "pdftotext")
	args = append(append([]string{"-layout", "-enc", "UTF-8"}, args...), writePDF(t, pdf), "-")
	out, err := exec.Command("pdftotext", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// pdfPages returns the number of pages pdfinfo reports.
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	needTool(t, "pdfinfo")
	out, err := exec.Command("pdfinfo", writePDF(t, pdf)).CombinedOutput()
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

// rasterise renders one page of pdf at dpi with pdftoppm.
func rasterise(t *testing.T, pdf []byte, page, dpi int) image.Image {
	t.Helper()
	needTool(t, "pdftoppm")
	prefix := filepath.Join(t.TempDir(), "page")
	p := fmt.Sprint(page)
	out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-png", "-f", p, "-l", p, "-singlefile",
		writePDF(t, pdf), prefix).CombinedOutput()
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

// decodeQR decodes the single QR code in img with gozxing. gozxing's detector
// misses the odd valid symbol (about 1 in 250 of our payloads: its decoder reads
// the same module matrix fine), so then zbarimg gets a go and the test logs it.
func decodeQR(t *testing.T, img image.Image) string {
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

// decodeQRs decodes every QR code in img, sorted.
func decodeQRs(t *testing.T, img image.Image) []string {
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

// crop returns the part r of img.
func crop(img image.Image, r image.Rectangle) image.Image {
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

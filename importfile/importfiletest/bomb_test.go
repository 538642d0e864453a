package importfiletest

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// The bomb is real: its worksheet inflates to the size it declares, with the right checksum.
func TestZipBombInflates(t *testing.T) {
	b := ZipBomb(t, 40)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc) // the zip reader checks the CRC at the end
		rc.Close()
		if err != nil || n != 40<<20 {
			t.Fatalf("the worksheet inflates to %d bytes (%v), want %d", n, err, 40<<20)
		}
		if len(b) > 1<<20 {
			t.Errorf("the bomb is %d bytes, want it small", len(b))
		}
		return
	}
	t.Fatal("no worksheet in the bomb")
}

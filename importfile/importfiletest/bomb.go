// Package importfiletest makes hostile upload files for the tests of importing attendees.
package importfiletest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"testing"
)

// ZipBomb returns a small XLSX-shaped zip whose worksheet really unpacks to megabytes MB of
// zeros. One megabyte is deflated and its compressed form repeated: the stream is as valid
// as deflating it all, without the test spending seconds compressing zeros.
func ZipBomb(t testing.TB, megabytes int) []byte {
	t.Helper()
	zeros := make([]byte, 1<<20)
	var chunk bytes.Buffer
	fw, err := flate.NewWriter(&chunk, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(zeros)
	fw.Flush() // ends on a byte boundary, so the chunk can follow itself
	var stream bytes.Buffer
	crc := uint32(0)
	for range megabytes {
		stream.Write(chunk.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	stream.Write([]byte{0x03, 0x00}) // a final, empty block

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: uint64(megabytes) << 20})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(stream.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

package pdf

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// slimTables are the TrueType tables a PDF viewer needs to draw an embedded font;
// the hinting programs (fpgm, prep, cvt, gasp) are left out, as PDF viewers draw
// unhinted, and the name table is replaced by an empty one.
var slimTables = map[string]bool{
	"OS/2": true, "cmap": true, "glyf": true, "head": true, "hhea": true,
	"hmtx": true, "loca": true, "maxp": true, "post": true,
}

// slimFont returns ttf with only slimTables and an empty name table, so every
// subset gofpdf embeds is smaller and quicker to compress (about 11 KB less per
// font before compression).
func slimFont(ttf []byte) ([]byte, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("slim font: too short")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, fmt.Errorf("slim font: truncated table directory")
	}
	// An empty name table: format 0, no records. It is 8 bytes, not 6, because
	// gofpdf pads a table it checksums by appending to it, which would write into
	// the font bytes that documents share (it does so for name and OS/2 only).
	tables := map[string][]byte{"name": {0, 0, 0, 0, 0, 6, 0, 0}}
	for i := 0; i < n; i++ {
		rec := ttf[12+16*i:]
		tag := string(rec[:4])
		off, size := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(size) > uint64(len(ttf)) {
			return nil, fmt.Errorf("slim font: table %q out of range", tag)
		}
		if slimTables[tag] {
			tables[tag] = ttf[off : off+size]
			if tag == "OS/2" && size%4 != 0 {
				return nil, fmt.Errorf("slim font: OS/2 table of %d bytes", size)
			}
		}
		if tag == "head" && size >= 12 {
			// checkSumAdjustment counts as 0 in the head table's checksum.
			head := append([]byte(nil), ttf[off:off+size]...)
			clear(head[8:12])
			tables[tag] = head
		}
	}
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags)

	// Header: version, table count, and the binary search fields.
	out := make([]byte, 12+16*len(tags), len(ttf))
	copy(out, ttf[:4])
	binary.BigEndian.PutUint16(out[4:], uint16(len(tags)))
	pow := 1
	log := 0
	for pow*2 <= len(tags) {
		pow, log = pow*2, log+1
	}
	binary.BigEndian.PutUint16(out[6:], uint16(pow*16))
	binary.BigEndian.PutUint16(out[8:], uint16(log))
	binary.BigEndian.PutUint16(out[10:], uint16(len(tags)*16-pow*16))
	headAt := 0
	for i, tag := range tags {
		data := tables[tag]
		if tag == "head" {
			headAt = len(out)
		}
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if headAt == 0 || len(out) < headAt+12 {
		return nil, fmt.Errorf("slim font: no head table")
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out, nil
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

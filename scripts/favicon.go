//go:build ignore

// Favicon draws templates/static/favicon.ico: the calendar of favicon.svg at 32×32 pixels,
// as a PNG inside an ICO file, for browsers that ask for /favicon.ico. Run it from the
// repository's root after changing favicon.svg: go run scripts/favicon.go
package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
)

func main() {
	const size = 32
	blue := color.NRGBA{0x00, 0x56, 0x7f, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	fill := func(x0, y0, x1, y1 int, c color.NRGBA) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	// The rounded square (corner radius 6, as in the SVG).
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			dx, dy := max(6-x, x-(size-7), 0), max(6-y, y-(size-7), 0)
			if dx*dx+dy*dy <= 36 {
				img.SetNRGBA(x, y, blue)
			}
		}
	}
	// The calendar: an outline, the line under its header, two rings and one marked day.
	fill(6, 8, 26, 10, white)
	fill(6, 24, 26, 26, white)
	fill(6, 8, 8, 26, white)
	fill(24, 8, 26, 26, white)
	fill(6, 13, 26, 15, white)
	fill(11, 5, 13, 11, white)
	fill(19, 5, 21, 11, white)
	fill(11, 17, 15, 21, white)

	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		log.Fatal(err)
	}
	var ico bytes.Buffer
	// ICONDIR (reserved, type 1 = icon, one image), then its ICONDIRENTRY, then the PNG.
	binary.Write(&ico, binary.LittleEndian, []uint16{0, 1, 1})
	ico.Write([]byte{size, size, 0, 0})
	binary.Write(&ico, binary.LittleEndian, []uint16{1, 32})
	binary.Write(&ico, binary.LittleEndian, []uint32{uint32(pngData.Len()), 6 + 16})
	ico.Write(pngData.Bytes())
	if err := os.WriteFile("templates/static/favicon.ico", ico.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

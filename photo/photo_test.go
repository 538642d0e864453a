package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// picture draws a w×h image with a red left half and a blue right half.
func picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 220, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 220, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// claimSize rewrites a PNG's header to claim w×h pixels, with a correct checksum.
func claimSize(data []byte, w, h int) []byte {
	out := bytes.Clone(data)
	ihdr := out[12:29] // "IHDR" and its 13 bytes
	binary.BigEndian.PutUint32(ihdr[4:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[8:], uint32(h))
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(ihdr))
	return out
}

// claimDepth rewrites a PNG's header to claim w×h pixels of the given bit depth and colour
// type (6 is RGB with alpha), with a correct checksum.
func claimDepth(data []byte, w, h int, depth, colourType byte) []byte {
	out := claimSize(data, w, h)
	out[24], out[25] = depth, colourType
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

func halve(data []byte) []byte { return data[:len(data)/2] }

func TestNormalizeAcceptsAndReencodes(t *testing.T) {
	for _, tc := range []struct {
		name          string
		data          []byte
		contentType   string
		width, height int
	}{
		{"small png kept at its size", encodePNG(t, picture(120, 90)), "image/png", 120, 90},
		{"wide jpeg scaled to 800", encodeJPEG(t, picture(1600, 900)), "image/jpeg", 800, 450},
		{"tall png scaled to 800", encodePNG(t, picture(500, 2000)), "image/png", 200, 800},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Trailing bytes after the image are dropped by re-encoding.
			data := append(tc.data, []byte("<script>alert(1)</script>")...)
			got, err := Normalize(data)
			if err != nil {
				t.Fatalf("Normalize: %v", err)
			}
			if got.ContentType != tc.contentType || got.Width != tc.width || got.Height != tc.height {
				t.Errorf("got %s %d×%d, want %s %d×%d", got.ContentType, got.Width, got.Height, tc.contentType, tc.width, tc.height)
			}
			img, format, err := image.Decode(bytes.NewReader(got.Data))
			if err != nil {
				t.Fatalf("decode the stored bytes: %v", err)
			}
			if "image/"+format != tc.contentType || img.Bounds().Dx() != tc.width || img.Bounds().Dy() != tc.height {
				t.Errorf("stored bytes decode as %s %v, want %s %d×%d", format, img.Bounds(), tc.contentType, tc.width, tc.height)
			}
			if bytes.Contains(got.Data, []byte("<script>")) {
				t.Error("the re-encoded photo still carries the trailing bytes")
			}
			// The picture survives: red on the left, blue on the right.
			left := color.RGBAModel.Convert(img.At(tc.width/8, tc.height/2)).(color.RGBA)
			right := color.RGBAModel.Convert(img.At(tc.width*7/8, tc.height/2)).(color.RGBA)
			if left.R < 180 || left.B > 60 || right.B < 180 || right.R > 60 {
				t.Errorf("colours got left %v right %v, want red and blue", left, right)
			}
		})
	}
}

func TestNormalizeRefuses(t *testing.T) {
	// A PNG whose header claims 20000×20000 pixels: a few hundred bytes that would need 1.6 GB.
	huge := claimSize(encodePNG(t, picture(2, 2)), 20000, 20000)
	full := encodePNG(t, picture(300, 300))
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"text file", []byte("this is not a photo, just a .png name\n"), ErrNotAnImage},
		{"empty", nil, ErrNotAnImage},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ErrNotAnImage},
		{"huge image", huge, ErrTooManyPx},
		// Within MaxPixels but a strip no camera makes; scaling it took gigabytes.
		{"1 × 25,000,000 strip", claimSize(encodePNG(t, picture(2, 2)), 1, 25_000_000), ErrTooManyPx},
		{"20,000 × 1,000 strip", claimSize(encodePNG(t, picture(2, 2)), 20000, 1000), ErrTooManyPx},
		// Issue #12 point 4: within MaxPixels, but 16-bit RGBA needs 200 MB once decoded. The
		// header alone must refuse it; decoding it first answered ErrBroken after allocating.
		{"5000 × 5000 at 16 bits a channel", claimDepth(encodePNG(t, picture(2, 2)), 5000, 5000, 16, 6), ErrTooManyPx},
		{"4000 × 4000 at 16 bits a channel", claimDepth(encodePNG(t, picture(2, 2)), 4000, 4000, 16, 6), ErrTooManyPx},
		{"truncated png", full[:len(full)/2], ErrBroken},
		{"truncated jpeg", halve(encodeJPEG(t, picture(300, 300))), ErrBroken},
		{"file over 5 MB", append(encodeJPEG(t, picture(10, 10)), make([]byte, MaxBytes)...), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.data)
			if !errors.Is(err, tc.want) {
				t.Errorf("Normalize = %v, want %v", err, tc.want)
			}
			if got.Data != nil {
				t.Errorf("Normalize returned %d bytes with the error, want none", len(got.Data))
			}
		})
	}
}

// TestBytesPerPixelFollowsTheHeader checks the pixel depth read from real headers.
func TestBytesPerPixelFollowsTheHeader(t *testing.T) {
	for _, tc := range []struct {
		name  string
		data  []byte
		bytes int
	}{
		{"8-bit RGBA png", encodePNG(t, picture(2, 2)), 4},
		{"16-bit RGBA png", claimDepth(encodePNG(t, picture(2, 2)), 2, 2, 16, 6), 8},
		{"8-bit grey png", claimDepth(encodePNG(t, picture(2, 2)), 2, 2, 8, 0), 1},
		{"jpeg", encodeJPEG(t, picture(16, 16)), 3},
	} {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(tc.data))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := bytesPerPixel(cfg.ColorModel); got != tc.bytes {
			t.Errorf("%s: bytesPerPixel = %d, want %d", tc.name, got, tc.bytes)
		}
	}
}

// TestNormalizeScalesBigPhotosInTwoSteps: a camera-sized photo comes out at MaxSide with its
// proportions, through the cheap first step and the fine second one.
func TestNormalizeScalesBigPhotosInTwoSteps(t *testing.T) {
	got, err := Normalize(encodePNG(t, picture(4000, 3000)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Width != MaxSide || got.Height != MaxSide*3/4 {
		t.Errorf("4000×3000 came out %d×%d, want %d×%d", got.Width, got.Height, MaxSide, MaxSide*3/4)
	}
}

// quadrants draws a w×h image with red, green, blue and white quarters (clockwise from the
// top left), so that every turn and mirror gives a different picture.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := [2][2]color.RGBA{
				{{R: 255, A: 255}, {G: 255, A: 255}},
				{{B: 255, A: 255}, {R: 255, G: 255, B: 255, A: 255}},
			}[y*2/h][x*2/w]
			img.Set(x, y, c)
		}
	}
	return img
}

// withOrientation puts an EXIF block with orientation o right after a JPEG's start marker,
// in big-endian ("MM") or little-endian ("II") byte order as a camera would.
func withOrientation(data []byte, o uint16, bigEndian bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	tiff := []byte("II")
	if bigEndian {
		order, tiff = binary.BigEndian, []byte("MM")
	}
	tiff = order.AppendUint16(tiff, 42)
	tiff = order.AppendUint32(tiff, 8) // the first directory follows the header
	tiff = order.AppendUint16(tiff, 1) // one entry
	tiff = order.AppendUint16(tiff, 0x0112)
	tiff = order.AppendUint16(tiff, 3) // SHORT
	tiff = order.AppendUint32(tiff, 1)
	tiff = order.AppendUint16(tiff, o)
	tiff = order.AppendUint16(tiff, 0)
	tiff = order.AppendUint32(tiff, 0) // no next directory
	body := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(body)+2))
	seg = append(seg, body...)
	out := append([]byte{}, data[:2]...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

// colourName names the nearest of the four quadrant colours.
func colourName(c color.Color) string {
	r, g, b, _ := c.RGBA()
	hi := func(v uint32) bool { return v > 0x8000 }
	switch {
	case hi(r) && hi(g) && hi(b):
		return "white"
	case hi(r):
		return "red"
	case hi(g):
		return "green"
	case hi(b):
		return "blue"
	}
	return "dark"
}

func TestNormalizeTurnsJPEGsUpright(t *testing.T) {
	src := encodeJPEG(t, quadrants(80, 40))
	// The corners as a viewer that honours EXIF shows them (top left, top right, bottom
	// left, bottom right), straight from the EXIF specification's eight orientations.
	cases := []struct {
		o       uint16
		w, h    int
		corners [4]string
	}{
		{1, 80, 40, [4]string{"red", "green", "blue", "white"}},
		{2, 80, 40, [4]string{"green", "red", "white", "blue"}},
		{3, 80, 40, [4]string{"white", "blue", "green", "red"}},
		{4, 80, 40, [4]string{"blue", "white", "red", "green"}},
		{5, 40, 80, [4]string{"red", "blue", "green", "white"}},
		{6, 40, 80, [4]string{"blue", "red", "white", "green"}},
		{7, 40, 80, [4]string{"white", "green", "blue", "red"}},
		{8, 40, 80, [4]string{"green", "white", "red", "blue"}},
	}
	for _, tc := range cases {
		for _, bigEndian := range []bool{true, false} {
			p, err := Normalize(withOrientation(src, tc.o, bigEndian))
			if err != nil {
				t.Fatalf("orientation %d: %v", tc.o, err)
			}
			img, err := jpeg.Decode(bytes.NewReader(p.Data))
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Dx() != tc.w || b.Dy() != tc.h || p.Width != tc.w || p.Height != tc.h {
				t.Errorf("orientation %d: size got %d×%d (said %d×%d), want %d×%d", tc.o, b.Dx(), b.Dy(), p.Width, p.Height, tc.w, tc.h)
				continue
			}
			w, h := b.Dx(), b.Dy()
			got := [4]string{
				colourName(img.At(w/4, h/4)), colourName(img.At(3*w/4, h/4)),
				colourName(img.At(w/4, 3*h/4)), colourName(img.At(3*w/4, 3*h/4)),
			}
			if got != tc.corners {
				t.Errorf("orientation %d (big endian %v): corners got %v, want %v", tc.o, bigEndian, got, tc.corners)
			}
		}
	}
}

func TestJPEGOrientationToleratesBrokenEXIF(t *testing.T) {
	good := withOrientation(encodeJPEG(t, quadrants(8, 4)), 6, true)
	if o := jpegOrientation(good); o != 6 {
		t.Fatalf("orientation got %d, want 6", o)
	}
	// Every truncation of the header area, and a directory pointing outside the block,
	// reads as upright rather than panicking.
	for n := 0; n < 60; n++ {
		if o := jpegOrientation(good[:n]); o != 1 && o != 6 {
			t.Errorf("truncated to %d bytes: orientation %d", n, o)
		}
	}
	bad := bytes.Clone(good)
	binary.BigEndian.PutUint32(bad[4+6+4+4:], 0xFFFFFF00) // the directory offset
	if o := jpegOrientation(bad); o != 1 {
		t.Errorf("a wild directory offset got %d, want 1", o)
	}
	if o := jpegOrientation(withOrientation(encodeJPEG(t, quadrants(8, 4)), 9, false)); o != 1 {
		t.Errorf("orientation 9 got %d, want 1", o)
	}
}

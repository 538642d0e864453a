// Package photo checks uploaded photos and re-encodes them: only JPEG and PNG are taken, a
// photo is decoded in full (so a broken file is refused), scaled down to fit MaxSide, and
// written anew, which also drops whatever else the file carried (EXIF, comments, trailing
// data). A JPEG's EXIF orientation is applied to the pixels first, so portraits stay upright.
package photo

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// Limits of an upload.
const (
	// MaxBytes is the largest file accepted.
	MaxBytes = 5 << 20
	// MaxSide is the longest side of a stored photo, in pixels.
	MaxSide = 800
	// MaxPixels bounds the decoded size, so a small file that claims a huge image cannot
	// make the server allocate gigabytes.
	MaxPixels = 25_000_000
	// MaxLongSide bounds either side: a 1 × 25,000,000 strip is within MaxPixels but no photo.
	MaxLongSide = 10_000
	// MaxDecodedBytes bounds the memory the decoded pixels take, by the pixel depth the header
	// declares: a 5000 × 5000 PNG of 16 bits per channel is within MaxPixels but 200 MB. Every
	// JPEG within MaxPixels fits (at most 3 bytes a pixel), as does a 20-megapixel PNG.
	MaxDecodedBytes = 80 << 20
)

// decoding admits two photos at a time to decoding and scaling.
var decoding = make(chan struct{}, 2)

// Errors that explain why a photo was refused.
var (
	ErrTooLarge   = errors.New("photo file too large")
	ErrNotAnImage = errors.New("not a JPEG or PNG image")
	ErrTooManyPx  = errors.New("photo has too many pixels")
	ErrBroken     = errors.New("photo cannot be read")
)

// Photo is a checked and re-encoded image.
type Photo struct {
	Data          []byte
	ContentType   string // image/jpeg or image/png
	Width, Height int
}

// Normalize checks data and returns it re-encoded in its own format, at most MaxSide pixels
// on its longest side.
func Normalize(data []byte) (Photo, error) {
	if len(data) > MaxBytes {
		return Photo{}, ErrTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") {
		return Photo{}, ErrNotAnImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels || max(cfg.Width, cfg.Height) > MaxLongSide ||
		cfg.Width*cfg.Height*bytesPerPixel(cfg.ColorModel) > MaxDecodedBytes {
		return Photo{}, ErrTooManyPx
	}
	// Decoding takes up to a hundred megabytes; a few uploads at once must not add up.
	decoding <- struct{}{}
	defer func() { <-decoding }()
	var img image.Image
	if format == "png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return Photo{}, ErrBroken
	}
	upright := fit(img, MaxSide)
	if format == "jpeg" {
		upright = orient(upright, jpegOrientation(data))
	}
	img = upright
	var buf bytes.Buffer
	out := Photo{ContentType: "image/" + format, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return Photo{}, err
	}
	out.Data = buf.Bytes()
	return out, nil
}

// bytesPerPixel is what the decoder allocates per pixel for an image of model m, as the
// header declares it: one byte for grey or a palette, up to eight for 16-bit colour with
// alpha. A JPEG in YCbCr counts 3, the most its chroma planes can take.
func bytesPerPixel(m color.Model) int {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // RGBA, NRGBA, CMYK and anything else
}

// fit scales img down so that neither side exceeds side; a smaller image is only copied.
func fit(img image.Image, side int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > side || h > side {
		if w >= h {
			h, w = max(1, h*side/w), side
		} else {
			w, h = max(1, w*side/h), side
		}
	}
	// Catmull-Rom's working tables grow with the source's size, so a big photo is first
	// brought down to twice the target with a cheap filter.
	if b.Dx() > 2*w && b.Dy() > 2*h {
		mid := image.NewRGBA(image.Rect(0, 0, 2*w, 2*h))
		draw.ApproxBiLinear.Scale(mid, mid.Bounds(), img, b, draw.Src, nil)
		img, b = mid, mid.Bounds()
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

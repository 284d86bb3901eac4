package imaging

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// Every test image is synthetic: gradients, shapes and noise generated here.

// detailed stands in for a colour photograph: gradients, stripes, rings and
// seeded noise give the JPEG codec as much work as a real photo.
func detailed(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			noise := uint8(rng.IntN(40))
			dx, dy := x-w/2, y-h/2
			i := m.PixOffset(x, y)
			m.Pix[i+0] = uint8(x*200/w) + noise
			m.Pix[i+1] = uint8(y*200/h) + uint8((x/6+y/9)%2*48)
			m.Pix[i+2] = uint8((dx*dx+dy*dy)/61) + noise/2
			m.Pix[i+3] = 0xff
		}
	}
	return m
}

// sharp is a high-contrast pattern scaled to the image, so it means the
// same at every size: a checkerboard of 1/32 of the longest side, overlaid
// with rows of glyph-like strokes.
func sharp(w, h int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	cell := max(max(w, h)/32, 1)
	for y := range h {
		for x := range w {
			if (x/cell+y/cell)%2 == 0 {
				m.Pix[y*m.Stride+x] = 230
			} else {
				m.Pix[y*m.Stride+x] = 25
			}
		}
	}
	// "Text": short dark bars in lines, like words on a page.
	rng := rand.New(rand.NewPCG(7, 7))
	stroke := max(cell/4, 1)
	for line := cell; line+cell < h; line += 2 * cell {
		for x := 0; x+cell < w; x += max(cell/2, 1) {
			if rng.IntN(3) == 0 {
				continue
			}
			bar := image.Rect(x, line, x+stroke, line+cell*(1+rng.IntN(2))/2)
			for y := bar.Min.Y; y < bar.Max.Y; y++ {
				for xx := bar.Min.X; xx < bar.Max.X; xx++ {
					m.SetGray(xx, y, color.Gray{Y: 0})
				}
			}
		}
	}
	return m
}

func jpegOf(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gifOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// There is no WebP encoder in the standard library or x/image, so the WebP
// fixtures are the well-known 1×1 feature-detection images (one lossless,
// one lossy) used by browsers' WebP support checks.
var (
	webpLossless = mustBase64("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	webpLossy    = mustBase64("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")
)

func mustBase64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// edgeEnergy sums the absolute differences between horizontal and vertical
// neighbours: large for sharp detail, near zero once blurred away.
func edgeEnergy(g *image.Gray) int64 {
	var e int64
	r := g.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := int64(g.GrayAt(x, y).Y)
			if x+1 < r.Max.X {
				e += abs(v - int64(g.GrayAt(x+1, y).Y))
			}
			if y+1 < r.Max.Y {
				e += abs(v - int64(g.GrayAt(x, y+1).Y))
			}
		}
	}
	return e
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// decodeJPEG decodes a rendition, failing the test on error.
func decodeJPEG(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("rendition does not decode: %v", err)
	}
	return img
}

// assertGrey fails unless every pixel of img has R == G == B.
func assertGrey(t testing.TB, img image.Image) {
	t.Helper()
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr != cg || cg != cb {
				t.Fatalf("pixel (%d,%d) is not grey: %d %d %d", x, y, cr>>8, cg>>8, cb>>8)
			}
		}
	}
}

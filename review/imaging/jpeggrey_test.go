package imaging

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"
)

// psnr compares two greyscale images of the same size, in dB.
func psnr(t testing.TB, a, b *image.Gray) float64 {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("sizes differ: %v vs %v", a.Rect, b.Rect)
	}
	var se float64
	for y := range a.Rect.Dy() {
		for x := range a.Rect.Dx() {
			d := float64(a.Pix[y*a.Stride+x]) - float64(b.Pix[y*b.Stride+x])
			se += d * d
		}
	}
	mse := se / float64(a.Rect.Dx()*a.Rect.Dy())
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}

// The encoder must produce standard JPEGs as faithful as image/jpeg's, at
// any size (partial edge blocks) and for any origin and stride.
func TestEncodeGray(t *testing.T) {
	noise := image.NewGray(image.Rect(0, 0, 50, 37))
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256)) // plenty of 0xFF bytes to stuff
	}
	fill := func(v func(x, y int) uint8) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, 24, 16))
		for y := range 16 {
			for x := range 24 {
				g.Pix[y*g.Stride+x] = v(x, y)
			}
		}
		return g
	}
	// Extremes for the coefficient ranges: DC at both ends, then the
	// largest AC values and DC differences there are.
	black := fill(func(x, y int) uint8 { return 0 })
	white := fill(func(x, y int) uint8 { return 255 })
	harsh := fill(func(x, y int) uint8 { return uint8(((x+y)%2 ^ x/8%2) * 255) })
	tests := []struct {
		name    string
		img     *image.Gray
		quality int
	}{
		{"black q100", black, 100},
		{"white q100", white, 100},
		{"harsh q100", harsh, 100},
		{"harsh q85", harsh, 85},
		{"1x1", image.NewGray(image.Rect(0, 0, 1, 1)), 85},
		{"7x9", luma(detailed(7, 9, 1)), 85},
		{"sharp 333x201", sharp(333, 201), 85},
		{"detailed 256x256", luma(detailed(256, 256, 2)), 85},
		{"noise", noise, 85},
		{"noise q100", noise, 100},
		{"noise q1", noise, 1},
		{"sub-image", sharp(300, 300).SubImage(image.Rect(13, 21, 250, 99)).(*image.Gray), 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := encodeGray(tt.img, tt.quality)
			if err != nil {
				t.Fatal(err)
			}
			dec, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("output does not decode: %v", err)
			}
			got, ok := dec.(*image.Gray)
			if !ok {
				t.Fatalf("decoded as %T, want a one-component *image.Gray", dec)
			}
			var ref bytes.Buffer
			if err := jpeg.Encode(&ref, tt.img, &jpeg.Options{Quality: tt.quality}); err != nil {
				t.Fatal(err)
			}
			refLen := ref.Len()
			refDec, err := jpeg.Decode(&ref)
			if err != nil {
				t.Fatal(err)
			}
			ours, theirs := psnr(t, tt.img, got), psnr(t, tt.img, refDec.(*image.Gray))
			if ours < theirs-0.5 {
				t.Errorf("PSNR %.2f dB, image/jpeg gets %.2f dB", ours, theirs)
			}
			if len(out) > refLen*11/10+64 {
				t.Errorf("%d bytes, image/jpeg writes %d", len(out), refLen)
			}
			t.Logf("PSNR %.2f dB (image/jpeg %.2f dB), %d bytes (image/jpeg %d)", ours, theirs, len(out), refLen)
		})
	}
}

func TestEncodeGrayRefusesEmpty(t *testing.T) {
	if _, err := encodeGray(image.NewGray(image.Rect(0, 0, 0, 5)), 85); err == nil {
		t.Error("encoded an empty image")
	}
}

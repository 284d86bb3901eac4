package imaging

import (
	"errors"
	"image"
	"testing"
)

func TestGrey(t *testing.T) {
	decoded, _, err := Decode(jpegOf(t, detailed(800, 600, 3), 92), Limits{MaxPixels: 1 << 22})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		img  image.Image
		want image.Point
	}{
		{"decoded jpeg", decoded, image.Pt(800, 600)},
		{"rgba 1000x1000", detailed(1000, 1000, 1), image.Pt(1000, 1000)},
		{"wide 2048x1000", detailed(2048, 1000, 2), image.Pt(1024, 500)},
		{"very wide 5000x300", sharp(5000, 300), image.Pt(1024, 61)},
		{"tall 600x3000", sharp(600, 3000), image.Pt(205, 1024)},
		{"1x1", image.NewGray(image.Rect(0, 0, 1, 1)), image.Pt(1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Grey(tt.img)
			if err != nil {
				t.Fatal(err)
			}
			dec := decodeJPEG(t, out)
			assertGrey(t, dec)
			if got := dec.Bounds().Size(); got != tt.want {
				t.Fatalf("size %v, want %v", got, tt.want)
			}
			// Unblurred and faithful: close to the source's own luma.
			ref := luma(tt.img)
			if ref.Rect.Size() != tt.want {
				ref = scaleGray(ref, tt.want.X, tt.want.Y)
			}
			if p := psnr(t, ref, luma(dec)); p < 30 {
				t.Errorf("PSNR %.1f dB against the source's luma, want ≥ 30", p)
			}
		})
	}
}

func TestGreyRefusesEmpty(t *testing.T) {
	if _, err := Grey(image.NewRGBA(image.Rectangle{})); !errors.Is(err, ErrEmpty) {
		t.Errorf("err = %v, want ErrEmpty", err)
	}
}

package imaging

import (
	"image"
	"image/color"
	"testing"
)

// Every fast path must agree with color.GrayModel, the definition, except
// that for YCbCr the stored Y is the luma: going through RGB (as GrayModel
// does) clamps colours that chroma subsampling pushed out of gamut.
func TestLuma(t *testing.T) {
	src := detailed(37, 23, 4)
	ycbcr, _, err := Decode(jpegOf(t, src, 90), Limits{MaxPixels: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	nrgba := image.NewNRGBA(src.Rect)
	rgba64 := image.NewRGBA64(src.Rect)
	cmyk := image.NewCMYK(src.Rect)
	pal := image.NewPaletted(src.Rect, color.Palette{color.Black, color.White, color.RGBA{200, 30, 60, 255}})
	for y := range src.Rect.Dy() {
		for x := range src.Rect.Dx() {
			c := src.RGBAAt(x, y)
			nrgba.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, uint8(x * 255 / 36)}) // alpha varies
			rgba64.Set(x, y, c)
			cmyk.Set(x, y, c)
			pal.SetColorIndex(x, y, uint8((x+y)%3))
		}
	}
	tests := []struct {
		name string
		img  image.Image
	}{
		{"gray", luma(src)},
		{"ycbcr", ycbcr},
		{"ycbcr sub-image", ycbcr.(*image.YCbCr).SubImage(image.Rect(5, 3, 30, 20))},
		{"rgba", src},
		{"rgba sub-image", src.SubImage(image.Rect(7, 1, 20, 22))},
		{"nrgba with alpha", nrgba},
		{"paletted", pal},
		{"rgba64 (generic path)", rgba64},
		{"cmyk (generic path)", cmyk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := luma(tt.img)
			if g.Rect != tt.img.Bounds() {
				t.Fatalf("bounds %v, want %v", g.Rect, tt.img.Bounds())
			}
			r := g.Rect
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					want := int(color.GrayModel.Convert(tt.img.At(x, y)).(color.Gray).Y)
					if m, ok := tt.img.(*image.YCbCr); ok {
						want = int(m.YCbCrAt(x, y).Y)
					}
					if got := int(g.GrayAt(x, y).Y); got < want-1 || got > want+1 {
						t.Fatalf("(%d,%d) = %d, want %d", x, y, got, want)
					}
				}
			}
		})
	}
}

// A JPEG's luma is its Y plane, shared rather than copied.
func TestLumaSharesYPlane(t *testing.T) {
	m := image.NewYCbCr(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio420)
	if g := luma(m); &g.Pix[0] != &m.Y[0] {
		t.Error("luma copied the Y plane")
	}
}

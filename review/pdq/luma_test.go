package pdq

import (
	"image"
	"image/color"
	"math/rand/v2"
	"slices"
	"testing"
)

// opaque hides an image's concrete type so lumaOf takes the generic path.
type opaque struct{ image.Image }

// Every fast path must give exactly what the generic colour-model path gives.
func TestLumaFastPathsMatchGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(b []byte) {
		for i := range b {
			b[i] = uint8(rng.UintN(256))
		}
	}
	var cases []struct {
		name string
		img  image.Image
	}
	add := func(name string, img image.Image) {
		cases = append(cases, struct {
			name string
			img  image.Image
		}{name, img})
	}
	for _, size := range []image.Rectangle{
		image.Rect(0, 0, 37, 23),    // no resize, odd sizes
		image.Rect(3, -5, 613, 200), // resize, non-zero origin
		image.Rect(0, 0, 520, 700),  // resize both ways
	} {
		for _, ratio := range []image.YCbCrSubsampleRatio{
			image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
			image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
		} {
			m := image.NewYCbCr(size, ratio)
			fill(m.Y)
			fill(m.Cb)
			fill(m.Cr)
			add("YCbCr"+ratio.String()+size.String(), m)
		}
		nya := image.NewNYCbCrA(size, image.YCbCrSubsampleRatio420)
		fill(nya.Y)
		fill(nya.Cb)
		fill(nya.Cr)
		fill(nya.A)
		add("NYCbCrA"+size.String(), nya)

		rgba := image.NewRGBA(size)
		fill(rgba.Pix)
		for i := 0; i < len(rgba.Pix); i += 4 {
			// Keep colours valid premultiplied values (channel <= alpha).
			a := rgba.Pix[i+3]
			for c := range 3 {
				rgba.Pix[i+c] = uint8(uint32(rgba.Pix[i+c]) * uint32(a) / 255)
			}
		}
		add("RGBA"+size.String(), rgba)

		nrgba := image.NewNRGBA(size)
		fill(nrgba.Pix)
		add("NRGBA"+size.String(), nrgba)

		gray := image.NewGray(size)
		fill(gray.Pix)
		add("Gray"+size.String(), gray)

		pal := image.NewPaletted(size, color.Palette{
			color.NRGBA{10, 200, 30, 0}, color.RGBA{100, 50, 25, 128}, color.Gray{77}, color.White,
		})
		for i := range pal.Pix {
			pal.Pix[i] = uint8(rng.UintN(4))
		}
		add("Paletted"+size.String(), pal)
	}
	for _, tc := range cases {
		fast := lumaOf(tc.img)
		generic := lumaOf(opaque{tc.img})
		if fast.rows != generic.rows || fast.cols != generic.cols || !slices.Equal(pixels(fast), pixels(generic)) {
			t.Errorf("%s: fast path differs from generic path", tc.name)
		}
	}
}

func TestLumaResizeNearestNeighbour(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 1000, 300))
	for i := range src.Pix {
		src.Pix[i] = uint8(i % 251)
	}
	l := lumaOf(src)
	pix := pixels(l)
	if l.rows != 512 || l.cols != 512 {
		t.Fatalf("resized to %dx%d, want 512x512", l.cols, l.rows)
	}
	for _, p := range []image.Point{{0, 0}, {511, 511}, {300, 17}, {1, 400}} {
		want := float32(src.GrayAt(p.X*1000/512, p.Y*300/512).Y)
		if got := pix[p.Y*512+p.X]; got != want {
			t.Errorf("luma at %v = %v, want %v", p, got, want)
		}
	}
	if l := lumaOf(image.NewGray(image.Rect(0, 0, 512, 40))); l.rows != 40 || l.cols != 512 {
		t.Errorf("512x40 resized to %dx%d, want unchanged", l.cols, l.rows)
	}
}

func TestLumaValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    color.Color
		want float32
	}{
		// One-channel images use the grey level itself, not the RGB
		// weights (whose float32 sum is not exactly 1).
		{"gray", color.Gray{200}, 200},
		{"gray16", color.Gray16{0xc8ff}, 200},
		{"white", color.NRGBA{255, 255, 255, 255}, rgbLuma(255, 255, 255)},
		// Alpha is dropped: transparent pixels keep their colour.
		{"transparent", color.NRGBA{90, 180, 20, 0}, rgbLuma(90, 180, 20)},
		{"premultiplied", color.RGBA{18, 36, 4, 51}, rgbLuma(90, 180, 20)},
	} {
		img := image.NewUniform(tc.c)
		sub := uniformImage{img, image.Rect(0, 0, 6, 6)}
		if got := pixels(lumaOf(sub))[0]; got != tc.want {
			t.Errorf("%s: luma %v, want %v", tc.name, got, tc.want)
		}
	}
}

// uniformImage gives image.Uniform finite bounds.
type uniformImage struct {
	*image.Uniform
	r image.Rectangle
}

func (u uniformImage) Bounds() image.Rectangle { return u.r }

// The tables must hold exactly the separately rounded products the
// reference computes.
func TestRGBLumaTables(t *testing.T) {
	for _, c := range [][3]uint8{{0, 0, 0}, {255, 255, 255}, {1, 2, 3}, {200, 17, 99}, {255, 0, 128}} {
		r, g, b := float32(c[0]), float32(c[1]), float32(c[2])
		pr, pg, pb := float32(lumaR*r), float32(lumaG*g), float32(lumaB*b)
		if got, want := rgbLuma(c[0], c[1], c[2]), pr+pg+pb; got != want {
			t.Errorf("rgbLuma%v = %v, want %v", c, got, want)
		}
	}
}

// pixels makes every row of l, row after row.
func pixels(l luma) []float32 {
	pix := make([]float32, l.rows*l.cols)
	for i := range l.rows {
		l.row(i, pix[i*l.cols:(i+1)*l.cols])
	}
	return pix
}

package imaging

import (
	"image"
	"math"
	"testing"
)

// Three boxes approximate a Gaussian when their variances add up to
// sigma²; a box of width w has variance (w²-1)/12.
func TestBoxRadii(t *testing.T) {
	for _, sigma := range []float64{1, 2.5, 10, 15.36, 40} {
		var variance float64
		for _, r := range boxRadii(sigma) {
			w := float64(2*r + 1)
			variance += (w*w - 1) / 12
		}
		if got := math.Sqrt(variance); math.Abs(got-sigma) > 0.5 {
			t.Errorf("sigma %.2f: boxes give %.2f", sigma, got)
		}
	}
}

func TestBlur(t *testing.T) {
	impulse := func(w, h int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		g.Pix[(h/2)*g.Stride+w/2] = 255
		return g
	}
	flat := func(w, h int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = 90
		}
		return g
	}
	tests := []struct {
		name  string
		img   *image.Gray
		sigma float64
		check func(t *testing.T, g *image.Gray)
	}{
		{"flat stays flat", flat(40, 30), 5, func(t *testing.T, g *image.Gray) {
			for i, v := range g.Pix {
				if v != 90 {
					t.Fatalf("pixel %d = %d, want 90", i, v)
				}
			}
		}},
		{"impulse spreads symmetrically", impulse(41, 41), 3, func(t *testing.T, g *image.Gray) {
			c := g.GrayAt(20, 20).Y
			if c == 255 || c == 0 {
				t.Fatalf("centre %d: not blurred", c)
			}
			for _, p := range [][2]int{{20, 16}, {16, 20}, {24, 20}, {20, 24}} {
				if v := g.GrayAt(p[0], p[1]).Y; v == 0 || v > c {
					t.Errorf("%v = %d with centre %d", p, v, c)
				}
			}
		}},
		{"radius larger than the image", flat(3, 2), 40, nil},
		{"one pixel", flat(1, 1), 40, nil},
		{"one row", flat(300, 1), 12, nil},
		{"sub-image with a wider stride", flat(50, 50).SubImage(image.Rect(10, 10, 30, 20)).(*image.Gray), 4, func(t *testing.T, g *image.Gray) {
			if v := g.GrayAt(15, 15).Y; v != 90 {
				t.Errorf("pixel = %d, want 90", v)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blur(tt.img, tt.sigma)
			if tt.check != nil {
				tt.check(t, tt.img)
			}
		})
	}
}

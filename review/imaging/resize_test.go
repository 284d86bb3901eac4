package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestFit(t *testing.T) {
	tests := []struct{ w, h, limit, ww, wh int }{
		{1000, 1000, 1024, 1000, 1000},
		{1024, 1024, 1024, 1024, 1024},
		{2048, 1024, 1024, 1024, 512},
		{1024, 2048, 1024, 512, 1024},
		{3000, 2000, 1024, 1024, 683},
		{100000, 1, 1024, 1024, 1},
		{1, 100000, 256, 1, 256},
		{1, 1, 256, 1, 1},
	}
	for _, tt := range tests {
		if w, h := fit(tt.w, tt.h, tt.limit); w != tt.ww || h != tt.wh {
			t.Errorf("fit(%d, %d, %d) = %d, %d; want %d, %d", tt.w, tt.h, tt.limit, w, h, tt.ww, tt.wh)
		}
	}
}

func TestScaleGray(t *testing.T) {
	flat := image.NewGray(image.Rect(0, 0, 97, 61))
	for i := range flat.Pix {
		flat.Pix[i] = 173
	}
	// A one-pixel checkerboard averages to mid grey at any reduction.
	checker := image.NewGray(image.Rect(0, 0, 120, 90))
	for y := range 90 {
		for x := range 120 {
			if (x+y)%2 == 0 {
				checker.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	tests := []struct {
		name   string
		src    *image.Gray
		w, h   int
		lo, hi uint8
	}{
		{"flat, fractional", flat, 40, 25, 173, 173},
		{"flat, box then exact", flat, 13, 9, 173, 173},
		{"flat, same size", flat, 97, 61, 173, 173},
		{"checker halved", checker, 60, 45, 127, 128},
		{"checker by 2.4", checker, 50, 37, 120, 135},
		{"checker by 30", checker, 4, 3, 126, 129},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := scaleGray(tt.src, tt.w, tt.h)
			if g.Rect != image.Rect(0, 0, tt.w, tt.h) {
				t.Fatalf("bounds %v", g.Rect)
			}
			for i, v := range g.Pix {
				if v < tt.lo || v > tt.hi {
					t.Fatalf("pixel %d = %d, want %d..%d", i, v, tt.lo, tt.hi)
				}
			}
		})
	}
}

func TestScaleRGBA(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 30, 20))
	for y := range 20 {
		for x := range 30 {
			src.SetRGBA(x, y, color.RGBA{200, uint8(x * 8), 10, 255})
		}
	}
	g := scaleRGBA(src, 10, 7)
	for x := range 10 {
		c := g.RGBAAt(x, 3)
		want := (3*x*8 + 3*x*8 + 16) / 2 // mean of x*8 over the three source columns
		if c.R != 200 || c.B != 10 || c.A != 255 || int(c.G) < want-1 || int(c.G) > want+1 {
			t.Errorf("column %d = %v, want {200 %d 10 255}", x, c, want)
		}
	}
}

// Weights must sum to exactly one, or downscaling would drift brightness.
func TestAreaKernel(t *testing.T) {
	for _, nm := range [][2]int{{1000, 256}, {1000, 333}, {7, 3}, {5, 5}, {4000, 1024}, {3, 1}} {
		k := areaKernel(nm[0], nm[1])
		for i := range nm[1] {
			var sum uint32
			for _, w := range k.w[k.off[i]:k.off[i+1]] {
				sum += w
			}
			last := k.first[i] + k.off[i+1] - k.off[i]
			if sum != 1<<weightBits || k.first[i] < 0 || last > nm[0] {
				t.Fatalf("%d→%d: output %d has weights summing to %d over [%d, %d)", nm[0], nm[1], i, sum, k.first[i], last)
			}
		}
	}
}

package imaging

import (
	"image"
	"testing"
)

func TestDouble(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(g.Pix, []uint8{
		0, 100, 200,
		40, 140, 240,
	})
	want := []uint8{
		// Row 0 of the input, widened, then blended 3:1 with itself above
		// (the edge repeats) and with row 1 below.
		0, 25, 75, 125, 175, 200,
		10, 35, 85, 135, 185, 210,
		30, 55, 105, 155, 205, 230,
		40, 65, 115, 165, 215, 240,
	}
	d := double(g)
	if d.Rect.Dx() != 6 || d.Rect.Dy() != 4 {
		t.Fatalf("doubled 3x2 is %v", d.Rect)
	}
	for i, v := range d.Pix {
		if v != want[i] {
			t.Fatalf("pixels %v, want %v", d.Pix, want)
		}
	}
	// A flat image stays exactly flat.
	flat := image.NewGray(image.Rect(0, 0, 5, 7))
	for i := range flat.Pix {
		flat.Pix[i] = 77
	}
	for _, v := range double(flat).Pix {
		if v != 77 {
			t.Fatalf("flat 77 doubled to %d", v)
		}
	}
}

package imaging

import (
	"image"
	"testing"
)

func TestBoxReduce(t *testing.T) {
	// 5×3 with values chosen so each block mean is easy to check; the
	// stride is wider than the image to catch row indexing mistakes.
	src := &image.Gray{
		Pix: []uint8{
			10, 20, 30, 40, 50, 99, 99,
			30, 40, 50, 60, 70, 99, 99,
			200, 200, 0, 0, 9, 99, 99,
		},
		Stride: 7,
		Rect:   image.Rect(0, 0, 5, 3),
	}
	tests := []struct {
		f    int
		want *image.Gray
	}{
		{1, &image.Gray{Pix: []uint8{10, 20, 30, 40, 50, 30, 40, 50, 60, 70, 200, 200, 0, 0, 9}, Stride: 5, Rect: image.Rect(0, 0, 5, 3)}},
		// Blocks: (10+20+30+40)/4, (30+40+50+60)/4, (50+70)/2; then the
		// bottom row alone: 200, 0, 9.
		{2, &image.Gray{Pix: []uint8{25, 45, 60, 200, 0, 9}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}},
		{3, &image.Gray{Pix: []uint8{64, 38}, Stride: 2, Rect: image.Rect(0, 0, 2, 1)}},
		{9, &image.Gray{Pix: []uint8{54}, Stride: 1, Rect: image.Rect(0, 0, 1, 1)}},
	}
	for _, tt := range tests {
		got := boxReduce(src, tt.f)
		if got.Rect != tt.want.Rect || string(got.Pix) != string(tt.want.Pix) {
			t.Errorf("f=%d: got %v %v, want %v %v", tt.f, got.Rect, got.Pix, tt.want.Rect, tt.want.Pix)
		}
	}
}

// The lane arithmetic must hold at the largest factor, on white.
func TestBoxReduceMaxFactor(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 600, maxBoxFactor+3))
	for i := range src.Pix {
		src.Pix[i] = 255
	}
	got := boxReduce(src, 1000) // clamped to maxBoxFactor
	if got.Rect.Dy() != 2 {
		t.Fatalf("bounds %v", got.Rect)
	}
	for i, v := range got.Pix {
		if v != 255 {
			t.Fatalf("pixel %d = %d, want 255", i, v)
		}
	}
}

package imaging

import (
	"errors"
	"image"
	"testing"
)

// The preview must leave no recognisable detail at any size: its edge
// energy must be a small fraction of the unblurred image's at the same size.
func TestPreviewRemovesDetail(t *testing.T) {
	tests := []struct {
		name string
		w, h int
	}{
		{"1000x1000", 1000, 1000},
		{"4000x3000", 4000, 3000},
		{"wide 3000x400", 3000, 400},
		{"tall 300x1500", 300, 1500},
		{"smaller than a preview 200x120", 200, 120},
		{"tiny 40x40", 40, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := sharp(tt.w, tt.h)
			out, err := Preview(src)
			if err != nil {
				t.Fatal(err)
			}
			dec := decodeJPEG(t, out)
			assertGrey(t, dec)
			got := luma(dec)
			pw, ph := got.Rect.Dx(), got.Rect.Dy()
			ref := scaleGray(src, pw, ph) // the original, unblurred, same size
			before, after := edgeEnergy(ref), edgeEnergy(got)
			if after*10 >= before {
				t.Errorf("edge energy %d is %.1f%% of the original's %d, want < 10%%",
					after, 100*float64(after)/float64(before), before)
			}
			t.Logf("%dx%d preview keeps %.2f%% of the edge energy", pw, ph, 100*float64(after)/float64(before))
		})
	}
}

func TestPreviewSize(t *testing.T) {
	tests := []struct {
		in, want image.Point
	}{
		{image.Pt(1000, 1000), image.Pt(250, 250)}, // 125 blurred
		{image.Pt(2000, 1000), image.Pt(250, 126)}, // 125x63 blurred
		{image.Pt(257, 10), image.Pt(172, 8)},      // 86x4 blurred
		{image.Pt(129, 100), image.Pt(130, 100)},   // 65x50 blurred
		{image.Pt(128, 100), image.Pt(128, 100)},   // blurred as it is
		{image.Pt(100, 50), image.Pt(100, 50)},     // never upscaled
		{image.Pt(1, 1), image.Pt(1, 1)},
		{image.Pt(70000, 2), image.Pt(256, 2)}, // beyond boxReduce's factor
	}
	for _, tt := range tests {
		out, err := Preview(image.NewGray(image.Rectangle{Max: tt.in}))
		if err != nil {
			t.Fatalf("%v: %v", tt.in, err)
		}
		if got := decodeJPEG(t, out).Bounds().Size(); got != tt.want {
			t.Errorf("preview of %v is %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPreviewOfColourIsGrey(t *testing.T) {
	img, _, err := Decode(jpegOf(t, detailed(640, 480, 9), 90), Limits{MaxPixels: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Preview(img)
	if err != nil {
		t.Fatal(err)
	}
	assertGrey(t, decodeJPEG(t, out))
}

// luma shares a JPEG's Y plane; Preview must not blur the caller's image.
func TestPreviewLeavesInputAlone(t *testing.T) {
	img, _, err := Decode(jpegOf(t, sharp(300, 200), 90), Limits{MaxPixels: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	before := edgeEnergy(luma(img))
	if _, err := Preview(img); err != nil {
		t.Fatal(err)
	}
	if after := edgeEnergy(luma(img)); after != before {
		t.Errorf("input changed: edge energy %d, was %d", after, before)
	}
}

func TestPreviewRefusesEmpty(t *testing.T) {
	if _, err := Preview(image.NewGray(image.Rect(5, 5, 5, 9))); !errors.Is(err, ErrEmpty) {
		t.Errorf("err = %v, want ErrEmpty", err)
	}
}

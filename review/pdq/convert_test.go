package pdq

import (
	"image/color"
	"testing"
)

func TestYCbCrLumaRowMatchesImageColor(t *testing.T) {
	// One row holds every luma value for a given chroma pair.
	ys, yCol, cCol := make([]uint8, 256), make([]int, 256), make([]int, 256)
	for i := range ys {
		ys[i], yCol[i] = uint8(i), i
	}
	got := make([]float32, 256)
	for cb := range 256 {
		for cr := range 256 {
			ycbcrLumaRow(got, ys, []uint8{uint8(cb)}, []uint8{uint8(cr)}, yCol, cCol)
			for y, l := range got {
				if want := rgbLuma(color.YCbCrToRGB(uint8(y), uint8(cb), uint8(cr))); l != want {
					t.Fatalf("YCbCr(%d,%d,%d): luma %v, want %v", y, cb, cr, l, want)
				}
			}
		}
	}
}

func TestClamp16(t *testing.T) {
	for _, tc := range []struct {
		v    int32
		want uint8
	}{
		{-1 << 30, 0}, {-1, 0}, {0, 0}, {0xffff, 0}, {0x10000, 1}, {0xff_ffff, 255},
		{0x100_0000, 255}, {1 << 30, 255},
	} {
		if got := clamp16(tc.v); got != tc.want {
			t.Errorf("clamp16(%#x) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

// The generic path converts color.YCbCr through its 16-bit RGBA method; its
// top byte must equal the 8-bit conversion for the YCbCr fast path to be
// exact. Checked on a dense sample (every input would take a second).
func TestYCbCrSixteenBitAgrees(t *testing.T) {
	for y := 0; y < 256; y += 7 {
		for cb := range 256 {
			for cr := range 256 {
				c := color.YCbCr{uint8(y), uint8(cb), uint8(cr)}
				r, g, b := straightRGB(c)
				wr, wg, wb := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
				if r != wr || g != wg || b != wb {
					t.Fatalf("%v: generic %d,%d,%d, 8-bit %d,%d,%d", c, r, g, b, wr, wg, wb)
				}
			}
		}
	}
}

func TestUnpremultiplyMatchesNRGBAModel(t *testing.T) {
	for a := range 256 {
		for c := range 256 {
			p := color.RGBA{uint8(c), uint8(c), uint8(c), uint8(a)}
			want := color.NRGBAModel.Convert(p).(color.NRGBA)
			r, g, b := unpremultiply(p.R, p.G, p.B, p.A)
			if r != want.R || g != want.G || b != want.B {
				t.Fatalf("unpremultiply(%v) = %d,%d,%d, want %v", p, r, g, b, want)
			}
		}
	}
}

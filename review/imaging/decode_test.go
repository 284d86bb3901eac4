package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"testing"
)

func TestDecode(t *testing.T) {
	const limit = 1 << 24
	jpg := jpegOf(t, detailed(64, 48, 1), 85)
	png := pngOf(t, detailed(33, 17, 2))
	tests := []struct {
		name   string
		in     []byte
		bounds image.Rectangle
		err    error
	}{
		{"jpeg", jpg, image.Rect(0, 0, 64, 48), nil},
		{"png", png, image.Rect(0, 0, 33, 17), nil},
		{"gif", gifOf(t, detailed(20, 10, 3)), image.Rect(0, 0, 20, 10), nil},
		{"webp lossless", webpLossless, image.Rect(0, 0, 1, 1), nil},
		{"webp lossy", webpLossy, image.Rect(0, 0, 1, 1), nil},
		{"truncated jpeg", jpg[:len(jpg)/2], image.Rectangle{}, ErrUnsupported},
		{"jpeg header only", jpg[:200], image.Rectangle{}, ErrUnsupported},
		{"truncated png", png[:len(png)-20], image.Rectangle{}, ErrUnsupported},
		{"garbage after jpeg magic", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{0x5A}, 500)...), image.Rectangle{}, ErrUnsupported},
		{"valid header, garbage data", append(jpegHeader(16, 16), bytes.Repeat([]byte{0x17}, 500)...), image.Rectangle{}, ErrUnsupported},
		{"png header only", pngHeader(10, 10), image.Rectangle{}, ErrUnsupported},
		{"bomb", pngHeader(100_000, 100_000), image.Rectangle{}, ErrTooManyPixels},
		{"not an image", []byte("%PDF-1.7"), image.Rectangle{}, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, info, err := Decode(tt.in, Limits{MaxPixels: limit})
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if img.Bounds() != tt.bounds {
				t.Errorf("bounds = %v, want %v", img.Bounds(), tt.bounds)
			}
			if info.Width != tt.bounds.Dx() || info.Height != tt.bounds.Dy() {
				t.Errorf("info = %+v, want %v", info, tt.bounds)
			}
		})
	}
}

// An animated GIF decodes to its first frame only.
func TestDecodeGIFFirstFrame(t *testing.T) {
	pal := color.Palette{color.Gray{Y: 0}, color.Gray{Y: 200}}
	frame := func(i uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 8, 8), pal)
		for j := range m.Pix {
			m.Pix[j] = i
		}
		return m
	}
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{frame(1), frame(0)}, Delay: []int{10, 10}})
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := Decode(buf.Bytes(), Limits{MaxPixels: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if got := luma(img).GrayAt(3, 3).Y; got != 200 {
		t.Errorf("pixel = %d, want 200 from the first frame", got)
	}
}

// FuzzDecode feeds hostile bytes through Decode and the renditions: nothing
// may panic, and every refusal is one of the package's sentinels, which the
// web layer maps to a status code.
func FuzzDecode(f *testing.F) {
	f.Add(jpegOf(f, detailed(24, 16, 1), 60))
	f.Add(pngOf(f, detailed(5, 7, 2)))
	f.Add(gifOf(f, detailed(9, 4, 3)))
	f.Add(webpLossless)
	f.Add(webpLossy)
	f.Add(pngHeader(100_000, 100_000))
	f.Add(jpegHeader(16, 16))
	f.Fuzz(func(t *testing.T, b []byte) {
		img, _, err := Decode(b, Limits{MaxPixels: 1 << 20})
		if err != nil {
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooManyPixels) {
				t.Fatalf("error is not a sentinel: %v", err)
			}
			return
		}
		if img.Bounds().Empty() {
			t.Fatal("Decode returned an empty image without an error")
		}
		if _, err := Preview(img); err != nil {
			t.Fatalf("Preview: %v", err)
		}
		if _, err := Grey(img); err != nil {
			t.Fatalf("Grey: %v", err)
		}
	})
}

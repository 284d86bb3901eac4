package imaging

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"testing"
)

// pngHeader crafts the first bytes of a PNG claiming w×h pixels: the
// signature and a valid IHDR chunk, with no image data at all.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, no interlace
	b := append([]byte(nil), magicPNG...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

// jpegHeader crafts a JPEG start of frame claiming w×h colour pixels,
// followed directly by a start of scan.
func jpegHeader(w, h uint16) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3,
		1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	return append(b, 0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0)
}

// gifHeader crafts a GIF logical screen descriptor claiming w×h pixels.
func gifHeader(w, h uint16) []byte {
	b := append([]byte(nil), magicGIF89...)
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, 0x3B)
}

// webpHeader crafts an extended (VP8X) WebP header claiming a w×h canvas.
func webpHeader(w, h uint32) []byte {
	vp8x := []byte{0, 0, 0, 0,
		byte(w - 1), byte((w - 1) >> 8), byte((w - 1) >> 16),
		byte(h - 1), byte((h - 1) >> 8), byte((h - 1) >> 16)}
	chunk := append([]byte("VP8X\x0a\x00\x00\x00"), vp8x...)
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(4+len(chunk)))
	b = append(b, "WEBP"...)
	return append(b, chunk...)
}

func TestInspect(t *testing.T) {
	const limit = 50_000_000
	tests := []struct {
		name      string
		in        []byte
		want      Info
		maxPixels int64
		err       error
	}{
		{"jpeg", jpegOf(t, detailed(40, 30, 1), 80), Info{JPEG, "image/jpeg", 40, 30}, limit, nil},
		{"png", pngOf(t, detailed(7, 9, 1)), Info{PNG, "image/png", 7, 9}, limit, nil},
		{"gif", gifOf(t, detailed(12, 5, 1)), Info{GIF, "image/gif", 12, 5}, limit, nil},
		{"webp", webpLossless, Info{WebP, "image/webp", 1, 1}, limit, nil},
		{"exactly at the limit", pngHeader(100, 100), Info{PNG, "image/png", 100, 100}, 10_000, nil},
		{"one pixel over", pngHeader(101, 100), Info{}, 10_000, ErrTooManyPixels},
		{"png bomb", pngHeader(100_000, 100_000), Info{}, limit, ErrTooManyPixels},
		// The PNG decoder itself refuses a pixel count that overflows.
		{"png overflow", pngHeader(1<<31-1, 1<<31-1), Info{}, limit, ErrUnsupported},
		{"jpeg bomb", jpegHeader(65535, 65535), Info{}, limit, ErrTooManyPixels},
		{"gif bomb", gifHeader(65535, 65535), Info{}, limit, ErrTooManyPixels},
		{"webp bomb", webpHeader(16384, 16384), Info{}, limit, ErrTooManyPixels},
		{"png zero width", pngHeader(0, 10), Info{}, limit, ErrUnsupported},
		{"jpeg zero height", jpegHeader(10, 0), Info{}, limit, ErrUnsupported},
		{"gif zero size", gifHeader(0, 0), Info{}, limit, ErrUnsupported},
		{"png magic only", magicPNG, Info{}, limit, ErrUnsupported},
		{"truncated gif header", []byte("GIF89a\x10\x00"), Info{}, limit, ErrUnsupported},
		{"garbage after jpeg magic", []byte("\xFF\xD8\xFFnot really a jpeg"), Info{}, limit, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Inspect(tt.in, Limits{MaxPixels: tt.maxPixels})
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Inspect = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// A decompression bomb must be refused from its header, allocating almost
// nothing: decoding 10^10 pixels would need 30 GB.
func TestInspectBombIsCheap(t *testing.T) {
	bomb := pngHeader(100_000, 100_000)
	const runs = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		if _, err := Inspect(bomb, Limits{MaxPixels: 50_000_000}); !errors.Is(err, ErrTooManyPixels) {
			t.Fatalf("err = %v, want ErrTooManyPixels", err)
		}
	}
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / runs
	if perCall > 64<<10 {
		t.Errorf("Inspect of a bomb allocates %d bytes per call, want < 64 KiB", perCall)
	}
	t.Logf("%d bytes allocated per refused bomb", perCall)
}

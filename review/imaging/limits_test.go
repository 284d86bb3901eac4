package imaging

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"runtime"
	"testing"
	"time"
)

// flatPNG builds a real, valid PNG of w×h black pixels of the given bit
// depth and colour type, the way a decompression bomb is built: its rows
// are all zeros, so one compressed block of zeros, repeated, inflates to
// the whole image. A 16-bit RGBA image of 49 megapixels takes 380 KB.
func flatPNG(t testing.TB, w, h int, depth, colourType byte) []byte {
	t.Helper()
	channels := map[byte]int{0: 1, 2: 3, 4: 2, 6: 4}[colourType]
	size := int64(h) * int64(1+w*channels*int(depth)/8) // a filter byte a row
	const chunk = 1 << 20
	deflate := func(n int64, final bool) []byte {
		var buf bytes.Buffer
		zw, _ := flate.NewWriter(&buf, flate.BestCompression)
		zw.Write(make([]byte, n))
		if final {
			zw.Close()
		} else {
			zw.Flush() // ends on a byte boundary, so the block can be repeated
		}
		return buf.Bytes()
	}
	z := []byte{0x78, 0xDA}
	block := deflate(chunk, false)
	for range size / chunk {
		z = append(z, block...)
	}
	z = append(z, deflate(size%chunk, true)...)
	z = binary.BigEndian.AppendUint32(z, uint32(size%65521)<<16|1) // the Adler-32 of zeros

	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, depth, colourType, 0, 0, 0)
	out := append([]byte(nil), magicPNG...)
	for _, c := range []struct {
		kind string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", z}, {"IEND", nil}} {
		out = binary.BigEndian.AppendUint32(out, uint32(len(c.data)))
		body := append([]byte(c.kind), c.data...)
		out = append(out, body...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(body))
	}
	return out
}

// The flat PNGs are real images: a small one decodes to what it claims.
func TestFlatPNGDecodes(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(flatPNG(t, 700, 900, 16, 6)))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.NRGBA64); !ok || img.Bounds() != image.Rect(0, 0, 700, 900) {
		t.Fatalf("decoded %T %v", img, img.Bounds())
	}
}

// serverLimits are the defaults review.DefaultIngestLimits sets.
var serverLimits = Limits{MaxPixels: 50_000_000, MaxBytes: 200_000_000, MaxRatio: 250, RatioFloor: 64 << 20}

func TestInspectDecodeCost(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		err  error
	}{
		// The report's bomb: 381 KB, 49 megapixels of 16-bit RGBA, 392 MB decoded.
		{"16-bit 49 MP bomb", flatPNG(t, 7000, 7000, 16, 6), ErrTooManyBytes},
		{"16-bit 49 MP header alone", pngHeaderOf(7000, 7000, 16, 6), ErrTooManyBytes},
		// 72 MB decoded from 70 KB: under the size cap, a thousand times its file.
		{"16-bit 9 MP, a thousand times its file", flatPNG(t, 3000, 3000, 16, 6), ErrTooCompressed},
		// 8-bit RGB decodes to RGBA: 50 MP is exactly the size cap.
		{"8-bit 50 MP header", pngHeaderOf(10000, 5000, 8, 2), ErrTooCompressed},
		// Small images pass whatever their ratio: a blank 4K screenshot
		// compresses about a thousandfold.
		{"flat 4K screenshot", flatPNG(t, 3840, 2160, 8, 6), nil},
		{"flat 1080p grey", flatPNG(t, 1920, 1080, 8, 0), nil},
		{"photo", jpegOf(t, detailed(1200, 900, 4), 90), nil},
		{"16-bit photo-sized", pngHeaderOf(4000, 3000, 16, 2), ErrTooCompressed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Inspect(tt.in, serverLimits)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if d := time.Since(start); d > 100*time.Millisecond {
				t.Errorf("Inspect took %v: it must read the header only", d)
			}
		})
	}
}

// The report's bomb is refused by Decode from its header: no pixel memory
// is allocated and no time is spent (decoding it took 6.4 s and 800 MB).
func TestDecodeBombIsRefusedCheaply(t *testing.T) {
	bomb := flatPNG(t, 7000, 7000, 16, 6)
	if len(bomb) > 400<<10 {
		t.Fatalf("the bomb is %d bytes, want under 400 KB as reported", len(bomb))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, _, err := Decode(bomb, serverLimits); !errors.Is(err, ErrTooManyBytes) {
		t.Fatalf("err = %v, want ErrTooManyBytes", err)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", n)
	}
}

func TestBytesPerPixel(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want int64
	}{
		{"grey png", flatPNG(t, 10, 10, 8, 0), 1},
		{"16-bit grey png", flatPNG(t, 10, 10, 16, 0), 2},
		{"rgb png", flatPNG(t, 10, 10, 8, 2), 4},
		{"16-bit rgba png", flatPNG(t, 10, 10, 16, 6), 8},
		{"paletted png", pngOf(t, image.NewPaletted(image.Rect(0, 0, 4, 4), []color.Color{color.Black, color.White})), 1},
		{"colour jpeg", jpegOf(t, detailed(16, 16, 1), 80), 3},
		{"grey jpeg", jpegOf(t, image.NewGray(image.Rect(0, 0, 16, 16)), 80), 1},
		{"gif", gifOf(t, detailed(8, 8, 1)), 1},
		{"lossless webp", webpLossless, 4},
		{"lossy webp", webpLossy, 3},
	}
	for _, tt := range tests {
		f, _ := Sniff(tt.in)
		cfg, err := decodeConfig(f, bytes.NewReader(tt.in))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := bytesPerPixel(f, cfg.ColorModel); got != tt.want {
			t.Errorf("%s: %d bytes a pixel, want %d", tt.name, got, tt.want)
		}
	}
}

// pngHeaderOf is pngHeader with a chosen bit depth and colour type.
func pngHeaderOf(w, h uint32, depth, colourType byte) []byte {
	b := pngHeader(w, h)
	b[24], b[25] = depth, colourType
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

package pdq

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// benchJPEG encodes a synthetic 1-megapixel picture (1250x800: gradients
// and shapes, so the encoder has real work) as a quality-90 JPEG.
func benchJPEG(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, shapes(1250, 800), &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchDecoded(b *testing.B) image.Image {
	b.Helper()
	img, err := jpeg.Decode(bytes.NewReader(benchJPEG(b)))
	if err != nil {
		b.Fatal(err)
	}
	return img
}

// BenchmarkFromImage1MP hashes a decoded 1-megapixel JPEG (*image.YCbCr,
// the common case).
func BenchmarkFromImage1MP(b *testing.B) {
	img := benchDecoded(b)
	b.ResetTimer()
	for b.Loop() {
		FromImage(img)
	}
}

func BenchmarkFromImage1MPNRGBA(b *testing.B) {
	img := shapes(1250, 800)
	for b.Loop() {
		FromImage(img)
	}
}

// BenchmarkFromImage256 hashes an image small enough not to be resized,
// so every pixel goes through the filter.
func BenchmarkFromImage256(b *testing.B) {
	img := shapes(256, 256)
	for b.Loop() {
		FromImage(img)
	}
}

func BenchmarkDihedralFromImage1MP(b *testing.B) {
	img := benchDecoded(b)
	b.ResetTimer()
	for b.Loop() {
		DihedralFromImage(img)
	}
}

// BenchmarkDecodeAndHash1MP is the ingest cost: JPEG decode plus hash.
func BenchmarkDecodeAndHash1MP(b *testing.B) {
	data := benchJPEG(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := FromReader(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

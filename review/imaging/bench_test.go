package imaging

import (
	"bytes"
	"image/jpeg"
	"testing"
	"time"
)

// The ingest budget: decode + Preview + Grey (+ PDQ, elsewhere) must run at
// ≥ 60% of the bare JPEG decode rate, so compare these against
// BenchmarkDecodeBare. The input is a synthetic 1-megapixel colour JPEG
// with photo-like detail.

const benchLimit = 50_000_000

func benchJPEG(b *testing.B) []byte {
	b.Helper()
	return jpegOf(b, detailed(1000, 1000, 42), 85)
}

func BenchmarkDecodeBare(b *testing.B) {
	in := benchJPEG(b)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	in := benchJPEG(b)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, _, err := Decode(in, Limits{MaxPixels: benchLimit}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPreview(b *testing.B) {
	img, _, err := Decode(benchJPEG(b), Limits{MaxPixels: benchLimit})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Preview(img); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGrey(b *testing.B) {
	img, _, err := Decode(benchJPEG(b), Limits{MaxPixels: benchLimit})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Grey(img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPipeline is what ingest does per upload, minus PDQ hashing.
func BenchmarkPipeline(b *testing.B) {
	in := benchJPEG(b)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		img, _, err := Decode(in, Limits{MaxPixels: benchLimit})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Preview(img); err != nil {
			b.Fatal(err)
		}
		if _, err := Grey(img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRatios times a bare decode and each ingest step alternately, so
// that load on a shared machine affects both sides alike, and reports each
// step's cost as a fraction of the bare decode, and the ingest rate (decode
// + Preview + Grey, without PDQ) as a fraction of the bare decode rate.
func BenchmarkRatios(b *testing.B) {
	in := benchJPEG(b)
	var bare, decode, preview, grey time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		img, _, err := Decode(in, Limits{MaxPixels: benchLimit})
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if _, err := Preview(img); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		if _, err := Grey(img); err != nil {
			b.Fatal(err)
		}
		t4 := time.Now()
		bare, decode, preview, grey = bare+t1.Sub(t0), decode+t2.Sub(t1), preview+t3.Sub(t2), grey+t4.Sub(t3)
	}
	b.ReportMetric(float64(preview)/float64(bare), "preview/decode")
	b.ReportMetric(float64(grey)/float64(bare), "grey/decode")
	b.ReportMetric(float64(bare)/float64(decode+preview+grey), "rate/bare-rate")
	b.ReportMetric(0, "ns/op") // the sum of two pipelines: not meaningful
}

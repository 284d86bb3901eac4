package imaging

import (
	"bytes"
	"errors"
	"image"
	"testing"
)

func TestSniff(t *testing.T) {
	small := detailed(16, 16, 1)
	tests := []struct {
		name string
		in   []byte
		want Format
		err  error
	}{
		{"jpeg", jpegOf(t, small, 80), JPEG, nil},
		{"png", pngOf(t, small), PNG, nil},
		{"gif", gifOf(t, small), GIF, nil},
		{"gif87a", []byte("GIF87a\x01\x00\x01\x00"), GIF, nil},
		{"webp lossless", webpLossless, WebP, nil},
		{"webp lossy", webpLossy, WebP, nil},
		{"empty", nil, "", ErrUnsupported},
		{"garbage", []byte("this is not an image at all"), "", ErrUnsupported},
		{"html", []byte("<html><img src=x onerror=alert(1)>"), "", ErrUnsupported},
		{"truncated jpeg magic", []byte{0xFF, 0xD8}, "", ErrUnsupported},
		{"truncated png magic", []byte("\x89PNG\r\n"), "", ErrUnsupported},
		{"truncated gif magic", []byte("GIF8"), "", ErrUnsupported},
		{"riff but not webp", []byte("RIFF\x00\x00\x00\x00WAVEfmt "), "", ErrUnsupported},
		{"truncated webp magic", []byte("RIFF\x1a\x00\x00\x00WEB"), "", ErrUnsupported},
		{"bmp", []byte("BM\x3a\x00\x00\x00\x00\x00"), "", ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sniff(tt.in)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Sniff = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestContentType(t *testing.T) {
	tests := map[Format]string{
		JPEG: "image/jpeg", PNG: "image/png", GIF: "image/gif", WebP: "image/webp",
		"": "application/octet-stream",
	}
	for f, want := range tests {
		if got := f.ContentType(); got != want {
			t.Errorf("%q.ContentType() = %q, want %q", f, got, want)
		}
	}
}

// The sniffed format must not depend on anything but the bytes: an image
// the decoders accept as one format is never reported as another.
func TestSniffAgreesWithDecoder(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	for _, b := range [][]byte{jpegOf(t, img, 90), pngOf(t, img), gifOf(t, img), webpLossless} {
		f, err := Sniff(b)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeImage(f, bytes.NewReader(b)); err != nil {
			t.Errorf("sniffed %s but its decoder refuses it: %v", f, err)
		}
	}
}

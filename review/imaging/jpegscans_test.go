package imaging

import (
	"bytes"
	"errors"
	"image/color"
	"testing"
)

// sos is a minimal one-component start-of-scan segment and one data byte.
var sos = []byte{0xFF, 0xDA, 0, 8, 1, 1, 0, 1, 1, 0, 0x2A}

func TestJPEGScans(t *testing.T) {
	baseline := jpegOf(t, detailed(64, 64, 1), 85)
	many := func(n int) []byte {
		b := append([]byte(nil), jpegHeader(64, 64)...)
		return append(b, bytes.Repeat(sos, n)...)
	}
	tests := []struct {
		name string
		in   []byte
		want int
	}{
		{"baseline", baseline, 1},
		{"no scan", []byte{0xFF, 0xD8, 0xFF, 0xD9}, 0},
		{"scan data with stuffed bytes and restarts", append(many(1), 0xFF, 0x00, 0x13, 0xFF, 0xD3, 0x07, 0xFF, 0xD9), 2},
		{"many scans, counting stops past the limit", many(5000), maxJPEGScans + 1},
		{"truncated length", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00}, 0},
	}
	for _, tt := range tests {
		if got := jpegScans(tt.in, maxJPEGScans); got != tt.want {
			t.Errorf("%s: %d scans, want %d", tt.name, got, tt.want)
		}
	}
	if _, err := Inspect(many(maxJPEGScans+1), Limits{MaxPixels: 1 << 20}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Inspect of a scan bomb: err = %v, want ErrUnsupported", err)
	}
	if _, err := Inspect(many(3), Limits{MaxPixels: 1 << 20}); err != nil {
		t.Errorf("Inspect of a JPEG with a few scans: %v", err)
	}
}

func TestJPEGProgressive(t *testing.T) {
	baseline := jpegHeader(64, 64)
	progressive := append([]byte(nil), baseline...)
	progressive[3] = 0xC2 // SOF2
	withAPP := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 'J', 'F'}, progressive[2:]...)
	for _, tt := range []struct {
		name string
		in   []byte
		want bool
	}{{"baseline", baseline, false}, {"progressive", progressive, true}, {"progressive after APP0", withAPP, true}, {"no frame", []byte{0xFF, 0xD8, 0xFF, 0xD9}, false}} {
		if got := jpegProgressive(tt.in); got != tt.want {
			t.Errorf("%s: progressive = %v, want %v", tt.name, got, tt.want)
		}
	}
	// A progressive decode keeps four bytes a sample of coefficients.
	if got := workingBytes(JPEG, color.YCbCrModel, progressive, 100, 300); got != 100+100*4*3 {
		t.Errorf("working bytes of a progressive colour JPEG = %d", got)
	}
}

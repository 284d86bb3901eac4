package review_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

func TestIngestLimitsWithDefaults(t *testing.T) {
	got := review.IngestLimits{MaxFileBytes: 1 << 20, Workers: 3}.WithDefaults()
	want := review.DefaultIngestLimits
	want.MaxFileBytes, want.Workers = 1<<20, 3
	if got != want {
		t.Errorf("WithDefaults = %+v, want %+v", got, want)
	}
	if d := review.DefaultIngestLimits; d.MaxMedia != 20 || d.MaxDecodedBytes != 4*d.MaxPixels {
		t.Errorf("defaults: %d media, %d decoded bytes for %d pixels", d.MaxMedia, d.MaxDecodedBytes, d.MaxPixels)
	}
}

// png16 is the header of a 16-bit RGBA PNG claiming w×h pixels.
func png16(w, h uint32) []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:20], w)
	binary.BigEndian.PutUint32(b[20:24], h)
	b[24], b[25] = 16, 6
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestIngestRefusesCostlyItems(t *testing.T) {
	fx := newIngester(t)
	fx.in.Limits.MaxMedia = 2
	fx.in.Limits.MaxDecodedBytes = 4_000_000
	img := smallImages()[0]
	tests := []struct {
		name    string
		uploads [][]byte
		err     error
		says    string
	}{
		{"one media too many", [][]byte{img, img, img}, review.ErrTooLarge, "at most 2 media files"},
		{"16-bit bomb", [][]byte{png16(1000, 1000)}, review.ErrTooManyPixels, "media[0] would decode to more than 4 MB"},
		{"pixels", [][]byte{img, png16(2000, 2000)}, review.ErrTooManyPixels, "media[1] has more than 1048576 pixels"},
	}
	for _, tt := range tests {
		var ups []review.Upload
		for _, b := range tt.uploads {
			ups = append(ups, review.Upload{Name: "x.png", Bytes: b})
		}
		_, _, err := fx.in.Ingest(context.Background(), fx.caller, []byte(`{"external_id":"costly"}`), ups)
		if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: err = %v, want %v saying %q", tt.name, err, tt.err, tt.says)
		}
	}
	if n := fx.objects(t); n != 0 {
		t.Errorf("%d vault files left by refused items", n)
	}
}

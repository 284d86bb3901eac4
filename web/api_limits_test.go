package web

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"strings"
	"testing"
)

// tinyGIF is a 2×2 GIF of a few dozen bytes.
func tinyGIF(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := gif.Encode(&buf, image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An item of 2,000 tiny GIFs used to be accepted; now 20 media at most,
// refused as the 21st part arrives, with nothing stored.
func TestIngestMediaPerItem(t *testing.T) {
	h := newHarness(t)
	token := h.apiToken("scanner", "photos")
	g := tinyGIF(t)
	parts := []part{meta("many", "")}
	for range 2000 {
		parts = append(parts, part{name: "media", file: "x.gif", body: g})
	}
	res := h.ingest(token, parts...)
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(res.err.Error, "at most 20 media files") {
		t.Fatalf("2,000 media: %d %+v", res.status, res.err)
	}
	assertNoVaultFiles(t, h)
	if res := h.ingest(token, parts[:21]...); res.status != http.StatusCreated || len(res.item.Media) != 20 {
		t.Fatalf("20 media: %d %+v", res.status, res.err)
	}
}

// Images whose header announces too costly a decode are refused with 422
// before any pixel is decoded.
func TestIngestDecodeCost(t *testing.T) {
	h := newHarness(t)
	token := h.apiToken("scanner", "photos")
	cases := []struct {
		name string
		img  []byte
		says string
	}{
		{"49 MP of 16-bit RGBA", pngHeaderOf(7000, 7000, 16, 6), "media[0] would decode to more than 200 MB"},
		{"9 MP of 16-bit RGBA from a few bytes", pngHeaderOf(3000, 3000, 16, 6), "media[0] would decode to more than 250 times its file size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.ingest(token, meta("bomb", ""), media(tc.img))
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.err.Error, tc.says) {
				t.Errorf("got %d %q, want 422 saying %q", res.status, res.err.Error, tc.says)
			}
		})
	}
	assertNoVaultFiles(t, h)
}

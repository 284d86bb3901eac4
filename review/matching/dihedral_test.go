package matching

import (
	"image"
	"image/jpeg"
	"os"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

// bridgePhoto is one of the pdq package's reference images (Meta's
// ThreatExchange samples), read from there rather than copied.
const bridgePhoto = "../pdq/testdata/bridge-mods/aaa-orig.jpg"

// A rotated or mirrored copy of a listed picture matches it through the
// query's variants, named by the transform that turns the copy back into
// the listed picture.
func TestMatchTransformedCopy(t *testing.T) {
	img := decodeJPEG(t, bridgePhoto)
	listed := pdq.FromImage(img)
	m := load(t,
		[]List{{ID: 1, Name: "main", Kind: Block, Enabled: true}},
		[]Entry{{ID: 1, ListID: 1, Type: PDQ, Value: listed.Hash.String(), Category: "csam"}})

	tests := []struct {
		name        string
		copy        *image.YCbCr
		wantVariant string
	}{
		// The original itself, re-hashed through the dihedral path.
		{"original", img, "original"},
		// Turned a quarter counter-clockwise; a quarter clockwise undoes it.
		{"rotated 90", transform(img, true), pdq.Rot270.String()},
		// Mirrored left to right, which is its own inverse.
		{"mirrored", transform(img, false), pdq.FlipY.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			variants := pdq.DihedralFromImage(tt.copy)
			got := m.Match(Query{PDQ: variants[:]})
			if len(got) != 1 {
				t.Fatalf("Match() = %+v, want one match", got)
			}
			// The resize does not commute with rotation exactly, so the copy
			// is a few bits off (12 here; the reference sees 14 to 18 on a
			// sibling photo), but well inside any threshold.
			if got[0].Variant != tt.wantVariant || got[0].Distance > 20 || got[0].EntryID != 1 {
				t.Errorf("Match() = %+v, want entry 1 by variant %s within 20", got[0], tt.wantVariant)
			}
			// Without the variants the copy would be missed: the copy's own
			// hash is nowhere near the listed one.
			if tt.wantVariant != "original" {
				if got := m.Match(Query{PDQ: variants[:1]}); len(got) != 0 {
					t.Errorf("original variant alone matched: %+v", got)
				}
			}
		})
	}
}

// decodeJPEG decodes a colour JPEG with 4:2:0 chroma, which transform
// needs, as most photos have.
func decodeJPEG(t *testing.T, path string) *image.YCbCr {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := jpeg.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	img, ok := src.(*image.YCbCr)
	if !ok || img.SubsampleRatio != image.YCbCrSubsampleRatio420 || img.Rect.Min != (image.Point{}) ||
		img.Rect.Dx()%2 != 0 || img.Rect.Dy()%2 != 0 {
		t.Fatalf("%s: want 4:2:0 YCbCr of even size at the origin, got %T", path, src)
	}
	return img
}

// transform returns img turned a quarter counter-clockwise (its top-right
// corner becomes the top-left) or, if not rotate, mirrored left to right.
// It moves the bytes of each plane rather than converting to RGB and back:
// with 4:2:0 chroma of an even-sized image the chroma planes turn exactly
// as the luma does, and the test stays fast under -race.
func transform(img *image.YCbCr, rotate bool) *image.YCbCr {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := &image.YCbCr{SubsampleRatio: img.SubsampleRatio, Rect: image.Rect(0, 0, w, h)}
	if rotate {
		out.Rect = image.Rect(0, 0, h, w)
	}
	out.Y, out.YStride = transformPlane(img.Y, img.YStride, w, h, rotate)
	out.Cb, out.CStride = transformPlane(img.Cb, img.CStride, w/2, h/2, rotate)
	out.Cr, _ = transformPlane(img.Cr, img.CStride, w/2, h/2, rotate)
	return out
}

// transformPlane moves each byte of a w×h plane to its place in the turned
// or mirrored plane, and returns that plane and its stride.
func transformPlane(src []byte, stride, w, h int, rotate bool) ([]byte, int) {
	outStride := w
	if rotate {
		outStride = h
	}
	out := make([]byte, w*h)
	for y := range h {
		row := src[y*stride : y*stride+w]
		for x, b := range row {
			nx, ny := w-1-x, y
			if rotate {
				nx, ny = y, w-1-x
			}
			out[ny*outStride+nx] = b
		}
	}
	return out, outStride
}

package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
	"golang.org/x/image/draw"
)

// scene is a harmless synthetic picture: a gradient with a few shapes
// that seed places.
func scene(w, h int, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			band := uint8(((x*(3+seed)/w + y*(2+seed%3)/h) % 2) * 90) // coarse stripes give PDQ texture
			img.Set(x, y, color.RGBA{uint8(x*200/w) + band/2, uint8(y*200/h) + band/3, uint8(seed*40) + band/2, 255})
		}
	}
	for k := range 4 {
		cx, cy, r := (seed*37+k*53)%w, (seed*71+k*29)%h, w/8+k*w/40
		for y := max(0, cy-r); y < min(h, cy+r); y++ {
			for x := max(0, cx-r); x < min(w, cx+r); x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) < r*r {
					img.Set(x, y, color.RGBA{uint8(255 - k*60), uint8(k * 60), 30, 255})
				}
			}
		}
	}
	return img
}

func encodePNG(img image.Image) []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func encodeJPEG(img image.Image, quality int) []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: quality})
	return b.Bytes()
}

func resized(img image.Image, w, h int) image.Image {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

func rotated90(img image.Image) image.Image {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			dst.Set(b.Dy()-1-y, x, img.At(x, y))
		}
	}
	return dst
}

func flipped(img image.Image) image.Image {
	b := img.Bounds()
	dst := image.NewRGBA(b)
	for y := range b.Dy() {
		for x := range b.Dx() {
			dst.Set(b.Dx()-1-x, y, img.At(x, y))
		}
	}
	return dst
}

// upload is one file as ingest sees it: its bytes' SHA-256 and the PDQ
// hashes of the decoded image in all eight variants.
type upload struct {
	media    Media
	variants []pdq.Result
}

func decoded(t *testing.T, b []byte) upload {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	v := pdq.DihedralFromImage(img)
	sum := sha256.Sum256(b)
	return upload{Media{SHA256: hex.EncodeToString(sum[:]), PDQ: v[0].Hash.String(), PDQQuality: v[0].Quality}, v[:]}
}

// fakeClusterSource is a queue's waiting items in memory.
type fakeClusterSource struct {
	queue Queue
	media []ClusterMedia
	reads int
}

func (f *fakeClusterSource) FindQueue(context.Context, int64) (Queue, error) { return f.queue, nil }

func (f *fakeClusterSource) FindClusterMedia(_ context.Context, _ int64, after int64) ([]ClusterMedia, int64, error) {
	f.reads++
	var out []ClusterMedia
	var upTo int64
	for _, m := range f.media {
		upTo = max(upTo, m.ItemID)
		if m.ItemID > after {
			out = append(out, m)
		}
	}
	return out, upTo, nil
}

func (f *fakeClusterSource) add(id int64, u upload) {
	f.media = append(f.media, ClusterMedia{ItemID: id, SHA256: u.media.SHA256, PDQ: u.media.PDQ, Quality: u.media.PDQQuality})
}

// TestClusterIndexFindsCopies: exact, re-encoded, resized, turned and
// mirrored copies of a waiting picture find it; an unrelated picture
// finds nothing.
func TestClusterIndexFindsCopies(t *testing.T) {
	base := scene(320, 240, 3)
	original := encodePNG(base)
	src := &fakeClusterSource{queue: Queue{ID: 1, ClusterThreshold: DefaultClusterThreshold}}
	src.add(10, decoded(t, original))
	x := &ClusterIndex{Store: src}
	ctx := context.Background()

	cases := []struct {
		name  string
		bytes []byte
		match string // "" for none
	}{
		{"exact copy", original, ClusterMatchSHA256},
		{"re-encoded as JPEG at quality 60", encodeJPEG(base, 60), ClusterMatchPDQ},
		{"resized to half", encodePNG(resized(base, 160, 120)), ClusterMatchPDQ},
		{"rotated 90 degrees", encodePNG(rotated90(base)), ClusterMatchPDQ},
		{"mirrored", encodeJPEG(flipped(base), 85), ClusterMatchPDQ},
		{"unrelated picture", encodePNG(scene(320, 240, 4)), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := decoded(t, c.bytes)
			got, err := x.Candidates(ctx, 1, u.media, u.variants)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.match == "" && len(got) != 0:
				t.Errorf("found %+v", got)
			case c.match != "" && (len(got) != 1 || got[0].ItemID != 10 || got[0].Match != c.match || got[0].Distance > DefaultClusterThreshold):
				t.Errorf("candidates %+v, want item 10 by %s", got, c.match)
			}
		})
	}
}

// TestClusterIndexCatchesUp: an item another instance ingested after the
// index loaded is found at the next lookup; a threshold of 0 turns
// clustering off; forgotten items are not offered again.
func TestClusterIndexCatchesUp(t *testing.T) {
	ctx := context.Background()
	a, b := decoded(t, encodePNG(scene(200, 200, 2))), decoded(t, encodePNG(scene(200, 200, 5)))
	src := &fakeClusterSource{queue: Queue{ID: 1, ClusterThreshold: DefaultClusterThreshold}}
	src.add(1, a)
	x := &ClusterIndex{Store: src}
	if got, _ := x.Candidates(ctx, 1, b.media, b.variants); len(got) != 0 {
		t.Fatalf("b matched %+v before any copy of it waits", got)
	}
	src.add(2, b) // ingested elsewhere
	got, _ := x.Candidates(ctx, 1, b.media, b.variants)
	if len(got) != 1 || got[0].ItemID != 2 {
		t.Fatalf("after catching up: %+v, want item 2", got)
	}
	x.Forget(1, got)
	if got, _ := x.Candidates(ctx, 1, a.media, a.variants); len(got) != 1 || got[0].ItemID != 1 {
		t.Errorf("a: %+v, want item 1", got)
	}
	src.queue.ClusterThreshold = 0
	if got, _ := x.Candidates(ctx, 1, a.media, a.variants); len(got) != 0 {
		t.Errorf("threshold 0 still found %+v", got)
	}
}

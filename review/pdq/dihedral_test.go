package pdq

import (
	"image"
	"image/draw"
	"testing"
)

// Section A2 of the reference material: DihedralFromImage of the original
// bridge photo, exactly.
func TestDihedralReference(t *testing.T) {
	want := [NumVariants]string{
		Original:   "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22",
		Rot90:      "f0a10efd51c83d429053d48d0fffbc52e34e0e17ada956a9d29685211ea9e58f",
		Rot180:     "adad5a64b5a102e55b62a88052dacd5ae63b847fc337b4b766b399361bc93188",
		Rot270:     "a5f0b457248995e8c1065c275aaa56d8b61ba4bdf8fcfc0383c32f8b0bfc4f05",
		FlipX:      "d8f80f31e0f457b00637f5d5038f980fb36ed12a9662c1e233e64c634e9c64dd",
		FlipY:      "8dada49991a1bd1a5362577742da32a5e63b7b80c2364b4866b346c91bc9ce77",
		FlipPlus1:  "f0a1e10271ccc0bd90530b720fff038de34ef1e8ada9a956d6967ade5ea91a50",
		FlipMinus1: "a5f44ba8a4996a17cd06a1d85aaaa927b61b5b42f8fc03fc83c3d0740bfcb0fa",
	}
	got := DihedralFromImage(decodeFile(t, "dih/bridge-1-original.jpg"))
	for _, v := range Variants {
		if got[v].Hash.String() != want[v] {
			t.Errorf("%v: got %v, want %s", v, got[v].Hash, want[v])
		}
		if got[v].Quality != 100 {
			t.Errorf("%v: quality %d, want 100", v, got[v].Quality)
		}
	}
}

// The variant hash of an image must match (distance <= MatchDistance) the
// plain hash of the image transformed pixel by pixel, and be nearer to it
// than any other variant. Not equal: the resize to 512x512 and the box
// filter's off-centre window for even widths do not commute with flips; the
// reference itself is 14 to 18 bits off on the bridge photo (sections A and
// A2).
func TestDihedralMatchesPixelTransforms(t *testing.T) {
	images := map[string]*image.NRGBA{
		"bridge": toNRGBA(decodeFile(t, "dih/bridge-1-original.jpg")),
		"shapes": shapes(300, 200),
	}
	for name, img := range images {
		variants := DihedralFromImage(img)
		for _, v := range Variants {
			plain := FromImage(transformPixels(img, v)).Hash
			d := Distance(variants[v].Hash, plain)
			if d > MatchDistance {
				t.Errorf("%s %v: variant hash %v is %d bits from hash of transformed pixels %v",
					name, v, variants[v].Hash, d, plain)
			}
			for _, other := range Variants {
				if other != v && Distance(variants[other].Hash, plain) <= d {
					t.Errorf("%s %v: transformed pixels hash nearer to variant %v", name, v, other)
				}
			}
		}
		for i := range variants {
			for j := range i {
				if d := Distance(variants[i].Hash, variants[j].Hash); d < 32 {
					t.Errorf("%s: %v and %v only %d bits apart", name, Variant(i), Variant(j), d)
				}
			}
		}
	}
}

func TestVariantString(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range Variants {
		s := v.String()
		if s == "" || seen[s] {
			t.Errorf("variant %d: name %q empty or repeated", v, s)
		}
		seen[s] = true
	}
	if got := Variant(9).String(); got != "Variant(9)" {
		t.Errorf("Variant(9).String() = %q", got)
	}
}

// transformPixels returns img rotated or reflected as variant v names it,
// with the reference's conventions (checked against its bridge files): Rot90
// turns the picture a quarter counter-clockwise, FlipX mirrors it top to
// bottom, FlipPlus1 transposes it.
func transformPixels(img *image.NRGBA, v Variant) *image.NRGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	switch v {
	case Rot90, Rot270, FlipPlus1, FlipMinus1:
		ow, oh = h, w
	}
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	for y := range h {
		for x := range w {
			var nx, ny int
			switch v {
			case Original:
				nx, ny = x, y
			case Rot90:
				nx, ny = y, w-1-x
			case Rot180:
				nx, ny = w-1-x, h-1-y
			case Rot270:
				nx, ny = h-1-y, x
			case FlipX:
				nx, ny = x, h-1-y
			case FlipY:
				nx, ny = w-1-x, y
			case FlipPlus1:
				nx, ny = y, x
			case FlipMinus1:
				nx, ny = h-1-y, w-1-x
			}
			src := img.PixOffset(b.Min.X+x, b.Min.Y+y)
			copy(out.Pix[out.PixOffset(nx, ny):][:4], img.Pix[src:src+4])
		}
	}
	return out
}

// toNRGBA copies img into an NRGBA image with its origin at (0, 0).
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

// shapes is a synthetic picture with off-centre features, so that every
// rotation and reflection of it looks different.
func shapes(w, h int) *image.NRGBA {
	img := gradient(w, h)
	for y := range h {
		for x := range w {
			o := img.PixOffset(x, y)
			if (x-w/4)*(x-w/4)+(y-h/3)*(y-h/3) < (h/5)*(h/5) {
				img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 250, 20, 20
			}
			if x > w*2/3 && x < w*2/3+w/8 && y > h/2 {
				img.Pix[o], img.Pix[o+1], img.Pix[o+2] = 10, 10, 200
			}
		}
	}
	return img
}

package pdq

import (
	"image"
	"os"
	"path/filepath"
	"testing"
)

// The expected values are the reference material's (shared/pdq/README.md):
// section A is the C++ CLI's output and must match exactly; section B came
// from the same C++ compiled to WebAssembly with another JPEG decoder and
// may differ by up to 2 bits.
var referenceHashes = []struct {
	path    string
	hash    string
	quality int
	maxDist int
}{
	// A: exact.
	{"dih/bridge-1-original.jpg", "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", 100, 0},
	{"dih/bridge-2-rotate-90.jpg", "30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af", 100, 0},
	{"dih/bridge-3-rotate-180.jpg", "2dad5a64b1a142e7d362a09857da895ae63b8c7fc23794b766b319361fc93188", 100, 0},
	{"dih/bridge-4-rotate-270.jpg", "a5f0a457248995e8c9065c275aaa5498b61ba4bdf8fcf80387c32f8b5bfc4f05", 100, 0},
	{"dih/bridge-5-flipx.jpg", "d8f80f33e0f417b20e37f5cd028f980fb36ed02a9662c1e233e64c634e9c64dd", 100, 0},
	{"dih/bridge-6-flipy.jpg", "2da9259bb1a1bd1a5362576552da32a5e63b7380c2774b4866b346c91b89ce77", 100, 0},
	{"dih/bridge-7-flip-plus-1.jpg", "f0a1e10271ccc0bd90530b720fff038de34ef1e8ada9a956d6967ade5ea91a50", 100, 0},
	{"dih/bridge-8-flip-minus-1.jpg", "2df05aa8a4896a17c14682da5aaaab07b61b5b42f8fc07fc87c3d0741bfcb0fa", 100, 0},
	// B: within 2 bits.
	{"bridge-mods/aaa-orig.jpg", "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", 100, 2},
	{"bridge-mods/blur-a-little.jpg", "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", 100, 2},
	{"bridge-mods/blur-a-lot.jpg", "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", 100, 2},
	{"bridge-mods/high-contrast.jpg", "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", 100, 2},
	{"bridge-mods/high-saturation.jpg", "d8f8f0cee0f4a84f0637022a038f67f0b36e2ed596631e1d33e6339c4e9c9b22", 100, 2},
	{"bridge-mods/sharpen-a-little.jpg", "d8f8f0cee0f4a84f0e370222038f67f0b36e2ed596231e1d33e6b39c4e9c9b22", 100, 2},
	{"bridge-mods/sharpen-a-lot.jpg", "d0f8f0cec0f4a84f0e370a22338f67f0b36a2ef596231e1d72e6a39c4e9c9b22", 100, 2},
	{"bridge-mods/shrink-a-little.jpg", "d8f8f0cee0f4a84f0e370a22038f67f0b36e2ed596621e1d33e6339c4e9c9b22", 100, 2},
	{"bridge-mods/shrink-a-lot.jpg", "d0f8f1ccc0f4a84d0a370a3a228f67f0b36e2ed5b6623e1d33e6339c4e9c9b22", 100, 2},
	{"bridge-mods/square-128x128.jpg", "d8f8f1eec0f4a84f0e37022a078f63f0b36e2ed596621e1d33e6239c4e9c9b22", 100, 2},
	{"bridge-mods/square-256x256.jpg", "d8f8f0cec4f4a84f0637022a078f67f0b36e2ee5b6621e1d33e6239c4e9c9b22", 100, 2},
	{"bridge-mods/square-512x512.jpg", "d8f8f0cec0f4a84f0637022a278f67f0b36e2ed596621e1d33e6339c4e9c9b22", 100, 2},
	{"misc-images/c.png", "e4cc89d91c623842f8d1f1d9a398e78c9f199a3bf87925f2b7e11e0bf061b064", 100, 2},
	{"misc-images/small.jpg", "0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff", 0, 2},
	{"misc-images/wee.jpg", "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d", 100, 2},
}

func TestFromImageReference(t *testing.T) {
	for _, tc := range referenceHashes {
		t.Run(tc.path, func(t *testing.T) {
			want := mustParse(t, tc.hash)
			got := FromImage(decodeFile(t, tc.path))
			if d := Distance(got.Hash, want); d > tc.maxDist {
				t.Errorf("hash %v, want %v (distance %d > %d)", got.Hash, want, d, tc.maxDist)
			}
			if got.Quality != tc.quality {
				t.Errorf("quality %d, want %d", got.Quality, tc.quality)
			}
		})
	}
}

func TestTinyImages(t *testing.T) {
	for _, size := range []image.Point{{0, 0}, {1, 1}, {4, 100}, {100, 4}, {4, 4}} {
		img := image.NewGray(image.Rectangle{Max: size})
		for i := range img.Pix {
			img.Pix[i] = uint8(i * 37)
		}
		if got := FromImage(img); got != (Result{}) {
			t.Errorf("%v: got %v, want zero hash and quality 0", size, got)
		}
		for v, got := range DihedralFromImage(img) {
			if got != (Result{}) {
				t.Errorf("%v %v: got %v, want zero", size, Variant(v), got)
			}
		}
	}
	// Five pixels a side is enough.
	if got := FromImage(gradient(5, 5)); got.Hash.IsZero() {
		t.Error("5x5 gradient: zero hash")
	}
}

func TestUsable(t *testing.T) {
	for _, tc := range []struct {
		quality int
		want    bool
	}{{0, false}, {49, false}, {50, true}, {100, true}} {
		if got := (Result{Quality: tc.quality}).Usable(); got != tc.want {
			t.Errorf("quality %d: Usable = %v, want %v", tc.quality, got, tc.want)
		}
	}
}

func decodeFile(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

func mustParse(t testing.TB, s string) Hash {
	t.Helper()
	h, err := ParseHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// gradient is a synthetic RGB test image with structure in both directions.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			o := img.PixOffset(x, y)
			img.Pix[o] = uint8(x * 255 / max(w-1, 1))
			img.Pix[o+1] = uint8(y * 255 / max(h-1, 1))
			img.Pix[o+2] = uint8((x*x + 3*y) % 256)
			img.Pix[o+3] = 0xff
		}
	}
	return img
}

// A sub-image (bounds not at the origin) hashes like a copy of its pixels.
func TestSubImage(t *testing.T) {
	src := toNRGBA(decodeFile(t, "misc-images/wee.jpg"))
	r := image.Rect(3, 5, 30, 40)
	sub := src.SubImage(r)
	if sub.Bounds().Min == (image.Point{}) {
		t.Fatal("sub-image starts at the origin: the test checks nothing")
	}
	if got, want := FromImage(sub), FromImage(toNRGBA(sub)); got != want {
		t.Errorf("sub-image %v, copy %v", got, want)
	}
	if FromImage(sub) == FromImage(src) {
		t.Error("sub-image hashed like the whole image")
	}
}

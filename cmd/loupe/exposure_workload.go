package main

import (
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	xdraw "golang.org/x/image/draw"
)

// A copyKind is how one copy of a picture differs from the picture: what
// platforms see when the same image is posted again.
type copyKind string

const (
	copyExact    copyKind = "exact"     // the same bytes again
	copyReencode copyKind = "re-encode" // decoded and saved again at another JPEG quality
	copyResize   copyKind = "resize"    // scaled to 50-90%
	copyCrop     copyKind = "crop"      // a thin border (0.5-1.5% of the width) trimmed from each edge
	copyRotate   copyKind = "rotate"    // turned by 90, 180 or 270 degrees
	copyFlip     copyKind = "flip"      // mirrored
)

var copyKinds = []copyKind{copyExact, copyReencode, copyResize, copyCrop, copyRotate, copyFlip}

// workloadItem is one item of the exposure workload: a copy of one family's
// picture, with the verdict a careful reviewer would give it.
type workloadItem struct {
	Family    int
	Kind      copyKind
	Violating bool // the ground truth, the same for every copy of a family
	Listed    bool // the family's original is on the block list
	Bytes     []byte
}

// exposureWorkload is the benchmark's input: items built from families of
// harmless synthetic pictures, each family appearing a long-tailed number
// of times, and the block list's entries (the originals of the listed
// families).
type exposureWorkload struct {
	Items    []workloadItem
	Listed   [][]byte // one original per listed family
	Families int
}

// familyCounts splits items over families so that each appears 1 to 100
// times with a long tail: family r of n gets about 100*((n-r)/n)^4 copies
// (mean 20, median about 6), then the largest families give or take one
// copy each until the total is exact. It needs families <= items <=
// 100*families.
func familyCounts(families, items int) []int {
	counts := make([]int, families)
	sum := 0
	for r := range counts {
		u := (float64(families-r) - 0.5) / float64(families)
		counts[r] = min(100, max(1, int(math.Round(100*math.Pow(u, 4)*float64(items)/(20*float64(families))))))
		sum += counts[r]
	}
	for r := 0; sum != items; r = (r + 1) % families {
		switch {
		case sum < items && counts[r] < 100:
			counts[r]++
			sum++
		case sum > items && counts[r] > 1:
			counts[r]--
			sum--
		}
	}
	return counts
}

// workloadSize is the pictures' width and height. At 256 pixels PDQ's
// downsampling makes a rotated copy's hash 20 to 50 bits from the matching
// variant of the original's; at 400 it is 4 to 26.
const workloadSize = 400

// buildWorkload makes the workload from a seed: families pictures of
// size x size that PDQ can hash (quality 50 or more, as photographs
// have; about a quarter of plain synthetic gradients fall short), one in ten of them listed, about a third of the rest
// violating (the label is only metadata on a harmless picture), and
// items copies in shuffled order.
func buildWorkload(families, items, size int, seed uint64) exposureWorkload {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	counts := familyCounts(families, items)
	w := exposureWorkload{Families: families}
	for f, n := range counts {
		img := hashableImage(f+1, size, size, rng)
		original := encodeJPEG(img, 90)
		listed := f%10 == 0
		violating := listed || rng.IntN(3) == 0
		if listed {
			w.Listed = append(w.Listed, original)
		}
		for c := range n {
			kind := copyExact
			if c > 0 {
				kind = copyKinds[rng.IntN(len(copyKinds))]
			}
			w.Items = append(w.Items, workloadItem{Family: f, Kind: kind, Violating: violating, Listed: listed, Bytes: makeCopy(img, original, kind, rng)})
		}
	}
	rng.Shuffle(len(w.Items), func(i, j int) { w.Items[i], w.Items[j] = w.Items[j], w.Items[i] })
	return w
}

// makeCopy returns the bytes of one copy of img.
func makeCopy(img *image.RGBA, original []byte, kind copyKind, rng *rand.Rand) []byte {
	b := img.Bounds()
	switch kind {
	case copyReencode:
		return encodeJPEG(img, 50+rng.IntN(40))
	case copyResize:
		s := 0.5 + 0.4*rng.Float64()
		dst := image.NewRGBA(image.Rect(0, 0, int(float64(b.Dx())*s), int(float64(b.Dy())*s)))
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		return encodeJPEG(dst, 85)
	case copyCrop:
		// PDQ does not survive real crops: at 400 pixels a 1% trim moves
		// the hash 12 to 42 bits, 3% moves it 46 to 86. Such copies are
		// not found and cost a look each.
		m := max(1, b.Dx()*(5+rng.IntN(11))/1000)
		dst := image.NewRGBA(image.Rect(0, 0, b.Dx()-2*m, b.Dy()-2*m))
		draw.Draw(dst, dst.Bounds(), img, image.Pt(m, m), draw.Src)
		return encodeJPEG(dst, 85)
	case copyRotate:
		return encodeJPEG(rotate(img, 1+rng.IntN(3)), 85)
	case copyFlip:
		return encodeJPEG(flip(img), 85)
	}
	return original
}

// rotate turns img by quarter turns clockwise.
func rotate(img *image.RGBA, quarters int) *image.RGBA {
	out := img
	for range quarters {
		b := out.Bounds()
		dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
		for y := range b.Dy() {
			for x := range b.Dx() {
				dst.SetRGBA(b.Dy()-1-y, x, out.RGBAAt(x, y))
			}
		}
		out = dst
	}
	return out
}

// flip mirrors img left to right.
func flip(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(b)
	for y := range b.Dy() {
		for x := range b.Dx() {
			dst.SetRGBA(b.Dx()-1-x, y, img.RGBAAt(x, y))
		}
	}
	return dst
}

// copyMix counts the workload's items per kind of copy, for the printout.
func (w exposureWorkload) copyMix() []string {
	n := map[copyKind]int{}
	for _, it := range w.Items {
		n[it.Kind]++
	}
	var out []string
	for _, k := range copyKinds {
		out = append(out, string(k)+" "+strconv.Itoa(n[k]))
	}
	sort.Strings(out)
	return out
}

package main

import (
	"bytes"
	"image"
	_ "image/jpeg"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

// The counts cover every item, each family appears 1 to 100 times, and the
// tail is long: the biggest family has about 100 copies and most have few.
func TestFamilyCountsAreLongTailed(t *testing.T) {
	counts := familyCounts(1000, 20000)
	sum, ones, small := 0, 0, 0
	for _, n := range counts {
		if n < 1 || n > 100 {
			t.Fatalf("a family appears %d times; want 1 to 100", n)
		}
		sum += n
		if n == 1 {
			ones++
		}
		if n <= 10 {
			small++
		}
	}
	if sum != 20000 {
		t.Fatalf("counts sum to %d; want 20000", sum)
	}
	if counts[0] < 95 || ones == 0 || small < 500 {
		t.Errorf("largest family %d (want 95 or more), %d families seen once, %d at most ten times (want a long tail)", counts[0], ones, small)
	}
}

// Copies of a family are near its original (within PDQ distance 31 over the
// dihedral variants for nearly all of them: crops, and a rotation now and
// then, fall outside), and different families are far apart: the ground
// truth the benchmark checks clusters against.
func TestWorkloadCopiesAreNearTheirOriginal(t *testing.T) {
	w := buildWorkload(12, 120, workloadSize, 7)
	if len(w.Items) != 120 || len(w.Listed) != 2 {
		t.Fatalf("%d items and %d listed families; want 120 and 2", len(w.Items), len(w.Listed))
	}
	originals := map[int]pdq.Hash{}
	hashOf := func(b []byte) [8]pdq.Result {
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return pdq.DihedralFromImage(img)
	}
	for _, it := range w.Items {
		if it.Kind == copyExact {
			originals[it.Family] = hashOf(it.Bytes)[0].Hash
		}
	}
	far := 0
	for _, it := range w.Items {
		vs := hashOf(it.Bytes)
		best := 256
		for _, v := range vs {
			best = min(best, pdq.Distance(v.Hash, originals[it.Family]))
		}
		if it.Kind != copyCrop && best > 31 {
			far++
		}
		for f, h := range originals {
			if f != it.Family && pdq.Distance(vs[0].Hash, h) <= 31 {
				t.Errorf("a copy of family %d is within 31 bits of family %d", it.Family, f)
			}
		}
	}
	if far > len(w.Items)/20 {
		t.Errorf("%d of %d copies (crops aside) are more than 31 bits from their original; want at most 5%%", far, len(w.Items))
	}
}

// Package pdq computes Meta's PDQ perceptual hash of images, bit for bit as
// the C++ reference CLI (pdq-photo-hasher) does, together with its quality
// score and the hashes of the image's seven rotations and reflections.
//
// Two hashes of the same picture, even after re-encoding, resizing or mild
// edits, are usually within Hamming distance 31 (see Distance); unrelated
// pictures are around 128 apart.
package pdq

import (
	"image"
	"slices"
)

// MinQuality is the quality below which a hash is too unreliable to match
// on: flat or nearly featureless images give hashes that collide easily.
const MinQuality = 50

// MatchDistance is the distance at or below which two hashes are
// conventionally treated as the same picture.
const MatchDistance = 31

// minSide is the smallest side that can be hashed; smaller images give a
// zero hash with quality 0.
const minSide = 5

// Result is a hash with the quality of the image it came from.
type Result struct {
	Hash    Hash
	Quality int // 0 to 100
}

// Usable reports whether the hash is good enough to match on.
func (r Result) Usable() bool {
	return r.Quality >= MinQuality
}

// FromImage hashes img.
func FromImage(img image.Image) Result {
	b, q, ok := transform(img)
	if !ok {
		return Result{}
	}
	return Result{Hash: threshold(b), Quality: q}
}

// transform runs the image-domain steps up to the 16x16 DCT coefficients
// and the quality; it reports false when the image is too small to hash.
func transform(img image.Image) (*[coeffs][coeffs]float32, int, bool) {
	l := lumaOf(img)
	if l.rows < minSide || l.cols < minSide {
		return nil, 0, false
	}
	a := jarosz(l)
	return dct(a), quality(a), true
}

// threshold sets bit i*16+j when B[i][j] is above the median, taken as the
// 128th smallest of the 256 values, so about half the bits are set.
func threshold(b *[coeffs][coeffs]float32) Hash {
	vals := make([]float32, 0, coeffs*coeffs)
	for i := range b {
		vals = append(vals, b[i][:]...)
	}
	slices.Sort(vals)
	median := vals[coeffs*coeffs/2-1]
	var h Hash
	for i := range coeffs {
		for j := range coeffs {
			if b[i][j] > median {
				h.setBit(i*coeffs + j)
			}
		}
	}
	return h
}

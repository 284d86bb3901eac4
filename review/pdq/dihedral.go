package pdq

import (
	"image"
	"strconv"
)

// Variant names one of the eight symmetries of a square: the identity, three
// rotations and four reflections. The hash of a rotated or flipped copy of
// an image is (nearly) the matching variant of the original's hash, so a
// hash list can be matched against all eight without re-decoding.
type Variant uint8

// The variants, in the order of the reference's dihedral output, named as
// in the reference (directions checked against its sample files).
const (
	Original   Variant = iota
	Rot90              // a quarter turn counter-clockwise
	Rot180             // a half turn
	Rot270             // a quarter turn clockwise
	FlipX              // mirrored top to bottom
	FlipY              // mirrored left to right
	FlipPlus1          // reflected about the main diagonal (transposed)
	FlipMinus1         // reflected about the anti-diagonal

	NumVariants = 8 // the number of variants
)

// Variants lists every variant in order; DihedralFromImage's result is
// indexed the same way.
var Variants = [NumVariants]Variant{Original, Rot90, Rot180, Rot270, FlipX, FlipY, FlipPlus1, FlipMinus1}

var variantNames = [NumVariants]string{"original", "rot90", "rot180", "rot270", "flipX", "flipY", "flipPlus1", "flipMinus1"}

func (v Variant) String() string {
	if v < NumVariants {
		return variantNames[v]
	}
	return "Variant(" + strconv.Itoa(int(v)) + ")"
}

// DihedralFromImage hashes img and its seven rotations and reflections,
// indexed by Variant. The variants are derived from the DCT coefficients
// (a flip negates odd-frequency terms, a transpose swaps the axes) and each
// is thresholded at its own median, so this costs barely more than
// FromImage. All eight share the image's quality.
func DihedralFromImage(img image.Image) [NumVariants]Result {
	var out [NumVariants]Result
	b, q, ok := transform(img)
	if !ok {
		return out
	}
	for _, v := range Variants {
		out[v] = Result{Hash: threshold(v.apply(b)), Quality: q}
	}
	return out
}

// apply maps the coefficient matrix of an image to that of its transformed
// copy. Frequency index i stands for frequency i+1, so "i odd" below means
// an even frequency, whose basis function is symmetric under a flip.
func (v Variant) apply(a *[coeffs][coeffs]float32) *[coeffs][coeffs]float32 {
	var out [coeffs][coeffs]float32
	for i := range coeffs {
		for j := range coeffs {
			x := a[i][j]
			switch v {
			case Original:
				out[i][j] = x
			case Rot90:
				out[j][i] = signIf(j%2 == 0, x)
			case Rot180:
				out[i][j] = signIf((i+j)%2 == 1, x)
			case Rot270:
				out[j][i] = signIf(i%2 == 0, x)
			case FlipX:
				out[i][j] = signIf(i%2 == 0, x)
			case FlipY:
				out[i][j] = signIf(j%2 == 0, x)
			case FlipPlus1:
				out[j][i] = x
			case FlipMinus1:
				out[j][i] = signIf((i+j)%2 == 1, x)
			}
		}
	}
	return &out
}

// signIf returns -x when negate is true, else x.
func signIf(negate bool, x float32) float32 {
	if negate {
		return -x
	}
	return x
}

package pdq

import (
	"math"
	"testing"
)

// The rows of D are orthonormal DCT-II basis vectors (up to float32
// rounding), so a pure cosine input lands in exactly one coefficient.
func TestDCTMatrixOrthonormal(t *testing.T) {
	for i := range coeffs {
		for k := range coeffs {
			var dot float64
			for j := range cells {
				dot += float64(dctMatrix[i][j]) * float64(dctMatrix[k][j])
			}
			want := 0.0
			if i == k {
				want = 1
			}
			if math.Abs(dot-want) > 1e-5 {
				t.Errorf("row %d . row %d = %v, want %v", i, k, dot, want)
			}
		}
	}
}

func TestDCTOfSeparableCosine(t *testing.T) {
	// A = outer product of basis rows 2 and 5 gives B with a single 1 at
	// [2][5].
	var a [cells][cells]float32
	for r := range cells {
		for c := range cells {
			a[r][c] = dctMatrix[2][r] * dctMatrix[5][c]
		}
	}
	b := dct(&a)
	for i := range coeffs {
		for j := range coeffs {
			want := 0.0
			if i == 2 && j == 5 {
				want = 1
			}
			if math.Abs(float64(b[i][j])-want) > 1e-5 {
				t.Errorf("B[%d][%d] = %v, want %v", i, j, b[i][j], want)
			}
		}
	}
}

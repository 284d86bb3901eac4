package pdq

import (
	"math"
	"testing"
)

func TestJaroszWindow(t *testing.T) {
	for _, tc := range []struct{ side, want int }{
		{5, 1}, {128, 1}, {129, 2}, {256, 2}, {257, 3}, {512, 4},
	} {
		if got := jaroszWindow(tc.side); got != tc.want {
			t.Errorf("jaroszWindow(%d) = %d, want %d", tc.side, got, tc.want)
		}
	}
}

// box1D is a centred moving average whose window is clipped at the ends:
// output i averages inputs i-(w-1)/2 .. i+w/2 (for even w the extra input is
// on the right).
func TestBox1DIsClippedMovingAverage(t *testing.T) {
	in := []float32{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8}
	for w := 1; w <= 5; w++ {
		out := make([]float32, len(in))
		box1D(in, out, w)
		for i := range in {
			lo, hi := max(i-(w-1)/2, 0), min(i+w/2, len(in)-1)
			var sum float64
			for k := lo; k <= hi; k++ {
				sum += float64(in[k])
			}
			want := sum / float64(hi-lo+1)
			if math.Abs(float64(out[i])-want) > 1e-5 {
				t.Errorf("w=%d out[%d] = %v, want %v", w, i, out[i], want)
			}
		}
	}
}

// The column filter works on whole rows for speed; it must give exactly
// what box1D gives on each column.
func TestBoxColumnsEqualsBox1D(t *testing.T) {
	const rows, cols = 37, 11
	in := make([]float32, rows*cols)
	for i := range in {
		in[i] = float32(i*7919%255) + 0.25
	}
	for w := 1; w <= 6; w++ {
		got := make([]float32, len(in))
		boxColumns(in, got, rows, cols, w, make([]float32, cols))
		col, out := make([]float32, rows), make([]float32, rows)
		for j := range cols {
			for i := range rows {
				col[i] = in[i*cols+j]
			}
			box1D(col, out, w)
			for i := range rows {
				if got[i*cols+j] != out[i] {
					t.Fatalf("w=%d (%d,%d): boxColumns %v, box1D %v", w, i, j, got[i*cols+j], out[i])
				}
			}
		}
	}
}

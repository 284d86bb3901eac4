package pdq

import (
	"math"
	"slices"
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

// The streaming column filter must give exactly what box1D gives on each
// column, emitting the rows in order.
func TestColumnBoxEqualsBox1D(t *testing.T) {
	const rows, cols = 37, 11
	in := make([]float32, rows*cols)
	for i := range in {
		in[i] = float32(i*7919%255) + 0.25
	}
	for w := 1; w <= 6; w++ {
		var got []float32
		c := newColumnBox(rows, cols, w, func(r int, row []float32) {
			if r != len(got)/cols {
				t.Fatalf("w=%d: row %d emitted after %d rows", w, r, len(got)/cols)
			}
			got = append(got, row...)
		})
		for i := range rows {
			c.push(in[i*cols : (i+1)*cols])
		}
		c.finish()
		if len(got) != len(in) {
			t.Fatalf("w=%d: %d rows emitted, want %d", w, len(got)/cols, rows)
		}
		col, out := make([]float32, rows), make([]float32, rows)
		for j := range cols {
			for i := range rows {
				col[i] = in[i*cols+j]
			}
			box1D(col, out, w)
			for i := range rows {
				if got[i*cols+j] != out[i] {
					t.Fatalf("w=%d (%d,%d): columnBox %v, box1D %v", w, i, j, got[i*cols+j], out[i])
				}
			}
		}
	}
}

// boxRows works on four rows at a time; it must give exactly box1D on each.
func TestBoxRowsEqualsBox1D(t *testing.T) {
	const rows, cols = 7, 300
	in := make([]float32, rows*cols)
	for i := range in {
		in[i] = float32(i*7919%255) + 0.25
	}
	for w := 1; w <= 6; w++ {
		got, want := make([]float32, len(in)), make([]float32, len(in))
		boxRows(in, got, rows, cols, w)
		for i := range rows {
			box1D(in[i*cols:(i+1)*cols], want[i*cols:(i+1)*cols], w)
		}
		if !slices.Equal(got, want) {
			t.Errorf("w=%d: boxRows differs from box1D", w)
		}
	}
}

// jarosz streams the image and computes only what decimation samples; it
// must give exactly the textbook filter (box1D on every row, then
// every column, twice) sampled at the cell centres.
func TestJaroszEqualsFullFilter(t *testing.T) {
	for _, size := range [][2]int{{512, 512}, {37, 23}, {5, 300}, {300, 129}, {64, 64}, {511, 257}} {
		rows, cols := size[0], size[1]
		pix := make([]float32, rows*cols)
		for i := range pix {
			pix[i] = float32(i*7919%255) + 0.25
		}
		want := slices.Clone(pix)
		row, out := make([]float32, max(rows, cols)), make([]float32, max(rows, cols))
		for range 2 { // the reference's two row+column passes
			for i := range rows {
				box1D(want[i*cols:(i+1)*cols], out[:cols], jaroszWindow(cols))
				copy(want[i*cols:], out[:cols])
			}
			for j := range cols {
				for i := range rows {
					row[i] = want[i*cols+j]
				}
				box1D(row[:rows], out[:rows], jaroszWindow(rows))
				for i := range rows {
					want[i*cols+j] = out[i]
				}
			}
		}
		got := jarosz(luma{rows: rows, cols: cols, row: func(i int, dst []float32) { copy(dst, pix[i*cols:(i+1)*cols]) }})
		for i := range cells {
			for j := range cells {
				if w := want[cellCentre(i, rows)*cols+cellCentre(j, cols)]; got[i][j] != w {
					t.Fatalf("%dx%d: cell (%d,%d) = %v, want %v", rows, cols, i, j, got[i][j], w)
				}
			}
		}
	}
}

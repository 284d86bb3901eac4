package pdq

import "testing"

func TestDecimateSamplesCellCentres(t *testing.T) {
	l := luma{rows: 100, cols: 200, pix: make([]float32, 100*200)}
	for i := range l.pix {
		l.pix[i] = float32(i)
	}
	a := decimate(l)
	for _, tc := range []struct{ i, j, row, col int }{
		{0, 0, 0, 1},      // (0.5*100/64, 0.5*200/64) = (0.78, 1.56)
		{63, 63, 99, 198}, // (63.5*100/64, 63.5*200/64) = (99.2, 198.4)
		{10, 20, 16, 64},  // (16.4, 64.06)
	} {
		if got, want := a[tc.i][tc.j], float32(tc.row*200+tc.col); got != want {
			t.Errorf("out[%d][%d] = %v, want in[%d][%d] = %v", tc.i, tc.j, got, tc.row, tc.col, want)
		}
	}
}

func TestQuality(t *testing.T) {
	var flat, stripes, faint [cells][cells]float32
	for i := range cells {
		for j := range cells {
			flat[i][j] = 77
			stripes[i][j] = float32(255 * (j % 2))
			faint[i][j] = float32(3 * (j % 2)) // 3*100/255 truncates to 1
		}
	}
	for _, tc := range []struct {
		name string
		a    *[cells][cells]float32
		want int
	}{
		{"flat", &flat, 0},
		{"stripes", &stripes, 100},    // capped
		{"faint stripes", &faint, 44}, // 64*63 pairs of 1 / 90
	} {
		if got := quality(tc.a); got != tc.want {
			t.Errorf("%s: quality %d, want %d", tc.name, got, tc.want)
		}
	}
}

package pdq

import "testing"

func TestCellCentre(t *testing.T) {
	for _, tc := range []struct{ i, n, want int }{
		{0, 100, 0},   // 0.5*100/64 = 0.78
		{63, 100, 99}, // 63.5*100/64 = 99.2
		{10, 100, 16}, // 10.5*100/64 = 16.4
		{0, 200, 1},   // 1.56
		{63, 200, 198},
		{20, 200, 64}, // 64.06
		{5, 7, 0},     // smaller than a cell: samples repeat
		{63, 7, 6},
	} {
		if got := cellCentre(tc.i, tc.n); got != tc.want {
			t.Errorf("cellCentre(%d, %d) = %d, want %d", tc.i, tc.n, got, tc.want)
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

package pdq

import "math"

// coeffs is the side of the kept block of DCT coefficients: frequencies 1 to
// 16 in each direction (the DC term carries brightness, not structure).
const coeffs = 16

// dctMatrix is D, 16x64: row i is the DCT-II basis for frequency i+1. The
// scale factor is rounded to float32 before use, as in the reference.
var dctMatrix = func() *[coeffs][cells]float32 {
	var d [coeffs][cells]float32
	scale := float64(float32(math.Sqrt(2.0 / cells)))
	for i := range coeffs {
		for j := range cells {
			d[i][j] = float32(scale * math.Cos(math.Pi/2/cells*float64(i+1)*float64(2*j+1)))
		}
	}
	return &d
}()

// dct computes B = D A D^T (16x16). Each output is one float32 accumulator
// summed over k in ascending order; products are rounded to float32 before
// the add so no fused multiply-add can creep in.
func dct(a *[cells][cells]float32) *[coeffs][coeffs]float32 {
	d := dctMatrix
	// T = D A, accumulated a row of T at a time: T[i][j] still sees the
	// terms k = 0..63 in order, so this equals the textbook loop.
	var t [coeffs][cells]float32
	for i := range coeffs {
		ti := &t[i]
		for k := range cells {
			dik := d[i][k]
			ak := &a[k]
			for j := range cells {
				ti[j] += float32(dik * ak[j])
			}
		}
	}
	var b [coeffs][coeffs]float32
	for i := range coeffs {
		for j := range coeffs {
			var sum float32
			for k := range cells {
				sum += float32(t[i][k] * d[j][k])
			}
			b[i][j] = sum
		}
	}
	return &b
}

package pdq

// Jarosz filter: two passes of a box filter along rows then along columns,
// which approximates a tent-shaped low-pass filter before decimation. The
// running sums are float32 and follow the reference's four phases exactly,
// because a different summation order changes low bits and can flip hash
// bits near the median.

// jaroszPasses is the number of row+column box passes.
const jaroszPasses = 2

// jaroszWindow is the box width for a side of the given length:
// ceil(side / 128), i.e. the size of one 64x64 output cell halved.
func jaroszWindow(side int) int {
	return (side + 2*64 - 1) / (2 * 64)
}

// jarosz filters l in place; scratch must be as large as l.pix.
func jarosz(l luma, scratch []float32) {
	alongRows := jaroszWindow(l.cols)
	alongCols := jaroszWindow(l.rows)
	sums := make([]float32, l.cols)
	for range jaroszPasses {
		for i := 0; i < l.rows; i++ {
			box1D(l.pix[i*l.cols:(i+1)*l.cols], scratch[i*l.cols:(i+1)*l.cols], alongRows)
		}
		boxColumns(scratch, l.pix, l.rows, l.cols, alongCols, sums)
	}
}

// boxPhases gives the lengths of the reference's phases for a vector of n
// values and a window of w: accumulate without writing, write while the
// window grows, write with the full window, write while it shrinks.
func boxPhases(n, w int) (grow, rise, steady, shrink int) {
	half := (w + 2) / 2
	return half - 1, w - half + 1, n - w, half - 1
}

// box1D is the centred running-mean filter over one contiguous vector.
func box1D(in, out []float32, w int) {
	grow, rise, steady, shrink := boxPhases(len(in), w)
	var sum float32
	count := 0
	ri, li, oi := 0, 0, 0
	for range grow {
		sum += in[ri]
		count++
		ri++
	}
	for range rise {
		sum += in[ri]
		count++
		out[oi] = sum / float32(count)
		ri++
		oi++
	}
	for range steady {
		sum += in[ri]
		sum -= in[li]
		out[oi] = sum / float32(count)
		ri++
		li++
		oi++
	}
	for range shrink {
		sum -= in[li]
		count--
		out[oi] = sum / float32(count)
		li++
		oi++
	}
}

// boxColumns applies box1D to every column of a rows x cols buffer. Walking
// whole rows with one running sum per column keeps memory access sequential;
// each column still sees exactly box1D's sequence of operations.
func boxColumns(in, out []float32, rows, cols, w int, sums []float32) {
	grow, rise, steady, shrink := boxPhases(rows, w)
	row := func(buf []float32, r int) []float32 { return buf[r*cols : (r+1)*cols] }
	clear(sums)
	count := 0
	ri, li, oi := 0, 0, 0
	for range grow {
		for j, v := range row(in, ri) {
			sums[j] += v
		}
		count++
		ri++
	}
	for range rise {
		count++
		o := row(out, oi)
		for j, v := range row(in, ri) {
			sums[j] += v
			o[j] = sums[j] / float32(count)
		}
		ri++
		oi++
	}
	for range steady {
		o, left := row(out, oi), row(in, li)
		for j, v := range row(in, ri) {
			s := sums[j] + v
			s -= left[j]
			sums[j] = s
			o[j] = s / float32(count)
		}
		ri++
		li++
		oi++
	}
	for range shrink {
		count--
		o := row(out, oi)
		for j, v := range row(in, li) {
			sums[j] -= v
			o[j] = sums[j] / float32(count)
		}
		li++
		oi++
	}
}

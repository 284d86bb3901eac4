package pdq

// Jarosz filter: two passes of a box filter along rows then along columns,
// which approximates a tent-shaped low-pass filter before decimation. The
// running sums are float32 and follow the reference's four phases exactly,
// because a different summation order changes low bits and can flip hash
// bits near the median.

// jaroszWindow is the box width for a side of the given length:
// ceil(side / 128), i.e. the size of one 64x64 output cell halved.
func jaroszWindow(side int) int {
	return (side + 2*64 - 1) / (2 * 64)
}

// jarosz filters l and returns the filtered values at the centres of the
// 64x64 cells (the decimation).
//
// The image streams through: luma rows are made and filtered along four
// at a time (see boxRows), then down the columns (see columnBox), whose
// output rows are filtered along again as they come, four at a time. The
// last column pass runs only on the 64 columns that are sampled: the rest
// (448 of a 512-wide image) would be computed only to be thrown away.
// Every sampled value still comes from exactly the reference's operations.
func jarosz(l luma) *[cells][cells]float32 {
	alongRows := jaroszWindow(l.cols)
	alongCols := jaroszWindow(l.rows)
	var out [cells][cells]float32
	cell := 0
	last := newColumnBox(l.rows, cells, alongCols, func(r int, row []float32) {
		for ; cell < cells && cellCentre(cell, l.rows) == r; cell++ {
			copy(out[cell][:], row)
		}
	})
	var pick [cells]int
	for j := range pick {
		pick[j] = cellCentre(j, l.cols)
	}
	sampled := make([]float32, cells)
	second := newRowGroup(l.cols, alongRows, func(row []float32) {
		for j, c := range pick {
			sampled[j] = row[c]
		}
		last.push(sampled)
	})
	first := newColumnBox(l.rows, l.cols, alongCols, func(_ int, row []float32) { second.push(row) })
	firstRows := newRowGroup(l.cols, alongRows, first.push)
	for i := range l.rows {
		l.row(i, firstRows.next())
		firstRows.done()
	}
	firstRows.flush()
	first.finish()
	second.flush()
	last.finish()
	return &out
}

// rowGroup collects rows four at a time, filters them along with boxRows,
// and hands the filtered rows on in order.
type rowGroup struct {
	cols, w int
	n       int
	in, out []float32
	emit    func(row []float32)
}

func newRowGroup(cols, w int, emit func(row []float32)) *rowGroup {
	return &rowGroup{cols: cols, w: w, in: make([]float32, 4*cols), out: make([]float32, 4*cols), emit: emit}
}

// next returns the buffer for the next row; done commits it.
func (g *rowGroup) next() []float32 { return g.in[g.n*g.cols:][:g.cols] }

func (g *rowGroup) done() {
	if g.n++; g.n == 4 {
		g.flush()
	}
}

func (g *rowGroup) push(row []float32) {
	copy(g.next(), row)
	g.done()
}

// flush filters and hands on the rows collected so far.
func (g *rowGroup) flush() {
	boxRows(g.in, g.out, g.n, g.cols, g.w)
	for r := range g.n {
		g.emit(g.out[r*g.cols:][:g.cols])
	}
	g.n = 0
}

// boxPhases gives the lengths of the reference's phases for a vector of n
// values and a window of w: accumulate without writing, write while the
// window grows, write with the full window, write while it shrinks.
func boxPhases(n, w int) (grow, rise, steady, shrink int) {
	half := (w + 2) / 2
	return half - 1, w - half + 1, n - w, half - 1
}

// exactInverse returns 1/n and true when n is a power of two: x*(1/n) is
// then exactly x/float32(n), and a multiplication costs a fraction of a
// division. Windows of 4 (every image resized to 512) qualify, and the
// divisions were most of the filter's time.
func exactInverse(n int) (float32, bool) {
	return 1 / float32(n), n > 0 && n&(n-1) == 0
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
	inv, exact := exactInverse(count)
	for range steady {
		sum += in[ri]
		sum -= in[li]
		if exact {
			out[oi] = sum * inv
		} else {
			out[oi] = sum / float32(count)
		}
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

// boxRows applies box1D to every row of a rows x cols buffer, four rows at
// a time. A row's running sum is a chain of dependent additions, each
// waiting for the last; advancing four independent rows together lets the
// CPU overlap their chains. Each row still sees exactly box1D's operations.
// Only power-of-two windows (4 for every image resized to 512) take the
// four-row path; other rows go through box1D one by one.
func boxRows(in, out []float32, rows, cols, w int) {
	grow, rise, steady, shrink := boxPhases(cols, w)
	inv, exact := exactInverse(w)
	r := 0
	for ; r+4 <= rows && exact; r += 4 {
		i0, i1, i2, i3 := in[r*cols:][:cols], in[(r+1)*cols:][:cols], in[(r+2)*cols:][:cols], in[(r+3)*cols:][:cols]
		o0, o1, o2, o3 := out[r*cols:][:cols], out[(r+1)*cols:][:cols], out[(r+2)*cols:][:cols], out[(r+3)*cols:][:cols]
		var s0, s1, s2, s3 float32
		count := 0
		ri, li, oi := 0, 0, 0
		for range grow {
			s0, s1, s2, s3 = s0+i0[ri], s1+i1[ri], s2+i2[ri], s3+i3[ri]
			count++
			ri++
		}
		for range rise {
			s0, s1, s2, s3 = s0+i0[ri], s1+i1[ri], s2+i2[ri], s3+i3[ri]
			count++
			c := float32(count)
			o0[oi], o1[oi], o2[oi], o3[oi] = s0/c, s1/c, s2/c, s3/c
			ri++
			oi++
		}
		for range steady {
			s0, s1, s2, s3 = s0+i0[ri], s1+i1[ri], s2+i2[ri], s3+i3[ri]
			s0, s1, s2, s3 = s0-i0[li], s1-i1[li], s2-i2[li], s3-i3[li]
			o0[oi], o1[oi], o2[oi], o3[oi] = s0*inv, s1*inv, s2*inv, s3*inv
			ri++
			li++
			oi++
		}
		for range shrink {
			s0, s1, s2, s3 = s0-i0[li], s1-i1[li], s2-i2[li], s3-i3[li]
			count--
			c := float32(count)
			o0[oi], o1[oi], o2[oi], o3[oi] = s0/c, s1/c, s2/c, s3/c
			li++
			oi++
		}
	}
	for ; r < rows; r++ {
		box1D(in[r*cols:(r+1)*cols], out[r*cols:(r+1)*cols], w)
	}
}

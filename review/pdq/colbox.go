package pdq

// columnBox runs box1D down every column of an image that arrives one row
// at a time, handing each output row to emit as soon as it is complete.
// Walking whole rows with one running sum per column keeps memory access
// sequential, and streaming needs only the last w input rows, not the
// image. Each column still sees exactly box1D's sequence of operations.
type columnBox struct {
	cols, w            int
	grow, rise, shrink int
	inv                float32
	exact              bool

	sums   []float32
	window []float32 // the last w input rows, row k in slot k%w
	out    []float32
	count  int // box1D's count: rows in the running sums
	pushed int // input rows so far
	left   int // the next input row to leave the sums
	emit   func(r int, row []float32)
	next   int // the next output row
}

func newColumnBox(rows, cols, w int, emit func(r int, row []float32)) *columnBox {
	c := &columnBox{cols: cols, w: w, emit: emit,
		sums: make([]float32, cols), window: make([]float32, w*cols), out: make([]float32, cols)}
	c.grow, c.rise, _, c.shrink = boxPhases(rows, w)
	c.inv, c.exact = exactInverse(w)
	return c
}

// push adds the next input row.
func (c *columnBox) push(in []float32) {
	in = in[:c.cols]
	k := c.pushed
	c.pushed++
	slot := c.window[k%c.w*c.cols:][:c.cols]
	sums, o := c.sums[:c.cols], c.out[:c.cols]
	switch {
	case k < c.grow:
		for j, v := range in {
			sums[j] += v
		}
		c.count++
	case k < c.grow+c.rise:
		c.count++
		n := float32(c.count)
		for j, v := range in {
			sums[j] += v
			o[j] = sums[j] / n
		}
		c.flush()
	default:
		// The row leaving is w rows back: the one in this row's slot.
		n := float32(c.count)
		for j, v := range in {
			s := sums[j] + v
			s -= slot[j]
			sums[j] = s
			if c.exact {
				o[j] = s * c.inv
			} else {
				o[j] = s / n
			}
		}
		c.left++
		c.flush()
	}
	copy(slot, in)
}

// finish emits the last rows, once every input row has been pushed.
func (c *columnBox) finish() {
	sums, o := c.sums[:c.cols], c.out[:c.cols]
	for range c.shrink {
		c.count--
		n := float32(c.count)
		for j, v := range c.window[c.left%c.w*c.cols:][:c.cols] {
			sums[j] -= v
			o[j] = sums[j] / n
		}
		c.left++
		c.flush()
	}
}

func (c *columnBox) flush() {
	c.emit(c.next, c.out)
	c.next++
}

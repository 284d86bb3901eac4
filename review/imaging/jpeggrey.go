package imaging

import (
	"fmt"
	"image"
	"math/bits"
)

// aanScale are the AAN DCT's output scale factors, cos(kπ/16)·√2 (1 for
// k=0); they are folded into the quantisation step, so the DCT itself needs
// only 5 multiplications per 8 samples.
var aanScale = [8]float32{1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.541196100, 0.275899379}

// encodeGray encodes g as a baseline, single-component JPEG with the
// standard tables. It exists because image/jpeg's encoder (an integer
// division per coefficient, output byte by byte) alone cost more than half a
// colour decode of the same image, and Grey and Preview are on the ingest
// path. The output is an ordinary JFIF-free baseline JPEG with no metadata.
func encodeGray(g *image.Gray, quality int) ([]byte, error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w <= 0 || h <= 0 || w > 0xFFFF || h > 0xFFFF {
		return nil, fmt.Errorf("imaging: encode %d×%d jpeg: %w", w, h, ErrEmpty)
	}
	q := quantTable(quality)
	// div[n] turns a scaled DCT output at natural position n into a
	// quantised coefficient with one multiplication.
	var div [64]float32
	for k, n := range unzig {
		div[n] = 1 / (float32(q[k]) * aanScale[n/8] * aanScale[n%8] * 8)
	}

	bw := bitWriter{out: appendHeaders(make([]byte, 0, w*h/3+1024), w, h, &q)}
	var blk [64]float32
	var coef [64]int32
	var prevDC int32
	for by := 0; by < h; by += 8 {
		for bx := 0; bx < w; bx += 8 {
			loadBlock(&blk, g, bx, by, w, h)
			nonzero := fdctQuant(&blk, &div, &coef)
			prevDC = encodeBlock(&bw, &coef, nonzero, prevDC)
		}
	}
	bw.flush()
	return append(bw.out, 0xFF, 0xD9), nil
}

// loadBlock transforms the rows of the 8×8 block at (bx, by) into blk,
// repeating the last row and column past the edges.
func loadBlock(blk *[64]float32, g *image.Gray, bx, by, w, h int) {
	var edge [8]uint8
	for y := range 8 {
		row := g.Pix[min(by+y, h-1)*g.Stride:]
		var s *[8]uint8
		if bx+8 <= w {
			s = (*[8]uint8)(row[bx : bx+8])
		} else {
			for x := range edge {
				edge[x] = row[min(bx+x, w-1)]
			}
			s = &edge
		}
		d := (*[8]float32)(blk[y*8 : y*8+8])
		d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = fdct8(
			float32(s[0]), float32(s[1]), float32(s[2]), float32(s[3]),
			float32(s[4]), float32(s[5]), float32(s[6]), float32(s[7]))
		// JPEG codes samples centred on zero. The shift only changes the DC
		// output, the sum of the row: subtract it there, not from each
		// sample.
		d[0] -= 8 * 128
	}
}

// fdctQuant finishes the AAN forward DCT (as libjpeg's jfdctflt.c) down
// the columns of a block whose rows loadBlock transformed, quantising each
// output as it comes into q, in zig-zag order, and returns a mask of the
// non-zero coefficients (bit k for q[k]). div is in natural order.
func fdctQuant(b, div *[64]float32, q *[64]int32) (nonzero uint64) {
	for i := range 8 {
		o0, o1, o2, o3, o4, o5, o6, o7 := fdct8(b[i], b[i+8], b[i+16], b[i+24], b[i+32], b[i+40], b[i+48], b[i+56])
		z := &zigzagCols[i]
		nonzero |= quantInto(q, o0*div[i], z[0]) |
			quantInto(q, o1*div[i+8], z[1]) |
			quantInto(q, o2*div[i+16], z[2]) |
			quantInto(q, o3*div[i+24], z[3]) |
			quantInto(q, o4*div[i+32], z[4]) |
			quantInto(q, o5*div[i+40], z[5]) |
			quantInto(q, o6*div[i+48], z[6]) |
			quantInto(q, o7*div[i+56], z[7])
	}
	return nonzero
}

// quantInto rounds f into q[k] and returns the mask bit for k if non-zero.
func quantInto(q *[64]int32, f float32, k uint8) uint64 {
	v := quantise(f)
	q[k&63] = v
	return uint64(uint32(v|-v)>>31) << (k & 63)
}

// fdct8 is the one-dimensional 8-point AAN DCT: 5 multiplications.
func fdct8(d0, d1, d2, d3, d4, d5, d6, d7 float32) (o0, o1, o2, o3, o4, o5, o6, o7 float32) {
	t0, t7 := d0+d7, d0-d7
	t1, t6 := d1+d6, d1-d6
	t2, t5 := d2+d5, d2-d5
	t3, t4 := d3+d4, d3-d4

	t10, t13 := t0+t3, t0-t3
	t11, t12 := t1+t2, t1-t2
	o0 = t10 + t11
	o4 = t10 - t11
	z1 := (t12 + t13) * 0.707106781
	o2 = t13 + z1
	o6 = t13 - z1

	t10 = t4 + t5
	t11 = t5 + t6
	t12 = t6 + t7
	z5 := (t10 - t12) * 0.382683433
	z2 := 0.541196100*t10 + z5
	z4 := 1.306562965*t12 + z5
	z3 := t11 * 0.707106781
	z11, z13 := t7+z3, t7-z3
	return o0, z11 + z4, o2, z13 - z2, o4, z13 + z2, o6, z11 - z4
}

// encodeBlock writes the Huffman codes of a quantised block (q in zig-zag
// order, with fdctQuant's mask of its non-zero coefficients); it returns the
// block's DC coefficient, which the next block is coded relative to.
//
// This is the encoder's hot loop, written for the CPU: it visits only the
// non-zero coefficients, found from the mask (testing each coefficient for
// zero is a branch mispredicted about half the time on detailed images);
// signs are handled without branches for the same reason; and the pending
// bits live in local variables rather than behind a pointer.
func encodeBlock(bw *bitWriter, q *[64]int32, nonzero uint64, prevDC int32) int32 {
	// |DC| ≤ 1024 even at quality 100, so differences fit category 11.
	dc := clamp(q[0], 1024)
	bw.put(huffValue(&dcLumaCodes, 0, dc-prevDC))
	nonzero &^= 1

	acc, n := bw.acc, bw.n
	next := 1
	for nonzero != 0 {
		k := bits.TrailingZeros64(nonzero)
		nonzero &= nonzero - 1
		run := k - next
		next = k + 1
		for ; run > 15; run -= 16 {
			c := acLumaCodes[0xF0] // sixteen zeros
			acc = acc<<(c>>24) | uint64(c&0xFFFF)
			n += uint(c >> 24)
			if n >= 32 {
				n -= 32
				appendWord(&bw.out, uint32(acc>>n))
			}
		}
		code, size := huffValue(&acLumaCodes, run<<4, clamp(q[k&63], 1023))
		acc = acc<<size | uint64(code)
		n += size
		if n >= 32 {
			n -= 32
			appendWord(&bw.out, uint32(acc>>n))
		}
	}
	bw.acc, bw.n = acc, n
	if next < 64 {
		c := acLumaCodes[0x00] // end of block
		bw.put(c&0xFFFF, uint(c>>24))
	}
	return dc
}

// quantise rounds to nearest, halves up. The offset keeps the conversion's
// operand positive, so rounding needs no branch on the sign.
func quantise(f float32) int32 {
	return int32(f+16384.5) - 16384
}

// clamp limits v to what baseline JPEG can code; only quality 100 gets near.
func clamp(v, limit int32) int32 {
	return min(max(v, -limit), limit)
}

// huffValue returns the bits for a coefficient: the code for symbol
// (run | size category of v), then v's size low bits (negative values as
// v-1, per T.81 F.1.2.1). It is branch-free: signs are random.
func huffValue(codes *[256]uint32, run int, v int32) (uint32, uint) {
	sign := v >> 31 // all ones if negative
	a := (v ^ sign) - sign
	size := uint(bits.Len32(uint32(a)))
	c := codes[uint8(run|int(size))]
	return (c&0xFFFF)<<size | uint32(v+sign)&(1<<size-1), uint(c>>24) + size
}

// appendHeaders writes SOI, the quantisation table, a one-component
// baseline frame header, the two Huffman tables and the scan header.
func appendHeaders(b []byte, w, h int, q *[64]byte) []byte {
	b = append(b, 0xFF, 0xD8)
	b = append(b, 0xFF, 0xDB, 0, 67, 0)
	b = append(b, q[:]...)
	b = append(b, 0xFF, 0xC0, 0, 11, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	b = append(b, 0xFF, 0xC4, 0, byte(2+17+len(dcLumaValues)+17+len(acLumaValues)))
	b = append(b, 0x00)
	b = append(b, dcLumaCounts[:]...)
	b = append(b, dcLumaValues...)
	b = append(b, 0x10)
	b = append(b, acLumaCounts[:]...)
	b = append(b, acLumaValues...)
	return append(b, 0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0)
}

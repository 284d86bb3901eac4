package imaging

import (
	"encoding/binary"
	"image"
)

// maxBoxFactor keeps a column sum of that many 8-bit rows within a 16-bit
// lane.
const maxBoxFactor = 257

// boxReduce returns a copy of g shrunk by an integer factor f ≥ 1 in both
// directions, each output pixel the mean of an f×f block (smaller at the
// right and bottom edges).
//
// It is the fast first stage of a large downscale: rows are summed eight
// pixels at a time, as four 16-bit lanes in each of two uint64s, so a
// source pixel costs well under one operation. The exact area resample
// that follows then only sees an image at most twice the target size.
func boxReduce(g *image.Gray, f int) *image.Gray {
	f = min(max(f, 1), maxBoxFactor)
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	ow, oh := (sw+f-1)/f, (sh+f-1)/f
	dst := image.NewGray(image.Rect(0, 0, ow, oh))
	words := (sw + 7) / 8
	even := make([]uint64, words)       // sums of bytes 0, 2, 4, 6 of each 8
	odd := make([]uint64, words)        // sums of bytes 1, 3, 5, 7
	prefix := make([]uint32, words*8+1) // prefix[x] is the sum of columns before x
	const lanes = 0x00FF00FF00FF00FF
	var tail [8]byte
	for oy := range oh {
		clear(even)
		clear(odd)
		y0, y1 := oy*f, min(oy*f+f, sh)
		for y := y0; y < y1; y++ {
			row := g.Pix[y*g.Stride : y*g.Stride+sw]
			full := sw / 8
			e, o := even[:full], odd[:full]
			for i := range e {
				v := binary.LittleEndian.Uint64(row[i*8:])
				e[i] += v & lanes
				o[i] += v >> 8 & lanes
			}
			if full < words {
				tail = [8]byte{}
				copy(tail[:], row[full*8:])
				v := binary.LittleEndian.Uint64(tail[:])
				even[full] += v & lanes
				odd[full] += v >> 8 & lanes
			}
		}
		// Column sums, as a running total so each output's block sum is
		// one subtraction whatever f is.
		var run uint32
		for i := range words {
			e, o := even[i], odd[i]
			c := prefix[i*8+1 : i*8+9 : i*8+9]
			run += uint32(e & 0xFFFF)
			c[0] = run
			run += uint32(o & 0xFFFF)
			c[1] = run
			run += uint32(e >> 16 & 0xFFFF)
			c[2] = run
			run += uint32(o >> 16 & 0xFFFF)
			c[3] = run
			run += uint32(e >> 32 & 0xFFFF)
			c[4] = run
			run += uint32(o >> 32 & 0xFFFF)
			c[5] = run
			run += uint32(e >> 48)
			c[6] = run
			run += uint32(o >> 48)
			c[7] = run
		}
		rows := uint64(y1 - y0)
		d := dst.Pix[oy*dst.Stride : oy*dst.Stride+ow]
		inv := (1<<32 + rows*uint64(f)/2) / (rows * uint64(f))
		full := sw / f
		for ox := range d[:full] {
			sum := uint64(prefix[ox*f+f] - prefix[ox*f])
			d[ox] = uint8((sum*inv + 1<<31) >> 32)
		}
		if full < ow { // a narrower last block
			n := rows * uint64(sw-full*f)
			d[full] = uint8((uint64(prefix[sw]-prefix[full*f]) + n/2) / n)
		}
	}
	return dst
}

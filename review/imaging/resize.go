package imaging

import (
	"image"
)

// fit returns the size of a w×h image scaled down so its longest side is at
// most limit, keeping the aspect ratio. It never scales up.
func fit(w, h, limit int) (int, int) {
	if w <= limit && h <= limit {
		return w, h
	}
	if w >= h {
		return limit, max(1, int((int64(h)*int64(limit)+int64(w)/2)/int64(w)))
	}
	return max(1, int((int64(w)*int64(limit)+int64(h)/2)/int64(h))), limit
}

// scaleGray returns a new w×h copy of g, area-averaged: by boxReduce first
// when shrinking by 2 or more, then exactly by resample.
func scaleGray(g *image.Gray, w, h int) *image.Gray {
	if f := min(g.Rect.Dx()/w, g.Rect.Dy()/h); f >= 2 {
		g = boxReduce(g, f)
		if g.Rect.Dx() == w && g.Rect.Dy() == h {
			return g
		}
	}
	dst := image.NewGray(image.Rect(0, 0, w, h))
	resample(dst.Pix, dst.Stride, w, h, g.Pix, g.Stride, g.Rect.Dx(), g.Rect.Dy(), 1)
	return dst
}

// scaleRGBA returns a new w×h copy of m, area-averaged (see resample).
func scaleRGBA(m *image.RGBA, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	resample(dst.Pix, dst.Stride, w, h, m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), 4)
	return dst
}

// Fixed-point precision of the resampling weights.
const (
	weightBits = 12
	// The intermediate row keeps 8 fractional bits, so uint16 holds it and
	// the horizontal pass cannot overflow uint32: 255<<8 times 1<<12.
	interBits = 8
)

// kernel holds, for each destination index, the source indexes it averages
// and their weights, which sum to 1<<weightBits.
type kernel struct {
	first []int    // first source index of each destination index
	off   []int    // destination i uses weights w[off[i]:off[i+1]]
	w     []uint32 // weights in fixed point
}

// areaKernel maps n source samples onto m ≤ n destination samples: each
// destination sample is the exact average of the source interval it covers
// (a box filter), which is cheap and alias-free enough for downscaling.
func areaKernel(n, m int) kernel {
	k := kernel{first: make([]int, m), off: make([]int, m+1)}
	scale := float64(n) / float64(m)
	for i := range m {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		first := int(lo)
		last := min(int(hi+0.999999), n) // exclusive
		k.first[i] = first
		start := len(k.w)
		var sum uint32
		best := start
		for j := first; j < last; j++ {
			cover := min(float64(j+1), hi) - max(float64(j), lo)
			wt := uint32(cover/scale*(1<<weightBits) + 0.5)
			k.w = append(k.w, wt)
			sum += wt
			if wt > k.w[best] {
				best = len(k.w) - 1
			}
		}
		// Rounding must not brighten or darken: fix the sum up on the
		// heaviest tap.
		k.w[best] += 1<<weightBits - sum
		k.off[i+1] = len(k.w)
	}
	return k
}

// resample scales an 8-bit image with c interleaved channels from sw×sh down
// to dw×dh by area averaging. The vertical pass comes first: it is a plain
// multiply-add over whole rows, the cheapest loop there is, and it leaves
// the costlier per-pixel horizontal pass only dh rows instead of sh.
func resample(dst []uint8, dstStride, dw, dh int, src []uint8, srcStride, sw, sh, c int) {
	kx, ky := areaKernel(sw, dw), areaKernel(sh, dh)
	rowLen := sw * c
	acc := make([]uint32, rowLen)
	inter := make([]uint16, rowLen)
	const (
		toInter = weightBits - interBits
		shift   = weightBits + interBits
	)
	for i := range dh {
		clear(acc)
		for t, wt := range ky.w[ky.off[i]:ky.off[i+1]] {
			y := ky.first[i] + t
			row := src[y*srcStride : y*srcStride+rowLen]
			acc := acc[:len(row)]
			for x, v := range row {
				acc[x] += wt * uint32(v)
			}
		}
		for x, a := range acc {
			inter[x] = uint16((a + 1<<(toInter-1)) >> toInter)
		}
		d := dst[i*dstStride : i*dstStride+dw*c]
		if c == 1 {
			// The common (greyscale) case, without the channel loop.
			for j := range d {
				ws := kx.w[kx.off[j]:kx.off[j+1]]
				s := inter[kx.first[j]:]
				s = s[:len(ws)]
				var a uint32
				for t, wt := range ws {
					a += wt * uint32(s[t])
				}
				d[j] = uint8((a + 1<<(shift-1)) >> shift)
			}
			continue
		}
		for j := range dw {
			ws := kx.w[kx.off[j]:kx.off[j+1]]
			base := kx.first[j] * c
			for ch := range c {
				var a uint32
				for t, wt := range ws {
					a += wt * uint32(inter[base+t*c+ch])
				}
				d[j*c+ch] = uint8((a + 1<<(shift-1)) >> shift)
			}
		}
	}
}

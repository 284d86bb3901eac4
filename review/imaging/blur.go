package imaging

import (
	"image"
	"math"
)

// blur applies an approximate Gaussian blur of the given sigma to g in
// place. Three successive box blurs converge on a Gaussian, and a running sum
// makes each pass O(pixels) however large the radius, so a strong blur costs
// the same as a weak one.
func blur(g *image.Gray, sigma float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w == 0 || h == 0 {
		return
	}
	a := g.Pix
	if g.Stride != w {
		a = make([]uint8, w*h)
		for y := range h {
			copy(a[y*w:(y+1)*w], g.Pix[y*g.Stride:])
		}
	}
	b := make([]uint8, w*h)
	radii := boxRadii(sigma)
	// Ping-pong between a and b; six passes leave the result in a.
	boxH(b, a, w, h, radii[0])
	boxH(a, b, w, h, radii[1])
	boxH(b, a, w, h, radii[2])
	sums := make([]int, w)
	boxV(a, b, w, h, radii[0], sums)
	boxV(b, a, w, h, radii[1], sums)
	boxV(a, b, w, h, radii[2], sums)
	if g.Stride != w {
		for y := range h {
			copy(g.Pix[y*g.Stride:y*g.Stride+w], a[y*w:])
		}
	}
}

// boxRadii picks three box widths whose successive application has the
// variance of a Gaussian of the given sigma (Kovesi's "fast almost-Gaussian
// filtering"): widths wl and wl+2, m of the former.
func boxRadii(sigma float64) [3]int {
	const n = 3
	ideal := math.Sqrt(12*sigma*sigma/n + 1)
	wl := int(ideal)
	if wl%2 == 0 {
		wl--
	}
	wl = max(wl, 1)
	wu := wl + 2
	m := int(math.Round((12*sigma*sigma - n*float64(wl*wl) - 4*n*float64(wl) - 3*n) / (-4*float64(wl) - 4)))
	var r [3]int
	for i := range r {
		if i < m {
			r[i] = (wl - 1) / 2
		} else {
			r[i] = (wu - 1) / 2
		}
	}
	return r
}

// reciprocal returns 2^24/n rounded, so a division by the box width becomes
// a multiply and shift: divisions would dominate the blur's cost.
func reciprocal(n int) int { return (1<<24 + n/2) / n }

// boxH box-blurs each row of src (w×h, stride w) with radius r into dst,
// repeating the edge pixels beyond the border. Only the ends of a row need
// clamped indexes; the middle loop is kept free of them.
func boxH(dst, src []uint8, w, h, r int) {
	inv := reciprocal(2*r + 1)
	for y := range h {
		s := src[y*w : (y+1)*w]
		d := dst[y*w : (y+1)*w]
		sum := 0
		for k := -r; k <= r; k++ {
			sum += int(s[min(max(k, 0), w-1)])
		}
		x := 0
		for lo := min(r, w); x < lo; x++ {
			d[x] = uint8((sum*inv + 1<<23) >> 24)
			sum += int(s[min(x+r+1, w-1)]) - int(s[0])
		}
		for hi := w - r - 1; x < hi; x++ {
			d[x] = uint8((sum*inv + 1<<23) >> 24)
			sum += int(s[x+r+1]) - int(s[x-r])
		}
		for ; x < w; x++ {
			d[x] = uint8((sum*inv + 1<<23) >> 24)
			sum += int(s[w-1]) - int(s[max(x-r, 0)])
		}
	}
}

// boxV is boxH down the columns, keeping one running sum per column so rows
// are read sequentially.
func boxV(dst, src []uint8, w, h, r int, sums []int) {
	inv := reciprocal(2*r + 1)
	clear(sums)
	for k := -r; k <= r; k++ {
		row := src[min(max(k, 0), h-1)*w:][:w]
		for x, v := range row {
			sums[x] += int(v)
		}
	}
	for y := range h {
		d := dst[y*w : (y+1)*w]
		add := src[min(y+r+1, h-1)*w:][:w]
		sub := src[max(y-r, 0)*w:][:w]
		for x := range d {
			d[x] = uint8((sums[x]*inv + 1<<23) >> 24)
			sums[x] += int(add[x]) - int(sub[x])
		}
	}
}

package imaging

import "image"

// double returns g at twice its width and height, bilinearly interpolated:
// each output sample weighs its nearest input sample 3/4 and the next
// nearest 1/4, in each direction, with edges repeated.
func double(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, 2*w, 2*h))
	// rows[y] is input row y widened to 2w samples, times 4.
	rows := make([][]uint16, h)
	for y := range rows {
		src := g.Pix[y*g.Stride : y*g.Stride+w]
		row := make([]uint16, 2*w)
		for x, v := range src {
			left, right := src[max(x-1, 0)], src[min(x+1, w-1)]
			row[2*x] = 3*uint16(v) + uint16(left)
			row[2*x+1] = 3*uint16(v) + uint16(right)
		}
		rows[y] = row
	}
	for y := range h {
		above, here, below := rows[max(y-1, 0)], rows[y], rows[min(y+1, h-1)]
		top := dst.Pix[2*y*dst.Stride : 2*y*dst.Stride+2*w]
		bottom := dst.Pix[(2*y+1)*dst.Stride : (2*y+1)*dst.Stride+2*w]
		for x := range top {
			top[x] = uint8((3*uint32(here[x]) + uint32(above[x]) + 8) / 16)
			bottom[x] = uint8((3*uint32(here[x]) + uint32(below[x]) + 8) / 16)
		}
	}
	return dst
}

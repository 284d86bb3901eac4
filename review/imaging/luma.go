package imaging

import (
	"image"
)

// luma returns the greyscale of img, using the same weights as
// color.GrayModel (ITU-R BT.601) so every path agrees. The result may share
// memory with img and must not be modified.
//
// Type switches avoid a per-pixel interface call, which would cost more than
// decoding. For *image.YCbCr (every colour JPEG) the Y plane already is the
// luma, so it is shared, not computed.
func luma(img image.Image) *image.Gray {
	r := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.YCbCr:
		// Y[0] is the sample at Rect.Min, exactly as Gray.Pix[0] is.
		return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: r}
	case *image.RGBA:
		// Premultiplied, so transparent pixels come out black, as GrayModel does.
		return lumaRGBA(m.Pix, m.Stride, r, false)
	case *image.NRGBA:
		return lumaRGBA(m.Pix, m.Stride, r, true)
	case *image.Paletted:
		return lumaPaletted(m)
	}
	g := image.NewGray(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := g.Pix[(y-r.Min.Y)*g.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			row[x-r.Min.X] = uint8((19595*cr + 38470*cg + 7471*cb + 1<<15) >> 24)
		}
	}
	return g
}

// y8 is the BT.601 luma of 8-bit components.
func y8(r, g, b uint8) uint8 {
	return uint8((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
}

func lumaRGBA(pix []uint8, stride int, r image.Rectangle, straightAlpha bool) *image.Gray {
	g := image.NewGray(r)
	w := r.Dx()
	for y := 0; y < r.Dy(); y++ {
		src := pix[y*stride : y*stride+4*w]
		dst := g.Pix[y*g.Stride : y*g.Stride+w]
		for x := range dst {
			p := src[4*x : 4*x+4 : 4*x+4]
			v := y8(p[0], p[1], p[2])
			if straightAlpha && p[3] != 0xff {
				v = uint8((uint32(v)*uint32(p[3]) + 127) / 255)
			}
			dst[x] = v
		}
	}
	return g
}

func lumaPaletted(m *image.Paletted) *image.Gray {
	// 256 entries so a pixel index past the end of a short palette reads
	// black instead of panicking.
	var lut [256]uint8
	for i, c := range m.Palette {
		if i == len(lut) {
			break
		}
		cr, cg, cb, _ := c.RGBA()
		lut[i] = uint8((19595*cr + 38470*cg + 7471*cb + 1<<15) >> 24)
	}
	r := m.Rect
	g := image.NewGray(r)
	w := r.Dx()
	for y := 0; y < r.Dy(); y++ {
		src := m.Pix[y*m.Stride : y*m.Stride+w]
		dst := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, i := range src {
			dst[x] = lut[i]
		}
	}
	return g
}

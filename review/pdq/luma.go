package pdq

import (
	"image"
	"image/color"
)

// maxSide is the reference CLI's limit: a larger image is resized to
// maxSide x maxSide by nearest neighbour before hashing, whatever its aspect
// ratio, so our hashes match the C++ tool bit for bit.
const maxSide = 512

// Luma weights as float32 constants, as the reference declares them.
const (
	lumaR float32 = 0.299
	lumaG float32 = 0.587
	lumaB float32 = 0.114
)

// luma is a rows x cols luminance image, produced a row at a time: row
// writes row i into dst (cols values). Hashing streams rows through the
// filter instead of holding whole float32 planes (2 MiB for 512x512),
// which evicted the decoded image from the CPU caches.
type luma struct {
	rows, cols int
	row        func(i int, dst []float32)
}

// lumaOf converts img to luminance, resizing first when a side exceeds
// maxSide. Only the sampled pixels are read, so a large image costs no more
// than a 512x512 one. Known concrete types are read directly from their
// pixel buffers; every fast path must give exactly what lumaGeneric gives.
func lumaOf(img image.Image) luma {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	cols, rows := w, h
	if w > maxSide || h > maxSide {
		cols, rows = maxSide, maxSide
	}
	l := luma{rows: rows, cols: cols, row: func(int, []float32) {}}
	if rows == 0 || cols == 0 {
		return l
	}
	// xs and ys map output coordinates to source coordinates (identity when
	// not resized): src = floor(dst * size / newSize).
	xs := make([]int, cols)
	for j := range xs {
		xs[j] = b.Min.X + j*w/cols
	}
	ys := make([]int, rows)
	for i := range ys {
		ys[i] = b.Min.Y + i*h/rows
	}

	switch m := img.(type) {
	case *image.YCbCr:
		l.row = lumaYCbCr(m, xs, ys)
	case *image.NYCbCrA:
		// Alpha is dropped; the YCbCr planes are already un-premultiplied.
		l.row = lumaYCbCr(&m.YCbCr, xs, ys)
	case *image.RGBA:
		l.row = lumaRGBA(m, xs, ys)
	case *image.NRGBA:
		l.row = lumaNRGBA(m, xs, ys)
	case *image.Gray:
		l.row = lumaGray(m, xs, ys)
	case *image.Paletted:
		l.row = lumaPaletted(m, xs, ys)
	default:
		l.row = lumaGeneric(img, xs, ys)
	}
	return l
}

// rgbLuma is step 3 of the algorithm: 0.299*R + 0.587*G + 0.114*B, each
// product rounded to float32 and summed left to right. The products come
// from tables, which also rules out a fused multiply-add changing the
// rounding (and int-to-float conversions are slow on amd64).
func rgbLuma(r, g, b uint8) float32 {
	return lumaTables[0][r] + lumaTables[1][g] + lumaTables[2][b]
}

// lumaTables holds float32(weight * float32(v)) for each channel and value.
var lumaTables = func() *[3][256]float32 {
	var t [3][256]float32
	for v := range 256 {
		t[0][v] = float32(lumaR * float32(v))
		t[1][v] = float32(lumaG * float32(v))
		t[2][v] = float32(lumaB * float32(v))
	}
	return &t
}()

func lumaYCbCr(m *image.YCbCr, xs, ys []int) func(int, []float32) {
	// Plane offsets are a row term plus a column term whatever the chroma
	// subsampling, so the per-pixel work is two table lookups instead of two
	// method calls that switch on the subsampling ratio.
	x0, y0 := m.Rect.Min.X, m.Rect.Min.Y
	yCol := make([]int, len(xs))
	cCol := make([]int, len(xs))
	for j, x := range xs {
		yCol[j] = m.YOffset(x, y0)
		cCol[j] = m.COffset(x, y0)
	}
	return func(i int, dst []float32) {
		yRow, cRow := m.YOffset(x0, ys[i]), m.COffset(x0, ys[i])
		ycbcrLumaRow(dst, m.Y[yRow:], m.Cb[cRow:], m.Cr[cRow:], yCol, cCol)
	}
}

func lumaRGBA(m *image.RGBA, xs, ys []int) func(int, []float32) {
	return func(i int, dst []float32) {
		for j, x := range xs {
			o := m.PixOffset(x, ys[i])
			p := m.Pix[o : o+4 : o+4]
			r, g, b := unpremultiply(p[0], p[1], p[2], p[3])
			dst[j] = rgbLuma(r, g, b)
		}
	}
}

func lumaNRGBA(m *image.NRGBA, xs, ys []int) func(int, []float32) {
	return func(i int, dst []float32) {
		for j, x := range xs {
			o := m.PixOffset(x, ys[i])
			p := m.Pix[o : o+3 : o+3]
			dst[j] = rgbLuma(p[0], p[1], p[2])
		}
	}
}

func lumaGray(m *image.Gray, xs, ys []int) func(int, []float32) {
	return func(i int, dst []float32) {
		for j, x := range xs {
			dst[j] = float32(m.Pix[m.PixOffset(x, ys[i])])
		}
	}
}

func lumaPaletted(m *image.Paletted, xs, ys []int) func(int, []float32) {
	// One conversion per palette entry instead of per pixel. Out-of-range
	// indices (which image.Paletted.At would panic on) read as zero.
	var lut [256]float32
	grey := isGreyModel(m.Palette)
	for k, c := range m.Palette {
		if k < len(lut) {
			lut[k] = pixelLuma(c, grey)
		}
	}
	return func(i int, dst []float32) {
		for j, x := range xs {
			dst[j] = lut[m.Pix[m.PixOffset(x, ys[i])]]
		}
	}
}

func lumaGeneric(img image.Image, xs, ys []int) func(int, []float32) {
	grey := isGreyModel(img.ColorModel())
	return func(i int, dst []float32) {
		for j, x := range xs {
			dst[j] = pixelLuma(img.At(x, ys[i]), grey)
		}
	}
}

// isGreyModel reports whether the image has one channel, which the
// reference hashes as Y = grey rather than through the RGB weights.
func isGreyModel(m color.Model) bool {
	return m == color.GrayModel || m == color.Gray16Model
}

// pixelLuma is the reference for every fast path: the 8-bit un-premultiplied
// RGB of c (or its grey level) turned into luma.
func pixelLuma(c color.Color, grey bool) float32 {
	if grey {
		return float32(color.GrayModel.Convert(c).(color.Gray).Y)
	}
	r, g, b := straightRGB(c)
	return rgbLuma(r, g, b)
}

// straightRGB returns the 8-bit un-premultiplied colour of c. Colour types
// that store straight (non-premultiplied) channels are read directly, since a
// round trip through the premultiplied Color.RGBA loses precision when alpha
// is small.
func straightRGB(c color.Color) (r, g, b uint8) {
	switch c := c.(type) {
	case color.NRGBA:
		return c.R, c.G, c.B
	case color.NRGBA64:
		return uint8(c.R >> 8), uint8(c.G >> 8), uint8(c.B >> 8)
	case color.NYCbCrA:
		return color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
	}
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return n.R, n.G, n.B
}

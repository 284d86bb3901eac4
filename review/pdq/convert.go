package pdq

// ycbcrLumaRow sets dst[j] to the luma of the pixel with luma sample
// y[yCol[j]] and chroma samples cb[cCol[j]], cr[cCol[j]], converting to RGB
// exactly as image/color's YCbCrToRGB does (JFIF full range, 16.16 fixed
// point). The conversion is written out in the loop because Go will not
// inline it as a function, and a call per pixel costs as much as the
// arithmetic. A test checks it against YCbCrToRGB for every input.
//
// Each channel's clamp to 0..255 and its luma weight are one lookup in
// fixedLuma: this is PDQ's hottest loop after JPEG decoding, and the
// branch-free clamps cost more than the rest of the conversion.
func ycbcrLumaRow(dst []float32, y, cb, cr []uint8, yCol, cCol []int) {
	t := fixedLuma
	for j := range dst {
		c := cCol[j]
		yy1 := int32(y[yCol[j]]) * 0x10101
		cb1 := int32(cb[c]) - 128
		cr1 := int32(cr[c]) - 128
		// Summed in rgbLuma's order, so the result is rgbLuma's.
		dst[j] = t[0][fixedIndex(yy1+91881*cr1)] + t[1][fixedIndex(yy1-22554*cb1-46802*cr1)] + t[2][fixedIndex(yy1+116130*cb1)]
	}
}

// fixedIndex maps a 16.16 fixed-point channel value to its fixedLuma
// index: its integer part (rounded down) plus fixedBias. The conversion
// only produces integer parts from -227 to 481, so the mask never wraps; it
// only spares a bounds check.
func fixedIndex(v int32) uint32 {
	return uint32(v>>16+fixedBias) & (fixedSize - 1)
}

const (
	fixedBias = 256
	fixedSize = 1024
)

// fixedLuma[c][fixedIndex(v)] is lumaTables[c][clamp16(v)].
var fixedLuma = func() *[3][fixedSize]float32 {
	var t [3][fixedSize]float32
	for c := range t {
		for i := range fixedSize {
			t[c][i] = lumaTables[c][clamp16(int32(i-fixedBias)<<16)]
		}
	}
	return &t
}()

// clamp16 takes the integer part of a 16.16 fixed-point value, clamped to
// 0..255. It is branch-free because saturated colours make the clamping
// branches of image/color's version unpredictable, which costs more than
// the rest of the conversion.
func clamp16(v int32) uint8 {
	// v &^ v>>31 is 0 for negative v; (0xffffff-v)>>31 is all ones for
	// v of 256<<16 or more.
	return uint8((v&^(v>>31))>>16 | (0xff_ffff-v)>>31)
}

// unpremultiply turns 8-bit premultiplied RGBA into straight RGB with the
// same 16-bit arithmetic as color.NRGBAModel, so the *image.RGBA fast path
// equals converting each pixel through the colour model.
func unpremultiply(r, g, b, a uint8) (uint8, uint8, uint8) {
	switch a {
	case 0xff:
		return r, g, b
	case 0:
		return 0, 0, 0
	}
	a16 := uint32(a) * 0x101
	r16 := uint32(r) * 0x101 * 0xffff / a16
	g16 := uint32(g) * 0x101 * 0xffff / a16
	b16 := uint32(b) * 0x101 * 0xffff / a16
	return uint8(r16 >> 8), uint8(g16 >> 8), uint8(b16 >> 8)
}

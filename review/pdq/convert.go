package pdq

// ycbcrLumaRow sets dst[j] to the luma of the pixel with luma sample
// y[yCol[j]] and chroma samples cb[cCol[j]], cr[cCol[j]], converting to RGB
// exactly as image/color's YCbCrToRGB does (JFIF full range, 16.16 fixed
// point). The conversion is written out in the loop because Go will not
// inline it as a function, and a call per pixel costs as much as the
// arithmetic. A test checks it against YCbCrToRGB for every input.
func ycbcrLumaRow(dst []float32, y, cb, cr []uint8, yCol, cCol []int) {
	for j := range dst {
		c := cCol[j]
		yy1 := int32(y[yCol[j]]) * 0x10101
		cb1 := int32(cb[c]) - 128
		cr1 := int32(cr[c]) - 128
		dst[j] = rgbLuma(clamp16(yy1+91881*cr1), clamp16(yy1-22554*cb1-46802*cr1), clamp16(yy1+116130*cb1))
	}
}

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

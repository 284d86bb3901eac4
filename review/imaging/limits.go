package imaging

import "image/color"

// Limits bound what decoding one untrusted image may cost. Inspect checks
// them all from the header, before a single pixel is decoded. A zero
// MaxBytes or MaxRatio is not checked.
type Limits struct {
	// MaxPixels caps width × height.
	MaxPixels int64
	// MaxBytes caps the decoded image: width × height × the bytes a pixel
	// takes in the decoder's output (1 for grey or a palette, 3 for a
	// colour JPEG at most, 4 for 8-bit RGBA, 8 for 16-bit RGBA).
	MaxBytes int64
	// MaxRatio caps the decoded size over the file's size, for images that
	// decode to more than RatioFloor bytes. A flat screenshot compresses a
	// thousandfold and costs little while it is small; a few hundred KB
	// that inflate to hundreds of MB are a bomb.
	MaxRatio   int64
	RatioFloor int64
}

// bytesPerPixel bounds what one pixel of the decoded image takes, from the
// colour model the header announces.
func bytesPerPixel(f Format, m color.Model) int64 {
	if f == GIF {
		return 1 // a paletted frame, whatever the colour table
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3 // a luma plane and two chroma planes, at most full size
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	}
	return 8 // 16-bit RGBA, and anything unforeseen
}

// workingBytes bounds the memory a decode needs besides the image itself,
// plus the luma plane (one byte a pixel) that previews and hashes read.
func workingBytes(f Format, m color.Model, b []byte, pixels, decoded int64) int64 {
	extra := pixels
	switch {
	case f == JPEG && jpegProgressive(b):
		// A progressive decode keeps every coefficient (an int32 per
		// sample of every component) across its scans.
		extra += pixels * 4 * components(m)
	case f == PNG && len(b) > 28 && b[28] == 1:
		// Each Adam7 pass is decoded into an image of its own first.
		extra += decoded
	case f == WebP && m == color.NRGBAModel:
		// A lossless decode builds ARGB words before the NRGBA image.
		extra += pixels * 4
	}
	return extra
}

// components is the number of colour components of a JPEG's model.
func components(m color.Model) int64 {
	switch m {
	case color.GrayModel:
		return 1
	case color.CMYKModel:
		return 4
	}
	return 3
}

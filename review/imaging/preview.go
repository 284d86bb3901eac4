package imaging

import (
	"fmt"
	"image"
)

const (
	// blurMax bounds the longest side of the image that is blurred, and
	// the preview is that image doubled (when it was shrunk), so at most
	// 256 px. Once blurred, nothing finer than the blur survives: blurring
	// at 128 px and doubling looks the same as blurring at 256 px, with a
	// quarter of the pixels to blur, and the browser scales the result up.
	blurMax = 128

	// blurDivisor sets the blur strength relative to the image: sigma is the
	// rendered longest side over this, so the same content is equally
	// unrecognisable whatever the resolution of the upload.
	blurDivisor = 25

	previewQuality = 80
)

// Preview renders the default, safe view of an image: greyscale, small, and
// strongly blurred so that no recognisable detail survives. It returns JPEG
// bytes.
//
// The image is shrunk by the integer factor that brings it to at most 128
// pixels on its longest side, blurred, and doubled, so a preview measures
// between 130 and 256 pixels, or the image's own size if that is at most
// 128: an integer box reduction is several times cheaper than an exact
// resize, and the blur hides the difference.
func Preview(img image.Image) ([]byte, error) {
	r := img.Bounds()
	if r.Empty() {
		return nil, fmt.Errorf("imaging: preview: %w", ErrEmpty)
	}
	g := luma(img)
	long := max(r.Dx(), r.Dy())
	// Always a fresh copy: luma may share the caller's pixels, and the blur
	// works in place.
	small := boxReduce(g, (long+blurMax-1)/blurMax)
	if w, h := fit(small.Rect.Dx(), small.Rect.Dy(), blurMax); w != small.Rect.Dx() || h != small.Rect.Dy() {
		small = scaleGray(small, w, h) // only for images over 32,000 px long
	}
	blur(small, float64(max(small.Rect.Dx(), small.Rect.Dy()))/blurDivisor)
	if long > blurMax {
		small = double(small)
	}
	return encodeGray(small, previewQuality)
}

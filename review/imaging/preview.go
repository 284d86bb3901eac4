package imaging

import (
	"fmt"
	"image"
)

const (
	// previewMax bounds the preview's longest side. Once blurred, nothing
	// finer than the blur survives, so a small rendition loses nothing a
	// reviewer could see, and the blur and encode cost 16 times less than at
	// 1024 px; the browser scales it up.
	previewMax = 256

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
// The image is shrunk by the integer factor that brings it to at most 256
// pixels on its longest side (so a preview measures between 129 and 256
// pixels, or the image's own size if smaller): an integer box reduction is
// several times cheaper than an exact resize, and the blur hides the
// difference.
func Preview(img image.Image) ([]byte, error) {
	r := img.Bounds()
	if r.Empty() {
		return nil, fmt.Errorf("imaging: preview: %w", ErrEmpty)
	}
	g := luma(img)
	long := max(r.Dx(), r.Dy())
	// Always a fresh copy: luma may share the caller's pixels, and the blur
	// works in place.
	small := boxReduce(g, (long+previewMax-1)/previewMax)
	if w, h := fit(small.Rect.Dx(), small.Rect.Dy(), previewMax); w != small.Rect.Dx() || h != small.Rect.Dy() {
		small = scaleGray(small, w, h) // only for images over 65,000 px long
	}
	blur(small, float64(max(small.Rect.Dx(), small.Rect.Dy()))/blurDivisor)
	return encodeGray(small, previewQuality)
}

package imaging

import (
	"fmt"
	"image"
)

const (
	// renditionMax is the longest side of every unblurred rendition: enough
	// to judge an image on screen, small enough to keep encoding cheap.
	renditionMax = 1024

	greyQuality = 85
)

// Grey renders the unblurred greyscale view of an image, at most 1024 pixels
// on its longest side (never upscaled), as JPEG bytes. Greyscale takes the
// edge off graphic content while keeping it judgeable.
func Grey(img image.Image) ([]byte, error) {
	r := img.Bounds()
	if r.Empty() {
		return nil, fmt.Errorf("imaging: grey: %w", ErrEmpty)
	}
	g := luma(img)
	if w, h := fit(r.Dx(), r.Dy(), renditionMax); w != r.Dx() || h != r.Dy() {
		g = scaleGray(g, w, h)
	}
	return encodeGray(g, greyQuality)
}

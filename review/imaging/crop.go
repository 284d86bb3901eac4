package imaging

import (
	"fmt"
	"image"
	"image/draw"
)

const cropQuality = 90

// Crop renders the "spotlight" region r (in the image's own coordinates) at
// up to 1024 pixels on its longest side, in colour or greyscale, as JPEG
// bytes. r is clamped to the image; a region with nothing left is ErrEmpty.
func Crop(img image.Image, r image.Rectangle, colour bool) ([]byte, error) {
	r = r.Canon().Intersect(img.Bounds())
	if r.Empty() {
		return nil, fmt.Errorf("imaging: crop %v of %v: %w", r, img.Bounds(), ErrEmpty)
	}
	w, h := fit(r.Dx(), r.Dy(), renditionMax)
	if !colour {
		g := luma(subImage(img, r)).SubImage(r).(*image.Gray)
		if w != r.Dx() || h != r.Dy() {
			g = scaleGray(g, w, h)
		}
		return encodeGray(g, cropQuality)
	}
	m := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(m, m.Rect, img, r.Min, draw.Src)
	if w != r.Dx() || h != r.Dy() {
		m = scaleRGBA(m, w, h)
	}
	return encodeJPEG(m, cropQuality)
}

// subImage avoids converting the whole image to greyscale to crop a corner
// of it; every standard image type can share a sub-rectangle.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return img
}

package imaging

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
)

// encodeJPEG encodes img afresh. Re-encoding from pixels is what strips
// metadata: the encoder writes no EXIF, XMP, ICC or comment segments.
func encodeJPEG(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	r := img.Bounds()
	buf.Grow(r.Dx()*r.Dy()/4 + 1024) // a typical size, to avoid regrowing
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("imaging: encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}

package pdq

import (
	"fmt"
	"image"
	_ "image/gif" // formats FromReader accepts
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/webp"
)

// FromReader decodes a JPEG, PNG, GIF or WebP image and hashes it. EXIF
// orientation is ignored, as in the reference.
func FromReader(r io.Reader) (Result, error) {
	img, _, err := image.Decode(r)
	if err != nil {
		return Result{}, fmt.Errorf("pdq: decode image: %w", err)
	}
	return FromImage(img), nil
}

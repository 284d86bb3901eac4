package imaging

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Decode inspects b (see Inspect) and only then decodes it fully. Every
// decode failure wraps ErrUnsupported. For an animated GIF it returns the
// first frame, whose bounds may be a sub-rectangle of the logical screen.
func Decode(b []byte, maxPixels int64) (image.Image, Info, error) {
	info, err := Inspect(b, maxPixels)
	if err != nil {
		return nil, Info{}, err
	}
	img, err := decodeImage(info.Format, bytes.NewReader(b))
	if err != nil {
		return nil, Info{}, fmt.Errorf("imaging: decode %s: %w: %w", info.Format, ErrUnsupported, err)
	}
	r := img.Bounds()
	if r.Empty() {
		return nil, Info{}, fmt.Errorf("imaging: decode %s: no pixels: %w", info.Format, ErrUnsupported)
	}
	// The header was checked already; this keeps the promise even if a
	// decoder ever disagrees with its own header.
	if int64(r.Dx())*int64(r.Dy()) > maxPixels {
		return nil, Info{}, fmt.Errorf("imaging: decoded %s is %v: %w", info.Format, r, ErrTooManyPixels)
	}
	return img, info, nil
}

func decodeImage(f Format, r io.Reader) (img image.Image, err error) {
	defer recoverAsError(&err)
	switch f {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case GIF:
		return gif.Decode(r) // the first frame only
	case WebP:
		return webp.Decode(r)
	}
	return nil, ErrUnsupported
}

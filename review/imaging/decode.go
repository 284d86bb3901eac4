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
// A server decodes through a Decoder, which also bounds the memory of
// decodes running at once.
func Decode(b []byte, l Limits) (image.Image, Info, error) {
	info, err := Inspect(b, l)
	if err != nil {
		return nil, Info{}, err
	}
	img, err := decodeInspected(b, info, l)
	if err != nil {
		return nil, Info{}, err
	}
	return img, info, nil
}

// decodeInspected decodes b, whose header Inspect has accepted as info.
func decodeInspected(b []byte, info Info, l Limits) (image.Image, error) {
	img, err := decodeImage(info.Format, bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("imaging: decode %s: %w: %w", info.Format, ErrUnsupported, err)
	}
	r := img.Bounds()
	if r.Empty() {
		return nil, fmt.Errorf("imaging: decode %s: no pixels: %w", info.Format, ErrUnsupported)
	}
	// The header was checked already; this keeps the promise even if a
	// decoder ever disagrees with its own header.
	if int64(r.Dx())*int64(r.Dy()) > l.MaxPixels {
		return nil, fmt.Errorf("imaging: decoded %s is %v: %w", info.Format, r, ErrTooManyPixels)
	}
	return img, nil
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

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

// Info describes an image from its header.
type Info struct {
	Format      Format
	ContentType string
	Width       int
	Height      int
}

// Inspect sniffs the format and reads only the header, refusing an image
// over any of l's limits before a single pixel is decoded: a decompression
// bomb (a few KB claiming 100000×100000 pixels, or a few hundred KB of
// 16-bit pixels that inflate to gigabytes) must cost nothing. It also
// refuses JPEGs with implausibly many scans (see maxJPEGScans).
func Inspect(b []byte, l Limits) (Info, error) {
	info, _, err := inspect(b, l)
	return info, err
}

// inspect is Inspect that also estimates the memory a decode of b and its
// renditions will need.
func inspect(b []byte, l Limits) (Info, int64, error) {
	f, err := Sniff(b)
	if err != nil {
		return Info{}, 0, err
	}
	cfg, err := decodeConfig(f, bytes.NewReader(b))
	if err != nil {
		return Info{}, 0, fmt.Errorf("imaging: read %s header: %w: %w", f, ErrUnsupported, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, 0, fmt.Errorf("imaging: %s header claims %d×%d: %w", f, cfg.Width, cfg.Height, ErrUnsupported)
	}
	if f == JPEG && jpegScans(b, maxJPEGScans) > maxJPEGScans {
		return Info{}, 0, fmt.Errorf("imaging: jpeg has more than %d scans: %w", maxJPEGScans, ErrUnsupported)
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > l.MaxPixels {
		return Info{}, 0, fmt.Errorf("imaging: %s is %d×%d, %d pixels, limit %d: %w",
			f, cfg.Width, cfg.Height, pixels, l.MaxPixels, ErrTooManyPixels)
	}
	decoded := pixels * bytesPerPixel(f, cfg.ColorModel)
	if l.MaxBytes > 0 && decoded > l.MaxBytes {
		return Info{}, 0, fmt.Errorf("imaging: %s is %d×%d at %d bytes a pixel, %d bytes decoded, limit %d: %w",
			f, cfg.Width, cfg.Height, decoded/pixels, decoded, l.MaxBytes, ErrTooManyBytes)
	}
	if l.MaxRatio > 0 && decoded > l.RatioFloor && decoded > l.MaxRatio*int64(len(b)) {
		return Info{}, 0, fmt.Errorf("imaging: %s of %d bytes decodes to %d bytes, ratio limit %d: %w",
			f, len(b), decoded, l.MaxRatio, ErrTooCompressed)
	}
	info := Info{Format: f, ContentType: f.ContentType(), Width: cfg.Width, Height: cfg.Height}
	return info, decoded + workingBytes(f, cfg.ColorModel, b, pixels, decoded), nil
}

// decodeConfig calls the chosen format's decoder directly instead of going
// through image.DecodeConfig's registry, so bytes are only ever parsed by the
// decoder Sniff picked, and no init-time registration is needed.
func decodeConfig(f Format, r io.Reader) (cfg image.Config, err error) {
	defer recoverAsError(&err)
	switch f {
	case JPEG:
		return jpeg.DecodeConfig(r)
	case PNG:
		return png.DecodeConfig(r)
	case GIF:
		return gif.DecodeConfig(r)
	case WebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, ErrUnsupported
}

// recoverAsError turns a decoder panic into an error: decoders are fed
// hostile bytes, and one bad upload must not take the server down.
func recoverAsError(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("decoder panic: %v", r)
	}
}

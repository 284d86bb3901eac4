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

// Inspect sniffs the format and reads only the header, refusing images larger
// than maxPixels before a single pixel is decoded: a decompression bomb (a
// few KB claiming 100000×100000 pixels) must cost nothing. It also refuses
// JPEGs with implausibly many scans (see maxJPEGScans).
func Inspect(b []byte, maxPixels int64) (Info, error) {
	f, err := Sniff(b)
	if err != nil {
		return Info{}, err
	}
	cfg, err := decodeConfig(f, bytes.NewReader(b))
	if err != nil {
		return Info{}, fmt.Errorf("imaging: read %s header: %w: %w", f, ErrUnsupported, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("imaging: %s header claims %d×%d: %w", f, cfg.Width, cfg.Height, ErrUnsupported)
	}
	if f == JPEG && jpegScans(b, maxJPEGScans) > maxJPEGScans {
		return Info{}, fmt.Errorf("imaging: jpeg has more than %d scans: %w", maxJPEGScans, ErrUnsupported)
	}
	if n := int64(cfg.Width) * int64(cfg.Height); n > maxPixels {
		return Info{}, fmt.Errorf("imaging: %s is %d×%d, %d pixels, limit %d: %w",
			f, cfg.Width, cfg.Height, n, maxPixels, ErrTooManyPixels)
	}
	return Info{Format: f, ContentType: f.ContentType(), Width: cfg.Width, Height: cfg.Height}, nil
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

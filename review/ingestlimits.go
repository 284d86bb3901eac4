package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"

	"github.com/loupe-review/loupe/review/imaging"
)

// IngestLimits bound what one item may cost, and how many uploads are
// decoded at once. A zero field takes its value from DefaultIngestLimits
// (Workers: GOMAXPROCS).
type IngestLimits struct {
	MaxFileBytes int64 // per media file
	MaxPixels    int64 // width x height, checked before decoding
	// MaxDecodedBytes caps width x height x bytes per pixel of the decoded
	// image, checked from the header: 50 megapixels of 8-bit RGBA, or 25
	// of 16-bit.
	MaxDecodedBytes int64
	// MaxDecodeRatio caps decoded bytes per file byte, for images that
	// decode to more than 64 MiB (decodeRatioFloor): photos decode to 5 to
	// 30 times their size, a blank screenshot to a thousand (it is small,
	// so it passes), a 16-bit bomb to a thousand and more.
	MaxDecodeRatio int64
	// MaxMedia caps the media files of one item.
	MaxMedia int
	// DecodeMemory is the memory all decodes at once may use between them,
	// estimated from each header (the image, the decoder's working memory,
	// a luma plane). A decode waits for its share; one that needs more
	// than the whole budget runs alone.
	DecodeMemory int64
	// Workers is how many uploads are decoded and hashed at once: the CPUs
	// Loupe may use (0: GOMAXPROCS). More only adds decoded images in
	// memory and garbage to collect.
	Workers int
}

// DefaultIngestLimits: 25 MiB a file, 50 megapixels and 200 MB decoded,
// 250 times the file's size, 20 media an item, 1 GiB for decodes at once.
var DefaultIngestLimits = IngestLimits{
	MaxFileBytes: 25 << 20, MaxPixels: 50_000_000, MaxDecodedBytes: 200_000_000, MaxDecodeRatio: 250,
	MaxMedia: 20, DecodeMemory: 1 << 30,
}

// decodeRatioFloor is the decoded size below which MaxDecodeRatio is not
// checked: a flat 4K screenshot (33 MB) passes whatever its ratio.
const decodeRatioFloor = 64 << 20

// WithDefaults fills the zero fields from DefaultIngestLimits.
func (l IngestLimits) WithDefaults() IngestLimits {
	d := DefaultIngestLimits
	l.MaxFileBytes = cmp.Or(l.MaxFileBytes, d.MaxFileBytes)
	l.MaxPixels = cmp.Or(l.MaxPixels, d.MaxPixels)
	l.MaxDecodedBytes = cmp.Or(l.MaxDecodedBytes, d.MaxDecodedBytes)
	l.MaxDecodeRatio = cmp.Or(l.MaxDecodeRatio, d.MaxDecodeRatio)
	l.MaxMedia = cmp.Or(l.MaxMedia, d.MaxMedia)
	l.DecodeMemory = cmp.Or(l.DecodeMemory, d.DecodeMemory)
	l.Workers = cmp.Or(l.Workers, runtime.GOMAXPROCS(0))
	return l
}

// imaging is the limits a decode checks from the header.
func (l IngestLimits) imaging() imaging.Limits {
	return imaging.Limits{MaxPixels: l.MaxPixels, MaxBytes: l.MaxDecodedBytes, MaxRatio: l.MaxDecodeRatio, RatioFloor: decodeRatioFloor}
}

// CheckMediaCount refuses an item of n media files when n is over the
// limit; the web layer calls it as parts arrive.
func (in *Ingester) CheckMediaCount(n int) error {
	in.init()
	if n > in.limits.MaxMedia {
		return fmt.Errorf("an item may have at most %d media files: %w", in.limits.MaxMedia, ErrTooLarge)
	}
	return nil
}

// Decode decodes an untrusted image (field names it in errors) within the
// limits and the decode memory budget; release gives its memory back once
// the image is no longer used. Refusals are ErrTooManyPixels (over a cost
// limit, from the header) and ErrUnsupportedMedia.
func (in *Ingester) Decode(ctx context.Context, b []byte, field string) (img image.Image, info imaging.Info, release func(), err error) {
	in.init()
	img, info, release, err = in.decoder.Decode(ctx, b)
	l := in.limits
	switch {
	case err == nil:
		return img, info, release, nil
	case ctx.Err() != nil:
		return nil, imaging.Info{}, nil, ctx.Err()
	case errors.Is(err, imaging.ErrTooManyPixels):
		err = fmt.Errorf("%s has more than %d pixels: %w", field, l.MaxPixels, ErrTooManyPixels)
	case errors.Is(err, imaging.ErrTooManyBytes):
		err = fmt.Errorf("%s would decode to more than %d MB (width × height × bytes per pixel): %w", field, l.MaxDecodedBytes/1e6, ErrTooManyPixels)
	case errors.Is(err, imaging.ErrTooCompressed):
		err = fmt.Errorf("%s would decode to more than %d times its file size: %w", field, l.MaxDecodeRatio, ErrTooManyPixels)
	default:
		err = fmt.Errorf("%s is not a decodable JPEG, PNG, GIF or WebP image: %w", field, ErrUnsupportedMedia)
	}
	return nil, imaging.Info{}, nil, err
}

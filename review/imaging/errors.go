package imaging

import "errors"

var (
	// ErrUnsupported means the bytes are not an image this package accepts:
	// an unknown format, or a known one that fails to decode. The web layer
	// answers 415.
	ErrUnsupported = errors.New("imaging: unsupported or malformed image")

	// ErrTooManyPixels means the header claims more pixels than the caller
	// allows; it is returned before any pixel memory is allocated.
	ErrTooManyPixels = errors.New("imaging: image has too many pixels")

	// ErrTooManyBytes means the header announces a decoded image larger
	// than the caller allows (pixels × bytes per pixel).
	ErrTooManyBytes = errors.New("imaging: image would decode to too many bytes")

	// ErrTooCompressed means the decoded image would be too many times the
	// size of its file: a decompression bomb.
	ErrTooCompressed = errors.New("imaging: image would decode to too many bytes for its file size")

	// ErrEmpty means there are no pixels to render: an empty image or a crop
	// region that lies outside the image.
	ErrEmpty = errors.New("imaging: empty image or region")

	// ErrBadEXIF means a JPEG carries an Exif segment whose TIFF header is
	// malformed.
	ErrBadEXIF = errors.New("imaging: malformed EXIF")
)

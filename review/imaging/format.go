package imaging

import (
	"bytes"
	"fmt"
)

// Format is an image container format, recognised by its magic bytes.
type Format string

// The formats Loupe accepts.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// ContentType is the MIME type for the format.
func (f Format) ContentType() string {
	switch f {
	case JPEG:
		return "image/jpeg"
	case PNG:
		return "image/png"
	case GIF:
		return "image/gif"
	case WebP:
		return "image/webp"
	}
	return "application/octet-stream"
}

// Extension is the file name extension for a content type ContentType
// returns, ".bin" for anything else. Names built from it never carry what
// a platform's user typed.
func Extension(contentType string) string {
	switch contentType {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ".bin"
}

var (
	magicJPEG  = []byte{0xFF, 0xD8, 0xFF}
	magicPNG   = []byte("\x89PNG\r\n\x1a\n")
	magicGIF87 = []byte("GIF87a")
	magicGIF89 = []byte("GIF89a")
)

// Sniff identifies the format from the magic bytes alone. A file name or a
// client's Content-Type can lie; the bytes are what the decoder will see.
func Sniff(b []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(b, magicJPEG):
		return JPEG, nil
	case bytes.HasPrefix(b, magicPNG):
		return PNG, nil
	case bytes.HasPrefix(b, magicGIF87), bytes.HasPrefix(b, magicGIF89):
		return GIF, nil
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP, nil
	}
	return "", fmt.Errorf("imaging: sniff %d bytes: %w", len(b), ErrUnsupported)
}

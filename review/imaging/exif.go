package imaging

import (
	"bytes"
)

// Field is one item of camera metadata, named for display.
type Field struct {
	Name  string
	Value string
}

var exifHeader = []byte("Exif\x00\x00")

// EXIF reads a few common camera metadata fields from a JPEG's APP1 Exif
// segment, in a fixed display order. It returns no fields, and no error, for
// anything that is not a JPEG or has no Exif segment. Metadata can identify
// people and places, so it is shown to a reviewer only on explicit request;
// renditions never carry it.
//
// Every offset in the input is bounds-checked: hostile input yields an
// error or fewer fields, never a panic.
func EXIF(b []byte) ([]Field, error) {
	tiff := exifSegment(b)
	if tiff == nil {
		return nil, nil
	}
	return readTIFF(tiff)
}

// exifSegment walks the JPEG marker segments up to the image data and
// returns the TIFF bytes of the first APP1 Exif segment, or nil.
func exifSegment(b []byte) []byte {
	if !bytes.HasPrefix(b, magicJPEG) {
		return nil
	}
	i := 2
	for i < len(b) {
		if b[i] != 0xFF {
			return nil // not a marker: corrupt, give up
		}
		for i < len(b) && b[i] == 0xFF {
			i++ // fill bytes
		}
		if i >= len(b) {
			return nil
		}
		marker := b[i]
		i++
		switch {
		case marker == 0xDA, marker == 0xD9:
			return nil // start of scan or end of image: no metadata follows
		case marker == 0x01, marker >= 0xD0 && marker <= 0xD7:
			continue // standalone markers have no length
		}
		if i+2 > len(b) {
			return nil
		}
		n := int(b[i])<<8 | int(b[i+1])
		if n < 2 || i+n > len(b) {
			return nil
		}
		payload := b[i+2 : i+n]
		if marker == 0xE1 && bytes.HasPrefix(payload, exifHeader) {
			return payload[len(exifHeader):]
		}
		i += n
	}
	return nil
}

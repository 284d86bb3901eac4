package imaging

import (
	"bytes"
	"iter"
)

// maxJPEGScans bounds how many scans a JPEG may have. Every scan of a
// progressive JPEG makes the decoder visit every block of the image, so a
// file of tiny scans, each a few bytes saying "nothing here", costs seconds
// of CPU for kilobytes of input: a bomb the pixel limit does not catch.
// Encoders write about ten scans.
const maxJPEGScans = 100

// jpegScans counts the start-of-scan markers in a JPEG, stopping once it
// passes limit.
func jpegScans(b []byte, limit int) int {
	n := 0
	for m := range jpegMarkers(b) {
		if m == 0xDA {
			if n++; n > limit {
				break
			}
		}
	}
	return n
}

// jpegProgressive reports whether a JPEG's frame is progressive (SOF2).
func jpegProgressive(b []byte) bool {
	for m := range jpegMarkers(b) {
		switch m {
		case 0xC2:
			return true
		case 0xC0, 0xC1, 0xDA:
			return false
		}
	}
	return false
}

// jpegMarkers yields the markers of a JPEG's segments up to its end of
// image. It walks the marker segments and jumps over entropy-coded data to
// the next marker, so it costs little more than a memchr of the file.
func jpegMarkers(b []byte) iter.Seq[byte] {
	return func(yield func(byte) bool) {
		for i := 2; i+1 < len(b); { // after SOI
			if b[i] != 0xFF {
				// Entropy-coded data (or junk): on to the next 0xFF.
				j := bytes.IndexByte(b[i:], 0xFF)
				if j < 0 {
					return
				}
				i += j
				continue
			}
			switch m := b[i+1]; {
			case m == 0xFF:
				i++ // fill byte
				continue
			case m == 0x00, m == 0x01, m >= 0xD0 && m <= 0xD7:
				i += 2 // stuffed zero, TEM, restart: no length follows
				continue
			case m == 0xD9:
				return // end of image
			default:
				if !yield(m) {
					return
				}
			}
			if i+4 > len(b) {
				return
			}
			i += 2 + (int(b[i+2])<<8 | int(b[i+3]))
		}
	}
}

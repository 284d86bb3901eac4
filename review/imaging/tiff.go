package imaging

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// TIFF field types the reader understands.
const (
	typeASCII    = 2
	typeShort    = 3
	typeLong     = 4
	typeRational = 5
)

// Tags of interest. IFD0 describes the camera and file; the Exif sub-IFD
// the exposure.
const (
	tagMake             = 0x010F
	tagModel            = 0x0110
	tagOrientation      = 0x0112
	tagSoftware         = 0x0131
	tagDateTime         = 0x0132
	tagExifIFD          = 0x8769
	tagGPSIFD           = 0x8825
	tagExposureTime     = 0x829A
	tagFNumber          = 0x829D
	tagISO              = 0x8827
	tagDateTimeOriginal = 0x9003
	tagLensModel        = 0xA434
)

// fieldOrder is the display order, and the only names EXIF returns.
var fieldOrder = []struct {
	tag  uint16
	name string
}{
	{tagMake, "Make"},
	{tagModel, "Model"},
	{tagLensModel, "LensModel"},
	{tagSoftware, "Software"},
	{tagDateTime, "DateTime"},
	{tagDateTimeOriginal, "DateTimeOriginal"},
	{tagOrientation, "Orientation"},
	{tagExposureTime, "ExposureTime"},
	{tagFNumber, "FNumber"},
	{tagISO, "ISO"},
	{tagGPSIFD, "GPS"},
}

// maxText caps a displayed string; a hostile file can claim megabytes.
const maxText = 200

type tiff struct {
	b     []byte
	order binary.ByteOrder
}

// readTIFF decodes IFD0 and the Exif sub-IFD. It never follows the
// next-IFD chain (IFD1 is the thumbnail), so a looping file cannot loop it.
func readTIFF(b []byte) ([]Field, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("imaging: exif: %d-byte TIFF header: %w", len(b), ErrBadEXIF)
	}
	t := tiff{b: b}
	switch string(b[:2]) {
	case "II":
		t.order = binary.LittleEndian
	case "MM":
		t.order = binary.BigEndian
	default:
		return nil, fmt.Errorf("imaging: exif: byte order %q: %w", b[:2], ErrBadEXIF)
	}
	if t.order.Uint16(b[2:]) != 42 {
		return nil, fmt.Errorf("imaging: exif: TIFF magic: %w", ErrBadEXIF)
	}
	// Values are kept formatted for display, the Exif sub-IFD pointer too.
	found := map[uint16]string{}
	t.readIFD(t.order.Uint32(b[4:]), found)
	if off, ok := found[tagExifIFD]; ok {
		if n, err := strconv.ParseUint(off, 10, 32); err == nil {
			t.readIFD(uint32(n), found)
		}
	}
	var fields []Field
	for _, f := range fieldOrder {
		if v, ok := found[f.tag]; ok && v != "" {
			fields = append(fields, Field{Name: f.name, Value: v})
		}
	}
	return fields, nil
}

// readIFD adds the wanted tags of the IFD at off to found, keeping the first
// value seen for a tag. A malformed IFD or entry is skipped.
func (t tiff) readIFD(off uint32, found map[uint16]string) {
	n, ok := t.span(uint64(off), 2)
	if !ok {
		return
	}
	count := uint64(t.order.Uint16(n))
	entries, ok := t.span(uint64(off)+2, count*12)
	if !ok {
		return
	}
	for e := range count {
		entry := entries[e*12 : e*12+12]
		tag := t.order.Uint16(entry)
		if _, dup := found[tag]; dup || !wanted(tag) {
			continue
		}
		if tag == tagGPSIFD {
			// Presence is what a reviewer needs to know; the coordinates
			// are deliberately not read.
			found[tag] = "present"
			continue
		}
		if v, ok := t.value(entry); ok {
			found[tag] = v
		}
	}
}

func wanted(tag uint16) bool {
	if tag == tagExifIFD {
		return true
	}
	for _, f := range fieldOrder {
		if f.tag == tag {
			return true
		}
	}
	return false
}

// value formats the first value of a 12-byte IFD entry: tag, type, count,
// then either the value itself (if it fits in 4 bytes) or its offset.
func (t tiff) value(entry []byte) (string, bool) {
	typ := t.order.Uint16(entry[2:])
	count := uint64(t.order.Uint32(entry[4:]))
	var size uint64
	switch typ {
	case typeASCII:
		size = 1
	case typeShort:
		size = 2
	case typeLong:
		size = 4
	case typeRational:
		size = 8
	default:
		return "", false
	}
	if count == 0 {
		return "", false
	}
	if typ == typeASCII {
		count = min(count, 4*maxText) // read no more than could be shown
	} else {
		count = 1
	}
	data := entry[8:12]
	if size*count > 4 {
		var ok bool
		if data, ok = t.span(uint64(t.order.Uint32(entry[8:])), size*count); !ok {
			return "", false
		}
	}
	switch typ {
	case typeASCII:
		return text(data[:count]), true
	case typeShort:
		return strconv.FormatUint(uint64(t.order.Uint16(data)), 10), true
	case typeLong:
		return strconv.FormatUint(uint64(t.order.Uint32(data)), 10), true
	default:
		num, den := t.order.Uint32(data), t.order.Uint32(data[4:])
		return strconv.FormatUint(uint64(num), 10) + "/" + strconv.FormatUint(uint64(den), 10), true
	}
}

// span returns b[off:off+n] if it lies inside the TIFF data. Offsets are
// uint64 so that hostile 32-bit values cannot overflow the check.
func (t tiff) span(off, n uint64) ([]byte, bool) {
	if off > uint64(len(t.b)) || n > uint64(len(t.b))-off {
		return nil, false
	}
	return t.b[off : off+n], true
}

// text makes an EXIF string safe to display: up to the first NUL, printable
// characters only, capped at maxText runes.
func text(b []byte) string {
	var sb strings.Builder
	runes := 0
	for _, r := range strings.ToValidUTF8(string(b), "\uFFFD") {
		if r == 0 || runes == maxText {
			break
		}
		if !unicode.IsPrint(r) {
			r = ' '
		}
		sb.WriteRune(r)
		runes++
	}
	return strings.TrimSpace(sb.String())
}

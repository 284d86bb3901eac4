package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"reflect"
	"testing"
)

// byteOrder is what binary.LittleEndian and binary.BigEndian both are.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// ifdEntry is one crafted TIFF directory entry; data holds the value bytes
// already in the file's byte order.
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

func asciiEntry(tag uint16, s string) ifdEntry {
	d := append([]byte(s), 0)
	return ifdEntry{tag, typeASCII, uint32(len(d)), d}
}

func shortEntry(o byteOrder, tag, v uint16) ifdEntry {
	return ifdEntry{tag, typeShort, 1, o.AppendUint16(nil, v)}
}

func rationalEntry(o byteOrder, tag uint16, num, den uint32) ifdEntry {
	return ifdEntry{tag, typeRational, 1, o.AppendUint32(o.AppendUint32(nil, num), den)}
}

// buildTIFF lays out a TIFF header, IFD0, then (if exif is not empty) an
// Exif sub-IFD that IFD0 points to, then the values too big for an entry.
func buildTIFF(o byteOrder, ifd0, exif []ifdEntry) []byte {
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	n0 := len(ifd0)
	if len(exif) > 0 {
		n0++
	}
	exifOff := 8 + ifdSize(n0)
	dataOff := exifOff
	if len(exif) > 0 {
		dataOff += ifdSize(len(exif))
		ifd0 = append(ifd0, ifdEntry{tagExifIFD, typeLong, 1, o.AppendUint32(nil, uint32(exifOff))})
	}
	var data []byte
	writeIFD := func(b []byte, entries []ifdEntry) []byte {
		b = o.AppendUint16(b, uint16(len(entries)))
		for _, e := range entries {
			b = o.AppendUint16(b, e.tag)
			b = o.AppendUint16(b, e.typ)
			b = o.AppendUint32(b, e.count)
			if len(e.data) <= 4 {
				v := make([]byte, 4)
				copy(v, e.data)
				b = append(b, v...)
				continue
			}
			b = o.AppendUint32(b, uint32(dataOff+len(data)))
			data = append(data, e.data...)
		}
		return o.AppendUint32(b, 0) // no next IFD
	}
	b := []byte("II*\x00")
	if o.String() == binary.BigEndian.String() {
		b = []byte("MM\x00*")
	}
	b = o.AppendUint32(b, 8)
	b = writeIFD(b, ifd0)
	if len(exif) > 0 {
		b = writeIFD(b, exif)
	}
	return append(b, data...)
}

// withAPP1 inserts an APP1 segment with payload right after the SOI marker.
func withAPP1(jpg, payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+len(payload)))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

func exifPayload(tiff []byte) []byte { return append([]byte("Exif\x00\x00"), tiff...) }

// plantedJPEG is a synthetic JPEG carrying camera metadata, GPS included.
func plantedJPEG(t testing.TB, o byteOrder) []byte {
	ifd0 := []ifdEntry{
		asciiEntry(tagMake, "Acme Optics"),
		asciiEntry(tagModel, "Pinhole 3000"),
		shortEntry(o, tagOrientation, 6),
		asciiEntry(tagDateTime, "2024:01:02 03:04:05"),
		{tagGPSIFD, typeLong, 1, o.AppendUint32(nil, 0)},
	}
	exif := []ifdEntry{
		asciiEntry(tagDateTimeOriginal, "2024:01:02 03:04:00"),
		rationalEntry(o, tagFNumber, 28, 10),
		shortEntry(o, tagISO, 400),
	}
	return withAPP1(jpegOf(t, detailed(64, 48, 5), 85), exifPayload(buildTIFF(o, ifd0, exif)))
}

func TestEXIF(t *testing.T) {
	want := []Field{
		{"Make", "Acme Optics"},
		{"Model", "Pinhole 3000"},
		{"DateTime", "2024:01:02 03:04:05"},
		{"DateTimeOriginal", "2024:01:02 03:04:00"},
		{"Orientation", "6"},
		{"FNumber", "28/10"},
		{"ISO", "400"},
		{"GPS", "present"},
	}
	for _, o := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		t.Run(o.String(), func(t *testing.T) {
			got, err := EXIF(plantedJPEG(t, o))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("EXIF =\n%v\nwant\n%v", got, want)
			}
		})
	}
}

// Hostile or absent metadata yields few or no fields, never a panic.
func TestEXIFHostile(t *testing.T) {
	o := binary.LittleEndian
	plain := jpegOf(t, detailed(16, 16, 1), 80)
	valid := buildTIFF(o, []ifdEntry{asciiEntry(tagMake, "Acme Optics")}, nil)
	// An entry whose value offset points far outside the data.
	farOff := append([]byte(nil), valid...)
	o.PutUint32(farOff[8+2+8:], 0xFFFFFFF0)
	// An IFD claiming 65535 entries.
	manyEntries := append([]byte(nil), valid...)
	o.PutUint16(manyEntries[8:], 0xFFFF)
	// An Exif pointer back at IFD0 itself: a loop for a naive reader.
	loop := buildTIFF(o, []ifdEntry{asciiEntry(tagModel, "Loop"),
		{tagExifIFD, typeLong, 1, o.AppendUint32(nil, 8)}}, nil)
	// A string of 2^32-1 bytes, claimed.
	huge := buildTIFF(o, []ifdEntry{{tagMake, typeASCII, 0xFFFFFFFF, []byte("abcdefgh")}}, nil)
	// Control characters and invalid UTF-8 in a string.
	dirty := buildTIFF(o, []ifdEntry{asciiEntry(tagMake, "Ac\x1b[31mme\xff")}, nil)

	tests := []struct {
		name string
		in   []byte
		want []Field
		err  error
	}{
		{"not a jpeg", pngOf(t, detailed(4, 4, 1)), nil, nil},
		{"empty", nil, nil, nil},
		{"jpeg without exif", plain, nil, nil},
		{"xmp app1 only", withAPP1(plain, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), nil, nil},
		{"segment length past the end", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x'}, nil, nil},
		{"segment length too small", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, nil, nil},
		{"truncated marker", []byte{0xFF, 0xD8, 0xFF}, nil, nil},
		{"short tiff header", withAPP1(plain, exifPayload([]byte("II*"))), nil, ErrBadEXIF},
		{"bad byte order", withAPP1(plain, exifPayload([]byte("XX*\x00\x08\x00\x00\x00"))), nil, ErrBadEXIF},
		{"bad magic", withAPP1(plain, exifPayload([]byte("II\x2b\x00\x08\x00\x00\x00"))), nil, ErrBadEXIF},
		{"ifd0 out of range", withAPP1(plain, exifPayload([]byte("II*\x00\xff\xff\xff\xff"))), nil, nil},
		{"value offset out of range", withAPP1(plain, exifPayload(farOff)), nil, nil},
		{"65535 entries claimed", withAPP1(plain, exifPayload(manyEntries)), nil, nil},
		{"exif pointer loops to ifd0", withAPP1(plain, exifPayload(loop)), []Field{{"Model", "Loop"}}, nil},
		{"huge string claimed", withAPP1(plain, exifPayload(huge)), nil, nil},
		{"control characters", withAPP1(plain, exifPayload(dirty)), []Field{{"Make", "Ac [31mme\uFFFD"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EXIF(tt.in)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("EXIF = %q, want %q", got, tt.want)
			}
		})
	}
}

// Renditions are re-encoded from pixels, so metadata planted in the upload
// must not reach the reviewer's screen.
func TestRenditionsCarryNoEXIF(t *testing.T) {
	in := plantedJPEG(t, binary.BigEndian)
	fields, err := EXIF(in)
	if err != nil || len(fields) < 2 || fields[0].Value != "Acme Optics" || fields[1].Value != "Pinhole 3000" {
		t.Fatalf("planted metadata not found in the input: %v, %v", fields, err)
	}
	img, _, err := Decode(in, Limits{MaxPixels: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	renditions := map[string]func() ([]byte, error){
		"preview":    func() ([]byte, error) { return Preview(img) },
		"grey":       func() ([]byte, error) { return Grey(img) },
		"crop grey":  func() ([]byte, error) { return Crop(img, image.Rect(0, 0, 32, 32), false) },
		"crop color": func() ([]byte, error) { return Crop(img, image.Rect(0, 0, 32, 32), true) },
	}
	for name, render := range renditions {
		t.Run(name, func(t *testing.T) {
			out, err := render()
			if err != nil {
				t.Fatal(err)
			}
			for _, marker := range []string{"Exif\x00\x00", "Acme", "Pinhole"} {
				if bytes.Contains(out, []byte(marker)) {
					t.Errorf("output contains %q", marker)
				}
			}
			if f, err := EXIF(out); len(f) != 0 || err != nil {
				t.Errorf("EXIF of output = %v, %v; want none", f, err)
			}
		})
	}
}

func FuzzEXIF(f *testing.F) {
	f.Add(plantedJPEG(f, binary.LittleEndian))
	f.Add(plantedJPEG(f, binary.BigEndian))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, '*', 0, 0, 0, 8})
	f.Fuzz(func(t *testing.T, b []byte) {
		fields, err := EXIF(b)
		if err != nil && !errors.Is(err, ErrBadEXIF) {
			t.Fatalf("error is not ErrBadEXIF: %v", err)
		}
		for _, fl := range fields {
			if len([]rune(fl.Value)) > maxText {
				t.Fatalf("%s is %d runes long", fl.Name, len([]rune(fl.Value)))
			}
		}
	})
}

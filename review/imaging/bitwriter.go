package imaging

import "encoding/binary"

// bitWriter packs Huffman-coded bits into JPEG entropy-coded data, 32 bits
// at a time: image/jpeg's encoder writes byte by byte through a bufio.Writer,
// which is a good part of why it is slow.
type bitWriter struct {
	out []byte
	acc uint64 // the low n bits are pending, most significant first
	n   uint
}

// put appends the low size bits of bits; size ≤ 32 (a Huffman code plus
// its value bits is at most 27).
func (w *bitWriter) put(bits uint32, size uint) {
	w.acc = w.acc<<size | uint64(bits)
	w.n += size
	if w.n >= 32 {
		w.n -= 32
		appendWord(&w.out, uint32(w.acc>>w.n))
	}
}

// appendWord appends 32 bits of entropy-coded data. It is kept out of line
// so that put and its copies in encodeBlock stay small.
//
//go:noinline
func appendWord(out *[]byte, v uint32) {
	// A 0xFF byte in the data must be followed by a stuffed 0x00 so that it
	// is not read as a marker; it is rare, so check the word at once.
	if x := ^v; (x-0x01010101)&^x&0x80808080 == 0 {
		*out = binary.BigEndian.AppendUint32(*out, v)
		return
	}
	for shift := 24; shift >= 0; shift -= 8 {
		appendByte(out, byte(v>>shift))
	}
}

func appendByte(out *[]byte, b byte) {
	*out = append(*out, b)
	if b == 0xFF {
		*out = append(*out, 0)
	}
}

// flush pads the last byte with 1 bits, as T.81 asks.
func (w *bitWriter) flush() {
	w.put(0x7F, 7)
	for w.n >= 8 {
		w.n -= 8
		appendByte(&w.out, byte(w.acc>>w.n))
	}
	w.n = 0
}

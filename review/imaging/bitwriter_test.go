package imaging

import (
	"bytes"
	"testing"
)

func TestBitWriter(t *testing.T) {
	type put struct {
		bits uint32
		size uint
	}
	tests := []struct {
		name string
		puts []put
		want []byte
	}{
		{"pads the last byte with ones", []put{{0b101, 3}}, []byte{0b10111111}},
		{"byte aligned", []put{{0xAB, 8}, {0xCD, 8}}, []byte{0xAB, 0xCD}},
		{"stuffs 0xFF in a full word", []put{{0x12FF3456, 32}}, []byte{0x12, 0xFF, 0x00, 0x34, 0x56}},
		{"stuffs 0xFF at the flush", []put{{0xFF, 8}}, []byte{0xFF, 0x00}},
		{"stuffs padding that makes 0xFF", []put{{0b1111, 4}}, []byte{0xFF, 0x00}},
		{"codes across words", []put{{0x7FFF, 15}, {0x1FFFF, 17}, {0x3, 2}}, []byte{0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00}},
		{"many small codes", []put{{1, 1}, {0, 1}, {1, 1}, {0, 1}, {1, 1}, {0, 1}, {1, 1}, {0, 1}, {0x3, 2}}, []byte{0xAA, 0xFF, 0x00}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bitWriter
			for _, p := range tt.puts {
				w.put(p.bits, p.size)
			}
			w.flush()
			if !bytes.Equal(w.out, tt.want) {
				t.Errorf("got % x, want % x", w.out, tt.want)
			}
		})
	}
}

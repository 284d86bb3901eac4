package pdq

import (
	"strings"
	"testing"
)

func TestHashStringRoundTrip(t *testing.T) {
	for _, s := range []string{
		"0000000000000000000000000000000000000000000000000000000000000000",
		"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22",
		"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	} {
		h, err := ParseHash(s)
		if err != nil {
			t.Fatalf("ParseHash(%q): %v", s, err)
		}
		if got := h.String(); got != s {
			t.Errorf("round trip %q -> %q", s, got)
		}
	}
	upper := "D8F8F0CEE0F4A84F0637022A078F67F0B36E2ED596621E1D33E6339C4E9C9B22"
	if h, err := ParseHash(upper); err != nil || h.String() != strings.ToLower(upper) {
		t.Errorf("ParseHash(upper case) = %v, %v", h, err)
	}
}

func TestParseHashErrors(t *testing.T) {
	for _, s := range []string{
		"",
		"d8f8",
		"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b2",   // 63 digits
		"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22a", // 65 digits
		"x8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22",
	} {
		if _, err := ParseHash(s); err == nil {
			t.Errorf("ParseHash(%q): no error", s)
		}
	}
}

// Bit numbering follows the reference: bit k is bit k&15 of word k>>4, and
// the hex form prints word 15 first.
func TestBitNumbering(t *testing.T) {
	for _, tc := range []struct {
		bit  int
		want string
	}{
		{0, strings.Repeat("0", 63) + "1"},
		{4, strings.Repeat("0", 62) + "10"},
		{15, strings.Repeat("0", 60) + "8000"},
		{16, strings.Repeat("0", 59) + "10000"},
		{255, "8" + strings.Repeat("0", 63)},
	} {
		var h Hash
		h.setBit(tc.bit)
		if got := h.String(); got != tc.want {
			t.Errorf("bit %d: %s, want %s", tc.bit, got, tc.want)
		}
		if !h.Bit(tc.bit) || h.Bit((tc.bit+1)%256) {
			t.Errorf("bit %d: Bit disagrees with setBit", tc.bit)
		}
	}
}

func TestDistance(t *testing.T) {
	a := mustParse(t, "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22")
	var all Hash
	for i := range all {
		all[i] = 0xff
	}
	for _, tc := range []struct {
		name string
		a, b Hash
		want int
	}{
		{"same", a, a, 0},
		{"zero and ones", Hash{}, all, 256},
		{"one bit", Hash{}, Hash{31: 1}, 1},
		{"bits in every word", Hash{0: 0x80, 8: 1, 16: 3, 24: 0xf0}, Hash{}, 8},
		// Two section B hashes of the reference material.
		{"reference pair", a, mustParse(t, "d8f8f0cee0f4a84f0637022a038f67f0b36e2ed596631e1d33e6339c4e9c9b22"), 2},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: Distance = %d, want %d", tc.name, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("%s: Distance not symmetric", tc.name)
		}
	}
	if !(Hash{}).IsZero() || a.IsZero() {
		t.Error("IsZero wrong")
	}
}

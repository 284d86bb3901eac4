package matching

import (
	"errors"
	"strings"
	"testing"
)

func TestPrepare(t *testing.T) {
	const pdqHex = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"
	tests := []struct {
		name      string
		typ       string
		value     string
		wantValue string // "" when invalid
	}{
		{"md5", MD5, md5Hex("a"), md5Hex("a")},
		{"md5 upper case", MD5, strings.ToUpper(md5Hex("a")), md5Hex("a")},
		{"sha256", SHA256, sha256Hex("a"), sha256Hex("a")},
		{"pdq", PDQ, pdqHex, pdqHex},
		{"pdq upper case", PDQ, strings.ToUpper(pdqHex), pdqHex},
		{"md5 too short", MD5, md5Hex("a")[1:], ""},
		{"md5 given a sha256", MD5, sha256Hex("a"), ""},
		{"sha256 given an md5", SHA256, md5Hex("a"), ""},
		{"md5 not hex", MD5, "g" + md5Hex("a")[1:], ""},
		{"md5 with spaces", MD5, " " + md5Hex("a")[1:], ""},
		{"empty", SHA256, "", ""},
		{"pdq too short", PDQ, pdqHex[2:], ""},
		{"pdq not hex", PDQ, "x" + pdqHex[1:], ""},
		{"pdq all zero", PDQ, strings.Repeat("0", 64), ""},
		{"unknown type", "sha1", strings.Repeat("a", 40), ""},
		{"upper-case type", "MD5", md5Hex("a"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := prepare(Entry{ID: 7, ListID: 1, Type: tt.typ, Value: tt.value, Category: "c"})
			if tt.wantValue == "" {
				if !errors.Is(err, ErrInvalidEntry) {
					t.Fatalf("prepare() error = %v, want ErrInvalidEntry", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("prepare(): %v", err)
			}
			if e.Value != tt.wantValue || e.ID != 7 || e.Category != "c" {
				t.Errorf("prepare() = %+v, want value %s", e.Entry, tt.wantValue)
			}
			if tt.typ == PDQ && e.hash.String() != tt.wantValue {
				t.Errorf("parsed hash %v, want %s", e.hash, tt.wantValue)
			}
		})
	}
}

// A bad value is reported briefly, whatever its size.
func TestPrepareTruncatesValue(t *testing.T) {
	_, err := prepare(Entry{ID: 1, Type: MD5, Value: strings.Repeat("z", 10000)})
	if err == nil {
		t.Fatal("prepare() accepted 10000 z's as an md5")
	}
	if n := len(err.Error()); n > 200 {
		t.Errorf("error is %d bytes: %.300s", n, err)
	}
}

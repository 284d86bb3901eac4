package hashlist

import (
	"errors"
	"strings"
	"testing"
)

func TestParseHashType(t *testing.T) {
	tests := []struct {
		in      string
		want    HashType
		wantErr string
	}{
		{"pdq", PDQ, ""},
		{" MD5 ", MD5, ""},
		{"Sha256", SHA256, ""},
		{"", "", "hash_type: missing"},
		{"sha1", "", `hash_type: unknown hash type "sha1" (want pdq, md5 or sha256)`},
		{"sha-256", "", `unknown hash type "sha-256"`},
	}
	for _, tt := range tests {
		got, err := ParseHashType(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseHashType(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseHashType(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeValue(t *testing.T) {
	tests := []struct {
		name    string
		typ     HashType
		in      string
		want    string
		wantErr string
	}{
		{"md5", MD5, md5Empty, md5Empty, ""},
		{"md5 upper case and spaces", MD5, "  " + strings.ToUpper(md5Empty) + "\t", md5Empty, ""},
		{"sha256", SHA256, strings.ToUpper(sha256Empty), sha256Empty, ""},
		{"pdq re-rendered lower case", PDQ, " " + strings.ToUpper(pdqSample) + " ", pdqSample, ""},
		{"md5 too short", MD5, md5Empty[:31], "", "want 32 hex digits for md5, got 31"},
		{"md5 given a sha256", MD5, sha256Empty, "", "want 32 hex digits for md5, got 64"},
		{"sha256 too long", SHA256, sha256Empty + "0", "", "want 64 hex digits for sha256, got 65"},
		{"pdq too short", PDQ, pdqSample[:60], "", "want 64 hex digits for pdq, got 60"},
		{"non-hex", MD5, "0x" + md5Empty[2:], "", `want hex digits only for md5, got 'x' at position 2`},
		{"inner space", SHA256, sha256Empty[:10] + " " + sha256Empty[11:], "", `got ' ' at position 11`},
		{"empty", PDQ, "  ", "", "hash_value: missing"},
		{"zero pdq", PDQ, strings.Repeat("0", 64), "", "all-zero pdq hash"},
		{"unknown type", "sha1", md5Empty, "", `hash_type: unknown hash type "sha1"`},
		{"types are not normalised here", "MD5", md5Empty, "", `unknown hash type "MD5"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeValue(tt.typ, tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want containing %q", err, tt.wantErr)
				}
				var fe *FieldError
				if !errors.As(err, &fe) {
					t.Fatalf("error %T is not a *FieldError", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("= %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// A long bad value must not be copied whole into the message.
func TestNormalizeValueShortMessage(t *testing.T) {
	_, err := NormalizeValue(MD5, strings.Repeat("a", 10000))
	if err == nil || len(err.Error()) > 200 {
		t.Fatalf("error = %.300v", err)
	}
}

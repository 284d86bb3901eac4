package cybertip

import (
	"slices"
	"strings"
	"testing"
)

func TestCountryCodesMatchSchema(t *testing.T) {
	want := loadSchema(t).enumeration(t, "country")
	got := strings.Fields(countryCodes)
	if !slices.Equal(got, want) {
		t.Errorf("countryCodes has %d codes, schema %d; they differ", len(got), len(want))
	}
	for _, c := range want {
		if !validCountry(c) {
			t.Errorf("validCountry(%q) = false for a schema code", c)
		}
	}
}

func TestValidCountry(t *testing.T) {
	for _, tc := range []struct {
		code string
		want bool
	}{
		{"US", true},
		{"GB", true},
		{"A1", true}, // the schema's anonymous-proxy pseudo-code
		{"us", false},
		{"XX", false},
		{"USA", false},
		{"U", false},
		{"", false},
		{" U", false},
		{"S ", false},
	} {
		if got := validCountry(tc.code); got != tc.want {
			t.Errorf("validCountry(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

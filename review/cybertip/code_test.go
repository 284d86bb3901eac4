package cybertip

import "testing"

func TestCodeRetryableAndTerminal(t *testing.T) {
	for _, tc := range []struct {
		code      Code
		retryable bool
		terminal  bool
	}{
		{0, false, false},
		{1000, true, false},
		{1100, true, false},
		{1110, true, false},
		{1111, true, false},
		{1210, false, false},
		{1300, true, false},
		{2000, false, false},
		{3000, false, false},
		{3100, false, false},
		{3300, false, false},
		{4000, false, false},
		{4100, false, false},
		{4110, false, false},
		{4200, false, false},
		{5001, false, false},
		{5002, false, false},
		{5101, false, true},
		{5102, false, true},
		{9999, false, false},
	} {
		if got := tc.code.Retryable(); got != tc.retryable {
			t.Errorf("%v.Retryable() = %v, want %v", tc.code, got, tc.retryable)
		}
		if got := tc.code.Terminal(); got != tc.terminal {
			t.Errorf("%v.Terminal() = %v, want %v", tc.code, got, tc.terminal)
		}
	}
}

func TestCodeString(t *testing.T) {
	for _, tc := range []struct {
		code Code
		want string
	}{
		{CodeOK, "0 success"},
		{4100, "4100 validation failed"},
		{5102, "5102 report already finished"},
		{42, "42 unknown response code"},
	} {
		if got := tc.code.String(); got != tc.want {
			t.Errorf("Code(%d).String() = %q, want %q", int(tc.code), got, tc.want)
		}
	}
	// Every code NCMEC lists has a meaning.
	for _, c := range []Code{0, 1000, 1100, 1110, 1111, 1210, 1300, 2000, 3000, 3100, 3300, 4000, 4100, 4110, 4200, 5001, 5002, 5101, 5102} {
		if !c.Known() {
			t.Errorf("code %d has no meaning", int(c))
		}
	}
}

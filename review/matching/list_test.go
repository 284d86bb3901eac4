package matching

import (
	"errors"
	"testing"
)

func TestListValidate(t *testing.T) {
	tests := []struct {
		name string
		list List
		ok   bool
	}{
		{"block", List{ID: 1, Kind: Block}, true},
		{"allow", List{ID: 1, Kind: Allow, Threshold: 10}, true},
		{"max threshold", List{ID: 1, Kind: Block, Threshold: MaxThreshold}, true},
		{"no kind", List{ID: 1}, false},
		{"unknown kind", List{ID: 1, Kind: "Block"}, false},
		{"negative threshold", List{ID: 1, Kind: Block, Threshold: -1}, false},
		{"threshold too high", List{ID: 1, Kind: Block, Threshold: MaxThreshold + 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.list.validate()
			if tt.ok != (err == nil) {
				t.Fatalf("validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidList) {
				t.Errorf("error %v is not ErrInvalidList", err)
			}
		})
	}
}

func TestListThreshold(t *testing.T) {
	tests := []struct{ set, want int }{
		{0, DefaultThreshold},
		{1, 1},
		{DefaultThreshold, DefaultThreshold},
		{50, 50},
	}
	for _, tt := range tests {
		if got := (List{Threshold: tt.set}).threshold(); got != tt.want {
			t.Errorf("Threshold %d: threshold() = %d, want %d", tt.set, got, tt.want)
		}
	}
}

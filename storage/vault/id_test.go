package vault

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestIDs(t *testing.T) {
	v, dir := newVault(t)
	tests := []struct {
		id    string
		valid bool
	}{
		{"abc123-original", true},
		{"q2x7-grey", true},
		{"a", true},
		{"0_9", true},
		{strings.Repeat("a", 81), true},
		{strings.Repeat("a", 82), false},
		{"", false},
		{"../etc/passwd", false},
		{"..", false},
		{"a/b", false},
		{`a\b`, false},
		{"Upper", false},
		{"-leading-dash", false},
		{"_leading", false},
		{".tmp-1234", false},
		{"name.png", false},
		{"with space", false},
		{"nul\x00byte", false},
		{"newline\n", false},
		{"é", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			_, err := v.Put(t.Context(), tt.id, []byte("x"))
			if tt.valid {
				if err != nil {
					t.Fatalf("Put refused a valid id: %v", err)
				}
				want := filepath.Join(dir, tt.id[:min(2, len(tt.id))], tt.id)
				if p, _ := v.store.(*Dir).path(tt.id); p != want {
					t.Errorf("path %s, want %s", p, want)
				}
				return
			}
			if !errors.Is(err, ErrInvalidID) {
				t.Errorf("Put: err = %v, want ErrInvalidID", err)
			}
			if _, err := v.Get(t.Context(), tt.id, nil); !errors.Is(err, ErrInvalidID) {
				t.Errorf("Get: err = %v, want ErrInvalidID", err)
			}
			if _, err := v.Exists(t.Context(), tt.id); !errors.Is(err, ErrInvalidID) {
				t.Errorf("Exists: err = %v, want ErrInvalidID", err)
			}
			if err := v.Delete(t.Context(), tt.id); !errors.Is(err, ErrInvalidID) {
				t.Errorf("Delete: err = %v, want ErrInvalidID", err)
			}
		})
	}
}

package vault

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// seeded is a deterministic source of randomness, so tests are repeatable.
func seeded(seed byte) io.Reader {
	return rand.NewChaCha8([32]byte{seed})
}

var masterKey = bytes.Repeat([]byte{7}, KeySize)

func newVault(t *testing.T) (*Vault, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "media")
	v, err := Open(dir, masterKey, seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	return v, dir
}

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "media")
	if _, err := Open(dir, masterKey, seeded(1)); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("vault directory mode %04o, want 0700", perm)
	}
	tests := []struct {
		name   string
		key    []byte
		random io.Reader
	}{
		{"short key", masterKey[:16], seeded(1)},
		{"no key", nil, seeded(1)},
		{"no randomness", masterKey, nil},
	}
	for _, tt := range tests {
		if _, err := Open(dir, tt.key, tt.random); err == nil {
			t.Errorf("%s: Open succeeded", tt.name)
		}
	}
}

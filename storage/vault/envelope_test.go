package vault

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The layout is what the format comment promises, and a seeded source of
// randomness makes it reproducible.
func TestEnvelopeLayout(t *testing.T) {
	put := func() ([]byte, []byte) {
		dir := filepath.Join(t.TempDir(), "media")
		v, err := Open(dir, masterKey, seeded(5))
		if err != nil {
			t.Fatal(err)
		}
		key, err := v.Put(t.Context(), "layout", recognisable)
		if err != nil {
			t.Fatal(err)
		}
		file, err := os.ReadFile(filepath.Join(dir, "la", "layout"))
		if err != nil {
			t.Fatal(err)
		}
		return file, key
	}
	file, key := put()
	if !bytes.HasPrefix(file, fileHeader) {
		t.Errorf("file starts % x, want header % x", file[:4], fileHeader)
	}
	if want := len(fileHeader) + nonceSize + len(recognisable) + 16; len(file) != want {
		t.Errorf("file is %d bytes, want %d", len(file), want)
	}
	if key[0] != wrapVersion || len(key) != wrappedKeySize {
		t.Errorf("wrapped key version %d, %d bytes", key[0], len(key))
	}
	file2, key2 := put()
	if !bytes.Equal(file, file2) || !bytes.Equal(key, key2) {
		t.Error("the same seed gave different output")
	}
}

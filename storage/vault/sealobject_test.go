package vault

import (
	"bytes"
	"errors"
	"testing"
)

// An object sealed for the database reads back only with its own id and
// key, never holds its plaintext, and leaves no file in the vault.
func TestSealObjectRoundTrip(t *testing.T) {
	v, dir := newVault(t)
	sealed, key, err := v.SealObject("obj-preview", recognisable)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, recognisable[:16]) {
		t.Error("sealed bytes contain the plaintext")
	}
	got, err := v.OpenObject("obj-preview", sealed, key)
	if err != nil || !bytes.Equal(got, recognisable) {
		t.Fatalf("open = %q, %v; want the plaintext", got, err)
	}
	again, key2, err := v.SealObject("obj-preview", recognisable)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(again, sealed) || bytes.Equal(key2, key) {
		t.Error("sealing twice gave the same bytes or key: data keys are not fresh")
	}
	for name, open := range map[string]func() ([]byte, error){
		"another id":   func() ([]byte, error) { return v.OpenObject("obj-other", sealed, key) },
		"another key":  func() ([]byte, error) { return v.OpenObject("obj-preview", sealed, key2) },
		"shredded key": func() ([]byte, error) { return v.OpenObject("obj-preview", sealed, nil) },
		"altered content": func() ([]byte, error) {
			b := bytes.Clone(sealed)
			b[len(b)-20] ^= 1
			return v.OpenObject("obj-preview", b, key)
		},
	} {
		if _, err := open(); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	if ok, err := v.Exists(t.Context(), "obj-preview"); err != nil || ok {
		t.Errorf("a sealed object left a file in %s (exists %v, %v)", dir, ok, err)
	}
}

package vault

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Every way of reading an object other than with its own file, its own id
// and its own wrapped key under the right master key is ErrCorrupt.
func TestGetDetectsCorruption(t *testing.T) {
	v, dir := newVault(t)
	key1, err := v.Put(t.Context(), "obj-one", recognisable)
	if err != nil {
		t.Fatal(err)
	}
	key2, err := v.Put(t.Context(), "obj-two", []byte("another object"))
	if err != nil {
		t.Fatal(err)
	}
	file1 := filepath.Join(dir, "ob", "obj-one")
	pristine, err := os.ReadFile(file1)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(pristine)
		b[i] ^= 0x01
		return b
	}
	otherMaster, err := Open(dir, bytes.Repeat([]byte{8}, KeySize), seeded(2))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		vault *Vault
		file  []byte // written over obj-one first, if not nil
		id    string
		key   []byte
	}{
		{"wrong master key", otherMaster, nil, "obj-one", key1},
		{"another object's wrapped key", v, nil, "obj-one", key2},
		{"shredded: no wrapped key", v, nil, "obj-one", nil},
		{"truncated wrapped key", v, nil, "obj-one", key1[:len(key1)-1]},
		{"altered wrapped key", v, nil, "obj-one", append(bytes.Clone(key1[:20]), append([]byte{key1[20] ^ 1}, key1[21:]...)...)},
		{"altered header", v, flip(0), "obj-one", key1},
		{"altered version", v, flip(3), "obj-one", key1},
		{"altered nonce", v, flip(len(fileHeader) + 2), "obj-one", key1},
		{"altered content", v, flip(len(fileHeader) + nonceSize + 100), "obj-one", key1},
		{"altered tag", v, flip(len(pristine) - 1), "obj-one", key1},
		{"truncated file", v, pristine[:len(pristine)/2], "obj-one", key1},
		{"empty file", v, []byte{}, "obj-one", key1},
		// A file moved to another id, with its key: the id is authenticated.
		{"file and key moved to another id", v, nil, "obj-two", key1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.file != nil {
				if err := os.WriteFile(file1, tt.file, 0o600); err != nil {
					t.Fatal(err)
				}
				defer os.WriteFile(file1, pristine, 0o600)
			}
			if tt.name == "file and key moved to another id" {
				if err := os.WriteFile(filepath.Join(dir, "ob", "obj-two"), pristine, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := tt.vault.Get(t.Context(), tt.id, tt.key)
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("err = %v, want ErrCorrupt", err)
			}
			if got != nil {
				t.Errorf("returned %d bytes alongside the error", len(got))
			}
		})
	}
	// The untouched object still reads: the checks above were not vacuous.
	if got, err := v.Get(t.Context(), "obj-one", key1); err != nil || !bytes.Equal(got, recognisable) {
		t.Errorf("pristine object: %v", err)
	}
}

// Crypto-shredding: once the wrapped key is gone, neither the vault nor
// anyone holding the file and the master key can read the object.
func TestShreddedObjectIsUnreadable(t *testing.T) {
	v, dir := newVault(t)
	key, err := v.Put(t.Context(), "shred-me", recognisable)
	if err != nil {
		t.Fatal(err)
	}
	clear(key) // the database row is deleted
	if _, err := v.Get(t.Context(), "shred-me", key); !errors.Is(err, ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt", err)
	}
	// Nor does the master key decrypt the file by itself.
	file, err := os.ReadFile(filepath.Join(dir, "sh", "shred-me"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open("shred-me", masterKey, file); err == nil {
		t.Error("the master key alone opened the object")
	}
}

func TestGetMissing(t *testing.T) {
	v, _ := newVault(t)
	_, err := v.Get(t.Context(), "nothing-here", make([]byte, wrappedKeySize))
	if !errors.Is(err, ErrMissing) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want ErrMissing and fs.ErrNotExist", err)
	}
}

func TestExistsAndDelete(t *testing.T) {
	v, _ := newVault(t)
	if _, err := v.Put(t.Context(), "kept", []byte("a")); err != nil {
		t.Fatal(err)
	}
	key, err := v.Put(t.Context(), "doomed", []byte("b"))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := v.Exists(t.Context(), "doomed"); !ok || err != nil {
		t.Fatalf("Exists before delete = %v, %v", ok, err)
	}
	for range 2 { // deleting twice is not an error
		if err := v.Delete(t.Context(), "doomed"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if ok, err := v.Exists(t.Context(), "doomed"); ok || err != nil {
		t.Errorf("Exists after delete = %v, %v", ok, err)
	}
	if _, err := v.Get(t.Context(), "doomed", key); !errors.Is(err, ErrMissing) {
		t.Errorf("Get after delete: %v, want ErrMissing", err)
	}
	if ok, _ := v.Exists(t.Context(), "kept"); !ok {
		t.Error("Delete removed another object")
	}
}

package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func newVault(t *testing.T) (*Vault, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "media")
	key := bytes.Repeat([]byte{7}, 32)
	v, err := Open(dir, key, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return v, dir
}

var plain = bytes.Repeat([]byte("harmless test bytes, recognisable in a file. "), 100)

func TestRoundTripAndNothingInTheClear(t *testing.T) {
	v, dir := newVault(t)
	key, err := v.Put("abc123-original", plain)
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Get("abc123-original", key)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("round trip: %v", err)
	}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, plain[:64]) {
				t.Errorf("%s holds the plaintext", path)
			}
			if info.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %o, want 600", path, info.Mode().Perm())
			}
		}
		return nil
	})
}

func TestTamperingAndShreddingAreDetected(t *testing.T) {
	v, dir := newVault(t)
	k1, _ := v.Put("obj-one", plain)
	k2, _ := v.Put("obj-two", []byte("other"))
	if _, err := v.Get("obj-one", k2); !errors.Is(err, ErrCorrupt) {
		t.Errorf("another object's key: %v", err)
	}
	if _, err := v.Get("obj-one", nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("without the wrapped key (shredded): %v", err)
	}
	// A file moved to another id fails: the id is authenticated.
	b, _ := os.ReadFile(filepath.Join(dir, "ob", "obj-one"))
	os.WriteFile(filepath.Join(dir, "ob", "obj-two"), b, 0o600)
	if _, err := v.Get("obj-two", k1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("swapped file: %v", err)
	}
	b[len(b)-1] ^= 1
	os.WriteFile(filepath.Join(dir, "ob", "obj-one"), b, 0o600)
	if _, err := v.Get("obj-one", k1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("flipped bit: %v", err)
	}
	other, _ := Open(dir, bytes.Repeat([]byte{8}, 32), rand.Reader)
	if _, err := other.Get("obj-two", k2); !errors.Is(err, ErrCorrupt) {
		t.Errorf("wrong master key: %v", err)
	}
	if err := v.Delete("obj-two"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Get("obj-two", k2); !errors.Is(err, ErrMissing) {
		t.Errorf("deleted object: %v", err)
	}
	if err := v.Delete("obj-two"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestUnsafeIDsRefused(t *testing.T) {
	v, _ := newVault(t)
	for _, id := range []string{"", "../etc", "a/b", "UPPER", "x", "ab", "name.png"} {
		if _, err := v.Put(id, plain); err == nil {
			t.Errorf("accepted id %q", id)
		}
	}
}

func TestWalkAndCleanTemp(t *testing.T) {
	v, dir := newVault(t)
	v.Put("aa1-original", plain)
	v.Put("bb2-preview", plain)
	os.WriteFile(filepath.Join(dir, "aa", "aa1-grey.123.tmp"), []byte("partial"), 0o600)
	var ids []string
	v.Walk(func(id string) error { ids = append(ids, id); return nil })
	if len(ids) != 2 {
		t.Errorf("walk found %v", ids)
	}
	if n, err := v.CleanTemp(); n != 1 || err != nil {
		t.Errorf("clean temp: %d %v", n, err)
	}
}

func TestSealedSecretsAreBoundToTheirName(t *testing.T) {
	v, _ := newVault(t)
	s, _ := v.Seal("callback-secret:1", []byte("hush"))
	if got, err := v.Open("callback-secret:1", s); err != nil || string(got) != "hush" {
		t.Errorf("open: %q %v", got, err)
	}
	if _, err := v.Open("callback-secret:2", s); err == nil {
		t.Error("a sealed secret opened under another name")
	}
}

func TestMasterKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	k1, err := LoadOrCreateMasterKey(path, "", rand.Reader)
	if err != nil || len(k1) != 32 {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %o", st.Mode().Perm())
	}
	k2, _ := LoadOrCreateMasterKey(path, "", rand.Reader)
	if !bytes.Equal(k1, k2) {
		t.Error("key changed on second start")
	}
	os.Chmod(path, 0o644)
	if _, err := LoadOrCreateMasterKey(path, "", rand.Reader); err == nil {
		t.Error("accepted a world-readable key file")
	}
	env := hex.EncodeToString(bytes.Repeat([]byte{1}, 32))
	if k, err := LoadOrCreateMasterKey(path, env, rand.Reader); err != nil || k[0] != 1 {
		t.Errorf("env key: %v", err)
	}
	for _, bad := range []string{"abc", hex.EncodeToString(make([]byte, 16)), "not base64 !!"} {
		if _, err := LoadOrCreateMasterKey(path, bad, rand.Reader); err == nil {
			t.Errorf("accepted env key %q", bad)
		}
	}
}

func TestFreeBytes(t *testing.T) {
	if n, err := FreeBytes(t.TempDir()); err != nil || n == 0 {
		t.Errorf("free bytes %d %v", n, err)
	}
}

package vault

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// recognisable is 4 KiB of plaintext that is easy to spot on disk.
var recognisable = bytes.Repeat([]byte("LOUPE-PLAINTEXT-"), 256)

func TestPutGetRoundTrip(t *testing.T) {
	v, _ := newVault(t)
	tests := []struct {
		name  string
		id    string
		plain []byte
	}{
		{"empty", "empty", nil},
		{"4 KiB", "abc123-original", recognisable},
		{"1 MiB", "big-preview", bytes.Repeat([]byte{0, 1, 2, 0xFF}, 1<<18)},
		{"one-character id", "z", []byte("z")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := v.Put(t.Context(), tt.id, tt.plain)
			if err != nil {
				t.Fatal(err)
			}
			if len(key) != wrappedKeySize {
				t.Errorf("wrapped key is %d bytes, want %d", len(key), wrappedKeySize)
			}
			got, err := v.Get(t.Context(), tt.id, key)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.plain) {
				t.Errorf("got %d bytes back, want %d", len(got), len(tt.plain))
			}
		})
	}
}

// On disk there is ciphertext only, in owner-only files, and no temporary
// file survives a successful Put.
func TestPutLeavesNoPlaintext(t *testing.T) {
	v, dir := newVault(t)
	if _, err := v.Put(t.Context(), "abc123-original", recognisable); err != nil {
		t.Fatal(err)
	}
	var files int
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, recognisable[:16]) {
			t.Errorf("%s contains the plaintext", path)
		}
		if strings.HasPrefix(d.Name(), tempPrefix) {
			t.Errorf("temporary file %s left behind", path)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", path, perm)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "ab", "abc123-original"); files != 1 {
		t.Errorf("%d files stored, want just %s", files, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "ab", "abc123-original")); err != nil {
		t.Errorf("object not sharded by its first two characters: %v", err)
	}
}

// Putting an id again replaces the object; only the newest key opens it.
func TestPutReplaces(t *testing.T) {
	v, _ := newVault(t)
	old, err := v.Put(t.Context(), "item-1", []byte("first"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := v.Put(t.Context(), "item-1", []byte("second"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := v.Get(t.Context(), "item-1", key); err != nil || string(got) != "second" {
		t.Errorf("Get = %q, %v; want second", got, err)
	}
	if _, err := v.Get(t.Context(), "item-1", old); err == nil {
		t.Error("the replaced object's key still opens the id")
	}
}

// The vault's source of randomness is not itself safe for concurrent use;
// the vault must serialise it.
func TestConcurrentPuts(t *testing.T) {
	v, _ := newVault(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			id := fmt.Sprintf("obj-%d", i)
			plain := []byte(strings.Repeat(id, 100))
			key, err := v.Put(t.Context(), id, plain)
			if err == nil {
				var got []byte
				got, err = v.Get(t.Context(), id, key)
				if err == nil && !bytes.Equal(got, plain) {
					err = fmt.Errorf("%s: wrong content", id)
				}
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// The vault remembers which shard directories it made; one removed behind
// its back is made again rather than failing every later Put into it.
func TestPutRemakesRemovedShard(t *testing.T) {
	v, dir := newVault(t)
	key, err := v.Put(t.Context(), "ab-1", []byte("first"))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Delete(t.Context(), "ab-1"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "ab")); err != nil {
		t.Fatal(err)
	}
	if key, err = v.Put(t.Context(), "ab-2", []byte("second")); err != nil {
		t.Fatalf("Put after the shard was removed: %v", err)
	}
	if got, err := v.Get(t.Context(), "ab-2", key); err != nil || string(got) != "second" {
		t.Errorf("Get = %q, %v; want second", got, err)
	}
}

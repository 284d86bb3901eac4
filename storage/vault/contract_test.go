package vault_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/loupe-review/loupe/storage/vault"
	"github.com/loupe-review/loupe/storage/vault/s3/s3test"
)

var contractKey = bytes.Repeat([]byte{5}, vault.KeySize)

// stores are the Store implementations every contract test runs against:
// the local directory always, a bucket on a real S3 server when
// LOUPE_TEST_S3 names one (skipped, saying so, otherwise).
var stores = []struct {
	name string
	open func(t *testing.T) vault.Store
}{
	{"dir", func(t *testing.T) vault.Store {
		d, err := vault.OpenDir(filepath.Join(t.TempDir(), "media"))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}},
	{"s3", func(t *testing.T) vault.Store { return s3test.Open(t) }},
}

// contract runs test once per store, with a vault over it.
func contract(t *testing.T, test func(t *testing.T, v *vault.Vault, st vault.Store)) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			st := s.open(t)
			v, err := vault.New(st, contractKey, rand.NewChaCha8([32]byte{9}))
			if err != nil {
				t.Fatal(err)
			}
			test(t, v, st)
		})
	}
}

// testImage is a synthetic PNG: shapes, no content.
func testImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 96, 64))
	for y := range 64 {
		for x := range 96 {
			img.Set(x, y, color.RGBA{uint8(x * 2), uint8(y * 3), uint8((x ^ y) * 5), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestContractRoundTrip(t *testing.T) {
	contract(t, func(t *testing.T, v *vault.Vault, _ vault.Store) {
		ctx := t.Context()
		for id, plain := range map[string][]byte{
			"empty": nil, "z": []byte("z"), "abc-original": testImage(t),
			"big-grey": bytes.Repeat([]byte{0, 1, 2, 0xFF}, 1<<18),
		} {
			key, err := v.Put(ctx, id, plain)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			got, err := v.Get(ctx, id, key)
			if err != nil || !bytes.Equal(got, plain) {
				t.Errorf("%s: got %d bytes back, %v; want %d", id, len(got), err, len(plain))
			}
		}
		if err := v.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

// The store only ever holds ciphertext: no 16 bytes of the image in a row
// appear in any stored object.
func TestContractStoreHoldsCiphertextOnly(t *testing.T) {
	contract(t, func(t *testing.T, v *vault.Vault, st vault.Store) {
		ctx := t.Context()
		img := testImage(t)
		for _, id := range []string{"m1-original", "m1-grey"} {
			if _, err := v.Put(ctx, id, img); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		err := st.Walk(ctx, func(id string) error {
			n++
			raw, err := st.Get(ctx, id)
			if err != nil {
				return err
			}
			for i := 0; i+16 <= len(img); i += 8 {
				if bytes.Contains(raw, img[i:i+16]) {
					return fmt.Errorf("object %s holds plaintext bytes %d-%d of the image", id, i, i+16)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("walked %d objects, want 2", n)
		}
	})
}

// Deleting the wrapped key shreds: the stored object stays, unreadable.
// A stored object altered, or read with another object's key, is
// ErrCorrupt too.
func TestContractShredAndCorruption(t *testing.T) {
	contract(t, func(t *testing.T, v *vault.Vault, st vault.Store) {
		ctx := t.Context()
		key1, err := v.Put(ctx, "obj-one", testImage(t))
		if err != nil {
			t.Fatal(err)
		}
		key2, err := v.Put(ctx, "obj-two", []byte("another"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Get(ctx, "obj-one", make([]byte, len(key1))); !errors.Is(err, vault.ErrCorrupt) {
			t.Errorf("shredded key: %v, want ErrCorrupt", err)
		}
		if _, err := v.Get(ctx, "obj-one", key2); !errors.Is(err, vault.ErrCorrupt) {
			t.Errorf("another object's key: %v, want ErrCorrupt", err)
		}
		raw, err := st.Get(ctx, "obj-one")
		if err != nil {
			t.Fatal(err)
		}
		raw[len(raw)/2] ^= 1
		if err := st.Put(ctx, "obj-one", raw); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Get(ctx, "obj-one", key1); !errors.Is(err, vault.ErrCorrupt) {
			t.Errorf("altered object: %v, want ErrCorrupt", err)
		}
	})
}

func TestContractExistsDeleteMissing(t *testing.T) {
	contract(t, func(t *testing.T, v *vault.Vault, _ vault.Store) {
		ctx := t.Context()
		if _, err := v.Put(ctx, "kept", []byte("a")); err != nil {
			t.Fatal(err)
		}
		key, err := v.Put(ctx, "doomed", []byte("b"))
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := v.Exists(ctx, "doomed"); !ok || err != nil {
			t.Fatalf("Exists before delete = %v, %v", ok, err)
		}
		for range 2 { // deleting twice is not an error
			if err := v.Delete(ctx, "doomed"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
		}
		if ok, err := v.Exists(ctx, "doomed"); ok || err != nil {
			t.Errorf("Exists after delete = %v, %v", ok, err)
		}
		_, err = v.Get(ctx, "doomed", key)
		if !errors.Is(err, vault.ErrMissing) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Get after delete: %v, want ErrMissing and fs.ErrNotExist", err)
		}
		if ok, _ := v.Exists(ctx, "kept"); !ok {
			t.Error("Delete removed another object")
		}
		if _, err := v.Put(ctx, "../escape", []byte("x")); !errors.Is(err, vault.ErrInvalidID) {
			t.Errorf("Put of a path: %v, want ErrInvalidID", err)
		}
	})
}

// Putting an id again replaces the object; only the newest key opens it.
func TestContractPutReplaces(t *testing.T) {
	contract(t, func(t *testing.T, v *vault.Vault, _ vault.Store) {
		ctx := t.Context()
		old, err := v.Put(ctx, "item-1", []byte("first"))
		if err != nil {
			t.Fatal(err)
		}
		key, err := v.Put(ctx, "item-1", []byte("second"))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := v.Get(ctx, "item-1", key); err != nil || string(got) != "second" {
			t.Errorf("Get = %q, %v; want second", got, err)
		}
		if _, err := v.Get(ctx, "item-1", old); err == nil {
			t.Error("the replaced object's key still opens the id")
		}
	})
}

func TestContractWalk(t *testing.T) {
	contract(t, func(t *testing.T, v *vault.Vault, _ vault.Store) {
		ctx := t.Context()
		put := []string{"zz-top", "a", "ab", "ab-1", "b2-grey", "q7-original"}
		var wg sync.WaitGroup
		errs := make(chan error, len(put))
		for _, id := range put {
			wg.Go(func() { _, err := v.Put(ctx, id, []byte(id)); errs <- err })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		if err := v.Walk(ctx, func(id string) error { got = append(got, id); return nil }); err != nil {
			t.Fatal(err)
		}
		if want := slices.Sorted(slices.Values(put)); !slices.Equal(got, want) {
			t.Errorf("Walk listed %q, want %q", got, want)
		}
		stop := errors.New("stop")
		var n int
		if err := v.Walk(ctx, func(string) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("Walk returned %v after %d calls, want the callback's error after 1", err, n)
		}
	})
}

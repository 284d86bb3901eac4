package vault_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/loupe-review/loupe/storage/vault"
)

// failingPuts is a store whose writes fail after the first n: a copy
// interrupted half-way.
type failingPuts struct {
	vault.Store
	n int
}

func (f *failingPuts) Put(ctx context.Context, id string, data []byte) error {
	if f.n == 0 {
		return errors.New("connection reset")
	}
	f.n--
	return f.Store.Put(ctx, id, data)
}

// Copy moves sealed objects to another store (a directory, or a bucket),
// where the same wrapped keys open them; it refuses a target that holds
// objects unless resuming, and a resumed copy keeps what was copied and
// replaces what differs.
func TestCopy(t *testing.T) {
	for _, s := range stores {
		t.Run("dir to "+s.name, func(t *testing.T) {
			ctx := t.Context()
			src, err := vault.OpenDir(filepath.Join(t.TempDir(), "media"))
			if err != nil {
				t.Fatal(err)
			}
			from, err := vault.New(src, contractKey, rand.NewChaCha8([32]byte{1}))
			if err != nil {
				t.Fatal(err)
			}
			keys := map[string][]byte{}
			for i := range 5 {
				id := fmt.Sprintf("m%d-original", i)
				if keys[id], err = from.Put(ctx, id, fmt.Appendf(nil, "image %d", i)); err != nil {
					t.Fatal(err)
				}
			}
			dst := s.open(t)

			rep, err := vault.Copy(ctx, src, &failingPuts{Store: dst, n: 2}, false, nil)
			if err == nil || rep.Copied != 2 {
				t.Fatalf("interrupted copy: %+v, %v; want 2 copied and the error", rep, err)
			}
			if _, err := vault.Copy(ctx, src, dst, false, nil); !errors.Is(err, vault.ErrNotEmpty) {
				t.Errorf("copy into a target holding objects: %v, want ErrNotEmpty", err)
			}
			raw, err := dst.Get(ctx, "m0-original")
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)-1] ^= 1
			if err := dst.Put(ctx, "m0-original", raw); err != nil {
				t.Fatal(err)
			}
			var calls int
			rep, err = vault.Copy(ctx, src, dst, true, func(vault.CopyReport) { calls++ })
			if err != nil || rep.Kept != 1 || rep.Copied != 4 || calls != 5 {
				t.Errorf("resumed copy: %+v, %v, %d progress calls; want 1 kept, 4 copied (one of them altered), 5 calls", rep, err, calls)
			}

			to, err := vault.New(dst, contractKey, rand.NewChaCha8([32]byte{2}))
			if err != nil {
				t.Fatal(err)
			}
			for id, key := range keys {
				want, _ := from.Get(ctx, id, key)
				if got, err := to.Get(ctx, id, key); err != nil || string(got) != string(want) {
					t.Errorf("%s in the target: %q, %v; want %q", id, got, err, want)
				}
			}
		})
	}
}

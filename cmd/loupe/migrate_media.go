package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/loupe-review/loupe/storage/vault"
)

// migrateMedia copies the media vault (DATA/media, or the bucket --media
// names) into a bucket, object by object, each checked by SHA-256 after
// reading it back. The objects stay sealed: the wrapped keys in the
// database open the copies.
func migrateMedia(ctx context.Context, e env, a *app, from location, to string, resume bool) error {
	dst, err := openMedia(ctx, location{Data: from.Data, Media: to}, e)
	if err != nil {
		return err
	}
	rep, err := vault.Copy(ctx, a.vault.Store(), dst, resume, func(r vault.CopyReport) {
		if n := r.Copied + r.Kept; n%1000 == 0 {
			fmt.Fprintf(e.stderr, "%d objects...\n", n)
		}
	})
	if errors.Is(err, vault.ErrNotEmpty) {
		return fmt.Errorf("refusing to copy: %w; to continue a copy that stopped, add --resume", err)
	}
	if err != nil {
		return fmt.Errorf("%w (%d objects copied so far; run again with --resume to continue)", err, rep.Copied+rep.Kept)
	}
	fmt.Fprintf(e.stdout, "copied %d objects (%.1f MiB) from %s to %s, %d already there; every copy read back and matched by SHA-256\n",
		rep.Copied, float64(rep.Bytes)/(1<<20), a.vault.Store(), dst, rep.Kept)
	return nil
}

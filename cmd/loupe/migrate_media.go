package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/loupe-review/loupe/storage/vault"
)

// cmdMigrateMedia copies the media vault (DATA/media, or the bucket
// --media names) into a bucket, object by object, each checked by SHA-256
// after reading it back. The objects stay sealed: the wrapped keys in the
// database open the copies.
func cmdMigrateMedia(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "migrate", "migrate --media-to s3://BUCKET/PREFIX [--resume] [--data DIR] [--media FROM]")
	c.registerData(fs, e)
	to := fs.String("media-to", "", "the bucket to copy the media vault into: s3://BUCKET/PREFIX, empty unless --resume")
	resume := fs.Bool("resume", false, "continue a copy that stopped: keep objects already copied intact, copy the rest")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if !strings.HasPrefix(*to, "s3://") {
		return fmt.Errorf("%w: give --media-to s3://BUCKET/PREFIX", errUsage)
	}
	if *to == c.Media {
		return fmt.Errorf("%w: --media-to names where the media already is", errUsage)
	}
	a, err := openApp(ctx, c.location, e)
	if err != nil {
		return err
	}
	defer a.Close()
	dst, err := openMedia(ctx, location{Data: c.Data, Media: *to}, e)
	if err != nil {
		return err
	}
	rep, err := vault.Copy(ctx, a.vault.Store(), dst, *resume, func(r vault.CopyReport) {
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
	fmt.Fprintf(e.stdout, "With Loupe stopped, run this again with --resume for objects stored meanwhile, then `loupe doctor --media %s` and start Loupe with --media %s.\n", *to, *to)
	return nil
}

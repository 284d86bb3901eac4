package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage"
)

// cmdMigrate moves a deployment: its SQLite database into PostgreSQL
// (--to), its media vault into a bucket (--media-to), or both.
func cmdMigrate(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "migrate", "migrate [--to postgres://...] [--media-to s3://BUCKET/PREFIX] [--resume] [--data DIR] [--media FROM]")
	c.registerData(fs, e)
	to := fs.String("to", "", "the empty PostgreSQL database to copy the SQLite database into: postgres://user@host/db")
	mediaTo := fs.String("media-to", "", "the bucket to copy the media vault into: s3://BUCKET/PREFIX, empty unless --resume")
	resume := fs.Bool("resume", false, "continue a copy that stopped: keep what was copied, copy the rest, verify all")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if err := checkMigrateFlags(c.location, *to, *mediaTo); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if *to != "" {
		if err := migrateDatabase(ctx, e, c.location, *to, *resume); err != nil {
			return err
		}
	}
	if *mediaTo != "" {
		if err := migrateMedia(ctx, e, a, c.location, *mediaTo, *resume); err != nil {
			return err
		}
	}
	next := location{Data: c.Data, Database: *to, Media: *mediaTo}
	if next.Media == "" {
		next.Media = c.Media
	}
	if next.Database == "" {
		next.Database = c.Database
	}
	fmt.Fprintf(e.stdout, "Next: with Loupe stopped, run this again with --resume for anything stored meanwhile, then `loupe doctor%s` and start Loupe with the same flags (keep %s: its master key opens the media and keys the audit chain).\n",
		locationFlags(next), filepath.Join(c.Data, "master.key"))
	return nil
}

func checkMigrateFlags(from location, to, mediaTo string) error {
	switch {
	case to == "" && mediaTo == "":
		return fmt.Errorf("%w: give --to postgres://... (the database), --media-to s3://BUCKET/PREFIX (the media), or both", errUsage)
	case to != "" && !storage.IsPostgres(to):
		return fmt.Errorf("%w: --to takes a postgres:// URL", errUsage)
	case to != "" && from.Database != "":
		return fmt.Errorf("%w: --to copies the SQLite database in --data; this deployment is already on PostgreSQL", errUsage)
	case mediaTo != "" && !strings.HasPrefix(mediaTo, "s3://"):
		return fmt.Errorf("%w: give --media-to s3://BUCKET/PREFIX", errUsage)
	case mediaTo != "" && mediaTo == from.Media:
		return fmt.Errorf("%w: --media-to names where the media already is", errUsage)
	}
	return nil
}

// migrateDatabase migrates the PostgreSQL database at to (opening it
// with the deployment's master key, so the audit chain keeps its key),
// copies the SQLite database into it with checksums, and verifies the
// audit chain there.
func migrateDatabase(ctx context.Context, e env, from location, to string, resume bool) error {
	dst, err := openApp(ctx, location{Data: from.Data, Media: from.Media, Database: to}, e)
	if err != nil {
		return err
	}
	defer dst.Close()
	fmt.Fprintf(e.stdout, "copying %s into %s (row count and checksum per table):\n", filepath.Join(from.Data, "loupe.db"), storage.Redact(to))
	n, err := copyDatabase(ctx, filepath.Join(from.Data, "loupe.db"), to, copyOptions{Resume: resume, Out: e.stdout})
	if errors.Is(err, errTargetNotEmpty) {
		return fmt.Errorf("refusing to copy: %w; to continue a copy that stopped, add --resume", err)
	}
	if err != nil {
		return fmt.Errorf("%w (%d rows copied in this run; run again with --resume to continue)", err, n)
	}
	head, err := dst.db.VerifyAudit(ctx, review.ChainHead{})
	if err != nil {
		return fmt.Errorf("the copied audit chain does not verify: %w", err)
	}
	fmt.Fprintf(e.stdout, "copied %d rows; every table's checksum matches; audit chain of %d entries verifies on the target\n", n, head.ID)
	return nil
}

// locationFlags spells a location's database and media as flags.
func locationFlags(l location) string {
	s := " --data " + l.Data
	if l.Database != "" {
		s += " --database " + storage.Redact(l.Database)
	}
	if l.Media != "" {
		s += " --media " + l.Media
	}
	return s
}

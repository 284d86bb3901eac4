package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/loupe-review/loupe/storage"
)

// manifestName lists every file of a backup with its SHA-256.
const manifestName = "MANIFEST.sha256"

func cmdBackup(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "backup", "backup DEST [--include-keys]")
	c.registerData(fs, e)
	includeKeys := fs.Bool("include-keys", false, "also copy master.key into the backup (then guard the backup like the key itself)")
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: give the backup directory", errUsage)
	}
	dest := args[0]
	if c.Database != "" {
		return storage.ErrBackupElsewhere
	}
	if err := emptyDir(dest); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := privateDir(dest, e.stderr); err != nil {
		return err
	}
	// The database first: media files are only ever added before the rows
	// that name them commit, so every object the snapshot names is on disk.
	if err := a.db.BackupTo(ctx, filepath.Join(dest, "loupe.db")); err != nil {
		return err
	}
	if err := privateFiles(filepath.Join(dest, "loupe.db")); err != nil {
		return err
	}
	if c.Media == "" {
		if err := copyTree(filepath.Join(c.Data, "media"), filepath.Join(dest, "media")); err != nil {
			return err
		}
	} else {
		// Objects in a bucket are backed up by the bucket's versioning.
		fmt.Fprintf(e.stdout, "Media is in %s, not in this backup: keep versioning on for that bucket (see the README).\n", c.Media)
	}
	if *includeKeys {
		if err := copyFile(filepath.Join(c.Data, "master.key"), filepath.Join(dest, "master.key")); err != nil {
			return fmt.Errorf("copy master key: %w", err)
		}
	}
	n, err := writeManifest(dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s: %d files, checksums in %s\n", c.Data, dest, n, manifestName)
	if !*includeKeys {
		fmt.Fprintln(e.stdout, "The master key is NOT in the backup: media cannot be read without it. Keep master.key (or LOUPE_MASTER_KEY) safe, separately.")
	}
	return nil
}

func cmdRestore(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "restore", "restore SRC --data DIR")
	c.registerData(fs, e)
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: give the backup directory", errUsage)
	}
	src := args[0]
	if c.Database != "" {
		return storage.ErrBackupElsewhere
	}
	if err := emptyDir(c.Data); err != nil {
		return fmt.Errorf("refusing to restore: %w", err)
	}
	if err := verifyManifest(src); err != nil {
		return fmt.Errorf("refusing to restore: %w", err)
	}
	if err := privateDir(c.Data, e.stderr); err != nil {
		return err
	}
	if err := copyTree(src, c.Data); err != nil {
		return err
	}
	os.Remove(filepath.Join(c.Data, manifestName))
	fmt.Fprintf(e.stdout, "restored %s into %s; every checksum matched\n", src, c.Data)
	if _, err := os.Stat(filepath.Join(c.Data, "master.key")); err != nil && e.getenv("LOUPE_MASTER_KEY") == "" {
		fmt.Fprintln(e.stdout, "Now put the master key in place (master.key, mode 0600, or LOUPE_MASTER_KEY) and run `loupe doctor`.")
	}
	return nil
}

// emptyDir succeeds when dir does not exist or holds nothing.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		if strings.HasSuffix(d.Name(), ".tmp") {
			return nil // an unfinished write
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeManifest records "sha256  path" for every file under dir.
func writeManifest(dir string) (int, error) {
	sums, err := checksums(dir)
	if err != nil {
		return 0, err
	}
	var b strings.Builder
	for _, p := range sortedKeys(sums) {
		fmt.Fprintf(&b, "%s  %s\n", sums[p], p)
	}
	return len(sums), os.WriteFile(filepath.Join(dir, manifestName), []byte(b.String()), 0o600)
}

// verifyManifest checks that every listed file is present and unchanged,
// and that nothing unlisted was added.
func verifyManifest(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return fmt.Errorf("no readable %s in %s: %w", manifestName, dir, err)
	}
	sums, err := checksums(dir)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		want, path, ok := strings.Cut(line, "  ")
		if !ok {
			return fmt.Errorf("malformed manifest line %q", line)
		}
		listed[path] = true
		if got, ok := sums[path]; !ok {
			return fmt.Errorf("%s is missing from the backup", path)
		} else if got != want {
			return fmt.Errorf("%s does not match its checksum: the backup is damaged", path)
		}
	}
	for path := range sums {
		if !listed[path] {
			return fmt.Errorf("%s is in the backup but not in its manifest", path)
		}
	}
	return nil
}

func checksums(dir string) (map[string]string, error) {
	sums := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == manifestName {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sums[filepath.ToSlash(rel)] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return sums, err
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataStaysPrivate: a data directory made 0755 by hand is tightened to
// 0700 with a warning; the database, its -wal and -shm, media and backups
// are readable by Loupe's user alone, including -wal and -shm files an
// older version left 0644.
func TestDataStaysPrivate(t *testing.T) {
	ctx := context.Background()
	data, backup := t.TempDir(), t.TempDir()
	for _, d := range []string{data, backup} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errOut := loupe(t, data, "", "token", "add", "--name", "t", "--source", "photos")
	if code != 0 || !strings.Contains(errOut, "0755") || !strings.Contains(errOut, "0700") {
		t.Fatalf("token add in a 0755 directory: exit %d, stderr %q", code, errOut)
	}
	assertPrivate(t, data)
	// Whatever else the process creates (SQLite's temporary files) is private too.
	f, err := os.Create(filepath.Join(backup, "probe"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if info, _ := os.Stat(f.Name()); info.Mode().Perm() != 0o600 {
		t.Errorf("a file created with 0666 after start is %v; the umask is not 077", info.Mode().Perm())
	}
	os.Remove(f.Name())

	// An open database has its -wal and -shm; a second opening tightens
	// ones left loose.
	a, err := openApp(ctx, data, "", env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.db.EnsureSource(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"loupe.db-wal", "loupe.db-shm"} {
		if err := os.Chmod(filepath.Join(data, f), 0o644); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	b, err := openApp(ctx, data, "", env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	assertPrivate(t, data)

	if code, _, errOut := loupe(t, data, "", "backup", backup); code != 0 {
		t.Fatalf("backup: %d %q", code, errOut)
	}
	assertPrivate(t, backup)
}

// assertPrivate checks that dir and everything in it is reachable by its
// owner alone.
func assertPrivate(t *testing.T, dir string) {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v", path, info.Mode().Perm())
		}
		n++
		return nil
	})
	if n < 3 {
		t.Errorf("only %d entries under %s", n, dir)
	}
}

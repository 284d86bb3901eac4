package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/storage/vault/s3/s3test"
)

func TestMigrateMediaUsage(t *testing.T) {
	for _, args := range [][]string{
		{"migrate"},
		{"migrate", "--media-to", "/var/lib/loupe/media"},
		{"migrate", "--media-to", "s3://Bad_Name/x"},
	} {
		if code, _, stderr := loupe(t, t.TempDir(), "", args...); code != 2 || !strings.Contains(stderr, "--media") {
			t.Errorf("%q: exit %d %q, want 2 naming the flag", args, code, stderr)
		}
	}
}

// A populated local vault moves to a bucket where doctor finds every
// object and decrypts it; a second copy is refused, a resumed one finds
// everything already there.
func TestMigrateMediaToBucket(t *testing.T) {
	loc := s3test.Bucket(t)
	ctx := context.Background()
	data := t.TempDir()
	a, err := openApp(ctx, location{Data: data}, env{stderr: io.Discard, getenv: s3test.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seedDemo(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := seedDemoItems(ctx, a, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	a.Close()
	cmd := func(run func(context.Context, env) error, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, env{stdout: &out, stderr: io.Discard, getenv: s3test.Getenv, args: append(args, "--data", data)})
		return out.String(), err
	}
	out, err := cmd(cmdMigrate, "--media-to", loc.String())
	if err != nil || !strings.Contains(out, "copied ") || !strings.Contains(out, ", 0 already there") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := cmd(cmdDoctor, "--media", loc.String()); err != nil || !strings.Contains(out, "is healthy") {
		t.Errorf("doctor on the bucket: %v\n%s", err, out)
	}
	if _, err := cmd(cmdMigrate, "--media-to", loc.String()); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("second migrate into the same bucket: %v, want a refusal pointing at --resume", err)
	}
	out, err = cmd(cmdMigrate, "--media-to", loc.String(), "--resume")
	if err != nil || !strings.Contains(out, "copied 0 objects") {
		t.Errorf("resumed migrate of a finished copy: %v\n%s", err, out)
	}
	// A backup of a deployment whose media is in a bucket holds the
	// database, and says where the media is.
	dest := filepath.Join(t.TempDir(), "backup")
	out, err = cmd(cmdBackup, dest, "--media", loc.String())
	if err != nil || !strings.Contains(out, loc.String()+", not in this backup") {
		t.Errorf("backup: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dest, "media")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the backup has a media directory: %v", err)
	}
}

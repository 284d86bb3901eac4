package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"os"

	"github.com/loupe-review/loupe/review/pdq"
)

// cmdHash prints "pdq quality md5 sha256 path" per file, tab-separated.
// An unreadable file is reported after the others are hashed.
func cmdHash(ctx context.Context, e env) error {
	fs := newFlags(e, "hash", "hash FILE...")
	files, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: give one or more image files", errUsage)
	}
	failed := 0
	for _, path := range files {
		line, err := hashFile(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "loupe hash: %s: %v\n", path, err)
			failed++
			continue
		}
		fmt.Fprintln(e.stdout, line)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be hashed", failed, len(files))
	}
	return nil
}

func hashFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	r, err := pdq.FromReader(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("not a decodable JPEG, PNG, GIF or WebP image")
	}
	return fmt.Sprintf("%s\t%d\t%x\t%x\t%s", r.Hash, r.Quality, md5.Sum(b), sha256.Sum256(b), path), nil
}

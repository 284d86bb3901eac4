package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Walk lists the shard directories in order, skipping temporary files and
// anything else that is not an object.
func (d *Dir) Walk(ctx context.Context, fn func(id string) error) error {
	shards, err := os.ReadDir(d.dir)
	if err != nil {
		return fmt.Errorf("vault: walk: %w", err)
	}
	for _, s := range shards {
		if !s.IsDir() || !idPattern.MatchString(s.Name()) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, err := os.ReadDir(filepath.Join(d.dir, s.Name()))
		if err != nil {
			return fmt.Errorf("vault: walk: %w", err)
		}
		for _, e := range entries {
			id := e.Name()
			if !e.Type().IsRegular() || !idPattern.MatchString(id) || shard(id) != s.Name() {
				continue
			}
			if err := fn(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// CleanTemp removes temporary files left by writes that a crash
// interrupted, and returns how many it removed. It removes only files last
// modified before cutoff (at startup, pass the current time), and never one
// this vault is writing at the moment, so it is safe to call while serving.
func (d *Dir) CleanTemp(cutoff time.Time) (removed int, err error) {
	shards, err := os.ReadDir(d.dir)
	if err != nil {
		return 0, fmt.Errorf("vault: clean temp: %w", err)
	}
	for _, s := range shards {
		if !s.IsDir() || !idPattern.MatchString(s.Name()) {
			continue
		}
		dir := filepath.Join(d.dir, s.Name())
		entries, err := os.ReadDir(dir)
		if err != nil {
			return removed, fmt.Errorf("vault: clean temp: %w", err)
		}
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			if !strings.HasPrefix(e.Name(), tempPrefix) || !e.Type().IsRegular() || d.isWriting(path) {
				continue
			}
			if info, err := e.Info(); err != nil || !info.ModTime().Before(cutoff) {
				continue // renamed since the listing, or too recent
			}
			err := os.Remove(path)
			if errors.Is(err, fs.ErrNotExist) {
				continue // renamed since the listing
			}
			if err != nil {
				return removed, fmt.Errorf("vault: clean temp: %w", err)
			}
			removed++
		}
	}
	return removed, nil
}

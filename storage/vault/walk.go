package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Walk calls fn with the id of every stored object, in lexical order,
// stopping at the first error fn returns. It skips temporary files and
// anything else that is not an object, so it can drive consistency checks
// and orphan cleanup.
func (v *Vault) Walk(fn func(id string) error) error {
	shards, err := os.ReadDir(v.dir)
	if err != nil {
		return fmt.Errorf("vault: walk: %w", err)
	}
	for _, s := range shards {
		if !s.IsDir() || !idPattern.MatchString(s.Name()) {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(v.dir, s.Name()))
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
func (v *Vault) CleanTemp(cutoff time.Time) (removed int, err error) {
	shards, err := os.ReadDir(v.dir)
	if err != nil {
		return 0, fmt.Errorf("vault: clean temp: %w", err)
	}
	for _, s := range shards {
		if !s.IsDir() || !idPattern.MatchString(s.Name()) {
			continue
		}
		dir := filepath.Join(v.dir, s.Name())
		entries, err := os.ReadDir(dir)
		if err != nil {
			return removed, fmt.Errorf("vault: clean temp: %w", err)
		}
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			if !strings.HasPrefix(e.Name(), tempPrefix) || !e.Type().IsRegular() || v.isWriting(path) {
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

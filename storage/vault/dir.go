package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Dir is a Store keeping each object as a file under a local directory,
// sharded by the id's first two characters. It is safe for concurrent use
// by one process; two processes must not share a directory.
type Dir struct {
	dir string

	mu      sync.Mutex // guards the fields below
	writing map[string]bool
	shards  map[string]*shardDir // by path
}

// OpenDir returns a store under dir, creating it (mode 0700) if needed.
func OpenDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	return &Dir{dir: dir, writing: map[string]bool{}, shards: map[string]*shardDir{}}, nil
}

func (d *Dir) String() string { return d.dir }

// Put writes the file durably: see writeDurably.
func (d *Dir) Put(_ context.Context, id string, data []byte) error {
	path, err := d.path(id)
	if err != nil {
		return err
	}
	return d.writeDurably(path, data)
}

func (d *Dir) Get(_ context.Context, id string) ([]byte, error) {
	path, err := d.path(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrMissing, err)
	}
	return b, err
}

func (d *Dir) Exists(_ context.Context, id string) (bool, error) {
	path, err := d.path(id)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Delete removes the file and syncs its directory, so the removal survives
// a crash.
func (d *Dir) Delete(_ context.Context, id string) error {
	path, err := d.path(id)
	if err != nil {
		return err
	}
	err = os.Remove(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// Ping checks that the directory is still there.
func (d *Dir) Ping(context.Context) error {
	info, err := os.Stat(d.dir)
	if err == nil && !info.IsDir() {
		err = fmt.Errorf("%s is not a directory", d.dir)
	}
	return err
}

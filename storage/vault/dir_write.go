package vault

import (
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// tempPrefix starts the name of every file being written. Ids cannot start
// with a dot, so a temporary file is never mistaken for an object.
const tempPrefix = ".tmp-"

// writeDurably writes data to a temporary file beside path, syncs it,
// renames it into place and syncs the directory: readers see the old file
// or the whole new one, never a torn write, and the rename survives a crash.
func (d *Dir) writeDurably(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := d.makeShard(dir); err != nil {
		return err
	}
	tmp := d.startTemp(dir)
	defer d.endTemp(tmp)
	f, err := d.createTemp(dir, tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// shardDir records whether a shard directory is known to exist durably.
type shardDir struct {
	mu      sync.Mutex // held while the directory is made durable
	durable bool
}

// makeShard creates the shard directory dir if it does not exist, and makes
// its entry in the vault directory durable.
//
// Shards are never removed, so each is made once and then remembered: a
// mkdir on every write took a lock on the vault directory that all
// concurrent writes contended for (a few percent of ingest CPU). The
// shard's lock is held until its entry is synced, so no write into a new
// shard is acknowledged before the shard itself is durable, while writes
// into other shards go on.
func (d *Dir) makeShard(dir string) error {
	s := d.shard(dir)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.durable {
		return nil
	}
	if err := os.Mkdir(dir, 0o700); err == nil {
		if err := syncDir(d.dir); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.durable = true
	return nil
}

func (d *Dir) shard(dir string) *shardDir {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.shards[dir]
	if s == nil {
		s = new(shardDir)
		d.shards[dir] = s
	}
	return s
}

// createTemp creates the temporary file tmp in the shard dir. Should the
// shard have been removed behind the vault's back, it is made again.
func (d *Dir) createTemp(dir, tmp string) (*os.File, error) {
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	s := d.shard(dir)
	s.mu.Lock()
	s.durable = false
	s.mu.Unlock()
	if err := d.makeShard(dir); err != nil {
		return nil, err
	}
	return os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// startTemp picks a temporary file name in dir and records it as being
// written, so that CleanTemp leaves it alone.
func (d *Dir) startTemp(dir string) string {
	name := filepath.Join(dir, tempPrefix+rand.Text())
	d.mu.Lock()
	defer d.mu.Unlock()
	d.writing[name] = true
	return name
}

func (d *Dir) endTemp(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.writing, name)
}

func (d *Dir) isWriting(name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.writing[name]
}

// syncDir flushes a directory's entries (creations, renames, removals).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

package vault

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// tempPrefix starts the name of every file being written. Ids cannot start
// with a dot, so a temporary file is never mistaken for an object.
const tempPrefix = ".tmp-"

// Put encrypts plain under a fresh data key and stores it as id, replacing
// any previous object of that id. It returns the wrapped data key, which the
// caller must store: it is the only way to read the object back.
//
// Put returns only once the file and its directory entry are on stable
// storage, so an upload acknowledged after Put survives a crash.
func (v *Vault) Put(id string, plain []byte) (wrappedKey []byte, err error) {
	path, err := v.path(id)
	if err != nil {
		return nil, fmt.Errorf("vault: put: %w", err)
	}
	sealed, wrappedKey, err := v.SealObject(id, plain)
	if err != nil {
		return nil, err
	}
	if err := v.writeDurably(path, sealed); err != nil {
		return nil, fmt.Errorf("vault: put %s: %w", id, err)
	}
	return wrappedKey, nil
}

// SealObject encrypts plain for id exactly as Put does, under a fresh data
// key, but returns the sealed bytes instead of writing a file, for the
// caller to keep elsewhere (small renditions live in the database). Only
// OpenObject with the returned wrapped key reads them back.
func (v *Vault) SealObject(id string, plain []byte) (sealed, wrappedKey []byte, err error) {
	random := make([]byte, KeySize+2*nonceSize)
	if err := v.readRandom(random); err != nil {
		return nil, nil, err
	}
	dataKey, fileNonce, wrapNonce := random[:KeySize], random[KeySize:KeySize+nonceSize], random[KeySize+nonceSize:]
	sealed, err = seal(id, dataKey, fileNonce, plain)
	if err != nil {
		return nil, nil, fmt.Errorf("vault: seal %s: %w", id, err)
	}
	return sealed, v.wrap.wrap(id, dataKey, wrapNonce), nil
}

// writeDurably writes data to a temporary file beside path, syncs it,
// renames it into place and syncs the directory: readers see the old file
// or the whole new one, never a torn write, and the rename survives a crash.
func (v *Vault) writeDurably(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := v.makeShard(dir); err != nil {
		return err
	}
	tmp, err := v.startTemp(dir)
	if err != nil {
		return err
	}
	defer v.endTemp(tmp)
	f, err := v.createTemp(dir, tmp)
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
func (v *Vault) makeShard(dir string) error {
	s := v.shard(dir)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.durable {
		return nil
	}
	if err := os.Mkdir(dir, 0o700); err == nil {
		if err := syncDir(v.dir); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.durable = true
	return nil
}

func (v *Vault) shard(dir string) *shardDir {
	v.mu.Lock()
	defer v.mu.Unlock()
	s := v.shards[dir]
	if s == nil {
		s = new(shardDir)
		v.shards[dir] = s
	}
	return s
}

// createTemp creates the temporary file tmp in the shard dir. Should the
// shard have been removed behind the vault's back, it is made again.
func (v *Vault) createTemp(dir, tmp string) (*os.File, error) {
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	s := v.shard(dir)
	s.mu.Lock()
	s.durable = false
	s.mu.Unlock()
	if err := v.makeShard(dir); err != nil {
		return nil, err
	}
	return os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// startTemp picks a temporary file name in dir and records it as being
// written, so that CleanTemp leaves it alone.
func (v *Vault) startTemp(dir string) (string, error) {
	var b [8]byte
	if err := v.readRandom(b[:]); err != nil {
		return "", err
	}
	name := filepath.Join(dir, tempPrefix+hex.EncodeToString(b[:]))
	v.mu.Lock()
	defer v.mu.Unlock()
	v.writing[name] = true
	return name, nil
}

func (v *Vault) endTemp(name string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.writing, name)
}

func (v *Vault) isWriting(name string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.writing[name]
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

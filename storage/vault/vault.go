// Package vault keeps uploaded media encrypted at rest, one file per object.
//
// Envelope encryption: each object is sealed with AES-256-GCM under its own
// random data key, and that key is wrapped (AES-256-GCM again) by the master
// key. The wrapped key is returned to the caller, who stores it in the
// database next to the media row; the vault itself never stores it. Deleting
// the wrapped key is crypto-shredding: without it the file on disk is noise,
// even to someone holding the master key, backups included.
package vault

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// KeySize is the size of the master key and of every data key: AES-256.
const KeySize = 32

// Vault stores encrypted objects under a directory. It is safe for
// concurrent use by one process; two processes must not share a directory.
type Vault struct {
	dir  string
	wrap keyWrapper

	mu      sync.Mutex // guards the fields below
	random  io.Reader  // need not be safe for concurrent use
	writing map[string]bool
	shards  map[string]*shardDir // by path
}

// Open returns a vault storing files under dir, creating it (mode 0700) if
// needed. random supplies data keys and nonces: crypto/rand.Reader in
// production, a seeded reader in tests.
func Open(dir string, masterKey []byte, random io.Reader) (*Vault, error) {
	if random == nil {
		return nil, errors.New("vault: open: no source of randomness")
	}
	w, err := newKeyWrapper(masterKey)
	if err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	return &Vault{dir: dir, wrap: w, random: random, writing: map[string]bool{}, shards: map[string]*shardDir{}}, nil
}

// readRandom fills b from the vault's source of randomness.
func (v *Vault) readRandom(b []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, err := io.ReadFull(v.random, b); err != nil {
		return fmt.Errorf("vault: read random: %w", err)
	}
	return nil
}

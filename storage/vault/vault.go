// Package vault keeps uploaded media encrypted at rest, one object per
// file in a local directory (Dir) or per key in an S3 bucket (package s3).
//
// Envelope encryption: each object is sealed with AES-256-GCM under its own
// random data key, and that key is wrapped (AES-256-GCM again) by the master
// key. The wrapped key is returned to the caller, who stores it in the
// database next to the media row; the vault itself never stores it. Objects
// are sealed before any byte reaches a Store, so a directory or bucket holds
// ciphertext only. Deleting the wrapped key is crypto-shredding: without it
// the stored object is noise, even to someone holding the master key,
// backups and bucket versions included.
package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// KeySize is the size of the master key and of every data key: AES-256.
const KeySize = 32

// Vault seals objects and keeps them in a Store. It is safe for concurrent
// use.
type Vault struct {
	store Store
	wrap  keyWrapper

	mu     sync.Mutex // guards random
	random io.Reader  // need not be safe for concurrent use
}

// New returns a vault keeping its objects in store. random supplies data
// keys and nonces: crypto/rand.Reader in production, a seeded reader in
// tests.
func New(store Store, masterKey []byte, random io.Reader) (*Vault, error) {
	if random == nil {
		return nil, errors.New("vault: open: no source of randomness")
	}
	if store == nil {
		return nil, errors.New("vault: open: no store")
	}
	w, err := newKeyWrapper(masterKey)
	if err != nil {
		return nil, fmt.Errorf("vault: open: %w", err)
	}
	return &Vault{store: store, wrap: w, random: random}, nil
}

// Open returns a vault storing files under dir (see OpenDir).
func Open(dir string, masterKey []byte, random io.Reader) (*Vault, error) {
	d, err := OpenDir(dir)
	if err != nil {
		return nil, err
	}
	return New(d, masterKey, random)
}

// Store returns where the vault keeps its objects.
func (v *Vault) Store() Store { return v.store }

// Ping reports whether the vault's store answers.
func (v *Vault) Ping(ctx context.Context) error {
	if err := v.store.Ping(ctx); err != nil {
		return fmt.Errorf("vault: ping %s: %w", v.store, err)
	}
	return nil
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

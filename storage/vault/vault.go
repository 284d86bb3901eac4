// Package vault keeps media encrypted at rest. Each object is sealed with
// AES-256-GCM under its own random data key; the data key is wrapped by the
// master key and handed back to the caller, who stores it in the database.
// Deleting the wrapped key (crypto-shredding) makes the object unreadable
// even if its file survives in a backup.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	// ErrCorrupt: the object failed authentication (tampered, swapped, or wrong key).
	ErrCorrupt = errors.New("vault: object is corrupt or does not match its key")
	// ErrMissing: no object with that id is stored.
	ErrMissing = errors.New("vault: object is missing")
)

// idPattern keeps file names to ids Loupe made; user input never names a file.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{2,100}$`)

const (
	magic     = "LPV1"
	tmpSuffix = ".tmp"
)

// Vault stores encrypted objects in a directory.
type Vault struct {
	dir    string
	master cipher.AEAD
	random io.Reader
}

// Open prepares dir (mode 0700) for objects sealed under masterKey.
func Open(dir string, masterKey []byte, random io.Reader) (*Vault, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("vault: create %s: %w", dir, err)
	}
	aead, err := newGCM(masterKey)
	if err != nil {
		return nil, fmt.Errorf("vault: master key: %w", err)
	}
	return &Vault{dir: dir, master: aead, random: random}, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("key must be 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (v *Vault) path(id string) (string, error) {
	if !idPattern.MatchString(id) {
		return "", fmt.Errorf("vault: %q is not a valid object id", id)
	}
	return filepath.Join(v.dir, id[:2], id), nil
}

// seal encrypts plain under key with a fresh nonce; aad binds it to a name.
func seal(aead cipher.AEAD, random io.Reader, plain, aad []byte) ([]byte, error) {
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := io.ReadFull(random, nonce); err != nil {
		return nil, fmt.Errorf("vault: nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, plain, aad), nil
}

func open(aead cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < aead.NonceSize() {
		return nil, ErrCorrupt
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], aad)
	if err != nil {
		return nil, ErrCorrupt
	}
	return plain, nil
}

// Put encrypts plain under a new data key and writes it durably: temporary
// file, fsync, rename, fsync of the directory. Only then does it return the
// wrapped data key.
func (v *Vault) Put(id string, plain []byte) ([]byte, error) {
	path, err := v.path(id)
	if err != nil {
		return nil, err
	}
	dataKey := make([]byte, 32)
	if _, err := io.ReadFull(v.random, dataKey); err != nil {
		return nil, fmt.Errorf("vault: data key: %w", err)
	}
	aead, err := newGCM(dataKey)
	if err != nil {
		return nil, err
	}
	body, err := seal(aead, v.random, plain, []byte(id))
	if err != nil {
		return nil, err
	}
	wrapped, err := seal(v.master, v.random, dataKey, []byte("key:"+id))
	if err != nil {
		return nil, err
	}
	if err := writeDurably(path, append([]byte(magic), body...)); err != nil {
		return nil, fmt.Errorf("vault: write %s: %w", id, err)
	}
	return wrapped, nil
}

func writeDurably(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".*"+tmpSuffix)
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Get decrypts an object with its wrapped key.
func (v *Vault) Get(id string, wrappedKey []byte) ([]byte, error) {
	path, err := v.path(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrMissing, id)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: read %s: %w", id, err)
	}
	if !strings.HasPrefix(string(b[:min(len(b), len(magic))]), magic) {
		return nil, fmt.Errorf("%w: %s has no vault header", ErrCorrupt, id)
	}
	dataKey, err := open(v.master, wrappedKey, []byte("key:"+id))
	if err != nil {
		return nil, fmt.Errorf("%w: key of %s", ErrCorrupt, id)
	}
	aead, err := newGCM(dataKey)
	if err != nil {
		return nil, err
	}
	plain, err := open(aead, b[len(magic):], []byte(id))
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrCorrupt, id)
	}
	return plain, nil
}

// Delete removes an object's file; a missing file is not an error.
func (v *Vault) Delete(id string) error {
	path, err := v.path(id)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("vault: delete %s: %w", id, err)
	}
	return nil
}

// Walk calls fn with the id of every stored object, skipping temporary files.
func (v *Vault) Walk(fn func(id string) error) error {
	return filepath.WalkDir(v.dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(d.Name(), tmpSuffix) {
			return err
		}
		return fn(d.Name())
	})
}

// CleanTemp removes temporary files left by a crash during Put.
func (v *Vault) CleanTemp() (int, error) {
	n := 0
	err := filepath.WalkDir(v.dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(d.Name(), tmpSuffix) {
			n++
			return os.Remove(path)
		}
		return err
	})
	return n, err
}

// Seal encrypts a small secret (such as a callback signing secret) under
// the master key, bound to name.
func (v *Vault) Seal(name string, plain []byte) ([]byte, error) {
	return seal(v.master, v.random, plain, []byte("secret:"+name))
}

// Open decrypts what Seal sealed under the same name.
func (v *Vault) Open(name string, sealed []byte) ([]byte, error) {
	return open(v.master, sealed, []byte("secret:"+name))
}

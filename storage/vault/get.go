package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Get decrypts the object stored as id with its wrapped key. It returns
// ErrMissing if there is no such object and ErrCorrupt if the file or the
// key fails authentication.
func (v *Vault) Get(id string, wrappedKey []byte) ([]byte, error) {
	path, err := v.path(id)
	if err != nil {
		return nil, fmt.Errorf("vault: get: %w", err)
	}
	file, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("vault: get %s: %w: %w", id, ErrMissing, err)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: get %s: %w", id, err)
	}
	return v.OpenObject(id, file, wrappedKey)
}

// OpenObject decrypts what SealObject (or Put, as a file) sealed for id. It
// returns ErrCorrupt if the sealed bytes or the key fail authentication.
func (v *Vault) OpenObject(id string, sealed, wrappedKey []byte) ([]byte, error) {
	dataKey, err := v.wrap.unwrap(id, wrappedKey)
	if err != nil {
		return nil, fmt.Errorf("vault: open %s: unwrap key: %w", id, ErrCorrupt)
	}
	plain, err := open(id, dataKey, sealed)
	if err != nil {
		return nil, fmt.Errorf("vault: open %s: %w", id, ErrCorrupt)
	}
	return plain, nil
}

// Exists reports whether an object is stored as id.
func (v *Vault) Exists(id string) (bool, error) {
	path, err := v.path(id)
	if err != nil {
		return false, fmt.Errorf("vault: exists: %w", err)
	}
	_, err = os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("vault: exists %s: %w", id, err)
	}
	return true, nil
}

// Delete removes the object stored as id; a missing object is not an
// error, so deletion can be retried.
func (v *Vault) Delete(id string) error {
	path, err := v.path(id)
	if err != nil {
		return fmt.Errorf("vault: delete: %w", err)
	}
	err = os.Remove(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("vault: delete %s: %w", id, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("vault: delete %s: %w", id, err)
	}
	return nil
}

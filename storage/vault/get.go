package vault

import (
	"context"
	"fmt"
)

// Get decrypts the object stored as id with its wrapped key. It returns
// ErrMissing if there is no such object and ErrCorrupt if the stored bytes
// or the key fail authentication.
func (v *Vault) Get(ctx context.Context, id string, wrappedKey []byte) ([]byte, error) {
	if err := CheckID(id); err != nil {
		return nil, fmt.Errorf("vault: get: %w", err)
	}
	sealed, err := v.store.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("vault: get %s: %w", id, err)
	}
	return v.OpenObject(id, sealed, wrappedKey)
}

// OpenObject decrypts what SealObject (or Put) sealed for id. It returns
// ErrCorrupt if the sealed bytes or the key fail authentication.
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
func (v *Vault) Exists(ctx context.Context, id string) (bool, error) {
	if err := CheckID(id); err != nil {
		return false, fmt.Errorf("vault: exists: %w", err)
	}
	ok, err := v.store.Exists(ctx, id)
	if err != nil {
		return false, fmt.Errorf("vault: exists %s: %w", id, err)
	}
	return ok, nil
}

// Delete removes the object stored as id; a missing object is not an
// error, so deletion can be retried.
func (v *Vault) Delete(ctx context.Context, id string) error {
	if err := CheckID(id); err != nil {
		return fmt.Errorf("vault: delete: %w", err)
	}
	if err := v.store.Delete(ctx, id); err != nil {
		return fmt.Errorf("vault: delete %s: %w", id, err)
	}
	return nil
}

// Walk calls fn with the id of every stored object, in lexical order,
// stopping at the first error fn returns. It skips anything that is not
// an object, so it can drive consistency checks, orphan cleanup and
// copies to another store.
func (v *Vault) Walk(ctx context.Context, fn func(id string) error) error {
	return v.store.Walk(ctx, fn)
}

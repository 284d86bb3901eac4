package vault

import (
	"context"
	"fmt"
)

// Put encrypts plain under a fresh data key and stores it as id, replacing
// any previous object of that id. It returns the wrapped data key, which the
// caller must store: it is the only way to read the object back.
//
// Put returns only once the store holds the object durably (the file and
// its directory entry synced, or the bucket's PUT answered), so an upload
// acknowledged after Put survives a crash.
func (v *Vault) Put(ctx context.Context, id string, plain []byte) (wrappedKey []byte, err error) {
	if err := CheckID(id); err != nil {
		return nil, fmt.Errorf("vault: put: %w", err)
	}
	sealed, wrappedKey, err := v.SealObject(id, plain)
	if err != nil {
		return nil, err
	}
	if err := v.store.Put(ctx, id, sealed); err != nil {
		return nil, fmt.Errorf("vault: put %s: %w", id, err)
	}
	return wrappedKey, nil
}

// SealObject encrypts plain for id exactly as Put does, under a fresh data
// key, but returns the sealed bytes instead of storing them, for the
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

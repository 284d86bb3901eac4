package vault

import (
	"errors"
	"fmt"
)

// Sealed secrets: version | nonce | sealed secret, under the master key. The
// name is the additional data, in a domain apart from wrapped data keys, so
// a sealed value opens only under its own name and is never taken for a key.
const sealVersion = 1

func sealAD(name string) []byte { return append([]byte("loupe vault secret\x00"), name...) }

// Seal encrypts a small secret (such as a callback signing secret) under the
// master key, bound to name, for storing in the database.
func (v *Vault) Seal(name string, plain []byte) ([]byte, error) {
	nonce := make([]byte, nonceSize)
	if err := v.readRandom(nonce); err != nil {
		return nil, err
	}
	out := append([]byte{sealVersion}, nonce...)
	return v.wrap.aead.Seal(out, nonce, plain, sealAD(name)), nil
}

// Open decrypts a secret sealed under name. A value sealed under another
// name, altered, or sealed with another master key is ErrCorrupt.
func (v *Vault) Open(name string, sealed []byte) ([]byte, error) {
	if len(sealed) < 1+nonceSize || sealed[0] != sealVersion {
		return nil, fmt.Errorf("vault: open secret %q: %w", name, errors.Join(ErrCorrupt, errors.New("malformed")))
	}
	plain, err := v.wrap.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], sealAD(name))
	if err != nil {
		return nil, fmt.Errorf("vault: open secret %q: %w", name, ErrCorrupt)
	}
	return plain, nil
}

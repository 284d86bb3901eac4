package vault

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// DeriveKey derives a 32-byte key for one purpose from the master key with
// HKDF-SHA256, purpose as the label. Each use gets its own key, so the
// master key itself only ever wraps data keys, and a key derived for one
// purpose says nothing about another's or the master key.
func DeriveKey(masterKey []byte, purpose string) ([]byte, error) {
	if len(masterKey) != KeySize {
		return nil, fmt.Errorf("vault: derive key: master key is %d bytes, want %d", len(masterKey), KeySize)
	}
	return hkdf.Key(sha256.New, masterKey, nil, purpose, KeySize)
}

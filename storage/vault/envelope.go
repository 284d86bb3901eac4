package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"
)

// File layout: header (magic and format version) | nonce | sealed content.
// The header and the id are the GCM additional data, so a file moved to
// another id, or given another header, fails authentication.
var fileHeader = []byte{'L', 'P', 'V', 1}

// Wrapped key layout: version | nonce | sealed data key. The id is the
// additional data, so a wrapped key only opens its own object.
const wrapVersion = 1

const nonceSize = 12 // the GCM standard nonce

// wrappedKeySize is the length of every wrapped key.
const wrappedKeySize = 1 + nonceSize + KeySize + 16

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// keyWrapper wraps data keys under the master key.
type keyWrapper struct{ aead cipher.AEAD }

func newKeyWrapper(masterKey []byte) (keyWrapper, error) {
	aead, err := newGCM(masterKey)
	if err != nil {
		return keyWrapper{}, fmt.Errorf("master key: %w", err)
	}
	return keyWrapper{aead: aead}, nil
}

func wrapAD(id string) []byte { return append([]byte("loupe vault key\x00"), id...) }

func (w keyWrapper) wrap(id string, dataKey, nonce []byte) []byte {
	out := append([]byte{wrapVersion}, nonce...)
	return w.aead.Seal(out, nonce, dataKey, wrapAD(id))
}

func (w keyWrapper) unwrap(id string, wrapped []byte) ([]byte, error) {
	if len(wrapped) != wrappedKeySize || wrapped[0] != wrapVersion {
		return nil, errors.New("malformed wrapped key")
	}
	nonce, sealed := wrapped[1:1+nonceSize], wrapped[1+nonceSize:]
	return w.aead.Open(nil, nonce, sealed, wrapAD(id))
}

func fileAD(id string) []byte { return append(append([]byte(nil), fileHeader...), id...) }

// seal encrypts plain for id under dataKey, returning the whole file.
func seal(id string, dataKey, nonce, plain []byte) ([]byte, error) {
	aead, err := newGCM(dataKey)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(fileHeader)+nonceSize+len(plain)+aead.Overhead())
	out = append(out, fileHeader...)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plain, fileAD(id)), nil
}

// open decrypts a whole file stored for id.
func open(id string, dataKey, file []byte) ([]byte, error) {
	if len(file) < len(fileHeader)+nonceSize || string(file[:len(fileHeader)]) != string(fileHeader) {
		return nil, errors.New("unknown file format")
	}
	aead, err := newGCM(dataKey)
	if err != nil {
		return nil, err
	}
	nonce := file[len(fileHeader) : len(fileHeader)+nonceSize]
	return aead.Open(nil, nonce, file[len(fileHeader)+nonceSize:], fileAD(id))
}

package vault

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// LoadOrCreateMasterKey returns the master key. If env (the value of
// LOUPE_MASTER_KEY) is set it must hold the key as hex or base64; otherwise
// the key is read from the file at path, which is created with a new random
// key, readable by its owner only, on first start.
//
// A key file that is readable by others, or does not hold exactly 32 bytes,
// is refused rather than used or replaced: replacing a key makes every stored
// object unreadable. Error messages never include key material.
func LoadOrCreateMasterKey(path string, env string, random io.Reader) ([]byte, error) {
	if env != "" {
		key, err := parseKey(env)
		if err != nil {
			return nil, fmt.Errorf("vault: LOUPE_MASTER_KEY: %w", err)
		}
		return key, nil
	}
	key, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeyFile(path, random)
	}
	return key, err
}

// parseKey decodes a 32-byte key written as hex or base64 (standard or URL
// alphabet, padded or not), ignoring surrounding white space.
func parseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("key is empty; want 32 bytes as 64 hex digits or 44 base64 characters")
	}
	// Hex first: 64 hex digits are also valid base64, of the wrong length.
	if len(s) == 2*KeySize {
		if key, err := hex.DecodeString(s); err == nil {
			return key, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		key, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("key is %d bytes, want %d (64 hex digits or 44 base64 characters)", len(key), KeySize)
		}
		return key, nil
	}
	return nil, fmt.Errorf("key of %d characters is neither hex nor base64; want 32 bytes as 64 hex digits or 44 base64 characters", len(s))
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vault: master key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("vault: master key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("vault: master key file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("vault: master key file %s has mode %04o, readable by others; it must be 0600 (chmod 600 %s)", path, perm, path)
	}
	text, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("vault: master key file %s: %w", path, err)
	}
	if len(text) == KeySize {
		// Raw key bytes, as some tools write them. No text form of a key is
		// 32 characters long, so this cannot be misread.
		return text, nil
	}
	key, err := parseKey(string(text))
	if err != nil {
		return nil, fmt.Errorf("vault: master key file %s: %w", path, err)
	}
	return key, nil
}

// createKeyFile writes a new random key as base64 text, so it can be
// copied into LOUPE_MASTER_KEY as is. O_EXCL means two processes starting at
// once cannot both create a key: the loser reads the winner's.
func createKeyFile(path string, random io.Reader) ([]byte, error) {
	if random == nil {
		return nil, errors.New("vault: create master key: no source of randomness")
	}
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(random, key); err != nil {
		return nil, fmt.Errorf("vault: create master key: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("vault: create master key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return readKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: create master key: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		os.Remove(path) // a half-written key must not be found next start
		return nil, fmt.Errorf("vault: create master key: %w", err)
	}
	return key, nil
}

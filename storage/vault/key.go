package vault

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// LoadOrCreateMasterKey returns the 32-byte master key: from env (the value
// of LOUPE_MASTER_KEY, hex or base64) when set, else from the key file at
// path, which is created (mode 0600) on first start.
func LoadOrCreateMasterKey(path, env string, random io.Reader) ([]byte, error) {
	if env = strings.TrimSpace(env); env != "" {
		return parseKey(env)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return createKey(path, random)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: read master key: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("vault: master key file %s is readable by others (mode %o); chmod 600 it", path, st.Mode().Perm())
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("vault: master key file %s holds %d bytes, want 32", path, len(b))
	}
	return b, nil
}

func parseKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("vault: LOUPE_MASTER_KEY must be 32 bytes as 64 hex digits or base64")
}

func createKey(path string, random io.Reader) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := io.ReadFull(random, key); err != nil {
		return nil, fmt.Errorf("vault: make master key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("vault: create master key file: %w", err)
	}
	_, err = f.Write(key)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("vault: write master key file: %w", err)
	}
	return key, nil
}

// FreeBytes is the space left for unprivileged writers on dir's filesystem.
func FreeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("vault: free space of %s: %w", dir, err)
	}
	return st.Bavail * uint64(st.Bsize), nil
}

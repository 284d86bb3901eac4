//go:build !(linux || darwin || freebsd)

package vault

import (
	"errors"
	"fmt"
)

// FreeBytes is not implemented on this platform.
func FreeBytes(dir string) (uint64, error) {
	return 0, fmt.Errorf("vault: free bytes of %s: %w", dir, errors.ErrUnsupported)
}

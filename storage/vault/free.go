//go:build linux || darwin || freebsd

package vault

import (
	"fmt"
	"syscall"
)

// FreeBytes returns the space available to this (unprivileged) process on
// the file system holding dir, so ingest can refuse uploads before the disk
// fills rather than fail half-way through writing one.
func FreeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("vault: free bytes of %s: %w", dir, err)
	}
	// Bavail, not Bfree: blocks reserved for root are not ours to use.
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

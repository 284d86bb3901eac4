//go:build !linux

package pdqindex

// adviseHugePages is a no-op where transparent huge pages cannot be asked
// for; see the Linux version.
func adviseHugePages[T any](s []T) {}

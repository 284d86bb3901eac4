package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// privateDir creates dir 0700 if needed, and tightens it to 0700 if it is
// open to other users, saying so on warn: the data directory and backups
// hold the database and (sealed) media.
func privateDir(dir string, warn io.Writer) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !unixModes || info.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make %s private: %w", dir, err)
	}
	if warn != nil {
		fmt.Fprintf(warn, "loupe: warning: %s was open to other users (mode %#o); it is now 0700\n", dir, info.Mode().Perm())
	}
	return nil
}

// privateFiles makes the files that exist among paths 0600.
func privateFiles(paths ...string) error {
	for _, p := range paths {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

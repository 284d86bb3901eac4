//go:build unix

package main

import "syscall"

// restrictUmask makes every file and directory Loupe creates (the
// database's -wal and -shm, SQLite's temporary files, backups) readable by
// its own user alone, whatever mode the code asks for.
func restrictUmask() { syscall.Umask(0o077) }

// unixModes says that file modes are Unix permission bits here.
const unixModes = true

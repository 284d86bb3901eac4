// Package storage keeps Loupe's state in SQLite (one file, the default) or
// PostgreSQL (shared by several instances): numbered migrations embedded in
// the binary, one file per aggregate, and the review package's store
// interfaces implemented on top, once for both engines. What differs
// between them (placeholders, row locks, advisory locks, notifications,
// backups) is in dialect*.go.
package storage

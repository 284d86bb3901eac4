// Package storage keeps Loupe's state in SQLite: numbered migrations
// embedded in the binary, one file per aggregate, and the review package's
// store interfaces implemented on top. Another engine (PostgreSQL) would be
// a sibling package implementing the same interfaces.
package storage

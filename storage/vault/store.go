package vault

import "context"

// Store keeps the bytes of sealed objects: a local directory (Dir) or an
// S3 bucket (package s3). It only ever sees ciphertext: the Vault seals an
// object before handing it over and opens it after reading it back, so a
// Store needs no keys and a copy of its contents reveals nothing without
// the database's wrapped keys and the master key.
//
// Ids reaching a Store have passed CheckID.
type Store interface {
	// Put stores data as id, replacing any object of that id, and returns
	// only once the object is durable: an upload acknowledged after Put
	// survives a crash of Loupe and of the machine it runs on.
	Put(ctx context.Context, id string, data []byte) error
	// Get returns the object's bytes; an error matching ErrMissing (and
	// fs.ErrNotExist) if there is none.
	Get(ctx context.Context, id string) ([]byte, error)
	// Exists reports whether an object is stored as id.
	Exists(ctx context.Context, id string) (bool, error)
	// Delete removes the object; a missing one is not an error, so
	// deletion can be retried.
	Delete(ctx context.Context, id string) error
	// Walk calls fn with the id of every object, in lexical order,
	// skipping anything that is not an object, and stops at the first
	// error fn returns.
	Walk(ctx context.Context, fn func(id string) error) error
	// Ping reports whether the storage answers, for readiness checks.
	Ping(ctx context.Context) error
	// String names where objects are kept, for messages: a directory or
	// an s3:// URL. It holds no credentials.
	String() string
}

package vault

import "errors"

var (
	// ErrCorrupt means an object failed authentication: the file was
	// altered or truncated, or the wrapped key is not this object's (wrong
	// master key, another object's key, or a shredded one).
	ErrCorrupt = errors.New("vault: object corrupt or key does not match")

	// ErrMissing means no file is stored under the id. Errors carrying it
	// also match fs.ErrNotExist.
	ErrMissing = errors.New("vault: object missing")

	// ErrInvalidID means an id is not of the safe form file names need.
	ErrInvalidID = errors.New("vault: invalid id")
)

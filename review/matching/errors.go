package matching

import "errors"

// Errors returned by Matcher, wrapped with the offending list or entry.
// They are this package's own because matching sits below the review
// package, which may import it.
var (
	// ErrUnknownList means an entry names a list the matcher has not been
	// given (by Load or SetList).
	ErrUnknownList = errors.New("unknown list")
	// ErrInvalidList means a list's kind or threshold is unusable.
	ErrInvalidList = errors.New("invalid list")
	// ErrInvalidEntry means an entry's hash type or value is unusable.
	ErrInvalidEntry = errors.New("invalid entry")
)

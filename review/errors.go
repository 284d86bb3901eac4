package review

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The error vocabulary shared by every layer. Storage translates driver
// errors into these; web maps them to status codes in one table.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	// ErrThrottled means the caller must wait before trying again.
	ErrThrottled = errors.New("too many attempts")
	// Media refusals at ingest.
	ErrTooLarge         = errors.New("too large")
	ErrUnsupportedMedia = errors.New("unsupported media")
	ErrTooManyPixels    = errors.New("too many pixels")
	// ErrUnavailable means the service refuses work it could not keep safely
	// (for example, disk space below the floor).
	ErrUnavailable = errors.New("temporarily unavailable")
	// ErrBusy means too many sign-ins are being checked at once for this one
	// to wait its turn; the caller should try again in a few seconds.
	ErrBusy = fmt.Errorf("too many people are signing in at once; please try again in a few seconds: %w", ErrUnavailable)
	// ErrGone means media was deleted under the retention policy: its
	// metadata and hashes remain, the image does not.
	ErrGone = errors.New("media deleted under the retention policy")
)

// ValidationError lists what is wrong with each field of some input.
type ValidationError struct {
	Problems map[string]string // field -> problem
}

// Invalid returns a ValidationError for one field.
func Invalid(field, problem string) *ValidationError {
	return &ValidationError{Problems: map[string]string{field: problem}}
}

// Add records a problem with field; the first problem per field wins.
func (e *ValidationError) Add(field, problem string) {
	if e.Problems == nil {
		e.Problems = map[string]string{}
	}
	if _, ok := e.Problems[field]; !ok {
		e.Problems[field] = problem
	}
}

// Err returns e if it holds any problem, nil otherwise.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Field returns the first field with a problem, in name order.
func (e *ValidationError) Field() string {
	fields := make([]string, 0, len(e.Problems))
	for f := range e.Problems {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	if len(fields) == 0 {
		return ""
	}
	return fields[0]
}

// Message is the problem in words for a person: the problem alone when
// there is one, "field: problem; ..." when there are several.
func (e *ValidationError) Message() string {
	if len(e.Problems) == 1 {
		return e.Problems[e.Field()]
	}
	return strings.TrimPrefix(e.Error(), "invalid input: ")
}

func (e *ValidationError) Error() string {
	fields := make([]string, 0, len(e.Problems))
	for f := range e.Problems {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = fmt.Sprintf("%s: %s", f, e.Problems[f])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/loupe-review/loupe/review"
)

// translate turns driver errors into the review error vocabulary, with context.
func translate(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("storage: %s: %w", what, review.ErrNotFound)
	}
	if sqliteDuplicate(err) || postgresDuplicate(err) {
		return fmt.Errorf("storage: %s: already exists: %w", what, review.ErrConflict)
	}
	return fmt.Errorf("storage: %s: %w", what, err)
}

func errorsJoin(errs ...error) error { return errors.Join(errs...) }

// Redact returns a database URL without its password, for messages and
// logs; a file path is returned as it is.
func Redact(database string) string {
	if !IsPostgres(database) {
		return database
	}
	u, err := url.Parse(database)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return u.Redacted()
}

package storage

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/loupe-review/loupe/review"
	"github.com/mattn/go-sqlite3"
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
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return fmt.Errorf("storage: %s: already exists: %w", what, review.ErrConflict)
		}
	}
	return fmt.Errorf("storage: %s: %w", what, err)
}

func errorsJoin(errs ...error) error { return errors.Join(errs...) }

package storage

import (
	"time"

	"github.com/loupe-review/loupe/review"
)

// Times are stored as fixed-width UTC text (review.TimeFormat), so they sort
// and compare correctly as text; the zero time is stored as ”.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(review.TimeFormat)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(review.TimeFormat, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

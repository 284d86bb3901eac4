package hashlist

import (
	"fmt"
	"time"
)

// validateAll checks every entry before an export writes its first byte,
// so that an entry a partner would reject never leaves half a file behind.
func validateAll(entries []Entry) error {
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("hashlist: entry %d (%s %s): %w", i, e.Type, quote(e.Value), err)
		}
	}
	return nil
}

// formatTime writes added_at in RFC 3339, in UTC so that partners compare
// like with like, and leaves it empty when unknown rather than writing
// year 1.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

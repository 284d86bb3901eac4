package matching

import (
	"fmt"

	"github.com/loupe-review/loupe/review/pdq"
)

// ListKind says what a match on a list means.
type ListKind string

const (
	// Block lists hold known harmful content: a match routes the item and
	// shows the entry's category to the reviewer.
	Block ListKind = "block"
	// Allow lists hold known false positives: media matching one is not
	// reported as matching any block list.
	Allow ListKind = "allow"
)

// Thresholds are PDQ Hamming distances.
const (
	// DefaultThreshold is the conventional distance for "the same picture".
	DefaultThreshold = pdq.MatchDistance
	// MaxThreshold bounds a list's threshold. Unrelated pictures are about
	// 128 apart with a spread of about 8, so beyond this a list would start
	// to match random content, and every search would scan the whole index.
	MaxThreshold = 64
)

// List is a hash list as the matcher needs it.
type List struct {
	ID   int64
	Name string // shown with matches and used to order them
	Kind ListKind
	// Threshold is the largest PDQ distance that counts as a match on this
	// list; 0 means DefaultThreshold, so that a zero List is useful (a
	// distance-0-only PDQ list would miss almost every re-encoded copy).
	// Exact hashes ignore it.
	Threshold int
	// Enabled lists match. A disabled list keeps its entries, so that
	// enabling it again needs no reload, but never matches.
	Enabled bool
}

// threshold is the distance l matches within.
func (l List) threshold() int {
	if l.Threshold == 0 {
		return DefaultThreshold
	}
	return l.Threshold
}

func (l List) validate() error {
	if l.Kind != Block && l.Kind != Allow {
		return fmt.Errorf("matching: list %d: %w: unknown kind %q (want block or allow)", l.ID, ErrInvalidList, l.Kind)
	}
	if l.Threshold < 0 || l.Threshold > MaxThreshold {
		return fmt.Errorf("matching: list %d: %w: threshold %d outside 0 to %d", l.ID, ErrInvalidList, l.Threshold, MaxThreshold)
	}
	return nil
}

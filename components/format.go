package components

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/loupe-review/loupe/review"
)

// current marks the navigation link of the page being shown.
func current(yes bool) templ.Attributes {
	if yes {
		return templ.Attributes{"aria-current": "page"}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// when formats a time for people: UTC, to the second.
func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// age says how long ago, roughly, for queue pages.
func age(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " h"
	default:
		return strconv.Itoa(int(d.Hours()/24)) + " days"
	}
}

// short abbreviates a hash for display.
func short(h string) string {
	if len(h) <= 16 {
		return h
	}
	return h[:16] + "…"
}

// tokenScopes are the scopes an admin may give a token in the browser.
func tokenScopes(lists []review.HashList) []struct{ value, label string } {
	out := []struct{ value, label string }{
		{review.ScopeIngest, "ingest: send items for review"},
		{review.ScopeMetrics, "metrics: read GET /metrics"},
	}
	for _, l := range lists {
		out = append(out, struct{ value, label string }{review.ListScope(l), "export the hash list " + l.Name})
	}
	return out
}

// WaitingShown is as far as the review screen and the home page count a
// queue's waiting items; past it they say "100+". Every review page counts
// (on PostgreSQL, 1,000 made the count the costliest query of a review:
// the first items of a busy queue sit on pages claims keep changing).
const WaitingShown = 100

// waiting shows a count of waiting items taken up to WaitingShown.
func waiting(n int) string {
	if n >= WaitingShown {
		return itoa(WaitingShown) + "+"
	}
	return itoa(n)
}

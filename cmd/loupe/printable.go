package main

import (
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/review"
)

// printable escapes, as Go does in strings (\x1b, \n, \u202e), the
// characters review.ControlRune names, so stored text printed to a
// terminal cannot clear it, forge a row or reverse a column. Every command
// prints stored text through it.
func printable(s string) string {
	if strings.IndexFunc(s, review.ControlRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if review.ControlRune(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

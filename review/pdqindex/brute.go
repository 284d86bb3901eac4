package pdqindex

import "github.com/loupe-review/loupe/review/pdq"

// BruteForce returns the entries within threshold of q by checking every
// one, in Search's order. It is the reference Search is tested against.
func BruteForce(entries []Entry, q pdq.Hash, threshold int) []Match {
	var out []Match
	for _, e := range entries {
		if d := pdq.Distance(e.Hash, q); d <= threshold {
			out = append(out, Match{ID: e.ID, Distance: d})
		}
	}
	sortMatches(out)
	return out
}
